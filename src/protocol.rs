//! The only types that cross the Web Worker boundary, and the only place they are
//! serialized. The main thread sends [`ToWorker`]; the worker answers [`FromWorker`] with
//! the same request id. The worker says [`FromWorker::Ready`] once, when it can take work.

use serde::{Deserialize, Serialize};

use crate::engine::manifest::{ParsedObject, SourceFile};
use crate::engine::session::Session;
use crate::engine::Diagnostic;

/// What the UI lists for an object read from the input.
fn summary(p: &ParsedObject) -> ObjectSummary {
    ObjectSummary {
        api_version: p.object.api_version().to_string(),
        kind: p.object.kind().to_string(),
        namespace: p.object.meta().namespace.clone(),
        name: p.object.meta().name.clone(),
        file: p.file.clone(),
        line: p.pos.line,
    }
}

/// Protocol version; a main thread and a worker from different builds refuse each other.
pub const PROTOCOL_VERSION: u32 = 1;

/// A request to the engine worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ToWorker {
    /// Start a fresh cluster from these files (the editor's tabs) with this seed; report
    /// the objects read and the diagnostics.
    Apply {
        id: u64,
        #[serde(default = "default_seed")]
        seed: u64,
        files: Vec<SourceFile>,
    },
    /// Run one terminal command against the current cluster.
    Command {
        id: u64,
        line: String,
        /// The page's language (explainers answer in it).
        #[serde(default)]
        lang: String,
    },
    /// Run a read-only command for a view (not part of the terminal's transcript).
    Query { id: u64, line: String },
    /// The same, on the cluster as it was after the first `step` terminal commands.
    QueryAt { id: u64, step: usize, line: String },
    /// List the example gallery's lessons (titles in `lang`: `en`, `zh`).
    Gallery {
        id: u64,
        #[serde(default)]
        lang: String,
    },
    /// Open a lesson: its manifests (for the editor) and its steps (explained in `lang`).
    /// A scenario from a shared link comes with its text (`custom`).
    Lesson {
        id: u64,
        name: String,
        #[serde(default)]
        lang: String,
        #[serde(default)]
        custom: Option<SharedScenario>,
    },
    /// Run a lesson's scenario on its own fresh cluster and check every expectation.
    Check {
        id: u64,
        name: String,
        #[serde(default)]
        custom: Option<SharedScenario>,
    },
    /// What if: the current input and commands against these files (and extra commands
    /// run in both); answers what differs.
    WhatIf {
        id: u64,
        files: Vec<SourceFile>,
        #[serde(default)]
        commands: Vec<String>,
    },
    /// Test-only fault injection (the page sends it only with `?faults`): `panic`
    /// crashes the worker, `hang` never answers. The page must notice and restart it.
    Fault { id: u64, kind: String },
}

/// A scenario that is not in the gallery (a shared link's): its text and the files its
/// `file:` manifests name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedScenario {
    pub text: String,
    #[serde(default)]
    pub files: Vec<SourceFile>,
}

/// The seed a request without one uses (the CLI's default too).
pub fn default_seed() -> u64 {
    1
}

impl ToWorker {
    /// The request id the answer will carry.
    pub fn id(&self) -> u64 {
        match self {
            ToWorker::Apply { id, .. }
            | ToWorker::Command { id, .. }
            | ToWorker::Query { id, .. }
            | ToWorker::QueryAt { id, .. }
            | ToWorker::Gallery { id, .. }
            | ToWorker::Lesson { id, .. }
            | ToWorker::Check { id, .. }
            | ToWorker::Fault { id, .. }
            | ToWorker::WhatIf { id, .. } => *id,
        }
    }
}

/// What one object read from the input looks like to the UI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectSummary {
    pub api_version: String,
    pub kind: String,
    /// Empty for cluster-scoped kinds.
    pub namespace: String,
    pub name: String,
    pub file: String,
    pub line: u32,
}

