//! The Leptos front end (wasm32 only). It never calls the engine directly: everything goes
//! through [`worker::use_engine_worker`], so the page stays responsive while the engine works.

mod cluster;
mod diagram;
mod editor;
mod lesson;
mod results;
mod terminal;
pub mod worker;

use leptos::prelude::*;

use crate::engine::SourceFile;
use cluster::ClusterView;
use diagram::DiagramView;
use editor::{Editor, JumpTo};
use lesson::{GalleryPicker, LessonPanel};
use results::Results;
use terminal::Terminal;
use worker::{use_engine_worker, WorkerStatus};

/// How long typing must pause before the engine re-reads the text: about twice the last
/// apply's time, within these bounds (the seed example answers in a few ms, so edits
/// show in a few tens; a big manifest waits for a real pause).
const DEBOUNCE_MIN_MS: f64 = 20.0;
const DEBOUNCE_MAX_MS: f64 = 300.0;
const FILE_NAME: &str = "manifest.yaml";

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let engine = use_engine_worker();
    let (text, set_text) = signal(crate::SEED_EXAMPLE.to_string());
    let (jump, set_jump) = signal(None::<JumpTo>);
    // The side panel's tab: 0 input, 1 cluster, 2 diagram.
    let (tab, set_tab) = signal(0usize);
    let timer = StoredValue::new(None::<TimeoutHandle>);

    let debounce = move || {
        (engine.apply_ms.get_untracked() * 2.0).clamp(DEBOUNCE_MIN_MS, DEBOUNCE_MAX_MS) as u64
    };
    // Re-run the engine when the text changes, once typing pauses.
    Effect::new(move |first: Option<()>| {
        let text = text.get();
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
        if first.is_none() {
            send();
        } else {
            let handle =
                set_timeout_with_handle(send, std::time::Duration::from_millis(debounce())).ok();
            timer.set_value(handle);
        }
    });

    // Opening a lesson puts its manifests in the editor.
    Effect::new(move |_| {
        if let Some(l) = engine.lesson.get() {
            if l.checked.is_none() {
                set_text.set(l.text);
            }
        }
    });

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

    view! {
        <header class="kp-header">
            <div class="kp-header__brand">
                <span class="kp-header__logo" aria-hidden="true">"⎈"</span>
                <h1 class="kp-header__name">"kubeplay"</h1>
                <span class="kp-header__tagline">"Kubernetes storage & networking playground"</span>
            </div>
            <div class="kp-header__actions">
                <GalleryPicker gallery=engine.gallery open=engine.open_lesson />
                <StatusPill status=engine.status />
            </div>
        </header>
        <main class="kp-main">
            <Editor text set_text diagnostics jump file_name=FILE_NAME />
            <div class="kp-side">
                <LessonPanel lesson=engine.lesson run=engine.run check=engine.check_lesson />
                <section class="kp-panel" class:kp-panel--tall=move || tab.get() == 2>
                    <div class="kp-tabs" role="tablist" aria-label="What to show">
                        {[("Input", "tab-input"), ("Cluster", "tab-cluster"), ("Diagram", "tab-diagram")].into_iter().enumerate().map(|(i, (label, id))| view! {
                            <button role="tab" class="kp-tab" data-testid=id aria-selected=move || (tab.get() == i).to_string()
                                class:kp-tab--on=move || tab.get() == i on:click=move |_| set_tab.set(i)>{label}</button>
                        }).collect_view()}
                    </div>
                    {move || match tab.get() {
                        1 => view! {
                            <ClusterView result=engine.result transcript=engine.transcript query=engine.query answers=engine.answers
                                query_at=engine.query_at steps=engine.steps run=engine.run />
                        }.into_any(),
                        2 => view! {
                            <DiagramView result=engine.result transcript=engine.transcript query=engine.query answers=engine.answers run=engine.run />
                        }.into_any(),
                        _ => view! {
                            <Results result=engine.result diagnostics on_jump=set_jump run=engine.run />
                        }.into_any(),
                    }}
                </section>
                <Terminal transcript=engine.transcript run=engine.run clear=engine.clear names=names />
            </div>
        </main>
    }
}

#[component]
fn StatusPill(status: ReadSignal<WorkerStatus>) -> impl IntoView {
    let label = move || match status.get() {
        WorkerStatus::Starting => ("starting engine…".to_string(), "kp-pill kp-pill--starting"),
        WorkerStatus::Ready => ("engine ready".to_string(), "kp-pill kp-pill--ready"),
        WorkerStatus::Busy => ("simulating…".to_string(), "kp-pill kp-pill--busy"),
        WorkerStatus::Failed(m) => (format!("engine error: {m}"), "kp-pill kp-pill--failed"),
    };
    view! {
        <span class=move || label().1 data-testid="engine-status" role="status">{move || label().0}</span>
    }
}
