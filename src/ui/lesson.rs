//! The example gallery: a picker in the header, and the open lesson's steps — each a
//! terminal command with a sentence of explanation, a button that runs it in the terminal,
//! and (after "Check every step") whether its expectations held.

use leptos::prelude::*;

use super::i18n::t;

use super::worker::Lesson;

#[component]
pub fn GalleryPicker(
    gallery: ReadSignal<Vec<(String, String)>>,
    open: Callback<String>,
) -> impl IntoView {
    view! {
        <label class="kp-gallery">
            <span class="kp-gallery__label">{t("Lessons")}</span>
            <select
                class="kp-gallery__select"
                data-testid="gallery"
                aria-label=t("Open a lesson from the example gallery")
                on:change=move |ev| {
                    let name = event_target_value(&ev);
                    if !name.is_empty() {
                        open.run(name);
                    }
                }
            >
                <option value="">{t("Choose a lesson…")}</option>
                {move || gallery.get().into_iter().map(|(name, title)| view! {
                    <option value=name>{title}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn LessonPanel(
    lesson: ReadSignal<Option<Lesson>>,
    run: Callback<String>,
    check: Callback<String>,
) -> impl IntoView {
    move || {
        lesson.get().map(|l| {
            let name = l.name.clone();
            let checked = l.checked.clone();
            let steps = l.steps.clone().into_iter().enumerate().map(|(i, step)| {
                let command = step.run.clone();
                let result = checked.as_ref().and_then(|c| c.get(i)).cloned();
                let (mark, mark_class) = match &result {
                    None => ("", "kp-lesson__mark"),
                    Some(r) if r.checks.iter().all(|c| c.1) => ("✓", "kp-lesson__mark kp-lesson__mark--ok"),
                    Some(_) => ("✗", "kp-lesson__mark kp-lesson__mark--failed"),
                };
                let failures: Vec<(String, String)> = result
                    .map(|r| r.checks.into_iter().filter(|c| !c.1).map(|c| (c.0, c.2)).collect())
                    .unwrap_or_default();
                view! {
                    <li class="kp-lesson__step" data-testid="lesson-step">
                        <span class=mark_class data-testid="lesson-mark" aria-label=move || if mark.is_empty() { "not checked" } else if mark == "✓" { "expectations held" } else { "an expectation failed" }>{mark}</span>
                        <div class="kp-lesson__body">
                            <p class="kp-lesson__say">{step.say.clone()}</p>
                            <div class="kp-lesson__command">
                                <code>{step.run.clone()}</code>
                                <button class="kp-button" data-testid="lesson-run" title=t("Run this command in the terminal")
                                    on:click=move |_| run.run(command.clone())>{t("Run")}</button>
                            </div>
                            {failures.into_iter().map(|(expected, actual)| view! {
                                <p class="kp-lesson__failure" data-testid="lesson-failure">
                                    {t("Expected ")} {expected} ", got: " <code>{actual}</code>
                                </p>
                            }).collect_view()}
                        </div>
                    </li>
                }
            }).collect_view();
            view! {
                <section class="kp-lesson" data-testid="lesson" aria-label="Lesson">
                    <div class="kp-lesson__head">
                        <h2 class="kp-lesson__title">{l.title.clone()}</h2>
                        <button class="kp-button kp-button--primary" data-testid="lesson-check"
                            title=t("Run every step on a fresh cluster and check what it should show")
                            on:click=move |_| check.run(name.clone())>{t("Check every step")}</button>
                    </div>
                    <ol class="kp-lesson__steps">{steps}</ol>
                </section>
            }
        })
    }
}
