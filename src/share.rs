//! Share links: the whole state of the workbench in the URL fragment, so nothing leaves the
//! browser. Format v1: `v1:` + base64url (no padding) of the raw deflate of a payload:
//! one line of JSON (the state without its files, short keys), then per file its name, a
//! line with the byte length of its packed text, and the packed text — the file's bytes
//! with the most common Kubernetes words replaced by one control byte each ([`WORDS`]),
//! which small manifests gain most from (deflate has not seen them yet). Decoding is bounded: the fragment's length is checked
//! before anything is inflated, and inflating stops at [`MAX_STATE_BYTES`] (a
//! decompression bomb gets an error, not the memory). Every version ever produced keeps
//! decoding (`tests/share.rs` holds a fixture link per version).

use serde::{Deserialize, Serialize};

use crate::engine::SourceFile;

/// The current link version's prefix (after `#`).
pub const PREFIX: &str = "v1:";
/// The longest fragment decoded (characters); browsers keep far longer URLs, but a
/// link this long is not something a person shares.
pub const MAX_LINK_CHARS: usize = 256 * 1024;
/// The most bytes a link may inflate to.
pub const MAX_STATE_BYTES: usize = 4 * 1024 * 1024;

/// What a link carries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedState {
    /// The editor's files: (name, text).
    #[serde(rename = "f", default)]
    pub files: Vec<(String, String)>,
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The gallery lesson open, by file name.
    #[serde(rename = "l", default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
    /// The timeline step shown (`None`: the live cluster).
    #[serde(rename = "k", default, skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    /// The view selected (`editor`, `cluster`, `storage`, `network`, `dns`, `terminal`).
    #[serde(rename = "v", default, skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
    /// The terminal commands run, in order (replayed: they only simulate).
    #[serde(rename = "h", default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<String>,
    /// A scenario that is not in the gallery (its text; the files its `file:` manifests
    /// name are in `files`): the page opens it as a lesson, expectations included.
    #[serde(rename = "c", default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// The UI language (`en`, `zh`).
    #[serde(rename = "g", default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl SharedState {
    /// The files as the engine reads them.
    pub fn source_files(&self) -> Vec<SourceFile> {
        self.files
            .iter()
            .map(|(name, text)| SourceFile {
                name: name.clone(),
                text: text.clone(),
            })
            .collect()
    }
}

/// Why a link did not open.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    #[error("this link is not a kubeplay link (it should start with #v1:)")]
    NotALink,
    #[error("this link comes from a newer kubeplay ({0}); reload to get the newest version")]
    FromTheFuture(String),
    #[error("this link is too long ({0} characters; at most {MAX_LINK_CHARS})")]
    TooLong(usize),
    #[error("this link is damaged: {0} (was it cut short when copied?)")]
    Corrupt(String),
}

/// Words replaced by one byte (0x01–0x1F but tab, newline, carriage return) in v1.
/// Frozen: changing it needs a new link version.
pub const WORDS: [&str; 28] = [
    "apiVersion: ",
    "kind: ",
    "metadata:",
    "spec:",
    "containers:",
    "- name: ",
    "image: ",
    "selector:",
    "matchLabels:",
    "labels:",
    "template:",
    "volumeMounts:",
    "mountPath: ",
    "volumes:",
    "persistentVolumeClaim",
    "PersistentVolume",
    "storageClassName: ",
    "accessModes: ",
    "ReadWriteOnce",
    "resources:",
    "requests:",
    "storage: ",
    "replicas: ",
    "containerPort: ",
    "Deployment",
    "Service",
    "kubectl ",
    "apps/v1",
];

/// The byte standing for `WORDS[i]`.
fn word_byte(i: usize) -> u8 {
    const BYTES: [u8; 28] = [
        1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
        29, 30, 31,
    ];
    BYTES[i]
}

/// A file's text with [`WORDS`] replaced; bytes 0x00–0x1F that are not tab, newline or
/// carriage return are escaped with 0x00.
fn pack(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    'outer: while i < bytes.len() {
        let b = bytes[i];
        if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') {
            out.extend([0, b]);
            i += 1;
            continue;
        }
        for (k, w) in WORDS.iter().enumerate() {
            if bytes[i..].starts_with(w.as_bytes()) {
                out.push(word_byte(k));
                i += w.len();
                continue 'outer;
            }
        }
        out.push(b);
        i += 1;
    }
    out
}

