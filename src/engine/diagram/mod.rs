//! Diagrams of the cluster: storage topology, network topology with the path of the last
//! request, and the queries of a DNS lookup. Each view is built as a [`Model`] (boxes in
//! lanes and tiers, edges between them) from the cluster, laid out by the pure function
//! [`layout::layout`], and rendered as SVG, Mermaid or a text table by [`render`]. The
//! browser only shows the SVG the worker sends; the CLI prints the same text.

pub mod dns;
pub mod layout;
pub mod network;
pub mod render;
pub mod storage;

use crate::engine::sort::CollectLean;
use std::collections::BTreeMap;

use super::cluster::Cluster;

/// How a box is coloured: the state of the object it stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    /// Bound, Running and ready, serving.
    Ok,
    /// Waiting: Pending, ContainerCreating, provisioning.
    Pending,
    /// Works but needs a look: Released, not ready, no endpoints.
    Warn,
    /// Broken: Failed, Lost, Multi-Attach, missing.
    Error,
    /// Available, a plain object without a phase.
    Neutral,
    /// Context rather than content: nodes' kube-proxy, the outside client.
    Muted,
}

impl State {
    /// The CSS class suffix and the word the text table uses.
    pub fn name(self) -> &'static str {
        match self {
            State::Ok => "ok",
            State::Pending => "pending",
            State::Warn => "warn",
            State::Error => "error",
            State::Neutral => "neutral",
            State::Muted => "muted",
        }
    }
}

/// A horizontal band: a node, or a place that is not a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lane {
    pub id: String,
    pub label: String,
}

/// A box: one object (or a place data lives).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Stable id, `Kind/namespace/name` for objects.
    pub id: String,
    /// Index into [`Model::lanes`].
    pub lane: usize,
    /// Column, left to right (see [`Model::tiers`]).
    pub tier: usize,
    /// The kind as a short word (`pod`, `pvc`, `svc`…), for CSS and the table.
    pub kind: &'static str,
    pub label: String,
    /// Up to two more lines.
    pub lines: Vec<String>,
    pub state: State,
    /// The hover text: the whole story (reasons included).
    pub title: String,
}

/// An arrow between two boxes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub label: String,
    /// Drawn dashed: a relation that does not carry data or traffic (a claim's class, a
    /// pod a Service does not select, an endpoint that is not ready).
    pub dashed: bool,
    pub state: State,
    pub title: String,
    /// Part of the highlighted request path.
    pub path: bool,
}

impl Edge {
    fn new(from: &str, to: &str, label: impl Into<String>) -> Edge {
        Edge {
            from: from.to_string(),
            to: to.to_string(),
            label: label.into(),
            dashed: false,
            state: State::Neutral,
            title: String::new(),
            path: false,
        }
    }

    fn dashed(mut self, why: impl Into<String>) -> Edge {
        self.dashed = true;
        self.title = why.into();
        self
    }

    fn state(mut self, state: State) -> Edge {
        self.state = state;
        self
    }
}

/// A highlighted path (a request): the boxes in order, each with what happened there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Path {
    /// One line saying what was asked and how it ended.
    pub summary: String,
    pub steps: Vec<(String, Vec<String>)>,
    /// How many of the same requests each pod answered (`Pod/ns/name` → count).
    pub spread: BTreeMap<String, usize>,
}

/// What a view draws, before layout.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Model {
    pub title: String,
    /// Column headers.
    pub tiers: Vec<&'static str>,
    pub lanes: Vec<Lane>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub path: Option<Path>,
    /// Shown under the diagram when it is empty or simplified.
    pub notes: Vec<String>,
    /// Boxes a what-if comparison found different (drawn with a marker).
    pub changed: std::collections::BTreeSet<String>,
    /// The ids pushed so far (for [`Model::push`]).
    pub ids: std::collections::BTreeSet<String>,
}

