//! The storage view: nodes as lanes with their pods; each pod's volumes (emptyDir and
//! other pod-local volumes beside the pod, hostPath on its node's disk, claims → volumes →
//! classes); where the data lives (a node's disk, or storage outside the nodes).

use crate::engine::sort::SortLean;
use std::collections::BTreeMap;

use super::{is_system_namespace, Edge, Lane, Model, Node, State};
use crate::engine::api::core::{PersistentVolume, PersistentVolumeClaim, Pod};
use crate::engine::cluster::{Cluster, EventType};
use crate::engine::kubectl::get::{access_modes, pod_status};
use crate::engine::manifest::Object;
use crate::engine::storage::{self, Backing};
use crate::engine::store::Key;

const TIER_POD: usize = 0;
const TIER_IN_POD: usize = 1;
const TIER_PVC: usize = 2;
const TIER_PV: usize = 3;
const TIER_DATA: usize = 4;
const TIER_CLASS: usize = 5;

/// Builds the storage view of the cluster.
pub fn build(c: &Cluster) -> Model {
    let mut m = Model {
        title: "Storage".into(),
        tiers: vec![
            "Pods",
            "In the pod",
            "PersistentVolumeClaims",
            "PersistentVolumes",
            "Where the data lives",
            "StorageClasses",
        ],
        ..Model::default()
    };
    let nodes: Vec<String> = c.nodes().iter().map(|n| n.metadata.name.clone()).collect();
    for n in &nodes {
        m.lanes.push(Lane {
            id: format!("Node/{n}"),
            label: format!("node {n}"),
        });
    }
    let unscheduled = m.lanes.len();
    m.lanes.push(Lane {
        id: "unscheduled".into(),
        label: "not scheduled on a node".into(),
    });
    let api = m.lanes.len();
    m.lanes.push(Lane {
        id: "api".into(),
        label: "API objects (cluster-wide, not on a node)".into(),
    });
    let outside = m.lanes.len();
    m.lanes.push(Lane {
        id: "outside".into(),
        label: "outside the nodes (storage providers)".into(),
    });
    let lane_of_node = |name: &str| nodes.iter().position(|n| n == name);

    // The last warning of each object, read once.
    let mut warnings: BTreeMap<&Key, &crate::engine::cluster::Event> = BTreeMap::new();
    for e in c.events.iter().filter(|e| e.r#type == EventType::Warning) {
        warnings.insert(&e.object, e);
    }
    // Pods and their volumes.
    for o in c.store.list("Pod", None) {
        let Object::Pod(p) = o else { continue };
        // The cluster's own pods only when they hold data (fluentd's hostPath logs).
        let holds_data = p.spec.volumes.iter().any(|v| {
            v.host_path.is_some()
                || v.persistent_volume_claim.is_some()
                || v.empty_dir.is_some()
                || storage::inline_provider(v).is_some()
        });
        if is_system_namespace(&p.metadata.namespace) && !holds_data {
            continue;
        }
        let pod_id = format!("Pod/{}/{}", p.metadata.namespace, p.metadata.name);
        let lane = lane_of_node(&p.spec.node_name).unwrap_or(unscheduled);
        let (state, why) = pod_state(&warnings, p);
        let status = pod_status(p);
        m.push(Node {
            id: pod_id.clone(),
            lane,
            tier: TIER_POD,
            kind: "pod",
            label: p.metadata.name.clone(),
            lines: vec![status.clone(), namespace_line(&p.metadata.namespace)],
            state,
            title: format!(
                "Pod {}/{}: {status}{}",
                p.metadata.namespace,
                p.metadata.name,
                why.as_ref().map(|w| format!("\n{w}")).unwrap_or_default()
            ),
        });
        for v in &p.spec.volumes {
            let mounts = mount_paths(p, &v.name);
            if let Some(claim) = &v.persistent_volume_claim {
                let pvc_id = format!(
                    "PersistentVolumeClaim/{}/{}",
                    p.metadata.namespace, claim.claim_name
                );
                if c.store
                    .get(&Key::new(
                        "PersistentVolumeClaim",
                        &p.metadata.namespace,
                        &claim.claim_name,
                    ))
                    .is_none()
                {
                    m.push(Node {
                        id: pvc_id.clone(),
                        lane: api,
                        tier: TIER_PVC,
                        kind: "pvc",
                        label: claim.claim_name.clone(),
                        lines: vec!["not found".into()],
                        state: State::Error,
                        title: format!(
                            "persistentvolumeclaim \"{}\" not found: pod {} cannot start",
                            claim.claim_name, p.metadata.name
                        ),
                    });
                }
                let mut e = Edge::new(&pod_id, &pvc_id, mounts);
                if state == State::Error {
                    let multi = why.as_deref().is_some_and(|w| w.contains("Multi-Attach"));
                    e = e.state(State::Error);
                    if multi {
                        e.label = "Multi-Attach error".into();
                        e.title = why.clone().unwrap_or_default();
                    }
                }
                m.edges.push(e);
                continue;
            }
            if let Some(hp) = &v.host_path {
                let Some(node_lane) = lane_of_node(&p.spec.node_name) else {
                    continue;
                };
                let id = format!("disk/{}{}", p.spec.node_name, hp.path);
                m.push(Node {
                    id: id.clone(),
                    lane: node_lane,
                    tier: TIER_DATA,
                    kind: "disk",
                    label: hp.path.clone(),
                    lines: vec![format!("{}'s disk", p.spec.node_name)],
                    state: State::Neutral,
                    title: format!(
                        "hostPath {} on node {}: the node's own filesystem; another node has its own, different {}",
                        hp.path, p.spec.node_name, hp.path
                    ),
                });
                m.edges
                    .push(Edge::new(&pod_id, &id, format!("hostPath {mounts}")));
                continue;
            }
            if let Some((plugin, url)) = storage::inline_provider(v) {
                let id = format!("ext/{url}");
                m.push(Node {
                    id: id.clone(),
                    lane: outside,
                    tier: TIER_DATA,
                    kind: "ext",
                    label: url.clone(),
                    lines: vec![format!("{plugin} (inline in the pod)")],
                    state: State::Neutral,
                    title: format!("{plugin} volume {url}: storage outside the nodes; the data stays when the pod moves"),
                });
                m.edges.push(Edge::new(&pod_id, &id, mounts));
                continue;
            }
            let (what, note) = if let Some(ed) = &v.empty_dir {
                (
                    "emptyDir",
                    if ed.medium == "Memory" {
                        "in the pod · tmpfs (Memory)".to_string()
                    } else {
                        "in the pod · lives and dies with it".to_string()
                    },
                )
            } else if !v.config_map.is_null() {
                ("configMap", "in the pod · read-only".to_string())
            } else if !v.secret.is_null() {
                ("secret", "in the pod · read-only".to_string())
            } else if !v.projected.is_null() {
                ("projected", "in the pod · read-only".to_string())
            } else if !v.downward_api.is_null() {
                ("downwardAPI", "in the pod · read-only".to_string())
            } else if !v.ephemeral.is_null() {
                ("ephemeral", "a claim made for the pod".to_string())
            } else {
                ("volume", "in the pod".to_string())
            };
            let id = format!(
                "Vol/{}/{}/{}",
                p.metadata.namespace, p.metadata.name, v.name
            );
            m.push(Node {
                id: id.clone(),
                lane,
                tier: TIER_IN_POD,
                kind: "vol",
                label: format!("{what} {}", v.name),
                lines: vec![note],
                state: State::Neutral,
                title: format!(
                    "{what} volume {} of pod {}: mounted at {mounts}; its containers share it{}",
                    v.name,
                    p.metadata.name,
                    if what == "emptyDir" {
                        ", it survives container restarts and is deleted with the pod"
                    } else {
                        ""
                    }
                ),
            });
            m.edges.push(Edge::new(&pod_id, &id, mounts));
        }
    }

    // Claims.
    for o in c.store.list("PersistentVolumeClaim", None) {
        let Object::PersistentVolumeClaim(pvc) = o else {
            continue;
        };
        claim(c, &mut m, pvc, api);
    }
    // Volumes and where their data lives.
    for o in c.store.list("PersistentVolume", None) {
        let Object::PersistentVolume(pv) = o else {
            continue;
        };
        volume(&mut m, pv, api, outside, &lane_of_node);
    }
    // Classes (only those something uses, and the default).
    let default = storage::default_class(c).map(|sc| sc.metadata.name);
    for o in c.store.list("StorageClass", None) {
        let Object::StorageClass(sc) = o else {
            continue;
        };
        let id = format!("StorageClass/{}", sc.metadata.name);
        let used = m.edges.iter().any(|e| e.to == id);
        let is_default = default.as_deref() == Some(sc.metadata.name.as_str());
        if !used && !is_default {
            continue;
        }
        let mode = if storage::waits_for_consumer(sc) {
            "WaitForFirstConsumer"
        } else {
            "Immediate"
        };
        m.push(Node {
            id,
            lane: api,
            tier: TIER_CLASS,
            kind: "sc",
            label: format!(
                "sc {}{}",
                sc.metadata.name,
                if is_default { " (default)" } else { "" }
            ),
            lines: vec![sc.provisioner.clone(), mode.into()],
            state: State::Neutral,
            title: format!(
                "StorageClass {}: provisioner {}, volumeBindingMode {mode}, reclaimPolicy {}",
                sc.metadata.name,
                sc.provisioner,
                sc.reclaim_policy.as_deref().unwrap_or("Delete")
            ),
        });
    }
    m.prune_edges();
    m.drop_empty_lanes();
    if m.nodes.is_empty() {
        m.notes.push(
            "No pods or volumes yet: paste a manifest with a pod that mounts a volume.".into(),
        );
    }
    m
}

