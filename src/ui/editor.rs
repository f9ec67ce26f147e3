//! The manifest editor: a textarea over a layer that marks diagnostics on their lines,
//! with a line-number gutter. The person's text is only ever changed by the person.

use leptos::html::Textarea;
use leptos::prelude::*;

use super::i18n::t;
use wasm_bindgen::JsCast;

use crate::engine::{Diagnostic, Severity};

/// Lines are drawn at a fixed height so marks line up with the text (see `--kp-code-line`).
const LINE_HEIGHT_PX: f64 = 20.0;
const PAD_TOP_PX: f64 = 8.0;

/// Asks the editor to select a line (from the problems list).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JumpTo(pub u32);

/// The part of a message worth showing beside the line: decode errors drop the
/// "Kind in version … cannot be handled as a Kind: json:" preamble (the problems list
/// keeps the whole message).
fn short_message(message: &str) -> &str {
    match message.find(": json: ") {
        Some(i) if message.contains("cannot be handled as a") => &message[i + 8..],
        _ => message,
    }
}

#[component]
pub fn Editor(
    text: ReadSignal<String>,
    set_text: WriteSignal<String>,
    diagnostics: Signal<Vec<Diagnostic>>,
    jump: ReadSignal<Option<JumpTo>>,
    #[prop(into)] file_name: String,
    /// An embed's `readonly`: the text can be read and selected, not changed.
    readonly: bool,
) -> impl IntoView {
    let area = NodeRef::<Textarea>::new();
    let (scroll, set_scroll) = signal((0.0f64, 0.0f64));
    let line_count = Memo::new(move |_| text.with(|t| t.split('\n').count().max(1)));

    Effect::new(move |_| {
        let Some(JumpTo(line)) = jump.get() else {
            return;
        };
        let Some(el) = area.get_untracked() else {
            return;
        };
        let value = el.value();
        let start: usize = value
            .split_inclusive('\n')
            .take(line.saturating_sub(1) as usize)
            .map(str::len)
            .sum();
        let end = value[start..].find('\n').map_or(value.len(), |i| start + i);
        let to_utf16 = |byte: usize| value[..byte].encode_utf16().count() as u32;
        let _ = el.focus();
        let _ = el.set_selection_range(to_utf16(start), to_utf16(end));
        el.set_scroll_top(((line as f64 - 4.0).max(0.0) * LINE_HEIGHT_PX) as i32);
    });

    // Escape, then Tab, leaves the editor (Tab alone indents): no keyboard trap.
    let escaped = StoredValue::new(false);
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            escaped.set_value(true);
            return;
        }
        let leave = escaped.get_value();
        escaped.set_value(false);
        if ev.key() != "Tab" || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        // Tab indents by two spaces (YAML has no tabs); Shift+Tab and Escape-then-Tab are
        // left to the browser so keyboard users can leave the editor.
        if ev.shift_key() || leave {
            return;
        }
        ev.prevent_default();
        if let Some(doc) = document().dyn_ref::<web_sys::HtmlDocument>() {
            let _ = doc.exec_command_with_show_ui_and_value("insertText", false, "  ");
        }
    };

    view! {
        <div class="kp-editor" data-testid="editor">
            <div class="kp-editor__title">{file_name}
                <span class="kp-editor__keys" id="kp-editor-keys">{t("Tab indents · Esc then Tab leaves the editor")}</span>
            </div>
            <div class="kp-editor__body">
                <div class="kp-editor__gutter" aria-hidden="true">
                    <div style=move || format!("transform: translateY({}px)", -scroll.get().0)>
                        {move || {
                            let marks = diagnostics.get();
                            (1..=line_count.get() as u32)
                                .map(|n| {
                                    let sev = marks.iter().filter(|d| d.line == n).map(|d| d.severity).min();
                                    let class = match sev {
                                        Some(Severity::Error) => "kp-editor__line-no kp-editor__line-no--error",
                                        Some(Severity::Warning) => "kp-editor__line-no kp-editor__line-no--warning",
                                        None => "kp-editor__line-no",
                                    };
                                    view! { <div class=class>{n}</div> }
                                })
                                .collect_view()
                        }}
                    </div>
                </div>
                <div class="kp-editor__code">
                    <pre class="kp-editor__highlight" aria-hidden="true"
                        style=move || { let (top, left) = scroll.get(); format!("transform: translate({}px, {}px)", -left, -top) }
                        inner_html=move || crate::highlight::yaml_html(&text.get())></pre>
                    <div class="kp-editor__marks" aria-hidden="true"
                        style=move || { let (top, left) = scroll.get(); format!("transform: translate({}px, {}px)", -left, -top) }>
                        {move || {
                            diagnostics
                                .get()
                                .into_iter()
                                .map(|d| {
                                    let top = PAD_TOP_PX + (d.line.max(1) - 1) as f64 * LINE_HEIGHT_PX;
                                    let class = match d.severity {
                                        Severity::Error => "kp-editor__mark kp-editor__mark--error",
                                        Severity::Warning => "kp-editor__mark kp-editor__mark--warning",
                                    };
                                    view! {
                                        <div class=class style=format!("top: {top}px") data-testid="editor-mark" data-line=d.line>
                                            <span class="kp-editor__mark-text">{format!("{}:{} {}", d.line, d.col, short_message(&d.message))}</span>
                                        </div>
                                    }
                                })
                                .collect_view()
                        }}
                    </div>
                    <textarea
                        class="kp-editor__input"
                        data-testid="editor-input"
                        node_ref=area
                        readonly=readonly
                        spellcheck="false"
                        autocapitalize="off"
                        autocomplete="off"
                        wrap="off"
                        aria-label=t("Kubernetes manifests (YAML or JSON)")
                        aria-describedby="kp-editor-keys"
                        prop:value=move || text.get()
                        on:input=move |ev| set_text.set(event_target_value(&ev))
                        on:keydown=on_keydown
                        on:scroll=move |_| {
                            if let Some(el) = area.get_untracked() {
                                set_scroll.set((el.scroll_top() as f64, el.scroll_left() as f64));
                            }
                        }
                    ></textarea>
                </div>
            </div>
        </div>
    }
}
