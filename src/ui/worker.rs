//! `use_engine_worker`: the one hook through which the UI talks to the engine worker.
//!
//! It spawns `worker.js` (a module worker), posts it the page's compiled wasm module (the
//! same module holds the engine, so the worker neither downloads nor compiles it again),
//! waits for the ready handshake, sends requests with increasing ids and keeps only the
//! answer to the latest one, so a slow answer to an old edit never overwrites a newer
//! result.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use crate::engine::Diagnostic;
use crate::engine::SourceFile;
use crate::protocol::SharedScenario;
use crate::protocol::{
    decode_response, encode_request, CheckedStep, FromWorker, LessonStep, ObjectSummary, ToWorker,
    PROTOCOL_VERSION,
};

/// An open lesson of the gallery.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    pub name: String,
    pub title: String,
    pub text: String,
    pub steps: Vec<LessonStep>,
    /// Every step's expectations, once checked.
    pub checked: Option<Vec<CheckedStep>>,
    /// Just opened (its text goes to the editor), rather than relabelled in another
    /// language.
    pub fresh: bool,
}

/// Where the worker is in its life.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkerStatus {
    Starting,
    Ready,
    /// Working on a request.
    Busy,
    /// The worker failed; the message says how.
    Failed(String),
}

/// The engine's answer to the latest edit.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EngineResult {
    pub objects: Vec<ObjectSummary>,
    pub diagnostics: Vec<Diagnostic>,
    pub notes: Vec<String>,
}

/// One terminal command and, once the worker answered, its output.
#[derive(Clone, Debug, PartialEq)]
pub struct TerminalEntry {
    pub id: u64,
    pub command: String,
    pub output: Option<String>,
}

/// What [`use_engine_worker`] returns.
#[derive(Clone, Copy)]
pub struct UseEngineWorkerReturn {
    pub status: ReadSignal<WorkerStatus>,
    /// Set when the worker stopped or hung and was restarted: a report to copy.
    pub crash: ReadSignal<Option<String>>,
    pub dismiss_crash: Callback<()>,
    /// What if: compare the current cluster with other manifests (and extra commands).
    pub what_if: Callback<(Vec<SourceFile>, Vec<String>)>,
    /// The scenario opened from a shared link, if any: (lesson name, scenario).
    pub custom_scenario: Callback<(), Option<(String, SharedScenario)>>,
    /// Opens a scenario that is not in the gallery (from a shared link) as a lesson.
    pub open_custom: Callback<(String, SharedScenario)>,
    /// The last comparison: its text and the diagram ids of what changed.
    pub compared: ReadSignal<Option<(String, Vec<String>)>>,
    /// Sends a test fault (`panic`, `hang`) when the page has `?faults`.
    pub inject: Callback<String>,
    pub result: ReadSignal<Option<EngineResult>>,
    /// Sends the files to the engine (a fresh cluster); the answer lands in `result`.
    pub apply: Callback<Vec<SourceFile>>,
    /// How long the last apply took, in milliseconds (for the editor's debounce).
    pub apply_ms: ReadSignal<f64>,
    /// The terminal's commands and outputs, oldest first.
    pub transcript: ReadSignal<Vec<TerminalEntry>>,
    /// Runs a terminal command in the worker; its output lands in `transcript`.
    pub run: Callback<String>,
    /// Forgets the transcript (the terminal's `clear`).
    pub clear: Callback<()>,
    /// The gallery: (scenario name, title) per lesson.
    pub gallery: ReadSignal<Vec<(String, String)>>,
    /// The open lesson (its text goes to the editor).
    pub lesson: ReadSignal<Option<Lesson>>,
    pub open_lesson: Callback<String>,
    pub check_lesson: Callback<String>,
    /// Reading commands for the views, answered without touching the cluster.
    pub query: Callback<String>,
    /// The latest answer to each view query, by command line (`@STEP line` for a past step).
    pub answers: ReadSignal<std::collections::BTreeMap<String, String>>,
    /// A view query on the cluster as it was after the first N terminal commands.
    pub query_at: Callback<(usize, String)>,
    /// The terminal commands run since the cluster was built: the timeline's steps.
    pub steps: ReadSignal<Vec<String>>,
}