fn namespace_line(ns: &str) -> String {
    format!("ns {ns}")
}

/// Where a pod mounts a volume (`/data`, `/a, /b (ro)`).
fn mount_paths(p: &Pod, volume: &str) -> String {
    let mut paths: Vec<String> = p
        .spec
        .containers
        .iter()
        .flat_map(|ct| &ct.volume_mounts)
        .filter(|vm| vm.name == volume)
        .map(|vm| {
            if vm.read_only {
                format!("{} (ro)", vm.mount_path)
            } else {
                vm.mount_path.clone()
            }
        })
        .collect();
    paths.sort_lean();
    paths.dedup();
    paths.join(", ")
}

/// A pod's colour and, when it is stuck, the kubelet's or scheduler's last warning.
fn pod_state(
    warnings: &BTreeMap<&Key, &crate::engine::cluster::Event>,
    p: &Pod,
) -> (State, Option<String>) {
    let status = pod_status(p);
    let key = Key::new("Pod", &p.metadata.namespace, &p.metadata.name);
    let warning = warnings
        .get(&key)
        .map(|e| format!("{}: {}", e.reason, e.message));
    match status.as_str() {
        "Running" if crate::engine::controllers::kubelet::is_ready(p) => (State::Ok, None),
        "Running" => (State::Warn, Some("running but not ready".into())),
        "Succeeded" | "Completed" => (State::Neutral, None),
        "ContainerCreating" | "Pending" => match warning {
            Some(w)
                if w.starts_with("FailedAttachVolume")
                    || w.starts_with("FailedMount")
                    || w.starts_with("FailedScheduling") =>
            {
                (
                    if w.contains("Multi-Attach") || w.starts_with("FailedMount") {
                        State::Error
                    } else {
                        State::Pending
                    },
                    Some(w),
                )
            }
            w => (State::Pending, w),
        },
        _ => (State::Error, warning),
    }
}