/// The inverse of [`pack`].
fn unpack(bytes: &[u8]) -> Result<String, ShareError> {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == 0 {
            let Some(&next) = bytes.get(i + 1) else {
                return Err(ShareError::Corrupt("a file ends inside an escape".into()));
            };
            out.push(next);
            i += 2;
            continue;
        }
        match (0..WORDS.len()).find(|&k| word_byte(k) == b) {
            Some(k) => out.extend_from_slice(WORDS[k].as_bytes()),
            None => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| ShareError::Corrupt("a file is not UTF-8 text".into()))
}

/// The link fragment (without `#`) for a state.
pub fn encode(state: &SharedState) -> String {
    let meta = SharedState {
        files: Vec::new(),
        ..state.clone()
    };
    let mut payload = serde_json::to_vec(&meta).unwrap_or_default();
    payload.push(b'\n');
    for (name, text) in &state.files {
        let packed = pack(text);
        payload.extend_from_slice(name.replace('\n', " ").as_bytes());
        payload.push(b'\n');
        payload.extend_from_slice(format!("{}\n", packed.len()).as_bytes());
        payload.extend_from_slice(&packed);
    }
    let packed = miniz_oxide::deflate::compress_to_vec(&payload, 10);
    format!("{PREFIX}{}", base64url(&packed))
}

/// Reads the payload of a v1 link.
fn read_payload(payload: &[u8]) -> Result<SharedState, ShareError> {
    let corrupt = |what: &str| ShareError::Corrupt(what.to_string());
    let line = |from: usize| -> Result<(&[u8], usize), ShareError> {
        let end = payload[from..]
            .iter()
            .position(|b| *b == b'\n')
            .ok_or_else(|| corrupt("it ends in the middle"))?;
        Ok((&payload[from..from + end], from + end + 1))
    };
    let (meta, mut at) = line(0)?;
    let mut state: SharedState = serde_json::from_slice(meta)
        .map_err(|e| ShareError::Corrupt(format!("its settings do not read ({e})")))?;
    while at < payload.len() {
        let (name, next) = line(at)?;
        let (len, next) = line(next)?;
        let len: usize = std::str::from_utf8(len)
            .ok()
            .and_then(|l| l.parse().ok())
            .ok_or_else(|| corrupt("a file's length does not read"))?;
        let body = payload
            .get(next..next + len)
            .ok_or_else(|| corrupt("a file is cut short"))?;
        let name =
            String::from_utf8(name.to_vec()).map_err(|_| corrupt("a file name is not UTF-8"))?;
        state.files.push((name, unpack(body)?));
        at = next + len;
    }
    Ok(state)
}

/// Reads a link fragment (with or without the leading `#`).
pub fn decode(fragment: &str) -> Result<SharedState, ShareError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment).trim();
    if fragment.len() > MAX_LINK_CHARS {
        return Err(ShareError::TooLong(fragment.len()));
    }
    let Some((version, body)) = fragment.split_once(':') else {
        return Err(ShareError::NotALink);
    };
    match version {
        "v1" => {}
        v if v.starts_with('v') && v[1..].parse::<u32>().is_ok_and(|n| n > 1) => {
            return Err(ShareError::FromTheFuture(v.to_string()))
        }
        _ => return Err(ShareError::NotALink),
    }
    let packed = unbase64url(body)
        .ok_or_else(|| ShareError::Corrupt("it has characters a link never contains".into()))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_STATE_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::Corrupt(format!(
                "it would expand past {} MB",
                MAX_STATE_BYTES / (1024 * 1024)
            )),
            _ => ShareError::Corrupt("its compressed data does not inflate".into()),
        })?;
    read_payload(&json)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding (RFC 4648 §5).
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Reads base64url (padding and standard `+/` tolerated); `None` on anything else.
pub fn unbase64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for ch in text.bytes().filter(|b| *b != b'=') {
        let v = match ch {
            b'A'..=b'Z' => ch - b'A',
            b'a'..=b'z' => ch - b'a' + 26,
            b'0'..=b'9' => ch - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}
