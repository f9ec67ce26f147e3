//! What the engine made of the editor's text: the objects it read and the problems.

use leptos::prelude::*;

use super::i18n::t;

use super::editor::JumpTo;
use super::worker::EngineResult;
use crate::engine::{Diagnostic, Severity};

#[component]
pub fn Results(
    result: ReadSignal<Option<EngineResult>>,
    diagnostics: Signal<Vec<Diagnostic>>,
    on_jump: WriteSignal<Option<JumpTo>>,
    run: Callback<String>,
) -> impl IntoView {
    let objects =
        move || result.with(|r| r.as_ref().map(|r| r.objects.clone()).unwrap_or_default());
    let diagnostics = move || diagnostics.get();
    view! {
        <section class="kp-results">
            <h2 class="kp-results__heading">
                {t("Problems ")} <span class="kp-badge" data-testid="problem-count">{move || diagnostics().len()}</span>
            </h2>
            <Show
                when=move || !diagnostics().is_empty()
                fallback=move || view! {
                    <p class="kp-results__empty" data-testid="no-problems">
                        {move || if result.with(Option::is_some) { t("No problems: every document is valid.")() } else { t("Waiting for the engine…")() }}
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
                                    title=t("Show this line in the editor")>
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
                {t("Objects ")} <span class="kp-badge" data-testid="object-count">{move || objects().len()}</span>
            </h2>
            {move || {
                let notes = result.with(|r| r.as_ref().map(|r| r.notes.clone()).unwrap_or_default());
                (!notes.is_empty()).then(|| view! {
                    <ul class="kp-notes" data-testid="simulation-notes" aria-label=t("How this simulation differs from a real cluster")>
                        {notes.into_iter().map(|n| view! { <li class="kp-notes__item">{n}</li> }).collect_view()}
                    </ul>
                })
            }}
            <table class="kp-table" data-testid="objects">
                <thead><tr><th>"KIND"</th><th>"NAMESPACE"</th><th>"NAME"</th><th>"LINE"</th><th><span class="kp-visually-hidden">{t("Actions")}</span></th></tr></thead>
                <tbody>
                    {move || objects().into_iter().map(|o| {
                        let actions = actions(&o.kind, &o.namespace, &o.name);
                        view! {
                            <tr data-testid="object-row">
                                <td>{o.kind}</td>
                                <td>{if o.namespace.is_empty() { "—".to_string() } else { o.namespace }}</td>
                                <td>{o.name}</td>
                                <td class="kp-table__num">{o.line}</td>
                                <td class="kp-table__actions">
                                    {actions.into_iter().map(|(label, command)| {
                                        let title = format!("Runs: {command}");
                                        view! {
                                            <button class="kp-button" data-testid="object-action" title=title
                                                on:click=move |_| run.run(command.clone())>{label}</button>
                                        }
                                    }).collect_view()}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// The terminal commands an object's buttons run (shown on hover, to teach them).
fn actions(kind: &str, namespace: &str, name: &str) -> Vec<(&'static str, String)> {
    let ns = if namespace.is_empty() || namespace == "default" {
        String::new()
    } else {
        format!(" -n {namespace}")
    };
    let lower = kind.to_lowercase();
    let mut out = vec![("describe", format!("kubectl describe {lower} {name}{ns}"))];
    match kind {
        "PersistentVolumeClaim" => out.push(("why?", format!("why pvc {name}{ns}"))),
        "Deployment" | "StatefulSet" => {
            out.push(("get pods", format!("kubectl get pods{ns} -o wide")))
        }
        "Service" => out.push((
            "endpoints",
            format!("kubectl get endpointslices{ns} -l kubernetes.io/service-name={name}"),
        )),
        "Ingress" => out.push(("get", format!("kubectl get ingress {name}{ns}"))),
        _ => {}
    }
    out
}