fn claim(c: &Cluster, m: &mut Model, pvc: &PersistentVolumeClaim, api: usize) {
    let ns = &pvc.metadata.namespace;
    let name = &pvc.metadata.name;
    let id = format!("PersistentVolumeClaim/{ns}/{name}");
    let report = storage::explain_claim(c, ns, name);
    let phase = report
        .as_ref()
        .map_or_else(|| "Pending".to_string(), |r| r.phase.clone());
    let terminating = pvc.metadata.deletion_timestamp.is_some();
    let state = match phase.as_str() {
        _ if terminating => State::Warn,
        "Bound" => State::Ok,
        "Lost" => State::Error,
        _ => State::Pending,
    };
    let request = pvc
        .spec
        .resources
        .requests
        .get("storage")
        .map_or(String::new(), |q| q.0.clone());
    let mut title = format!("PersistentVolumeClaim {ns}/{name}: ");
    if let Some(r) = &report {
        title.push_str(&r.verdict);
        for (pv, verdict) in &r.considered {
            match verdict {
                Ok(()) => title.push_str(&format!("\n✓ {pv}: fits")),
                Err(why) => title.push_str(&format!("\n✗ {pv}: {why}")),
            }
        }
    }
    m.push(Node {
        id: id.clone(),
        lane: api,
        tier: TIER_PVC,
        kind: "pvc",
        label: name.clone(),
        lines: vec![
            format!(
                "{}{}{}",
                if terminating { "Terminating" } else { &phase },
                if request.is_empty() { "" } else { " · " },
                request
            ),
            format!(
                "{} · ns {ns}",
                access_modes(&pvc.spec.access_modes).replace(',', "+")
            ),
        ],
        state,
        title,
    });
    if phase == "Bound" || !pvc.spec.volume_name.is_empty() {
        let pv = format!("PersistentVolume/{}", pvc.spec.volume_name);
        let e = Edge::new(
            &id,
            &pv,
            if phase == "Bound" {
                "bound"
            } else {
                "asks for"
            },
        );
        m.edges.push(if phase == "Bound" {
            e.state(State::Ok)
        } else {
            e.dashed("spec.volumeName names it; not bound yet")
        });
    }
    let class = storage::claim_class(pvc);
    if !class.is_empty() && phase != "Bound" {
        m.edges.push(
            Edge::new(&id, &format!("StorageClass/{class}"), "class").dashed(format!(
                "storageClassName {class}: the class's provisioner would make its volume"
            )),
        );
    }
}

