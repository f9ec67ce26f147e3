//! The Leptos front end (wasm32 only). It never calls the engine directly: everything goes
//! through [`worker::use_engine_worker`], so the page stays responsive while the engine works.

mod cluster;
mod diagram;
mod editor;
mod i18n;
mod lesson;
mod results;
mod state;
mod terminal;
mod whatif;
pub mod worker;

use leptos::prelude::*;

use i18n::t;

use crate::engine::SourceFile;
use crate::share::SharedState;
use cluster::ClusterView;
use diagram::DiagramView;
use editor::{Editor, JumpTo};
use lesson::{GalleryPicker, LessonPanel};
use results::Results;
use terminal::Terminal;
use whatif::WhatIfView;
use worker::{use_engine_worker, WorkerStatus};

/// How long typing must pause before the engine re-reads the text: about twice the last
/// apply's time, within these bounds (the seed example answers in a few ms, so edits
/// show in a few tens; a big manifest waits for a real pause).
const DEBOUNCE_MIN_MS: f64 = 20.0;
const DEBOUNCE_MAX_MS: f64 = 300.0;
const FILE_NAME: &str = "manifest.yaml";
/// How long after a change the work is saved.
const AUTOSAVE_MS: u64 = 500;

/// The side panel's views as a link names them, and their (tab, diagram view).
const VIEWS: &[(&str, usize, usize)] = &[
    ("editor", 0, 1),
    ("input", 0, 1),
    ("cluster", 1, 1),
    ("storage", 2, 0),
    ("network", 2, 1),
    ("trace", 2, 1),
    ("dns", 2, 2),
];

