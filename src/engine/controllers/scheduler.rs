//! The scheduler (kubernetes: pkg/scheduler): binds each pending pod to a node. Filters:
//! `nodeName`, NodeUnschedulable, TaintToleration, NodeAffinity (nodeSelector and required
//! affinity), NodeResourcesFit (pod count, cpu and memory requests); score: fewest pods
//! (a stand-in for least-allocated), then name. Failures give `FailedScheduling` in
//! upstream wording.

use crate::engine::sort::SortLean;
use std::collections::{BTreeMap, BTreeSet};

use crate::engine::api::core::{
    Node, NodeSelectorRequirement, Pod, PodCondition, PodStatus, Taint, Toleration,
};
use crate::engine::cluster::{Cluster, EventType};
use crate::engine::manifest::Object;
use crate::engine::store::Key;

pub fn reconcile(c: &mut Cluster) -> bool {
    let pending: Vec<Key> = c
        .store
        .list("Pod", None)
        .filter(|o| matches!(o, Object::Pod(p) if p.spec.node_name.is_empty() && p.metadata.deletion_timestamp.is_none()))
        .map(Key::of)
        .collect();
    if pending.is_empty() {
        return false;
    }
    let nodes: Vec<Node> = c.nodes();
    // Usage indexed like `nodes`, so the hot loop does no map lookups or string copies.
    let by_name = node_usage(c);
    let mut usage: Vec<Usage> = nodes
        .iter()
        .map(|n| by_name.get(&n.metadata.name).copied().unwrap_or_default())
        .collect();
    let offered: Vec<Usage> = nodes.iter().map(allocatable).collect();
    // Nodes every unconstrained pod passes the placement filters on, by (pods, index): the
    // fewest-pods choice for such a pod is the first of these its requests fit.
    let mut open: BTreeSet<(u64, usize)> = nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| open_to_all(n))
        .map(|(i, _)| (usage[i].pods, i))
        .collect();
    let mut changed = false;
    // The last unconstrained pod that fit nowhere: what it asked for and the message. Until
    // a pod is bound (usage changes), another such pod asking the same fails the same way.
    let mut failed: Option<(Usage, String)> = None;
    for key in pending {
        let Some(Object::Pod(stored)) = c.store.get(&key) else {
            continue;
        };
        let want = Usage::of(stored);
        let free = unconstrained(stored);
        if let Some((_, message)) = failed.as_ref().filter(|(w, _)| free && *w == want) {
            if !marked_unschedulable(stored, message) {
                let (pod, message) = (stored.clone(), message.clone());
                changed |= unschedulable_raw(c, &key, pod, message);
            }
            continue;
        }
        let pod = stored.clone();
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        // PreFilter (VolumeBinding, VolumeRestrictions): a rejection names no node count.
        if let Err(reason) = crate::engine::storage::scheduling::prefilter(c, &pod) {
            changed |= unschedulable(c, &key, pod, nodes.len(), reason);
            continue;
        }
        // Nodes come in name order, so the first with the fewest pods wins ties by name.
        let mut best: Option<usize> = None;
        if free {
            // The same choice as the scan below, without filtering every node: a node
            // that fails a filter for such a pod is not in `open`, and `open` is ordered
            // by (pods, name order).
            best = open
                .iter()
                .map(|&(_, i)| i)
                .find(|&i| resources_fit(&want, &usage[i], &offered[i]).is_ok());
        }
        // Every other pod, or one whose open nodes are all full: run the filters on
        // every node, counting why each was rejected.
        if best.is_none() {
            for (i, node) in nodes.iter().enumerate() {
                let used = usage[i];
                match placement(c, &pod, node)
                    .map_err(|r| vec![r])
                    .and_then(|()| resources_fit(&want, &used, &offered[i]))
                {
                    Ok(()) => {
                        if best.is_none_or(|b| used.pods < usage[b].pods) {
                            best = Some(i);
                        }
                    }
                    Err(failed) => {
                        for reason in failed {
                            *reasons.entry(reason).or_default() += 1;
                        }
                    }
                }
            }
        }
        let mut pod = pod;
        if let Some(i) = best {
            let node = nodes[i].metadata.name.clone();
            match crate::engine::storage::scheduling::assume(c, &pod, &nodes[i]) {
                Ok(()) => {}
                Err(None) => {
                    // PreBind waits for the volume to be provisioned on that node.
                    changed = true;
                    continue;
                }
                Err(Some(message)) => {
                    changed |= unschedulable_raw(c, &key, pod, message);
                    continue;
                }
            }
            if open.remove(&(usage[i].pods, i)) {
                open.insert((usage[i].pods + want.pods, i));
            }
            usage[i].add(&want);
            failed = None;
            pod.spec.node_name = node.clone();
            let status = pod.status.get_or_insert_with(PodStatus::default);
            status.phase = "Pending".into();
            set_condition(status, "PodScheduled", "True", "", "", &c.clock.timestamp());
            c.put_status(Object::Pod(pod));
            c.event(
                EventType::Normal,
                key.clone(),
                "Scheduled",
                "default-scheduler",
                format!(
                    "Successfully assigned {}/{} to {node}",
                    key.namespace, key.name
                ),
            );
            changed = true;
        } else {
            let mut parts: Vec<String> = reasons.iter().map(|(r, k)| format!("{k} {r}")).collect();
            parts.sort_lean();
            let message = unschedulable_message(nodes.len(), &parts.join(", "));
            if free {
                failed = Some((want, message.clone()));
            }
            changed |= unschedulable_raw(c, &key, pod, message);
        }
    }
    changed
}

