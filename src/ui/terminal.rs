//! The terminal: the shared terminal language (`help` lists it), run in the engine worker
//! against the cluster built from the editor. ↑/↓ walk the history; Tab completes commands,
//! kinds and object names; `clear` empties it.

use leptos::html::{Div, Input};
use leptos::prelude::*;

use super::i18n::t;

use super::worker::TerminalEntry;

/// The words Tab completes: the terminal language's commands and flags, then kinds.
const COMMANDS: &[&str] = &[
    "kubectl get ",
    "kubectl describe ",
    "kubectl apply -f -",
    "kubectl delete ",
    "kubectl scale ",
    "kubectl label ",
    "kubectl annotate ",
    "kubectl cordon ",
    "kubectl uncordon ",
    "kubectl drain ",
    "kubectl exec ",
    "kubectl patch ",
    "kubectl debug node/",
    "curl ",
    "why pvc ",
    "why url http://",
    "why name ",
    "diagram network",
    "diagram storage",
    "diagram dns",
    "help",
    "clear",
];
const KINDS: &[&str] = &[
    "pods",
    "deployments",
    "statefulsets",
    "daemonsets",
    "replicasets",
    "services",
    "endpointslices",
    "ingress",
    "ingressclass",
    "pvc",
    "pv",
    "storageclass",
    "nodes",
    "namespaces",
    "configmaps",
    "events",
];

/// Completes the last word of `line` from the commands (at the start), kinds (after
/// get/describe/delete) and object names; returns the line unchanged if nothing or
/// several things fit with no longer common prefix.
pub fn complete(line: &str, names: &[String]) -> String {
    let candidates: Vec<String> = if !line.contains(' ')
        || COMMANDS.iter().any(|c| c.starts_with(line))
    {
        COMMANDS
            .iter()
            .filter(|c| c.starts_with(line))
            .map(|c| c.to_string())
            .collect()
    } else {
        let (head, word) = line.rsplit_once(' ').unwrap_or(("", line));
        let pool: Vec<String> =
            if head.ends_with("get") || head.ends_with("describe") || head.ends_with("delete") {
                KINDS.iter().map(|k| k.to_string()).collect()
            } else {
                names.to_vec()
            };
        pool.into_iter()
            .filter(|w| w.starts_with(word))
            .map(|w| format!("{head} {w}"))
            .collect()
    };
    let mut candidates = candidates;
    candidates.sort();
    candidates.dedup();
    match candidates.as_slice() {
        [] => line.to_string(),
        [one] => {
            if one.ends_with(' ') || one.ends_with('/') || one.ends_with("//") || one.ends_with('-')
            {
                one.clone()
            } else {
                format!("{one} ")
            }
        }
        many => {
            // The longest common prefix.
            let first = &many[0];
            let len = many.iter().fold(first.len(), |n, c| {
                first
                    .chars()
                    .zip(c.chars())
                    .take(n)
                    .take_while(|(a, b)| a == b)
                    .count()
            });
            let prefix: String = first.chars().take(len).collect();
            if prefix.len() > line.len() {
                prefix
            } else {
                line.to_string()
            }
        }
    }
}

#[component]
pub fn Terminal(
    transcript: ReadSignal<Vec<TerminalEntry>>,
    run: Callback<String>,
    clear: Callback<()>,
    /// Object names Tab completes.
    names: Signal<Vec<String>>,
    /// An embed's `readonly`: the transcript shows, the prompt is off.
    readonly: bool,
) -> impl IntoView {
    let input = NodeRef::<Input>::new();
    let log = NodeRef::<Div>::new();
    let (line, set_line) = signal(String::new());
    // Position in the history while walking it with ↑/↓ (None = editing a new line).
    let cursor = StoredValue::new(None::<usize>);

    // Keep the newest output in view.
    Effect::new(move |_| {
        transcript.track();
        if let Some(el) = log.get() {
            el.set_scroll_top(el.scroll_height());
        }
    });

    let submit = move || {
        let text = line.get_untracked().trim().to_string();
        set_line.set(String::new());
        cursor.set_value(None);
        match text.as_str() {
            "" => {}
            "clear" => clear.run(()),
            _ => run.run(text),
        }
    };

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let history: Vec<String> =
            transcript.with_untracked(|t| t.iter().map(|e| e.command.clone()).collect());
        match ev.key().as_str() {
            "Enter" => {
                ev.prevent_default();
                submit();
            }
            "Tab" => {
                let current = line.get_untracked();
                let done = complete(&current, &names.get_untracked());
                if !current.is_empty() {
                    ev.prevent_default();
                    set_line.set(done);
                }
            }
            "ArrowUp" if !history.is_empty() => {
                ev.prevent_default();
                let i = cursor
                    .get_value()
                    .map_or(history.len() - 1, |i| i.saturating_sub(1));
                cursor.set_value(Some(i));
                set_line.set(history[i].clone());
            }
            "ArrowDown" => {
                ev.prevent_default();
                match cursor.get_value() {
                    Some(i) if i + 1 < history.len() => {
                        cursor.set_value(Some(i + 1));
                        set_line.set(history[i + 1].clone());
                    }
                    _ => {
                        cursor.set_value(None);
                        set_line.set(String::new());
                    }
                }
            }
            _ => {}
        }
    };

    view! {
        <section class="kp-terminal" data-testid="terminal">
            <div class="kp-terminal__title">
                <span class="kp-terminal__hint">{t("Terminal — try ")} <code>"kubectl get pods -o wide"</code> {t(" or ")} <code>"help"</code></span>
            </div>
            <div class="kp-terminal__log" node_ref=log data-testid="terminal-log" on:click=move |_| {
                if let Some(el) = input.get_untracked() {
                    let _ = el.focus();
                }
            }>
                <For each=move || transcript.get() key=|e| (e.id, e.output.is_some()) let:entry>
                    <div class="kp-terminal__entry" data-testid="terminal-entry">
                        <div class="kp-terminal__command"><span class="kp-terminal__prompt">"$ "</span>{entry.command.clone()}</div>
                        <pre class="kp-terminal__output" data-testid="terminal-output"
                            inner_html=crate::highlight::terminal_html(&entry.output.clone().unwrap_or_else(|| "…".into()))></pre>
                    </div>
                </For>
            </div>
            <label class="kp-terminal__input-row">
                <span class="kp-terminal__prompt" aria-hidden="true">"$"</span>
                <input
                    class="kp-terminal__input"
                    data-testid="terminal-input"
                    node_ref=input
                    disabled=readonly
                    type="text"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    aria-label=t("Terminal command")
                    placeholder="kubectl get pods"
                    prop:value=move || line.get()
                    on:input=move |ev| set_line.set(event_target_value(&ev))
                    on:keydown=on_keydown
                />
            </label>
        </section>
    }
}