fn view_name(tab: usize, diagram: usize) -> &'static str {
    match (tab, diagram) {
        (1, _) => "cluster",
        (2, 0) => "storage",
        (2, 2) => "dns",
        (2, _) => "network",
        _ => "editor",
    }
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let params = state::params();
    if let Some(theme) = &params.theme {
        state::set_theme(theme);
    }
    let embed = params.embed;

    // What the page opens with: a link, else the autosaved work, else the seed example.
    // A link that does not open says why and leaves the autosave alone.
    // The link is read asynchronously (the browser inflates it); nothing is applied until
    // then.
    let fragment = state::fragment();
    let saved = StoredValue::new(if embed { None } else { state::load_saved() });
    let (booted, set_booted) = signal(fragment.is_empty());
    let seed_state = || SharedState {
        files: vec![(FILE_NAME.into(), crate::SEED_EXAMPLE.into())],
        ..SharedState::default()
    };
    let start = if fragment.is_empty() {
        saved.get_value().unwrap_or_else(seed_state)
    } else {
        seed_state()
    };
    let lang = RwSignal::new(
        params
            .lang
            .clone()
            .or(start.lang.clone())
            .unwrap_or_else(|| state::browser_lang().to_string()),
    );
    let engine = use_engine_worker(lang);
    let (banner, set_banner) = signal(None::<String>);
    let (text, set_text) = signal(state::editor_text(&start));
    let (jump, set_jump) = signal(None::<JumpTo>);
    let view = params.view.clone().or(start.view.clone());
    let (tab0, diagram0) = VIEWS
        .iter()
        .find(|(n, _, _)| Some(*n) == view.as_deref())
        .map_or((0, 1), |(_, t, d)| (*t, *d));
    // The side panel's tab: 0 input, 1 cluster, 2 diagram; and the diagram's view.
    let (tab, set_tab) = signal(tab0);
    let diagram_view = RwSignal::new(diagram0);
    let step = params.step;
    let truncated = move |mut history: Vec<String>| {
        if let Some(n) = step {
            history.truncate(n);
        }
        history
    };
    let replay = StoredValue::new(truncated(start.history.clone()));
    let lesson_first = StoredValue::new(params.lesson.clone().or(start.lesson.clone()));
    let custom_first = StoredValue::new(None::<(String, crate::protocol::SharedScenario)>);
    // A link's editor text wins over its lesson's manifests.
    let keep_text = StoredValue::new(false);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    i18n::provide(lang);
    // The document's language follows (screen readers, fonts).
    Effect::new(move |_| state::set_lang(&lang.get()));
    if !fragment.is_empty() {
        let forced_view = params.view.clone();
        let forced_lesson = params.lesson.clone();
        leptos::task::spawn_local(async move {
            match state::decode(&fragment).await {
                Ok(s) => {
                    let view = forced_view.or(s.view.clone());
                    if let Some((_, t, d)) =
                        VIEWS.iter().find(|(n, _, _)| Some(*n) == view.as_deref())
                    {
                        set_tab.set(*t);
                        diagram_view.set(*d);
                    }
                    if let Some(l) = &s.lang {
                        lang.set(l.clone());
                    }
                    let lesson = forced_lesson.or(s.lesson.clone());
                    if let Some(text) = &s.scenario {
                        // A scenario of the link's own: it opens as a lesson, with the
                        // link's files as its manifests.
                        let name = lesson
                            .clone()
                            .unwrap_or_else(|| "shared.scenario.yaml".into());
                        custom_first.set_value(Some((
                            name.clone(),
                            crate::protocol::SharedScenario {
                                text: text.clone(),
                                files: s.source_files(),
                            },
                        )));
                        lesson_first.set_value(Some(name));
                    } else {
                        keep_text.set_value(lesson.is_some());
                        lesson_first.set_value(lesson);
                    }
                    replay.set_value(truncated(s.history.clone()));
                    set_text.set(state::editor_text(&s));
                }
                Err(message) => set_banner.set(Some(message)),
            }
            set_booted.set(true);
        });
    }

    // The state a link or the autosave holds.
    let current = move || {
        let lesson = engine
            .lesson
            .with_untracked(|l| l.as_ref().map(|l| l.name.clone()));
        // A lesson from a link's own scenario travels with its text and files.
        let custom = engine
            .custom_scenario
            .run(())
            .filter(|(name, _)| Some(name) == lesson.as_ref());
        SharedState {
            files: match &custom {
                Some((_, c)) => c
                    .files
                    .iter()
                    .map(|f| (f.name.clone(), f.text.clone()))
                    .collect(),
                None => vec![(FILE_NAME.into(), text.get_untracked())],
            },
            seed: None,
            lesson,
            step: None,
            view: Some(view_name(tab.get_untracked(), diagram_view.get_untracked()).into()),
            history: engine.steps.get_untracked(),
            lang: Some(lang.get_untracked()),
            scenario: custom.map(|(_, c)| c.text),
        }
    };
    let debounce = move || {
        (engine.apply_ms.get_untracked() * 2.0).clamp(DEBOUNCE_MIN_MS, DEBOUNCE_MAX_MS) as u64
    };
    // Re-run the engine when the text changes, once typing pauses. The first run (once
    // the link is read) also opens the lesson and replays the commands (they only
    // simulate).
    let check_first = params.check;
    let started = StoredValue::new(false);
    // The state the page opened with (saved only once it changes).
    let baseline = StoredValue::new(None::<SharedState>);
    Effect::new(move |_| {
        let text = text.get();
        if !booted.get() {
            return;
        }
        let apply = engine.apply;
        if let Some(Some(handle)) = timer.try_get_value() {
            handle.clear();
        }
        let send = move || {
            apply.run(vec![SourceFile {
                name: FILE_NAME.into(),
                text: text.clone(),
            }])
        };
        if !started.get_value() {
            started.set_value(true);
            baseline.set_value(Some(SharedState {
                history: replay.get_value(),
                ..current()
            }));
            let lesson = lesson_first.get_value();
            if let Some(custom) = custom_first.get_value() {
                engine.open_custom.run(custom);
            } else if let Some(name) = &lesson {
                engine.open_lesson.run(name.clone());
            }
            send();
            for command in replay.try_update_value(std::mem::take).unwrap_or_default() {
                engine.run.run(command);
            }
            if let (true, Some(name)) = (check_first, &lesson) {
                engine.check_lesson.run(name.clone());
            }
        } else {
            let handle =
                set_timeout_with_handle(send, std::time::Duration::from_millis(debounce())).ok();
            timer.set_value(handle);
        }
    });

    // Opening a lesson puts its manifests in the editor.
    Effect::new(move |_| {
        if let Some(l) = engine.lesson.get() {
            if l.checked.is_none() && l.fresh {
                if keep_text.get_value() {
                    keep_text.set_value(false);
                } else {
                    set_text.set(l.text);
                }
            }
        }
    });

    // Autosave (not in embeds): after a change, once things are quiet for a moment.
    let save_timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |first: Option<()>| {
        text.track();
        engine.steps.track();
        tab.track();
        diagram_view.track();
        if embed || first.is_none() || !booted.get_untracked() {
            return;
        }
        if let Some(Some(handle)) = save_timer.try_get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                // Nothing the person did yet (a link that failed, the example): the
                // autosave keeps their last work.
                let now = current();
                if baseline.with_value(|b| b.as_ref() != Some(&now)) {
                    state::save(&now);
                }
            },
            std::time::Duration::from_millis(AUTOSAVE_MS),
        )
        .ok();
        save_timer.set_value(handle);
    });
    let restore = move || {
        if let Some(s) = saved.get_value() {
            set_text.set(state::editor_text(&s));
        }
        set_banner.set(None);
    };

    // Names Tab completes: the objects read from the editor.
    let names = Signal::derive(move || {
        engine.result.with(|r| {
            r.as_ref()
                .map(|r| r.objects.iter().map(|o| o.name.clone()).collect())
                .unwrap_or_default()
        })
    });

    let diagnostics = Signal::derive(move || {
        engine.result.with(|r| {
            r.as_ref()
                .map(|r| r.diagnostics.clone())
                .unwrap_or_default()
        })
    });

    // What-if differences marked on the diagrams (while the box is ticked).
    let mark_changes = RwSignal::new(true);
    let changed = Signal::derive(move || {
        if mark_changes.get() {
            engine
                .compared
                .with(|c| c.as_ref().map(|(_, ids)| ids.clone()).unwrap_or_default())
        } else {
            Vec::new()
        }
    });
    let panel = move || {
        match tab.get() {
        1 => view! {
            <ClusterView result=engine.result transcript=engine.transcript query=engine.query answers=engine.answers
                query_at=engine.query_at steps=engine.steps run=engine.run />
        }
        .into_any(),
        2 => view! {
            <DiagramView result=engine.result transcript=engine.transcript query=engine.query answers=engine.answers
                run=engine.run view=diagram_view changed=changed />
        }
        .into_any(),
        3 => view! {
            <WhatIfView text what_if=engine.what_if compared=engine.compared show_on_diagram=mark_changes />
        }
        .into_any(),
        _ => view! {
            <Results result=engine.result diagnostics on_jump=set_jump run=engine.run />
        }
        .into_any(),
    }
    };
    let readonly = params.readonly;
    // `?faults`: the end-to-end tests break the worker through window.__kubeplayFault.
    if let Some(w) =
        web_sys::window().filter(|w| w.location().search().is_ok_and(|q| q.contains("faults")))
    {
        let inject = engine.inject;
        let hook = wasm_bindgen::closure::Closure::<dyn Fn(String)>::new(move |kind: String| {
            inject.run(kind)
        });
        let _ = js_sys::Reflect::set(&w, &"__kubeplayFault".into(), hook.as_ref());
        hook.forget();
    }
    let crash_view = move || {
        engine.crash.get().map(|report| {
            let copy = report.clone();
            view! {
                <div class="kp-banner" role="alert" data-testid="engine-restarted">
                    <span>{t("The engine stopped and was restarted; your text is kept and the cluster was rebuilt without the request that stopped it.")}</span>
                    <button class="kp-button" data-testid="copy-report" on:click=move |_| { copy_text(&copy); }>{t("Copy report")}</button>
                    <button class="kp-button" on:click=move |_| engine.dismiss_crash.run(())>{t("Dismiss")}</button>
                </div>
            }
        })
    };
    let banner_view = move || {
        banner.get().map(|message| {
            let can_restore = saved.with_value(Option::is_some);
            view! {
                <div class="kp-banner" role="alert" data-testid="link-error">
                    <span>{move || format!("{}{message}{}", t("This link could not be opened: ")(), t(". Your own work is untouched.")())}</span>
                    <Show when=move || can_restore>
                        <button class="kp-button kp-button--primary" data-testid="restore-work" on:click=move |_| restore()>{t("Restore my last work")}</button>
                    </Show>
                    <button class="kp-button" on:click=move |_| set_banner.set(None)>{t("Dismiss")}</button>
                </div>
            }
        })
    };

    if embed {
        let only = params.view.clone().unwrap_or_else(|| "editor".into());
        // "Open in kubeplay": the full app with this state, kept current.
        let (open_full, set_open_full) = signal(String::new());
        Effect::new(move |_| {
            text.track();
            engine.steps.track();
            if booted.get() {
                leptos::task::spawn_local(async move {
                    set_open_full.set(state::link_for(&current()).await);
                });
            }
        });
        return view! {
            <div class="kp-embed" data-testid="embed">
                <div class="kp-embed__bar">
                    <span class="kp-header__logo" aria-hidden="true">"⎈"</span>
                    <a class="kp-embed__open" data-testid="open-in-kubeplay" target="_blank" rel="noopener"
                        href=open_full>{t("Open in kubeplay ↗")}</a>
                    <StatusPill status=engine.status />
                </div>
                {banner_view}
                {crash_view}
                <LessonPanel lesson=engine.lesson run=engine.run check=engine.check_lesson />
                {match only.as_str() {
                    "terminal" => view! {
                        <Terminal transcript=engine.transcript run=engine.run clear=engine.clear names=names readonly />
                    }.into_any(),
                    "cluster" | "storage" | "network" | "trace" | "dns" => view! {
                        <section class="kp-panel kp-panel--embed">{panel}</section>
                    }.into_any(),
                    _ => view! {
                        <Editor text set_text diagnostics jump file_name=FILE_NAME readonly />
                    }.into_any(),
                }}
            </div>
        }
        .into_any();
    }

    let (shared, set_shared) = signal(None::<(String, bool)>);
    let (embed_dialog, set_embed_dialog) = signal(false);
    let share_link = move |_| {
        leptos::task::spawn_local(async move {
            let link = state::link_for(&current()).await;
            let copied = copy_text(&link);
            set_shared.set(Some((link, copied)));
        });
    };
    let (embed_link, set_embed_link) = signal(String::new());
    let open_embed = move |_| {
        leptos::task::spawn_local(async move {
            set_embed_link.set(state::link_for(&current()).await);
            set_embed_dialog.set(true);
        });
    };

    view! {
        <header class="kp-header">
            <div class="kp-header__brand">
                <span class="kp-header__logo" aria-hidden="true">"⎈"</span>
                <h1 class="kp-header__name">"kubeplay"</h1>
                <span class="kp-header__tagline">{t("Kubernetes storage & networking playground")}</span>
            </div>
            <div class="kp-header__actions">
                <GalleryPicker gallery=engine.gallery open=engine.open_lesson />
                <button class="kp-button" data-testid="share" title=t("Copy a link holding your manifests, commands and view") on:click=share_link>{t("Share")}</button>
                <button class="kp-button" data-testid="embed-open" title=t("Embed this state in a documentation page") on:click=open_embed>{t("Embed")}</button>
                <select class="kp-gallery__select kp-lang" data-testid="lang" aria-label=t("Language")
                    on:change=move |ev| lang.set(event_target_value(&ev))>
                    <option value="en" selected=move || lang.get() != "zh">"English"</option>
                    <option value="zh" selected=move || lang.get() == "zh">"中文"</option>
                </select>
                <StatusPill status=engine.status />
            </div>
        </header>
        {banner_view}
        {crash_view}
        {move || shared.get().map(|(link, copied)| view! {
            <div class="kp-banner kp-banner--info" role="status" data-testid="share-result">
                <span>{if copied { t("Link copied") } else { t("Copy this link") }}{format!(" · {}", link.chars().count())}{t(" characters")}</span>
                <input class="kp-input kp-input--link" data-testid="share-link" readonly prop:value=link.clone() />
                <button class="kp-button" on:click=move |_| set_shared.set(None)>{t("Close")}</button>
            </div>
        })}
        <Show when=move || embed_dialog.get()>
            <EmbedDialog link=embed_link close=Callback::new(move |()| set_embed_dialog.set(false)) />
        </Show>
        <main class="kp-main">
            <Editor text set_text diagnostics jump file_name=FILE_NAME readonly=false />
            <div class="kp-side">
                <LessonPanel lesson=engine.lesson run=engine.run check=engine.check_lesson />
                <section class="kp-panel" class:kp-panel--tall=move || { tab.get() >= 2 }>
                    <div class="kp-tabs" role="tablist" aria-label=t("What to show")>
                        {[("Input", "tab-input"), ("Cluster", "tab-cluster"), ("Diagram", "tab-diagram"), ("What if", "tab-whatif")].into_iter().enumerate().map(|(i, (label, id))| view! {
                            <button role="tab" class="kp-tab" data-testid=id aria-selected=move || (tab.get() == i).to_string()
                                class:kp-tab--on=move || tab.get() == i on:click=move |_| set_tab.set(i)>{t(label)}</button>
                        }).collect_view()}
                    </div>
                    {panel}
                </section>
                <Terminal transcript=engine.transcript run=engine.run clear=engine.clear names=names readonly=false />
            </div>
        </main>
    }
    .into_any()
}