/// A pod no placement filter can reject on a node that is [`open_to_all`]: no
/// tolerations, node selector, node affinity or claims.
fn unconstrained(pod: &Pod) -> bool {
    let s = &pod.spec;
    s.tolerations.is_empty()
        && s.node_selector.is_empty()
        && s.affinity
            .as_ref()
            .is_none_or(|a| a.node_affinity.is_none())
        && s.volumes
            .iter()
            .all(|v| v.persistent_volume_claim.is_none())
}

/// A node that takes any unconstrained pod: schedulable, no NoSchedule/NoExecute taint.
fn open_to_all(node: &Node) -> bool {
    !node.spec.unschedulable
        && !node
            .spec
            .taints
            .iter()
            .any(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
}

/// Marks a pod unschedulable with the scheduler's message (once per distinct message).
fn unschedulable(c: &mut Cluster, key: &Key, pod: Box<Pod>, n: usize, reasons: String) -> bool {
    unschedulable_raw(c, key, pod, unschedulable_message(n, &reasons))
}

/// The scheduler's FailedScheduling message for `n` nodes and why each kind was rejected.
fn unschedulable_message(n: usize, reasons: &str) -> String {
    if n == 0 {
        "no nodes available to schedule pods".to_string()
    } else {
        format!("0/{n} nodes are available: {reasons}. preemption: 0/{n} nodes are available: {n} Preemption is not helpful for scheduling.")
    }
}

/// Whether a pod's PodScheduled condition already carries this message.
fn marked_unschedulable(pod: &Pod, message: &str) -> bool {
    pod.status.as_ref().is_some_and(|s| {
        s.conditions
            .iter()
            .any(|cd| cd.r#type == "PodScheduled" && cd.message == message)
    })
}

fn unschedulable_raw(c: &mut Cluster, key: &Key, mut pod: Box<Pod>, message: String) -> bool {
    if marked_unschedulable(&pod, &message) {
        return false;
    }
    let status = pod.status.get_or_insert_with(PodStatus::default);
    status.phase = "Pending".into();
    set_condition(
        status,
        "PodScheduled",
        "False",
        "Unschedulable",
        &message,
        &c.clock.timestamp(),
    );
    c.put_status(Object::Pod(pod));
    c.event(
        EventType::Warning,
        key.clone(),
        "FailedScheduling",
        "default-scheduler",
        message,
    );
    true
}

/// What pods request of a node: the pod count and the sum of container requests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Usage {
    pods: u64,
    cpu_millis: u64,
    memory_bytes: u64,
}

impl Usage {
    fn of(pod: &Pod) -> Usage {
        let sum = |resource: &str, parse: fn(&str) -> u64| {
            pod.spec
                .containers
                .iter()
                .filter_map(|ct| ct.resources.requests.get(resource))
                .map(|q| parse(&q.0))
                .sum()
        };
        Usage {
            pods: 1,
            cpu_millis: sum("cpu", parse_cpu),
            memory_bytes: sum("memory", parse_bytes),
        }
    }

    fn add(&mut self, other: &Usage) {
        self.pods += other.pods;
        self.cpu_millis += other.cpu_millis;
        self.memory_bytes += other.memory_bytes;
    }
}

/// What the pods bound to each node already request.
fn node_usage(c: &Cluster) -> BTreeMap<String, Usage> {
    let mut m: BTreeMap<String, Usage> = BTreeMap::new();
    for o in c.store.list("Pod", None) {
        if let Object::Pod(p) = o {
            let done = p
                .status
                .as_ref()
                .is_some_and(|s| s.phase == "Succeeded" || s.phase == "Failed");
            if !p.spec.node_name.is_empty() && !done {
                m.entry(p.spec.node_name.clone())
                    .or_default()
                    .add(&Usage::of(p));
            }
        }
    }
    m
}

/// Sets a pod condition, keeping `lastTransitionTime` when the status did not change.
pub fn set_condition(
    status: &mut PodStatus,
    kind: &str,
    value: &str,
    reason: &str,
    message: &str,
    now: &str,
) {
    match status.conditions.iter_mut().find(|c| c.r#type == kind) {
        Some(c) => {
            if c.status != value {
                c.last_transition_time = Some(now.into());
            }
            c.status = value.into();
            c.reason = reason.into();
            c.message = message.into();
        }
        None => status.conditions.push(PodCondition {
            r#type: kind.into(),
            status: value.into(),
            reason: reason.into(),
            message: message.into(),
            last_transition_time: Some(now.into()),
            ..PodCondition::default()
        }),
    }
}

/// Why `pod` cannot run on `node`, in the scheduler's words; Ok if it can.
/// A Filter plugin (the scheduler framework's extension point): why `pod` cannot run on
/// `node`, in the scheduler's words, or `Ok` if it can.
pub type FilterPlugin = fn(&Cluster, &Pod, &Node) -> Result<(), String>;

/// The placement Filter plugins, in the default profile's order. A pod stops at the first
/// that rejects a node. Storage plugs its plugins in here (VolumeRestrictions,
/// NodeVolumeLimits, VolumeBinding); NodeResourcesFit runs after them with the pass's
/// running totals.
pub static PLACEMENT_FILTERS: &[(&str, FilterPlugin)] = &[
    ("NodeUnschedulable", node_unschedulable),
    ("TaintToleration", taint_toleration),
    ("NodeAffinity", node_affinity),
    ("VolumeBinding", crate::engine::storage::scheduling::filter),
];

/// Runs the placement filters: where a pod may run regardless of load. The DaemonSet
/// controller asks this too.
pub fn placement(c: &Cluster, pod: &Pod, node: &Node) -> Result<(), String> {
    PLACEMENT_FILTERS
        .iter()
        .try_for_each(|(_, plugin)| plugin(c, pod, node))
}

/// NodeUnschedulable: a cordoned node takes only pods tolerating its taint.
fn node_unschedulable(_: &Cluster, pod: &Pod, node: &Node) -> Result<(), String> {
    if !node.spec.unschedulable {
        return Ok(());
    }
    let taint = Taint {
        key: "node.kubernetes.io/unschedulable".into(),
        effect: "NoSchedule".into(),
        ..Taint::default()
    };
    if tolerates(&pod.spec.tolerations, &taint) {
        Ok(())
    } else {
        Err("node(s) were unschedulable".into())
    }
}

/// TaintToleration: every NoSchedule/NoExecute taint must be tolerated.
fn taint_toleration(_: &Cluster, pod: &Pod, node: &Node) -> Result<(), String> {
    match node.spec.taints.iter().find(|t| {
        (t.effect == "NoSchedule" || t.effect == "NoExecute")
            && !tolerates(&pod.spec.tolerations, t)
    }) {
        Some(t) => Err(format!(
            "node(s) had untolerated taint {{{}: {}}}",
            t.key, t.value
        )),
        None => Ok(()),
    }
}

/// NodeAffinity: `nodeSelector` and required node affinity.
fn node_affinity(_: &Cluster, pod: &Pod, node: &Node) -> Result<(), String> {
    let labels = &node.metadata.labels;
    let selector_ok = pod
        .spec
        .node_selector
        .iter()
        .all(|(k, v)| labels.get(k) == Some(v));
    let affinity_ok = pod
        .spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|a| {
            a.required_during_scheduling_ignored_during_execution
                .as_ref()
        })
        .is_none_or(|sel| node_selector_matches(sel, node));
    if selector_ok && affinity_ok {
        Ok(())
    } else {
        Err("node(s) didn't match Pod's node affinity/selector".into())
    }
}

