//! The What-if tab: the same cluster built from other manifests (start from the editor's
//! text and change one thing: a storageClassName, a readiness, a replica count…) with
//! the same commands — and what differs, listed and marked on the diagrams.

use leptos::prelude::*;

use super::i18n::t;
use crate::engine::SourceFile;

#[component]
pub fn WhatIfView(
    /// The editor's text (the "before").
    text: ReadSignal<String>,
    what_if: Callback<(Vec<SourceFile>, Vec<String>)>,
    compared: ReadSignal<Option<(String, Vec<String>)>>,
    /// Marks the changed objects on the diagrams while set.
    show_on_diagram: RwSignal<bool>,
) -> impl IntoView {
    let (other, set_other) = signal(text.get_untracked());
    let (commands, set_commands) = signal(String::new());
    let (asked, set_asked) = signal(false);
    let compare = move |_| {
        set_asked.set(true);
        what_if.run((
            vec![SourceFile {
                name: "what-if.yaml".into(),
                text: other.get_untracked(),
            }],
            commands
                .get_untracked()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
        ));
    };
    view! {
        <div class="kp-whatif" data-testid="whatif-view">
            <p class="kp-diagram__hint">{t("Change one thing below (a storageClassName, a label, replicas, a readiness probe…); both clusters run the terminal's commands and the extra ones, and the difference is listed here and marked on the diagrams.")}</p>
            <div class="kp-whatif__head">
                <span class="kp-dialog__label">{t("What if the manifests were:")}</span>
                <button class="kp-button" data-testid="whatif-reset" on:click=move |_| set_other.set(text.get_untracked())>{t("Start from the editor's text")}</button>
            </div>
            <textarea class="kp-dialog__code kp-whatif__text" data-testid="whatif-text" rows="10" spellcheck="false" wrap="off"
                aria-label=t("What if the manifests were:")
                prop:value=other on:input=move |ev| set_other.set(event_target_value(&ev))></textarea>
            <label class="kp-dialog__label" for="kp-whatif-commands">{t("…and then these commands ran in both (one per line):")}</label>
            <textarea id="kp-whatif-commands" class="kp-dialog__code" data-testid="whatif-commands" rows="2" spellcheck="false"
                placeholder="kubectl drain kind-worker --ignore-daemonsets --force"
                prop:value=commands on:input=move |ev| set_commands.set(event_target_value(&ev))></textarea>
            <div class="kp-whatif__head">
                <button class="kp-button kp-button--primary" data-testid="whatif-compare" on:click=compare>{t("Compare")}</button>
                <label class="kp-whatif__toggle">
                    <input type="checkbox" data-testid="whatif-mark" prop:checked=move || show_on_diagram.get()
                        on:change=move |ev| show_on_diagram.set(event_target_checked(&ev)) />
                    {t(" mark the differences on the diagrams")}
                </label>
            </div>
            {move || match compared.get() {
                Some((text, _)) => view! { <pre class="kp-diagram__text kp-whatif__result" data-testid="whatif-result">{text}</pre> }.into_any(),
                None if asked.get() => view! { <p class="kp-diagram__hint">"…"</p> }.into_any(),
                None => ().into_any(),
            }}
        </div>
    }
}
