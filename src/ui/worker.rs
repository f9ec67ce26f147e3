//! `use_engine_worker`: the one hook through which the UI talks to the engine worker.
//!
//! It spawns `worker.js` (a module worker that loads the engine's wasm), waits for the
//! ready handshake, sends requests with increasing ids and keeps only the answer to the
//! latest one, so a slow answer to an old edit never overwrites a newer result.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::engine::Diagnostic;
use crate::engine::SourceFile;
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
    /// Resolves to a worker started for a sandboxed iframe (see browser.js).
    #[wasm_bindgen(js_name = kpSandboxWorker)]
    fn sandbox_worker() -> js_sys::Promise;
}

pub fn use_engine_worker(lang: RwSignal<String>) -> UseEngineWorkerReturn {
    let (status, set_status) = signal(WorkerStatus::Starting);
    let (result, set_result) = signal(None::<EngineResult>);
    let (transcript, set_transcript) = signal(Vec::<TerminalEntry>::new());
    let (gallery, set_gallery) = signal(Vec::<(String, String)>::new());
    let (lesson, set_lesson) = signal(None::<Lesson>);
    // A Lesson request sent to relabel the open lesson (not to open it).
    let relabelling = StoredValue::new(false);
    let (answers, set_answers) = signal(std::collections::BTreeMap::<String, String>::new());
    let (steps, set_steps) = signal(Vec::<String>::new());
    let next_id = StoredValue::new(0u64);
    let latest_apply = StoredValue::new(0u64);
    // When the latest apply was sent, and how long the last one took (ms): the editor
    // waits about twice that before sending the next (fast input, fast feedback).
    let apply_sent = StoredValue::new(0f64);
    let (apply_ms, set_apply_ms) = signal(100f64);
    // Requests made before the worker is ready, in order.
    let pending = StoredValue::new(Vec::<String>::new());
    let worker = StoredValue::new_local(None::<Worker>);

    let post = move |text: String| {
        worker.with_value(|w| {
            if let Some(w) = w {
                let _ = w.post_message(&JsValue::from_str(&text));
            }
        });
    };

    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            return;
        };
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
            Ok(FromWorker::Failed { message, .. }) | Err(message) => {
                set_status.set(WorkerStatus::Failed(message))
            }
        }
    });
    let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        // A script error is an ErrorEvent; a worker that failed to load sends a plain Event.
        let message = event
            .dyn_ref::<ErrorEvent>()
            .map(ErrorEvent::message)
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| "it could not load".into());
        set_status.set(WorkerStatus::Failed(format!(
            "the engine worker stopped: {message}"
        )));
    });

    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    // The closures live as long as the page, like the worker they serve.
    let onmessage = onmessage.into_js_value();
    let onerror = onerror.into_js_value();
    let attach = move |w: Worker| {
        w.set_onmessage(Some(onmessage.unchecked_ref()));
        w.set_onerror(Some(onerror.unchecked_ref()));
        worker.set_value(Some(w));
    };
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
        match Worker::new_with_options("./worker.js", &options) {
            Ok(w) => attach(w),
            Err(e) => set_status.set(WorkerStatus::Failed(format!(
                "could not start the engine worker: {e:?}"
            ))),
        }
    }

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
        send(ToWorker::Apply {
            id,
            seed: crate::protocol::default_seed(),
            files,
        });
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
        send(ToWorker::Command { id, line });
    });
    let clear = Callback::new(move |()| set_transcript.set(Vec::new()));
    let open_lesson = Callback::new(move |name: String| {
        // A lesson starts with a clear terminal (commands sent after this are kept).
        set_transcript.set(Vec::new());
        let id = fresh_id();
        send(ToWorker::Lesson {
            id,
            name,
            lang: lang.get_untracked(),
        });
    });
    let check_lesson = Callback::new(move |name: String| {
        let id = fresh_id();
        send(ToWorker::Check { id, name });
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
            send(ToWorker::Lesson { id, name, lang });
        }
    });
    UseEngineWorkerReturn {
        status,
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
