//! A YAML reader that keeps the source position of every node, under fixed limits.
//!
//! Kubernetes manifests are read the way kubectl reads them: the text is split into
//! documents at `---` lines, each document is parsed on its own (so one broken document
//! does not hide the others), and plain scalars are resolved to null/bool/int/float/string
//! as go-yaml does before the YAML is turned into JSON. Aliases are expanded, but the size
//! of the expansion is counted first, so an alias bomb is refused without being built.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Fixed limits on what the reader accepts. They are part of the product's contract
/// (README, "Limits"): input beyond them is refused with a diagnostic, never half-read.
pub mod limits {
    /// Largest accepted input, in bytes (all files together).
    pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;
    /// Deepest accepted nesting of mappings and sequences.
    pub const MAX_DEPTH: usize = 64;
    /// Most documents accepted in one input (all files together).
    pub const MAX_DOCUMENTS: usize = 10_000;
    /// Most nodes one input may expand to, aliases included.
    pub const MAX_NODES: usize = 1_000_000;
}

/// A 1-based line and column in the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// A value read from YAML, with the position it starts at.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

/// The resolved value of a node. Keys of mappings are nodes too, so that a diagnostic
/// about a field can point at the key.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A string (quoted, block, or a plain scalar that is no other type).
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// The JSON type name go's encoding/json uses in "cannot unmarshal X" errors.
    pub fn json_type(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }
}

impl Node {
    /// Looks up a key in a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(&k.value, Value::Str(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The key node of a mapping entry (for diagnostics that point at a field name).
    pub fn get_key(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(&k.value, Value::Str(s) if s == key))
                .map(|(k, _)| k),
            _ => None,
        }
    }

    /// The string value of a scalar node, if it is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The number of nodes in this subtree (keys count as nodes).
    pub fn count(&self) -> usize {
        match &self.value {
            Value::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            Value::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|(k, v)| k.count() + v.count())
                    .sum::<usize>()
            }
            _ => 1,
        }
    }
}

/// Why a document could not be read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
}

/// One `---`-separated document of the input.
#[derive(Clone, Debug)]
pub struct Document {
    /// Position of the document's first line.
    pub start: Pos,
    /// The parsed root, `None` for an empty document (comments only).
    pub root: Result<Option<Node>, YamlError>,
}

/// Splits the text into documents at `---` lines and parses each one.
///
/// Returns `Err` only when a limit on the whole input is exceeded.
pub fn parse_documents(text: &str) -> Result<Vec<Document>, YamlError> {
    if text.len() > limits::MAX_INPUT_BYTES {
        return Err(YamlError {
            pos: Pos { line: 1, col: 1 },
            message: format!(
                "input is {} bytes; the limit is {} bytes (4 MiB)",
                text.len(),
                limits::MAX_INPUT_BYTES
            ),
        });
    }
    let chunks = split_documents(text);
    if chunks.len() > limits::MAX_DOCUMENTS {
        return Err(YamlError {
            pos: chunks[limits::MAX_DOCUMENTS].1,
            message: format!(
                "input has more than {} documents; the limit is {}",
                limits::MAX_DOCUMENTS,
                limits::MAX_DOCUMENTS
            ),
        });
    }
    let mut budget = limits::MAX_NODES;
    Ok(chunks
        .into_iter()
        .map(|(chunk, start)| Document {
            start,
            root: parse_one(chunk, start.line - 1, &mut budget),
        })
        .collect())
}

/// Splits at lines that start with `---` followed by a space or the line end, as kubectl's
/// YAML reader does. Each chunk keeps its own `---` line; the position is its first line.
fn split_documents(text: &str) -> Vec<(&str, Pos)> {
    let mut chunks = Vec::new();
    let mut start = 0usize;
    let mut start_line = 1u32;
    let mut offset = 0usize;
    for (line, raw) in (1u32..).zip(text.split_inclusive('\n')) {
        let is_marker = raw.starts_with("---")
            && raw[3..]
                .chars()
                .next()
                .is_none_or(|c| c == ' ' || c == '\t' || c == '\n' || c == '\r');
        if is_marker && offset > start {
            chunks.push((
                &text[start..offset],
                Pos {
                    line: start_line,
                    col: 1,
                },
            ));
            start = offset;
            start_line = line;
        }
        offset += raw.len();
    }
    if offset > start || chunks.is_empty() {
        chunks.push((
            &text[start..],
            Pos {
                line: start_line,
                col: 1,
            },
        ));
    }
    // A chunk holding nothing but a `---` line, blank lines and comments is no document.
    chunks
        .into_iter()
        .filter(|(chunk, _)| {
            chunk.lines().any(|l| {
                let t = l.trim();
                !(t.is_empty() || t.starts_with('#') || t == "---" || t == "...")
            })
        })
        .collect()
}

fn pos_of(mark: &Marker, line_offset: u32) -> Pos {
    Pos {
        line: mark.line() as u32 + line_offset,
        col: mark.col() as u32 + 1,
    }
}