fn volume(
    m: &mut Model,
    pv: &PersistentVolume,
    api: usize,
    outside: usize,
    lane_of_node: &dyn Fn(&str) -> Option<usize>,
) {
    let name = &pv.metadata.name;
    let id = format!("PersistentVolume/{name}");
    let phase = pv
        .status
        .as_ref()
        .map(|s| s.phase.clone())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "Pending".into());
    let state = match phase.as_str() {
        "Bound" => State::Ok,
        "Available" => State::Neutral,
        "Released" => State::Warn,
        "Failed" => State::Error,
        _ => State::Pending,
    };
    let reclaim = if pv.spec.persistent_volume_reclaim_policy.is_empty() {
        "Retain".to_string()
    } else {
        pv.spec.persistent_volume_reclaim_policy.clone()
    };
    let capacity = pv
        .spec
        .capacity
        .get("storage")
        .map_or(String::new(), |q| q.0.clone());
    let claim = pv
        .spec
        .claim_ref
        .as_ref()
        .map(|r| format!("{}/{}", r.namespace, r.name));
    let message = pv
        .status
        .as_ref()
        .map(|s| s.message.clone())
        .unwrap_or_default();
    m.push(Node {
        id: id.clone(),
        lane: api,
        tier: TIER_PV,
        kind: "pv",
        label: name.clone(),
        lines: vec![
            format!("{phase} · {capacity}"),
            format!(
                "{} · {reclaim}",
                access_modes(&pv.spec.access_modes).replace(',', "+")
            ),
        ],
        state,
        title: format!(
            "PersistentVolume {name}: {phase}, {capacity}, accessModes {}, reclaimPolicy {reclaim}, class {:?}{}{}",
            pv.spec.access_modes.join(","),
            storage::pv_class(pv),
            claim.map(|c| format!(", claimRef {c}")).unwrap_or_default(),
            if message.is_empty() { String::new() } else { format!("\n{message}") }
        ),
    });
    let class = storage::pv_class(pv);
    if !class.is_empty()
        && pv
            .metadata
            .annotations
            .contains_key(storage::PROVISIONED_BY)
    {
        m.edges.push(
            Edge::new(&id, &format!("StorageClass/{class}"), "provisioned by")
                .dashed(format!("made by StorageClass {class}'s provisioner")),
        );
    }
    let source = storage::pv_sources(&pv.spec)
        .first()
        .copied()
        .unwrap_or("volume");
    let (data_id, lane, label, line, title) = match storage::pv_backing(pv) {
        Backing::Node(node, path) => (
            format!("disk/{node}{path}"),
            lane_of_node(&node),
            path.clone(),
            format!("{node}'s disk"),
            format!("{source} {path} on node {node}: pods using it must run there"),
        ),
        Backing::PodNode(path) => (
            format!("disk/*{path}"),
            Some(outside),
            path.clone(),
            "the disk of whichever node runs the pod".to_string(),
            format!("{source} {path}: each node has its own; the data is on the node the pod runs on"),
        ),
        Backing::External(url) => (
            format!("ext/{url}"),
            Some(outside),
            url.clone(),
            format!("{source} · outside the nodes"),
            format!("{source} {url}: storage outside the nodes; the data survives pods moving between nodes"),
        ),
    };
    m.push(Node {
        id: data_id.clone(),
        lane: lane.unwrap_or(outside),
        tier: TIER_DATA,
        kind: if data_id.starts_with("ext/") {
            "ext"
        } else {
            "disk"
        },
        label,
        lines: vec![line],
        state: State::Neutral,
        title,
    });
    m.edges.push(Edge::new(&id, &data_id, source));
}
