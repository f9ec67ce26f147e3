//! The Diagram tab: the worker lays out and draws the storage, network or DNS view
//! (`diagram VIEW -o svg`); this component only shows the SVG, with pan and zoom (wheel,
//! drag, pinch, keys + − 0 and arrows), fit-to-view, export (SVG, PNG, Mermaid) and the
//! text table it was drawn from. Boxes are focusable; the focused or clicked box's story
//! (its hover text) is shown under the diagram.

use leptos::prelude::*;

use super::i18n::t;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::worker::{EngineResult, TerminalEntry};

#[wasm_bindgen(module = "/src/ui/browser.js")]
extern "C" {
    #[wasm_bindgen(js_name = kpDownload)]
    fn download(name: &str, mime: &str, text: &str);
    #[wasm_bindgen(js_name = kpDownloadPng)]
    fn download_png(name: &str, svg: &str, width: f64, height: f64);
    #[wasm_bindgen(js_name = kpCopy)]
    pub(super) fn copy(text: &str) -> bool;
}

/// (label, `diagram` view word)
const VIEWS: &[(&str, &str)] = &[
    ("Storage", "storage"),
    ("Network", "network"),
    ("DNS", "dns"),
];

/// The width and height an SVG declares.
fn svg_size(svg: &str) -> Option<(f64, f64)> {
    let attr = |name: &str| -> Option<f64> {
        let start = svg.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = svg[start..].find('"')? + start;
        svg[start..end].parse().ok()
    };
    Some((attr("width")?, attr("height")?))
}

/// Fits once the canvas has a size (retrying for a few seconds).
fn fit_soon(fit: impl Fn() -> bool + Copy + 'static, tries: u32) {
    request_animation_frame(move || {
        if !fit() && tries > 0 {
            set_timeout(
                move || fit_soon(fit, tries - 1),
                std::time::Duration::from_millis(100),
            );
        }
    });
}