enum Frame {
    Seq(Pos, usize, Vec<Node>),
    Map(Pos, usize, Vec<(Node, Node)>, Option<Node>),
}

fn parse_one(chunk: &str, line_offset: u32, budget: &mut usize) -> Result<Option<Node>, YamlError> {
    let mut parser = Parser::new_from_str(chunk);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut roots = 0usize;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| YamlError {
            pos: pos_of(e.marker(), line_offset),
            message: format!("error converting YAML to JSON: yaml: {}", e.info()),
        })?;
        let pos = pos_of(&mark, line_offset);
        let finished: Option<(Node, usize)> = match event {
            Event::StreamEnd => break,
            Event::StreamStart | Event::DocumentStart | Event::DocumentEnd | Event::Nothing => None,
            Event::Alias(id) => {
                let node = anchors.get(&id).ok_or_else(|| YamlError {
                    pos,
                    message: "error converting YAML to JSON: yaml: unknown anchor referenced"
                        .into(),
                })?;
                let cost = node.count();
                if cost > *budget {
                    return Err(YamlError {
                        pos,
                        message: format!(
                            "alias expansion exceeds the limit of {} nodes (an alias bomb?)",
                            limits::MAX_NODES
                        ),
                    });
                }
                *budget -= cost;
                let mut copy = node.clone();
                copy.pos = pos;
                Some((copy, 0))
            }
            Event::Scalar(text, style, anchor, _tag) => {
                take_budget(budget, pos)?;
                let value = if style == TScalarStyle::Plain {
                    resolve_plain(&text)
                } else {
                    Value::Str(text)
                };
                Some((Node { pos, value }, anchor))
            }
            Event::SequenceStart(anchor, _) => {
                take_budget(budget, pos)?;
                check_depth(stack.len(), pos)?;
                stack.push(Frame::Seq(pos, anchor, Vec::new()));
                None
            }
            Event::MappingStart(anchor, _) => {
                take_budget(budget, pos)?;
                check_depth(stack.len(), pos)?;
                stack.push(Frame::Map(pos, anchor, Vec::new(), None));
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(p, anchor, items)) => Some((
                    Node {
                        pos: p,
                        value: Value::Seq(items),
                    },
                    anchor,
                )),
                _ => return Err(internal(pos)),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(p, anchor, entries, None)) => Some((
                    Node {
                        // A block mapping's start event sits at its first ':'; the
                        // mapping starts where its first key does.
                        pos: entries.first().map_or(p, |(k, _)| k.pos.min(p)),
                        value: Value::Map(entries),
                    },
                    anchor,
                )),
                _ => return Err(internal(pos)),
            },
        };
        let Some((node, anchor)) = finished else {
            continue;
        };
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            None => {
                roots += 1;
                if roots > 1 {
                    return Err(YamlError {
                        pos,
                        message: "error converting YAML to JSON: yaml: expected a single document in the stream".into(),
                    });
                }
                root = Some(node);
            }
            Some(Frame::Seq(_, _, items)) => items.push(node),
            Some(Frame::Map(_, _, entries, pending)) => match pending.take() {
                None => {
                    match &node.value {
                        Value::Str(_) => {}
                        // JSON keys are strings: go-yaml turns scalar keys into their text.
                        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Null => {}
                        _ => return Err(YamlError {
                            pos: node.pos,
                            message:
                                "error converting YAML to JSON: yaml: mapping keys must be scalars"
                                    .into(),
                        }),
                    }
                    let key = Node {
                        pos: node.pos,
                        value: Value::Str(scalar_text(&node.value)),
                    };
                    if let Some((first, _)) = entries.iter().find(|(k, _)| k.value == key.value) {
                        return Err(YamlError {
                            pos: key.pos,
                            message: format!(
                                "error converting YAML to JSON: yaml: mapping key {:?} already defined at line {}",
                                scalar_text(&key.value),
                                first.pos.line
                            ),
                        });
                    }
                    *pending = Some(key);
                }
                Some(key) => {
                    if key.value == Value::Str("<<".into()) {
                        merge_into(entries, node, pos)?;
                    } else {
                        entries.push((key, node));
                    }
                }
            },
        }
    }
    // A document whose only content is `~`/`null` counts as empty, as in kubectl.
    Ok(root.filter(|n| n.value != Value::Null))
}