/// An answer from the engine worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum FromWorker {
    /// The worker has loaded and can take requests.
    Ready { protocol: u32, version: String },
    /// The result of [`ToWorker::Apply`].
    Applied {
        id: u64,
        objects: Vec<ObjectSummary>,
        diagnostics: Vec<Diagnostic>,
        /// Where the simulation differs from a real cluster, for this input.
        #[serde(default)]
        notes: Vec<String>,
    },
    /// The output of [`ToWorker::Command`], as the terminal prints it.
    Output { id: u64, text: String },
    /// The answer to [`ToWorker::Query`].
    Answer { id: u64, line: String, text: String },
    /// The gallery: (scenario file name, title) per lesson.
    Gallery {
        id: u64,
        lessons: Vec<(String, String)>,
    },
    /// A lesson to open: the editor's text (its manifests) and its steps.
    Lesson {
        id: u64,
        name: String,
        title: String,
        text: String,
        steps: Vec<LessonStep>,
    },
    /// Every step's expectations, checked on a fresh cluster.
    Checked {
        id: u64,
        name: String,
        steps: Vec<CheckedStep>,
    },
    /// The answer to [`ToWorker::WhatIf`]: the differences as `kubeplay diff` prints them,
    /// and the diagram ids of the objects that changed.
    Compared {
        id: u64,
        text: String,
        changed: Vec<String>,
    },
    /// A message the worker could not decode or handle.
    Failed { id: Option<u64>, message: String },
}

/// A lesson step as the UI lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonStep {
    pub run: String,
    pub say: String,
}

/// A step's expectations after a check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedStep {
    pub command: String,
    /// (expectation, passed, actual when it failed)
    pub checks: Vec<(String, bool, String)>,
}

