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
    Command { id: u64, line: String },
}

/// The seed a request without one uses (the CLI's default too).
pub fn default_seed() -> u64 {
    1
}

impl ToWorker {
    /// The request id the answer will carry.
    pub fn id(&self) -> u64 {
        match self {
            ToWorker::Apply { id, .. } | ToWorker::Command { id, .. } => *id,
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
    /// A message the worker could not decode or handle.
    Failed { id: Option<u64>, message: String },
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
            ToWorker::Command { id, line } => match &mut self.session {
                Some(session) => FromWorker::Output {
                    id,
                    text: session.run(&line),
                },
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