/// Applies a YAML merge key (`<<: *base`): keys of the merged mappings not already present.
fn merge_into(entries: &mut Vec<(Node, Node)>, node: Node, pos: Pos) -> Result<(), YamlError> {
    let sources = match node.value {
        Value::Map(m) => vec![m],
        Value::Seq(items) => items
            .into_iter()
            .map(|n| match n.value {
                Value::Map(m) => Ok(m),
                _ => Err(()),
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| bad_merge(pos))?,
        _ => return Err(bad_merge(pos)),
    };
    for source in sources {
        for (k, v) in source {
            if !entries.iter().any(|(e, _)| e.value == k.value) {
                entries.push((k, v));
            }
        }
    }
    Ok(())
}

fn bad_merge(pos: Pos) -> YamlError {
    YamlError {
        pos,
        message: "error converting YAML to JSON: yaml: map merge requires map or sequence of maps as the value".into(),
    }
}

fn take_budget(budget: &mut usize, pos: Pos) -> Result<(), YamlError> {
    if *budget == 0 {
        return Err(YamlError {
            pos,
            message: format!("input exceeds the limit of {} nodes", limits::MAX_NODES),
        });
    }
    *budget -= 1;
    Ok(())
}

fn check_depth(depth: usize, pos: Pos) -> Result<(), YamlError> {
    if depth >= limits::MAX_DEPTH {
        return Err(YamlError {
            pos,
            message: format!("nesting is deeper than the limit of {}", limits::MAX_DEPTH),
        });
    }
    Ok(())
}

fn internal(pos: Pos) -> YamlError {
    YamlError {
        pos,
        message: "error converting YAML to JSON: yaml: unbalanced structure".into(),
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Str(s) => s.clone(),
        Value::Seq(_) | Value::Map(_) => String::new(),
    }
}

/// Resolves a plain (unquoted) scalar the way go-yaml (YAML 1.1 flavoured, as used by
/// sigs.k8s.io/yaml) does, so `version: 1` is a number and `enabled: yes` a bool.
pub fn resolve_plain(text: &str) -> Value {
    // Most scalars in a manifest are words (`nginx`, `Deployment`): a first letter that no
    // null, boolean, number or special float starts with settles it at once.
    if let Some(b) = text.bytes().next() {
        if b.is_ascii_alphabetic() && !b"nNtTfFyYoO".contains(&b) {
            return Value::Str(text.to_string());
        }
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => {
            return Value::Bool(true)
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => {
            return Value::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let digits = text.trim_start_matches(['+', '-']);
    let negative = text.starts_with('-');
    let int = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(&hex.replace('_', ""), 16).ok()
    } else if let Some(oct) = digits.strip_prefix("0o") {
        i64::from_str_radix(&oct.replace('_', ""), 8).ok()
    } else if let Some(bin) = digits.strip_prefix("0b") {
        i64::from_str_radix(&bin.replace('_', ""), 2).ok()
    } else if digits.len() > 1
        && digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        i64::from_str_radix(digits, 8).ok()
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<i64>().ok()
    } else if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_')
        && digits.as_bytes()[0] != b'_'
    {
        digits.replace('_', "").parse::<i64>().ok()
    } else {
        None
    };
    if let Some(i) = int {
        return Value::Int(if negative { -i } else { i });
    }
    let looks_float = !digits.is_empty()
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-' | b'_'))
        && digits.bytes().any(|b| b.is_ascii_digit())
        && digits.as_bytes()[0] != b'e'
        && digits.as_bytes()[0] != b'E';
    if looks_float {
        if let Ok(f) = text.replace('_', "").parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        parse_documents(text).unwrap()[0]
            .root
            .clone()
            .unwrap()
            .unwrap()
    }

    #[test]
    fn positions_are_one_based_line_and_column() {
        let n = one("a:\n  b: 1\n");
        let b = n.get("a").unwrap().get_key("b").unwrap();
        assert_eq!(b.pos, Pos { line: 2, col: 3 });
    }

    #[test]
    fn documents_keep_their_own_lines() {
        let docs = parse_documents("a: 1\n---\nb: [\n---\nc: 3\n").unwrap();
        assert_eq!(docs.len(), 3);
        assert!(docs[1].root.is_err());
        let c = docs[2].root.clone().unwrap().unwrap();
        assert_eq!(c.get_key("c").unwrap().pos.line, 5);
    }

    #[test]
    fn plain_scalars_resolve_like_go_yaml() {
        assert_eq!(resolve_plain("80"), Value::Int(80));
        assert_eq!(resolve_plain("yes"), Value::Bool(true));
        assert_eq!(resolve_plain("1.5"), Value::Float(1.5));
        assert_eq!(resolve_plain("1Gi"), Value::Str("1Gi".into()));
        assert_eq!(resolve_plain("~"), Value::Null);
        assert_eq!(resolve_plain("0x1F"), Value::Int(31));
        assert_eq!(resolve_plain("-"), Value::Str("-".into()));
        assert_eq!(resolve_plain("e5"), Value::Str("e5".into()));
    }

    #[test]
    fn merge_keys_and_aliases_expand() {
        let n = one("base: &b {x: 1}\nother:\n  <<: *b\n  z: 2\n");
        let other = n.get("other").unwrap();
        assert_eq!(other.get("x").unwrap().value, Value::Int(1));
        assert_eq!(other.get("z").unwrap().value, Value::Int(2));
    }

    #[test]
    fn yaml_1_1_booleans_apply_to_keys_too_as_in_go_yaml() {
        let n = one("y: 1\n");
        assert_eq!(n.get("true").unwrap().value, Value::Int(1));
    }

    #[test]
    fn comment_only_documents_are_skipped() {
        let docs = parse_documents("# nothing\n---\n# still nothing\n").unwrap();
        assert!(docs.is_empty());
    }
}