/// Reads a gallery scenario and the text of the manifests it names.
/// A lesson: a gallery scenario by name, or a scenario given as text (from a shared link)
/// with the files its `file:` manifests name.
fn lesson(
    name: &str,
    custom: &Option<SharedScenario>,
) -> Result<(crate::engine::scenario::Scenario, Vec<SourceFile>), String> {
    if let Some(c) = custom {
        let scenario = crate::engine::scenario::parse(name, &c.text).map_err(|d| {
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })?;
        return Ok((scenario, c.files.clone()));
    }
    let text = crate::GALLERY
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .ok_or_else(|| format!("no lesson {name:?} in the gallery"))?;
    let scenario = crate::engine::scenario::parse(name, text).map_err(|d| {
        d.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let files = crate::engine::scenario::files_needed(&scenario)
        .into_iter()
        .filter_map(|f| {
            crate::GALLERY
                .iter()
                .find(|(n, _)| *n == f)
                .map(|(n, t)| SourceFile {
                    name: n.to_string(),
                    text: t.to_string(),
                })
        })
        .collect();
    Ok((scenario, files))
}

/// Whether a line is a read-only view command (what Query and QueryAt may run).
fn is_view(line: &str) -> bool {
    ["kubectl get ", "kubectl describe ", "diagram "]
        .iter()
        .any(|p| line.starts_with(p))
}

/// A scenario text in a language (English when it has none in that one).
fn localized(text: &crate::engine::scenario::Text, lang: &str) -> String {
    if lang == "zh" && !text.zh.is_empty() {
        text.zh.clone()
    } else {
        text.en.clone()
    }
}

/// Serializes a request for `postMessage`.
pub fn encode_request(msg: &ToWorker) -> String {
    serde_json::to_string(msg).unwrap_or_default()
}

/// Reads a request posted to the worker.
pub fn decode_request(text: &str) -> Result<ToWorker, String> {
    serde_json::from_str(text).map_err(|e| format!("bad request: {e}"))
}

/// Serializes an answer for `postMessage`.
pub fn encode_response(msg: &FromWorker) -> String {
    serde_json::to_string(msg).unwrap_or_default()
}

/// Reads an answer posted by the worker.
pub fn decode_response(text: &str) -> Result<FromWorker, String> {
    serde_json::from_str(text).map_err(|e| format!("bad response: {e}"))
}

/// The worker's side of the protocol, independent of the browser: the worker binary feeds
/// it message text and posts back what it returns. Tested natively and in wasm.
#[derive(Debug, Default)]
pub struct EngineService {
    session: Option<Session>,
    /// What the current cluster was built from, and the terminal commands run since:
    /// the timeline. The engine is deterministic, so replaying them rebuilds any step.
    history: Option<(u64, Vec<SourceFile>, Vec<String>)>,
    /// The last replayed step, kept for the next question about it.
    replay: Option<(usize, Session)>,
}

impl EngineService {
    /// The handshake message the worker sends when it starts.
    pub fn ready() -> FromWorker {
        FromWorker::Ready {
            protocol: PROTOCOL_VERSION,
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    /// Handles one decoded request.
    pub fn handle(&mut self, msg: ToWorker) -> FromWorker {
        match msg {
            ToWorker::Apply { id, seed, files } => match Session::start(seed, &files) {
                Ok(session) => {
                    self.history = Some((seed, files.clone(), Vec::new()));
                    self.replay = None;
                    let answer = FromWorker::Applied {
                        id,
                        objects: session.objects.iter().map(summary).collect(),
                        diagnostics: session.diagnostics.clone(),
                        notes: session.notes(),
                    };
                    self.session = Some(session);
                    answer
                }
                Err(e) => FromWorker::Failed {
                    id: Some(id),
                    message: e.to_string(),
                },
            },
            ToWorker::Gallery { id, lang } => FromWorker::Gallery {
                id,
                lessons: crate::GALLERY
                    .iter()
                    .filter(|(n, _)| n.ends_with(".scenario.yaml"))
                    .filter_map(|(n, t)| {
                        crate::engine::scenario::parse(n, t)
                            .ok()
                            .map(|s| (n.to_string(), localized(&s.spec.title, &lang)))
                    })
                    .collect(),
            },
            ToWorker::Lesson {
                id,
                name,
                lang,
                custom,
            } => match lesson(&name, &custom) {
                Ok((scenario, files)) => {
                    // One editor text: each manifest under a comment naming it.
                    let mut text = String::new();
                    for m in &scenario.spec.manifests {
                        let (file, body) = if m.inline.is_empty() {
                            let body = files
                                .iter()
                                .find(|f| f.name == m.file)
                                .map(|f| f.text.clone())
                                .unwrap_or_default();
                            (m.file.clone(), body)
                        } else {
                            (m.name.clone(), m.inline.clone())
                        };
                        if !text.is_empty() {
                            text.push_str("---\n");
                        }
                        text.push_str(&format!("# {file}\n{}", body.trim_start_matches("---\n")));
                        if !text.ends_with('\n') {
                            text.push('\n');
                        }
                    }
                    FromWorker::Lesson {
                        id,
                        name,
                        title: localized(&scenario.spec.title, &lang),
                        text,
                        steps: scenario
                            .spec
                            .steps
                            .iter()
                            .map(|s| LessonStep {
                                run: s.run.clone(),
                                say: localized(&s.say, &lang),
                            })
                            .collect(),
                    }
                }
                Err(message) => FromWorker::Failed {
                    id: Some(id),
                    message,
                },
            },
            ToWorker::WhatIf {
                id,
                files,
                commands,
            } => {
                let Some((seed, current, history)) = &self.history else {
                    return FromWorker::Failed {
                        id: Some(id),
                        message: "no cluster yet: apply manifests first".into(),
                    };
                };
                let all: Vec<&str> = history
                    .iter()
                    .chain(commands.iter())
                    .map(String::as_str)
                    .collect();
                match crate::engine::whatif::compare(*seed, current, &files, &all) {
                    Ok(changes) => FromWorker::Compared {
                        id,
                        text: crate::engine::whatif::render(&changes),
                        changed: crate::engine::whatif::diagram_ids(&changes),
                    },
                    Err(message) => FromWorker::Failed {
                        id: Some(id),
                        message,
                    },
                }
            }
            ToWorker::Fault { id, kind } => match kind.as_str() {
                "panic" => panic!("injected fault (request {id})"),
                "hang" => loop {
                    std::hint::spin_loop();
                },
                other => FromWorker::Failed {
                    id: Some(id),
                    message: format!("unknown fault {other:?}"),
                },
            },
            ToWorker::Check { id, name, custom } => match lesson(&name, &custom) {
                Ok((scenario, files)) => {
                    let report = crate::engine::scenario::run(&scenario, &files);
                    let mut steps: Vec<CheckedStep> = report
                        .steps
                        .iter()
                        .map(|s| CheckedStep {
                            command: s.command.clone(),
                            checks: s
                                .checks
                                .iter()
                                .map(|c| (c.expectation.clone(), c.passed, c.actual.clone()))
                                .collect(),
                        })
                        .collect();
                    for e in report.setup_errors {
                        steps.insert(
                            0,
                            CheckedStep {
                                command: "(manifests)".into(),
                                checks: vec![("the manifests apply".into(), false, e)],
                            },
                        );
                    }
                    FromWorker::Checked { id, name, steps }
                }
                Err(message) => FromWorker::Failed {
                    id: Some(id),
                    message,
                },
            },
            ToWorker::QueryAt { id, step, line } => {
                if !is_view(&line) {
                    return FromWorker::Failed {
                        id: Some(id),
                        message: format!(
                            "a view may only run kubectl get, kubectl describe or diagram, not {line:?}"
                        ),
                    };
                }
                let Some((seed, files, commands)) = &self.history else {
                    return FromWorker::Failed {
                        id: Some(id),
                        message: "no cluster yet: apply manifests first".into(),
                    };
                };
                let step = step.min(commands.len());
                let cached = self.replay.as_ref().is_some_and(|(s, _)| *s == step);
                if !cached {
                    match Session::start(*seed, files) {
                        Ok(mut session) => {
                            for c in &commands[..step] {
                                session.run(c);
                            }
                            self.replay = Some((step, session));
                        }
                        Err(e) => {
                            return FromWorker::Failed {
                                id: Some(id),
                                message: e.to_string(),
                            }
                        }
                    }
                }
                let text = self
                    .replay
                    .as_ref()
                    .map(|(_, s)| s.peek(&line))
                    .unwrap_or_default();
                FromWorker::Answer {
                    id,
                    line: format!("@{step} {line}"),
                    text,
                }
            }
            ToWorker::Query { id, line } => match &self.session {
                // Only reading commands: a view must not change the cluster.
                Some(session)
                    if is_view(&line) =>
                {
                    FromWorker::Answer {
                        id,
                        text: session.peek(&line),
                        line,
                    }
                }
                Some(_) => FromWorker::Failed {
                    id: Some(id),
                    message: format!("a view may only run kubectl get, kubectl describe or diagram, not {line:?}"),
                },
                None => FromWorker::Failed {
                    id: Some(id),
                    message: "no cluster yet: apply manifests first".into(),
                },
            },
            ToWorker::Command { id, line, lang } => match &mut self.session {
                Some(session) => {
                    if let Some((_, _, commands)) = &mut self.history {
                        commands.push(line.clone());
                    }
                    session.cluster.lang = lang;
                    FromWorker::Output {
                        id,
                        text: session.run(&line),
                    }
                }
                None => FromWorker::Failed {
                    id: Some(id),
                    message: "no cluster yet: apply manifests first".into(),
                },
            },
        }
    }

    /// Handles one request as text and returns the answer as text.
    pub fn handle_text(&mut self, text: &str) -> String {
        let answer = match decode_request(text) {
            Ok(msg) => self.handle(msg),
            Err(message) => FromWorker::Failed { id: None, message },
        };
        encode_response(&answer)
    }
}