/// Whether a node satisfies a required node selector (any term; every expression of it).
pub fn node_selector_matches(sel: &crate::engine::api::core::NodeSelector, node: &Node) -> bool {
    let labels = &node.metadata.labels;
    sel.node_selector_terms.iter().any(|term| {
        term.match_expressions
            .iter()
            .all(|e| requirement_matches(e, labels.get(&e.key)))
            && term.match_fields.iter().all(|e| {
                requirement_matches(e, (e.key == "metadata.name").then_some(&node.metadata.name))
            })
    })
}

/// What a node offers pods (its `status.allocatable`), read once per pass.
fn allocatable(node: &Node) -> Usage {
    let get = |resource: &str, parse: fn(&str) -> u64| {
        node.status
            .as_ref()
            .and_then(|s| s.allocatable.get(resource))
            .map_or(0, |q| parse(&q.0))
    };
    Usage {
        pods: get("pods", |q| q.parse().unwrap_or(0)),
        cpu_millis: get("cpu", parse_cpu),
        memory_bytes: get("memory", parse_bytes),
    }
}

/// NodeResourcesFit: the pod count, then cpu and memory requests, each insufficient
/// resource a reason of its own (kubernetes: pkg/scheduler/framework/plugins/noderesources/fit.go).
fn resources_fit(want: &Usage, used: &Usage, offered: &Usage) -> Result<(), Vec<String>> {
    let mut failed = Vec::new();
    if used.pods + 1 > offered.pods {
        failed.push("Too many pods".to_string());
    }
    if want.cpu_millis > 0 && used.cpu_millis + want.cpu_millis > offered.cpu_millis {
        failed.push("Insufficient cpu".to_string());
    }
    if want.memory_bytes > 0 && used.memory_bytes + want.memory_bytes > offered.memory_bytes {
        failed.push("Insufficient memory".to_string());
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed)
    }
}