impl Model {
    /// The box with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    fn push(&mut self, node: Node) {
        if self.ids.insert(node.id.clone()) {
            self.nodes.push(node);
        }
    }

    /// Keeps only edges whose both ends exist (an object can point at one not drawn).
    fn prune_edges(&mut self) {
        let ids: std::collections::BTreeSet<&str> =
            self.nodes.iter().map(|n| n.id.as_str()).collect_set();
        self.edges
            .retain(|e| ids.contains(e.from.as_str()) && ids.contains(e.to.as_str()));
        let mut seen = std::collections::BTreeSet::new();
        self.edges
            .retain(|e| seen.insert((e.from.clone(), e.to.clone(), e.label.clone())));
    }

    /// Removes lanes nothing is in, except nodes (an empty node is worth seeing).
    fn drop_empty_lanes(&mut self) {
        let keep: Vec<bool> = (0..self.lanes.len())
            .map(|i| {
                self.lanes[i].id.starts_with("Node/") || self.nodes.iter().any(|n| n.lane == i)
            })
            .collect();
        let mut new_index = Vec::with_capacity(keep.len());
        let mut next = 0;
        for k in &keep {
            new_index.push(next);
            if *k {
                next += 1;
            }
        }
        for n in &mut self.nodes {
            n.lane = new_index[n.lane];
        }
        let mut i = 0;
        self.lanes.retain(|_| {
            i += 1;
            keep[i - 1]
        });
    }

    /// Marks the path's edges (adding one where two consecutive boxes had none).
    fn mark_path(&mut self) {
        let Some(path) = &self.path else {
            return;
        };
        let ids: Vec<String> = path
            .steps
            .iter()
            .map(|(id, _)| id.clone())
            .filter(|id| self.node(id).is_some())
            .collect();
        for pair in ids.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if a == b {
                continue;
            }
            match self.edges.iter_mut().find(|e| e.from == *a && e.to == *b) {
                Some(e) => e.path = true,
                None => {
                    let mut e = Edge::new(a, b, "");
                    e.path = true;
                    self.edges.push(e);
                }
            }
        }
    }
}

/// The views `diagram` draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Storage,
    Network,
    Dns,
}

impl View {
    pub fn parse(word: &str) -> Option<View> {
        match word {
            "storage" => Some(View::Storage),
            "network" | "net" => Some(View::Network),
            "dns" => Some(View::Dns),
            _ => None,
        }
    }
}

/// Namespaces whose objects are the cluster's own machinery, left out of the views
/// (except where they carry the person's traffic: the ingress controller pod).
pub fn is_system_namespace(ns: &str) -> bool {
    matches!(
        ns,
        "kube-system" | "kube-public" | "kube-node-lease" | "local-path-storage" | "ingress-nginx"
    )
}

/// The `diagram` command: `diagram storage|network|dns [POD NAME] [-o table|svg|mermaid]`.
pub fn command(c: &Cluster, args: &[&str]) -> String {
    const USAGE: &str =
        "usage: diagram storage|network|dns [-n NAMESPACE POD NAME] [-o table|svg|mermaid]";
    let (namespace, args) = match crate::engine::kubectl::take_namespace(args) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let mut format = "table";
    let mut changed: Vec<String> = Vec::new();
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "-o" | "--output" => {
                format = args.get(i + 1).copied().unwrap_or("");
                i += 1;
            }
            a if a.starts_with("-o=") || a.starts_with("--output=") => {
                format = a.split_once('=').map_or("", |(_, v)| v);
            }
            "--changed" => {
                changed = args
                    .get(i + 1)
                    .map(|v| {
                        v.split(',')
                            .filter(|s| !s.is_empty())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                i += 1;
            }
            a => rest.push(a),
        }
        i += 1;
    }
    let Some(view) = rest.first().and_then(|w| View::parse(w)) else {
        return format!("error: {USAGE}");
    };
    if view == View::Dns {
        let lookup = match rest.as_slice() {
            [_, pod, name] => Some((namespace, pod.to_string(), name.to_string())),
            [_] => None,
            _ => return format!("error: {USAGE}"),
        };
        let seq = dns::build(c, lookup);
        return match format {
            "table" => render::sequence_table(&seq),
            "svg" => render::sequence_svg(&seq),
            "mermaid" => render::sequence_mermaid(&seq),
            other => format!("error: unknown output format {other:?} (table, svg, mermaid)"),
        };
    }
    if rest.len() > 1 {
        return format!("error: {USAGE}");
    }
    let mut model = match view {
        View::Storage => storage::build(c),
        _ => network::build(c),
    };
    // A workload's id ends with `-`: its pods are the boxes whose ids start with it.
    model.changed = model
        .nodes
        .iter()
        .filter(|n| {
            changed
                .iter()
                .any(|c| n.id == *c || (c.ends_with('-') && n.id.starts_with(c.as_str())))
        })
        .map(|n| n.id.clone())
        .collect();
    match format {
        "table" => render::table(&model),
        "svg" => render::svg(&model, &layout::layout(&model)),
        "mermaid" => render::mermaid(&model),
        other => format!("error: unknown output format {other:?} (table, svg, mermaid)"),
    }
}