/// Spawns the engine worker and returns its signals.
#[wasm_bindgen(module = "/src/ui/browser.js")]
extern "C" {
    /// The module worker `worker.js`: the one `app.js` started while the wasm loaded, or a
    /// new one (see browser.js).
    #[wasm_bindgen(js_name = kpWorker, catch)]
    fn module_worker() -> Result<Worker, JsValue>;
    /// Resolves to a worker started for a sandboxed iframe (see browser.js).
    #[wasm_bindgen(js_name = kpSandboxWorker)]
    fn sandbox_worker() -> js_sys::Promise;
}

/// How long a request may go unanswered before the worker counts as hung (at least; four
/// times the last apply's time if that is longer).
const HANG_MS: f64 = 1500.0;

pub fn use_engine_worker(lang: RwSignal<String>) -> UseEngineWorkerReturn {
    let (status, set_status) = signal(WorkerStatus::Starting);
    let (result, set_result) = signal(None::<EngineResult>);
    let (transcript, set_transcript) = signal(Vec::<TerminalEntry>::new());
    let (gallery, set_gallery) = signal(Vec::<(String, String)>::new());
    let (lesson, set_lesson) = signal(None::<Lesson>);
    // A scenario from a shared link (not in the gallery): its name and text.
    let custom = StoredValue::new(None::<(String, SharedScenario)>);
    // A Lesson request sent to relabel the open lesson (not to open it).
    let relabelling = StoredValue::new(false);
    let (answers, set_answers) = signal(std::collections::BTreeMap::<String, String>::new());
    let (steps, set_steps) = signal(Vec::<String>::new());
    let (compared, set_compared) = signal(None::<(String, Vec<String>)>);
    let latest_whatif = StoredValue::new(0u64);
    let next_id = StoredValue::new(0u64);
    let latest_apply = StoredValue::new(0u64);
    // When the latest apply was sent, and how long the last one took (ms): the editor
    // waits about twice that before sending the next (fast input, fast feedback).
    let apply_sent = StoredValue::new(0f64);
    let (apply_ms, set_apply_ms) = signal(100f64);
    // Requests made before the worker is ready, in order.
    let pending = StoredValue::new(Vec::<String>::new());
    let worker = StoredValue::new_local(None::<Worker>);
    // The watchdog: requests not yet answered, and when the worker last made progress.
    let inflight = StoredValue::new(Vec::<String>::new());
    let progress_at = StoredValue::new(0f64);
    // What rebuilds the cluster after a restart: the last apply and the commands since.
    let last_apply = StoredValue::new(None::<String>);
    let (crash, set_crash) = signal(None::<String>);
    let restarts = StoredValue::new(Vec::<f64>::new());

    let post = move |text: String| {
        worker.with_value(|w| {
            if let Some(w) = w {
                if inflight.with_value(Vec::is_empty) {
                    progress_at.set_value(js_sys::Date::now());
                }
                inflight.update_value(|f| f.push(text.clone()));
                let _ = w.post_message(&JsValue::from_str(&text));
            }
        });
    };

    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            return;
        };
        // Every request gets one answer, in order.
        if !text.contains("\"type\":\"Ready\"") {
            inflight.update_value(|f| {
                if !f.is_empty() {
                    f.remove(0);
                }
            });
        }
        progress_at.set_value(js_sys::Date::now());
        match decode_response(&text) {
            Ok(FromWorker::Ready { protocol, .. }) if protocol == PROTOCOL_VERSION => {
                set_status.set(WorkerStatus::Ready);
                let queued = pending.try_update_value(std::mem::take).unwrap_or_default();
                if !queued.is_empty() {
                    set_status.set(WorkerStatus::Busy);
                }
                for req in queued {
                    post(req);
                }
            }
            Ok(FromWorker::Ready { protocol, .. }) => set_status.set(WorkerStatus::Failed(format!(
                "the engine worker speaks protocol {protocol}, this page {PROTOCOL_VERSION}: reload the page"
            ))),
            Ok(FromWorker::Applied { id, objects, diagnostics, notes }) => {
                if id == latest_apply.get_value() {
                    set_apply_ms.set(js_sys::Date::now() - apply_sent.get_value());
                    set_result.set(Some(EngineResult { objects, diagnostics, notes }));
                    set_status.set(WorkerStatus::Ready);
                }
            }
            Ok(FromWorker::Output { id, text }) => {
                set_transcript.update(|t| {
                    if let Some(e) = t.iter_mut().find(|e| e.id == id) {
                        e.output = Some(text);
                    }
                });
                set_status.set(WorkerStatus::Ready);
            }
            Ok(FromWorker::Answer { line, text, .. }) => {
                set_answers.update(|a| {
                    a.insert(line, text);
                });
                set_status.set(WorkerStatus::Ready);
            }
            Ok(FromWorker::Gallery { lessons, .. }) => {
                set_gallery.set(lessons);
                set_status.set(WorkerStatus::Ready);
            }
            Ok(FromWorker::Lesson { name, title, text, steps, .. }) => {
                // The open lesson again (another language): new words, same state.
                let same = lesson.with_untracked(|l| l.as_ref().is_some_and(|l| l.name == name));
                if same && relabelling.get_value() {
                    relabelling.set_value(false);
                    set_lesson.update(|l| {
                        if let Some(l) = l.as_mut() {
                            l.title = title;
                            l.steps = steps;
                            l.fresh = false;
                        }
                    });
                } else {
                    set_lesson.set(Some(Lesson { name, title, text, steps, checked: None, fresh: true }));
                }
                set_status.set(WorkerStatus::Ready);
            }
            Ok(FromWorker::Checked { name, steps, .. }) => {
                set_lesson.update(|l| {
                    if let Some(l) = l.as_mut().filter(|l| l.name == name) {
                        l.checked = Some(steps);
                    }
                });
                set_status.set(WorkerStatus::Ready);
            }
            Ok(FromWorker::Compared { text, changed, .. }) => {
                set_compared.set(Some((text, changed)));
                set_status.set(WorkerStatus::Ready);
            }
            Ok(FromWorker::Failed { id: Some(id), message }) if id == latest_whatif.get_value() => {
                // A what-if that could not be built (errors in its manifests): say why there.
                set_compared.set(Some((message, Vec::new())));
                set_status.set(WorkerStatus::Ready);
            }
            Ok(FromWorker::Failed { message, .. }) | Err(message) => {
                set_status.set(WorkerStatus::Failed(message))
            }
        }
    });
    // The closures live as long as the page, like the workers they serve.
    let onmessage = StoredValue::new_local(onmessage.into_js_value());
    let onerror_slot = StoredValue::new_local(JsValue::NULL);
    let attach = move |w: Worker| {
        onmessage.with_value(|f| w.set_onmessage(Some(f.unchecked_ref())));
        onerror_slot.with_value(|f| w.set_onerror(Some(f.unchecked_ref())));
        // The worker runs the page's own wasm module, already compiled: its first message.
        let _ = w.post_message(&wasm_bindgen::module());
        worker.set_value(Some(w));
    };
    let start = move || {
        // An opaque origin (a sandboxed iframe) cannot load a worker from the site's URL.
        if web_sys::window().is_some_and(|w| w.origin() == "null") {
            leptos::task::spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(sandbox_worker()).await {
                    Ok(w) => attach(w.unchecked_into()),
                    Err(e) => set_status.set(WorkerStatus::Failed(format!(
                        "could not start the engine worker in this frame: {e:?}"
                    ))),
                }
            });
        } else {
            match module_worker() {
                Ok(w) => attach(w),
                Err(e) => set_status.set(WorkerStatus::Failed(format!(
                    "could not start the engine worker: {e:?}"
                ))),
            }
        }
    };
    // A worker that stopped (a panic, a load error) or stopped answering is replaced: the
    // new one rebuilds the cluster from the last apply and the commands since — all but
    // the request it was handling, which is reported instead.
    let restart = move |why: String| {
        let now = js_sys::Date::now();
        restarts.update_value(|r| {
            r.retain(|t| now - t < 60_000.0);
            r.push(now);
        });
        if let Some(w) = worker.try_update_value(Option::take).flatten() {
            w.terminate();
        }
        let stuck = inflight
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        let culprit = stuck.first().cloned().unwrap_or_default();
        let summary: String = culprit.chars().take(300).collect();
        set_crash.set(Some(format!(
            "kubeplay {} — the engine {why}.\nIt was handling: {summary}\nPage: {}\nBrowser: {}",
            env!("CARGO_PKG_VERSION"),
            web_sys::window()
                .and_then(|w| w.location().href().ok())
                .unwrap_or_default()
                .split('#')
                .next()
                .unwrap_or_default(),
            web_sys::window()
                .and_then(|w| w.navigator().user_agent().ok())
                .unwrap_or_default(),
        )));
        set_transcript.update(|t| {
            for e in t.iter_mut().filter(|e| e.output.is_none()) {
                e.output = Some(
                    "(the engine stopped before answering; it was restarted — see the banner)"
                        .into(),
                );
            }
        });
        if restarts.with_value(Vec::len) > 3 {
            set_status.set(WorkerStatus::Failed(format!(
                "the engine {why}, again; reload the page"
            )));
            return;
        }
        let mut again = Vec::new();
        if let Some(apply) = last_apply.get_value().filter(|a| *a != culprit) {
            again.push(apply);
            let mut lines = steps.get_untracked();
            if let Ok(ToWorker::Command { line, .. }) = crate::protocol::decode_request(&culprit) {
                if let Some(at) = lines.iter().rposition(|l| *l == line) {
                    lines.remove(at);
                }
            }
            again.extend(lines.into_iter().map(|line| {
                encode_request(&ToWorker::Command {
                    id: 0,
                    line,
                    lang: lang.get_untracked(),
                })
            }));
        }
        pending.set_value(again);
        set_status.set(WorkerStatus::Starting);
        start();
    };
    let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        // A script error is an ErrorEvent; a worker that failed to load sends a plain Event.
        let message = event
            .dyn_ref::<ErrorEvent>()
            .map(ErrorEvent::message)
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| "could not load".into());
        restart(format!("stopped: {message}"));
    });
    onerror_slot.set_value(onerror.into_js_value());
    start();
    // The watchdog: a request unanswered for HANG_MS (or four times the last apply, if
    // that is longer) means the worker hangs.
    let hang_ms = move || (apply_ms.get_untracked() * 4.0).max(HANG_MS);
    // It runs as long as the page (the handle is not kept to stop it).
    let _ = set_interval_with_handle(
        move || {
            let waiting = !inflight.with_value(Vec::is_empty);
            let quiet = js_sys::Date::now() - progress_at.get_value();
            if waiting && quiet > hang_ms() && worker.with_value(Option::is_some) {
                restart(format!("did not answer for {:.1} s", quiet / 1000.0));
            }
        },
        std::time::Duration::from_millis(250),
    );

    // Posts now, or queues until the worker says it is ready.
    let send = move |msg: ToWorker| {
        let text = encode_request(&msg);
        if status.get_untracked() == WorkerStatus::Starting {
            pending.update_value(|p| p.push(text));
        } else {
            set_status.set(WorkerStatus::Busy);
            post(text);
        }
    };
    let fresh_id = move || {
        let id = next_id.get_value() + 1;
        next_id.set_value(id);
        id
    };
    let apply = Callback::new(move |files: Vec<SourceFile>| {
        let id = fresh_id();
        latest_apply.set_value(id);
        apply_sent.set_value(js_sys::Date::now());
        // Commands sent from now on run on the new cluster: its timeline starts here.
        set_steps.set(Vec::new());
        let msg = ToWorker::Apply {
            id,
            seed: crate::protocol::default_seed(),
            files,
        };
        last_apply.set_value(Some(encode_request(&msg)));
        send(msg);
    });
    let run = Callback::new(move |line: String| {
        let id = fresh_id();
        set_transcript.update(|t| {
            t.push(TerminalEntry {
                id,
                command: line.clone(),
                output: None,
            })
        });
        set_steps.update(|s| s.push(line.clone()));
        send(ToWorker::Command {
            id,
            line,
            lang: lang.get_untracked(),
        });
    });
    let clear = Callback::new(move |()| set_transcript.set(Vec::new()));
    // The custom scenario for a lesson name (from a shared link), if it is not a gallery one.
    let custom_for = move |name: &str| {
        custom.with_value(|c| {
            c.as_ref()
                .filter(|(n, _)| n == name)
                .map(|(_, s)| s.clone())
        })
    };
    let open_lesson = Callback::new(move |name: String| {
        // A lesson starts with a clear terminal (commands sent after this are kept).
        set_transcript.set(Vec::new());
        let id = fresh_id();
        send(ToWorker::Lesson {
            id,
            custom: custom_for(&name),
            name,
            lang: lang.get_untracked(),
        });
    });
    let open_custom = Callback::new(move |(name, scenario): (String, SharedScenario)| {
        custom.set_value(Some((name.clone(), scenario)));
        open_lesson.run(name);
    });
    let check_lesson = Callback::new(move |name: String| {
        let id = fresh_id();
        send(ToWorker::Check {
            id,
            custom: custom_for(&name),
            name,
        });
    });
    let query = Callback::new(move |line: String| {
        let id = fresh_id();
        send(ToWorker::Query { id, line });
    });
    let query_at = Callback::new(move |(step, line): (usize, String)| {
        let id = fresh_id();
        send(ToWorker::QueryAt { id, step, line });
    });
    // The gallery's titles and the open lesson's explanations follow the language.
    Effect::new(move |_| {
        let lang = lang.get();
        let id = fresh_id();
        send(ToWorker::Gallery {
            id,
            lang: lang.clone(),
        });
        if let Some(name) = lesson.with_untracked(|l| l.as_ref().map(|l| l.name.clone())) {
            relabelling.set_value(true);
            let id = fresh_id();
            send(ToWorker::Lesson {
                id,
                custom: custom_for(&name),
                name,
                lang,
            });
        }
    });
    let dismiss_crash = Callback::new(move |()| set_crash.set(None));
    let what_if = Callback::new(move |(files, commands): (Vec<SourceFile>, Vec<String>)| {
        let id = fresh_id();
        latest_whatif.set_value(id);
        set_compared.set(None);
        send(ToWorker::WhatIf {
            id,
            files,
            commands,
        });
    });
    // Fault injection for the end-to-end tests, only with `?faults` in the address.
    let faults = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|q| q.contains("faults"));
    let inject = Callback::new(move |kind: String| {
        if faults {
            let id = fresh_id();
            send(ToWorker::Fault { id, kind });
        }
    });
    UseEngineWorkerReturn {
        status,
        crash,
        dismiss_crash,
        what_if,
        compared,
        open_custom,
        custom_scenario: Callback::new(move |()| custom.get_value()),
        inject,
        result,
        apply,
        apply_ms,
        transcript,
        run,
        clear,
        gallery,
        lesson,
        open_lesson,
        check_lesson,
        query,
        answers,
        query_at,
        steps,
    }
}