fn requirement_matches(e: &NodeSelectorRequirement, value: Option<&String>) -> bool {
    match e.operator.as_str() {
        "In" => value.is_some_and(|v| e.values.contains(v)),
        "NotIn" => value.is_none_or(|v| !e.values.contains(v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" | "Lt" => {
            let (Some(v), Some(bound)) = (
                value.and_then(|v| v.parse::<i64>().ok()),
                e.values.first().and_then(|b| b.parse::<i64>().ok()),
            ) else {
                return false;
            };
            if e.operator == "Gt" {
                v > bound
            } else {
                v < bound
            }
        }
        _ => false,
    }
}

/// Whether some toleration tolerates the taint (kubernetes: pkg/apis/core/v1/helper).
pub fn tolerates(tolerations: &[Toleration], taint: &Taint) -> bool {
    tolerations.iter().any(|t| {
        (t.effect.is_empty() || t.effect == taint.effect)
            && (t.key.is_empty() && t.operator == "Exists" || t.key == taint.key)
            && match t.operator.as_str() {
                "Exists" => true,
                "" | "Equal" => t.value == taint.value,
                _ => false,
            }
    })
}

/// CPU quantity in millicores (`500m`, `2`, `0.5`).
pub fn parse_cpu(q: &str) -> u64 {
    if let Some(m) = q.strip_suffix('m') {
        m.parse().unwrap_or(0)
    } else {
        q.parse::<f64>().map_or(0, |v| (v * 1000.0) as u64)
    }
}

/// Byte quantity (`128Mi`, `1G`, `1e3`, `500`).
pub fn parse_bytes(q: &str) -> u64 {
    const SUFFIXES: &[(&str, u64)] = &[
        ("Ki", 1 << 10),
        ("Mi", 1 << 20),
        ("Gi", 1 << 30),
        ("Ti", 1 << 40),
        ("Pi", 1 << 50),
        ("Ei", 1 << 60),
        ("k", 1_000),
        ("M", 1_000_000),
        ("G", 1_000_000_000),
        ("T", 1_000_000_000_000),
        ("P", 1_000_000_000_000_000),
        ("E", 1_000_000_000_000_000_000),
    ];
    for (s, mult) in SUFFIXES {
        if let Some(n) = q.strip_suffix(s) {
            return n.parse::<f64>().map_or(0, |v| (v * *mult as f64) as u64);
        }
    }
    q.parse::<f64>().map_or(0, |v| v as u64)
}

/// The key a scheduler event is recorded against.
pub fn pod_key(pod: &Pod) -> Key {
    Key::new("Pod", &pod.metadata.namespace, &pod.metadata.name)
}
