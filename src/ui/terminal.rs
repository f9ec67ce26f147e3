//! The terminal: the shared terminal language (`help` lists it), run in the engine worker
//! against the cluster built from the editor. ↑/↓ walk the history; `clear` empties it.

use leptos::html::{Div, Input};
use leptos::prelude::*;

use super::worker::TerminalEntry;

#[component]
pub fn Terminal(
    transcript: ReadSignal<Vec<TerminalEntry>>,
    run: Callback<String>,
    clear: Callback<()>,
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
                "Terminal "
                <span class="kp-terminal__hint">"— try " <code>"kubectl get pods -o wide"</code> " or " <code>"help"</code></span>
            </div>
            <div class="kp-terminal__log" node_ref=log data-testid="terminal-log" on:click=move |_| {
                if let Some(el) = input.get_untracked() {
                    let _ = el.focus();
                }
            }>
                <For each=move || transcript.get() key=|e| (e.id, e.output.is_some()) let:entry>
                    <div class="kp-terminal__entry" data-testid="terminal-entry">
                        <div class="kp-terminal__command"><span class="kp-terminal__prompt">"$ "</span>{entry.command.clone()}</div>
                        <pre class="kp-terminal__output" data-testid="terminal-output">{entry.output.clone().unwrap_or_else(|| "…".into())}</pre>
                    </div>
                </For>
            </div>
            <label class="kp-terminal__input-row">
                <span class="kp-terminal__prompt" aria-hidden="true">"$"</span>
                <input
                    class="kp-terminal__input"
                    data-testid="terminal-input"
                    node_ref=input
                    type="text"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    aria-label="Terminal command"
                    placeholder="kubectl get pods"
                    prop:value=move || line.get()
                    on:input=move |ev| set_line.set(event_target_value(&ev))
                    on:keydown=on_keydown
                />
            </label>
        </section>
    }
}