/// The embed snippets for the current state: an `<iframe>` for HTML pages and a
/// shortcode-friendly variant for Markdown sites (MkDocs, Hugo pass raw HTML through).
#[component]
fn EmbedDialog(link: ReadSignal<String>, close: Callback<()>) -> impl IntoView {
    let (view_name, set_view_name) = signal("network".to_string());
    let snippet = move || {
        let link = link.get();
        let (base, fragment) = link.split_once('#').unwrap_or((&link, ""));
        format!(
            "<iframe src=\"{base}?embed&view={}#{fragment}\" width=\"100%\" height=\"520\" style=\"border:1px solid #d8dde4;border-radius:6px\" sandbox=\"allow-scripts\" loading=\"lazy\" title=\"kubeplay\"></iframe>",
            view_name.get()
        )
    };
    let markdown = move || {
        format!(
            "<!-- kubeplay (Markdown, MkDocs and Hugo pages keep raw HTML) -->\n<div class=\"kubeplay\">\n{}\n</div>",
            snippet()
        )
    };
    view! {
        <div class="kp-dialog" role="dialog" aria-modal="true" aria-label=t("Embed") data-testid="embed-dialog"
            on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Escape" { close.run(()) }>
            <div class="kp-dialog__body">
                <h2 class="kp-dialog__title">{t("Embed this state")}</h2>
                <label class="kp-dialog__field">"Show "
                    <select class="kp-gallery__select" data-testid="embed-view" on:change=move |ev| set_view_name.set(event_target_value(&ev))>
                        {["network", "storage", "dns", "cluster", "editor", "terminal"].into_iter().map(|v| view! {
                            <option value=v selected=move || view_name.get() == v>{v}</option>
                        }).collect_view()}
                    </select>
                </label>
                <p class="kp-dialog__label">{t("HTML")}</p>
                <textarea class="kp-dialog__code" data-testid="embed-html" readonly rows="4" prop:value=snippet></textarea>
                <p class="kp-dialog__label">{t("Markdown (MkDocs, Hugo)")}</p>
                <textarea class="kp-dialog__code" data-testid="embed-markdown" readonly rows="5" prop:value=markdown></textarea>
                <div class="kp-dialog__actions">
                    <button class="kp-button kp-button--primary" on:click=move |_| { copy_text(&snippet()); }>{t("Copy HTML")}</button>
                    <button class="kp-button" on:click=move |_| { copy_text(&markdown()); }>{t("Copy Markdown")}</button>
                    <button class="kp-button" data-testid="embed-close" on:click=move |_| close.run(())>{t("Close")}</button>
                </div>
            </div>
        </div>
    }
}

#[component]
fn StatusPill(status: ReadSignal<WorkerStatus>) -> impl IntoView {
    let (starting, ready, busy, error) = (
        t("starting engine…"),
        t("engine ready"),
        t("simulating…"),
        t("engine error: "),
    );
    let label = move || match status.get() {
        WorkerStatus::Starting => (starting().to_string(), "kp-pill kp-pill--starting"),
        WorkerStatus::Ready => (ready().to_string(), "kp-pill kp-pill--ready"),
        WorkerStatus::Busy => (busy().to_string(), "kp-pill kp-pill--busy"),
        WorkerStatus::Failed(m) => (format!("{}{m}", error()), "kp-pill kp-pill--failed"),
    };
    view! {
        <span class=move || label().1 data-testid="engine-status" role="status">{move || label().0}</span>
    }
}

/// Copies text to the clipboard (false when the browser has no clipboard here).
fn copy_text(text: &str) -> bool {
    diagram::copy(text)
}