#[component]
pub fn DiagramView(
    result: ReadSignal<Option<EngineResult>>,
    transcript: ReadSignal<Vec<TerminalEntry>>,
    query: Callback<String>,
    answers: ReadSignal<std::collections::BTreeMap<String, String>>,
    /// Runs a terminal command (the request and lookup forms).
    run: Callback<String>,
    /// Which view shows (0 storage, 1 network, 2 DNS); kept by the page for links.
    view: RwSignal<usize>,
    /// Diagram ids a what-if found different (marked on the drawing).
    changed: Signal<Vec<String>>,
) -> impl IntoView {
    let (view_index, set_view_index) = (view.read_only(), view.write_only());
    let (scale, set_scale) = signal(1.0f64);
    let (offset, set_offset) = signal((0.0f64, 0.0f64));
    let (show_text, set_show_text) = signal(false);
    let (focused, set_focused) = signal(None::<String>);
    let (copied, set_copied) = signal(false);
    // Full window: the drawing gets the whole page (Escape returns).
    let (expanded, set_expanded) = signal(false);
    let canvas = NodeRef::<leptos::html::Div>::new();
    let pointers = StoredValue::new(Vec::<(i32, f64, f64)>::new());

    let word = move || VIEWS[view_index.get()].1;
    let line = move |format: &str| {
        let marks = changed.with(|c| {
            if c.is_empty() {
                String::new()
            } else {
                format!(" --changed {}", c.join(","))
            }
        });
        format!("diagram {} -o {format}{marks}", word())
    };
    Effect::new(move |_| {
        result.track();
        transcript.with(|t| t.iter().filter(|e| e.output.is_some()).count());
        query.run(line("svg"));
        query.run(line("mermaid"));
    });
    // The text table only while it is shown.
    Effect::new(move |_| {
        result.track();
        transcript.with(|t| t.iter().filter(|e| e.output.is_some()).count());
        if show_text.get() {
            query.run(line("table"));
        }
    });
    let svg = move || answers.with(|a| a.get(&line("svg")).cloned());
    let mermaid = move || {
        answers
            .with(|a| a.get(&line("mermaid")).cloned())
            .unwrap_or_default()
    };
    let table = move || {
        answers
            .with(|a| a.get(&line("table")).cloned())
            .unwrap_or_default()
    };

    // Scales the drawing to the canvas; false when the canvas has no size yet (a lazy
    // iframe, a hidden tab).
    let fit = move || -> bool {
        let Some(el) = canvas.get_untracked() else {
            return false;
        };
        let key = untrack(|| line("svg"));
        let Some((w, h)) = answers.with_untracked(|a| a.get(&key).and_then(|s| svg_size(s))) else {
            return false;
        };
        let (cw, ch) = (f64::from(el.client_width()), f64::from(el.client_height()));
        if cw <= 0.0 || ch <= 0.0 {
            return false;
        }
        let s = (cw / w).min(ch / h).clamp(0.1, 1.25);
        set_scale.set(s);
        set_offset.set(((cw - w * s) / 2.0, (ch - h * s) / 2.0));
        true
    };
    // Fit when a view's first drawing arrives, and again whenever the drawing changes size
    // while the person has not panned or zoomed it (a lesson loading, objects added).
    let moved = StoredValue::new(false);
    Effect::new(move |last: Option<(usize, Option<(u64, u64)>)>| {
        let index = view_index.get();
        let size = svg()
            .as_deref()
            .and_then(svg_size)
            .map(|(w, h)| (w as u64, h as u64));
        let new_view = last.map(|l| l.0) != Some(index);
        if new_view {
            moved.set_value(false);
        }
        if size.is_some() && (new_view || (!moved.get_value() && last.and_then(|l| l.1) != size)) {
            // After the browser has laid the new drawing out.
            fit_soon(fit, 30);
        }
        (index, size)
    });
    let zoom_at = move |factor: f64, (px, py): (f64, f64)| {
        moved.set_value(true);
        let s = scale.get_untracked();
        let next = (s * factor).clamp(0.1, 4.0);
        let (x, y) = offset.get_untracked();
        // Keep the point under the pointer where it is.
        set_offset.set((px - (px - x) * next / s, py - (py - y) * next / s));
        set_scale.set(next);
    };
    let center = move || {
        canvas.get_untracked().map_or((0.0, 0.0), |el| {
            (
                f64::from(el.client_width()) / 2.0,
                f64::from(el.client_height()) / 2.0,
            )
        })
    };
    let local = move |x: i32, y: i32| -> (f64, f64) {
        canvas.get_untracked().map_or((0.0, 0.0), |el| {
            let r = el.get_bounding_client_rect();
            (f64::from(x) - r.left(), f64::from(y) - r.top())
        })
    };
    let pan = move |dx: f64, dy: f64| {
        moved.set_value(true);
        set_offset.update(|(x, y)| {
            *x += dx;
            *y += dy;
        })
    };

    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let factor = (-ev.delta_y() * 0.0015).exp();
        zoom_at(factor, local(ev.client_x(), ev.client_y()));
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        if let Some(el) = canvas.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
        let (x, y) = local(ev.client_x(), ev.client_y());
        pointers.update_value(|p| {
            p.retain(|(id, _, _)| *id != ev.pointer_id());
            p.push((ev.pointer_id(), x, y));
        });
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let (x, y) = local(ev.client_x(), ev.client_y());
        let id = ev.pointer_id();
        let before = pointers.get_value();
        let Some(k) = before.iter().position(|(p, _, _)| *p == id) else {
            return;
        };
        match before.len() {
            1 => pan(x - before[0].1, y - before[0].2),
            2 => {
                // Pinch: the distance between the two pointers scales the drawing.
                let other = before[1 - k];
                let d0 = ((before[k].1 - other.1).powi(2) + (before[k].2 - other.2).powi(2)).sqrt();
                let d1 = ((x - other.1).powi(2) + (y - other.2).powi(2)).sqrt();
                if d0 > 1.0 {
                    zoom_at(d1 / d0, ((x + other.1) / 2.0, (y + other.2) / 2.0));
                }
            }
            _ => {}
        }
        pointers.update_value(|p| p[k] = (id, x, y));
    };
    let on_up = move |ev: web_sys::PointerEvent| {
        pointers.update_value(|p| p.retain(|(id, _, _)| *id != ev.pointer_id()));
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let step = 40.0;
        match ev.key().as_str() {
            "+" | "=" => zoom_at(1.25, center()),
            "-" | "_" => zoom_at(0.8, center()),
            "0" => {
                moved.set_value(false);
                fit();
            }
            "ArrowLeft" => pan(step, 0.0),
            "ArrowRight" => pan(-step, 0.0),
            "ArrowUp" => pan(0.0, step),
            "ArrowDown" => pan(0.0, -step),
            _ => return,
        }
        ev.prevent_default();
    };
    // The focused (keyboard) or clicked box: show its whole story.
    let show_box = move |target: Option<web_sys::EventTarget>| {
        let text = target
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| {
                el.closest(".kp-d-box, .kp-d-edge, .kp-d-step")
                    .ok()
                    .flatten()
            })
            .and_then(|el| el.query_selector("title").ok().flatten())
            .and_then(|t| t.text_content());
        set_focused.set(text);
    };
    let transform = move || {
        let (x, y) = offset.get();
        format!(
            "transform: translate({x:.1}px, {y:.1}px) scale({:.4})",
            scale.get()
        )
    };
    let stem = move || format!("kubeplay-{}", word());
    let (request, set_request) = signal(String::new());
    let (pod, set_pod) = signal(String::new());
    let (name, set_name) = signal(String::new());

    view! {
        <div class="kp-diagram" data-testid="diagram-view" class:kp-diagram--full=move || expanded.get()
            on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Escape" && expanded.get_untracked() {
                set_expanded.set(false);
                fit_soon(fit, 5);
            }>
            <div class="kp-diagram__bar">
                <div class="kp-cluster__kinds" role="tablist" aria-label=t("Diagram")>
                    {VIEWS.iter().enumerate().map(|(i, (label, _))| view! {
                        <button role="tab" class="kp-chip" data-testid="diagram-view-tab"
                            aria-selected=move || (view_index.get() == i).to_string()
                            class:kp-chip--on=move || view_index.get() == i
                            on:click=move |_| { set_view_index.set(i); set_focused.set(None); }>{t(label)}</button>
                    }).collect_view()}
                </div>
                <div class="kp-diagram__tools">
                    <button class="kp-button" title=t("Zoom out (−)") aria-label=t("Zoom out") on:click=move |_| zoom_at(0.8, center())>"−"</button>
                    <button class="kp-button" title=t("Zoom in (+)") aria-label=t("Zoom in") on:click=move |_| zoom_at(1.25, center())>"+"</button>
                    <button class="kp-button" data-testid="diagram-fit" title=t("Fit to view (0)") on:click=move |_| { moved.set_value(false); fit(); }>{t("Fit")}</button>
                    <button class="kp-button" data-testid="diagram-svg" title=t("Download as SVG")
                        on:click=move |_| if let Some(s) = svg() { download(&format!("{}.svg", stem()), "image/svg+xml", &s) }>"SVG"</button>
                    <button class="kp-button" data-testid="diagram-png" title=t("Download as PNG")
                        on:click=move |_| if let Some(s) = svg() {
                            let (w, h) = svg_size(&s).unwrap_or((800.0, 600.0));
                            download_png(&format!("{}.png", stem()), &s, w, h);
                        }>"PNG"</button>
                    <button class="kp-button" data-testid="diagram-mermaid" title=t("Copy as Mermaid text (for docs)")
                        on:click=move |_| {
                            let text = mermaid();
                            if copy(&text) { set_copied.set(true); } else { download(&format!("{}.mmd", stem()), "text/plain", &text); }
                        }>{move || if copied.get() { t("Copied ✓")() } else { "Mermaid" }}</button>
                    <button class="kp-button" data-testid="diagram-expand" aria-pressed=move || expanded.get().to_string()
                        title=t("Use the whole window (Escape returns)")
                        on:click=move |_| { set_expanded.update(|v| *v = !*v); fit_soon(fit, 5); }>
                        {move || if expanded.get() { t("Close")() } else { t("Expand")() }}</button>
                    <button class="kp-button" data-testid="diagram-text" aria-pressed=move || show_text.get().to_string()
                        title=t("The table the diagram is drawn from") on:click=move |_| set_show_text.update(|v| *v = !*v)>{t("Text")}</button>
                </div>
            </div>
            {move || match view_index.get() {
                1 => view! {
                    <form class="kp-diagram__form" on:submit=move |ev| {
                        ev.prevent_default();
                        let url = request.get_untracked();
                        if !url.trim().is_empty() { run.run(format!("curl {}", url.trim())); }
                    }>
                        <label>{t("Send a request from outside: ")}<code>"curl"</code>
                            <input class="kp-input" data-testid="diagram-url" placeholder="http://172.18.0.2:30080/"
                                prop:value=request on:input=move |ev| set_request.set(event_target_value(&ev)) /></label>
                        <button class="kp-button" type="submit">{t("Send")}</button>
                        <span class="kp-diagram__hint">{t("The path is numbered on the diagram; repeat to see the spread over pods.")}</span>
                    </form>
                }.into_any(),
                2 => view! {
                    <form class="kp-diagram__form" on:submit=move |ev| {
                        ev.prevent_default();
                        let (p, n) = (pod.get_untracked(), name.get_untracked());
                        if !p.trim().is_empty() && !n.trim().is_empty() {
                            run.run(format!("kubectl exec {} -- nslookup {}", p.trim(), n.trim()));
                        }
                    }>
                        <label>{t("From pod ")}<input class="kp-input kp-input--short" data-testid="diagram-pod" placeholder="POD"
                            prop:value=pod on:input=move |ev| set_pod.set(event_target_value(&ev)) /></label>
                        <label>{t(" look up ")}<input class="kp-input kp-input--short" data-testid="diagram-name" placeholder="web"
                            prop:value=name on:input=move |ev| set_name.set(event_target_value(&ev)) /></label>
                        <button class="kp-button" type="submit">"nslookup"</button>
                    </form>
                }.into_any(),
                _ => view! { <p class="kp-diagram__hint">{t("Nodes are lanes; hover or focus a box for its story (why a claim is Pending, what a volume is).")}</p> }.into_any(),
            }}
            <div class="kp-diagram__canvas" node_ref=canvas tabindex="0" data-testid="diagram-canvas"
                role="region" aria-label=t("Diagram: drag to pan, wheel or + and − to zoom, 0 to fit; Tab moves between boxes")
                on:wheel=on_wheel on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up on:pointercancel=on_up
                on:keydown=on_key>
                <div class="kp-diagram__stage" style=transform
                    on:focusin=move |ev| show_box(ev.target()) on:click=move |ev| show_box(ev.target())
                    inner_html=move || svg().unwrap_or_default()></div>
            </div>
            <p class="kp-diagram__focus" data-testid="diagram-focus" aria-live="polite">
                {move || focused.get().unwrap_or_else(|| t("Hover, click or Tab to a box or an arrow to read its story.")().into())}
            </p>
            <Show when=move || show_text.get()>
                <pre class="kp-diagram__text" data-testid="diagram-table">{table}</pre>
            </Show>
        </div>
    }
}
