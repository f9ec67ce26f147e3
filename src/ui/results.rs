//! What the engine made of the editor's text: the objects it read and the problems.

use leptos::prelude::*;

use super::editor::JumpTo;
use super::worker::EngineResult;
use crate::engine::{Diagnostic, Severity};

#[component]
pub fn Results(
    result: ReadSignal<Option<EngineResult>>,
    diagnostics: Signal<Vec<Diagnostic>>,
    on_jump: WriteSignal<Option<JumpTo>>,
) -> impl IntoView {
    let objects =
        move || result.with(|r| r.as_ref().map(|r| r.objects.clone()).unwrap_or_default());
    let diagnostics = move || diagnostics.get();
    view! {
        <section class="kp-results">
            <h2 class="kp-results__heading">
                "Problems " <span class="kp-badge" data-testid="problem-count">{move || diagnostics().len()}</span>
            </h2>
            <Show
                when=move || !diagnostics().is_empty()
                fallback=move || view! {
                    <p class="kp-results__empty" data-testid="no-problems">
                        {move || if result.with(Option::is_some) { "No problems: every document is valid." } else { "Waiting for the engine…" }}
                    </p>
                }
            >
                <ul class="kp-problems" data-testid="problems">
                    {move || diagnostics().into_iter().map(|d| {
                        let line = d.line;
                        let (icon, class) = match d.severity {
                            Severity::Error => ("✖", "kp-problems__item kp-problems__item--error"),
                            Severity::Warning => ("⚠", "kp-problems__item kp-problems__item--warning"),
                        };
                        view! {
                            <li class=class data-testid="problem">
                                <button class="kp-problems__button" on:click=move |_| on_jump.set(Some(JumpTo(line)))
                                    title="Show this line in the editor">
                                    <span class="kp-problems__icon" aria-label=d.severity.as_str()>{icon}</span>
                                    <span class="kp-problems__where">{format!("{}:{}:{}", d.file, d.line, d.col)}</span>
                                    <span class="kp-problems__message">{d.message.clone()}</span>
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
            <h2 class="kp-results__heading">
                "Objects " <span class="kp-badge" data-testid="object-count">{move || objects().len()}</span>
            </h2>
            {move || {
                let notes = result.with(|r| r.as_ref().map(|r| r.notes.clone()).unwrap_or_default());
                (!notes.is_empty()).then(|| view! {
                    <ul class="kp-notes" data-testid="simulation-notes" aria-label="How this simulation differs from a real cluster">
                        {notes.into_iter().map(|n| view! { <li class="kp-notes__item">{n}</li> }).collect_view()}
                    </ul>
                })
            }}
            <table class="kp-table" data-testid="objects">
                <thead><tr><th>"KIND"</th><th>"NAMESPACE"</th><th>"NAME"</th><th>"LINE"</th></tr></thead>
                <tbody>
                    {move || objects().into_iter().map(|o| view! {
                        <tr data-testid="object-row">
                            <td>{o.kind}</td>
                            <td>{if o.namespace.is_empty() { "—".to_string() } else { o.namespace }}</td>
                            <td>{o.name}</td>
                            <td class="kp-table__num">{o.line}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
