//! What-if: the same cluster built twice (two sets of manifests, the same seed and
//! commands) and what differs — object states that matter for the lessons (phases,
//! bindings, endpoints, addresses, workload readiness) and the commands' output.
//! Pods made by controllers get random names, so they are compared through their owner
//! (a Deployment's ready pods and their nodes), not one by one.

use crate::engine::sort::SortLean;
use std::collections::BTreeMap;

use super::manifest::Object;
use super::session::Session;
use super::SourceFile;

/// A state's summary: object (`Kind namespace/name`) → what matters about it.
pub fn summary(s: &Session) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let c = &s.cluster;
    for (key, o) in c.store.iter() {
        let id = if key.namespace.is_empty() {
            format!("{} {}", key.kind, key.name)
        } else {
            format!("{} {}/{}", key.kind, key.namespace, key.name)
        };
        let text = match o {
            Object::Pod(p) if p.metadata.owner_references.is_empty() => {
                let st = p.status.clone().unwrap_or_default();
                Some(format!(
                    "{} on {}{}",
                    if st.phase.is_empty() {
                        "Pending"
                    } else {
                        &st.phase
                    },
                    if p.spec.node_name.is_empty() {
                        "<none>"
                    } else {
                        &p.spec.node_name
                    },
                    if super::controllers::kubelet::is_ready(p) {
                        ", ready"
                    } else {
                        ", not ready"
                    }
                ))
            }
            Object::Deployment(d) => {
                let mut nodes: Vec<String> = c
                    .store
                    .list("Pod", Some(&key.namespace))
                    .filter_map(|o| match o {
                        Object::Pod(p)
                            if p.metadata
                                .name
                                .starts_with(&format!("{}-", d.metadata.name))
                                && super::controllers::kubelet::is_ready(p) =>
                        {
                            Some(p.spec.node_name.clone())
                        }
                        _ => None,
                    })
                    .collect();
                nodes.sort_lean();
                Some(format!(
                    "{} of {} pods ready on [{}]",
                    nodes.len(),
                    d.spec.replicas.unwrap_or(1),
                    nodes.join(", ")
                ))
            }
            Object::StatefulSet(_) | Object::DaemonSet(_) => {
                let json = o.to_json();
                Some(
                    json.pointer("/status/readyReplicas")
                        .or_else(|| json.pointer("/status/numberReady"))
                        .map_or("0 ready".into(), |v| format!("{v} ready")),
                )
            }
            Object::PersistentVolumeClaim(p) => {
                let st = p.status.clone().unwrap_or_default();
                Some(format!(
                    "{}{}, class {}",
                    if st.phase.is_empty() {
                        "Pending"
                    } else {
                        &st.phase
                    },
                    if p.spec.volume_name.is_empty() {
                        String::new()
                    } else {
                        format!(" to {}", p.spec.volume_name)
                    },
                    match p.spec.storage_class_name.as_deref() {
                        None => "<unset>".to_string(),
                        Some("") => "\"\"".to_string(),
                        Some(c) => c.to_string(),
                    }
                ))
            }
            Object::PersistentVolume(pv)
                if pv
                    .metadata
                    .annotations
                    .contains_key(super::storage::PROVISIONED_BY) =>
            {
                None
            }
            Object::PersistentVolume(pv) => Some(format!(
                "{}{}",
                super::storage::binder::phase(pv),
                pv.spec
                    .claim_ref
                    .as_ref()
                    .map_or(String::new(), |r| format!(
                        ", claim {}/{}",
                        r.namespace, r.name
                    ))
            )),
            Object::Service(svc) => {
                let ports: Vec<String> = svc.port_pairs();
                let mut ready = 0;
                let mut total = 0;
                for o in c.store.list("EndpointSlice", Some(&key.namespace)) {
                    if let Object::EndpointSlice(es) = o {
                        if es
                            .metadata
                            .labels
                            .get(super::controllers::endpointslice::SERVICE_NAME_LABEL)
                            == Some(&key.name)
                        {
                            for e in &es.endpoints {
                                total += 1;
                                if e.conditions.ready.unwrap_or(true) {
                                    ready += 1;
                                }
                            }
                        }
                    }
                }
                let lb = svc
                    .status
                    .as_ref()
                    .and_then(|s| s.load_balancer.ingress.first())
                    .map_or(String::new(), |i| format!(", load balancer {}", i.ip));
                Some(format!(
                    "{} ports [{}], {ready} of {total} endpoints ready{lb}",
                    svc.spec
                        .r#type
                        .clone()
                        .unwrap_or_else(|| "ClusterIP".into()),
                    ports.join(", ")
                ))
            }
            Object::Ingress(ing) => Some(format!(
                "class {}, address [{}]",
                ing.spec
                    .ingress_class_name
                    .clone()
                    .unwrap_or_else(|| "<none>".into()),
                ing.status
                    .as_ref()
                    .map(|s| s
                        .load_balancer
                        .ingress
                        .iter()
                        .map(|i| i.ip.clone())
                        .collect::<Vec<_>>()
                        .join(", "))
                    .unwrap_or_default()
            )),
            Object::Node(n) => Some(if n.spec.unschedulable {
                "SchedulingDisabled".into()
            } else {
                "Ready".to_string()
            }),
            _ => None,
        };
        if let Some(t) = text {
            out.insert(id, t);
        }
    }
    out
}

/// One difference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Added(String, String),
    Removed(String, String),
    Changed(String, String, String),
    /// A command's output: (command, lines only in A, lines only in B).
    Output(String, Vec<String>, Vec<String>),
}

/// Builds both states, runs the same commands in each, and lists what differs.
pub fn compare(
    seed: u64,
    a: &[SourceFile],
    b: &[SourceFile],
    commands: &[&str],
) -> Result<Vec<Change>, String> {
    let start = |files: &[SourceFile], which: &str| -> Result<Session, String> {
        let s = Session::start(seed, files).map_err(|e| format!("{which}: {e}"))?;
        if s.has_errors() {
            let errs: Vec<String> = s
                .diagnostics
                .iter()
                .filter(|d| d.severity == super::diag::Severity::Error)
                .map(|d| d.to_string())
                .collect();
            return Err(format!("{which} has errors:\n{}", errs.join("\n")));
        }
        Ok(s)
    };
    let (mut sa, mut sb) = (start(a, "A")?, start(b, "B")?);
    let mut changes = Vec::new();
    for cmd in commands {
        let (oa, ob) = (sa.run(cmd), sb.run(cmd));
        if oa != ob {
            let only_a: Vec<String> = oa
                .lines()
                .filter(|l| !ob.lines().any(|m| m == *l))
                .map(str::to_string)
                .collect();
            let only_b: Vec<String> = ob
                .lines()
                .filter(|l| !oa.lines().any(|m| m == *l))
                .map(str::to_string)
                .collect();
            changes.push(Change::Output(cmd.to_string(), only_a, only_b));
        }
    }
    let (ma, mb) = (summary(&sa), summary(&sb));
    for (k, va) in &ma {
        match mb.get(k) {
            None => changes.push(Change::Removed(k.clone(), va.clone())),
            Some(vb) if vb != va => {
                changes.push(Change::Changed(k.clone(), va.clone(), vb.clone()))
            }
            _ => {}
        }
    }
    for (k, vb) in &mb {
        if !ma.contains_key(k) {
            changes.push(Change::Added(k.clone(), vb.clone()));
        }
    }
    Ok(changes)
}

/// The diagram box ids (`Kind/ns/name`) of the objects that differ; a workload's change
/// marks it with a trailing `-` (its pods are the boxes whose names start with it).
pub fn diagram_ids(changes: &[Change]) -> Vec<String> {
    let mut ids: Vec<String> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Added(k, _) | Change::Removed(k, _) | Change::Changed(k, _, _) => Some(k),
            Change::Output(..) => None,
        })
        .filter_map(|k| {
            let (kind, rest) = k.split_once(' ')?;
            let rest = rest.replace(' ', "");
            Some(match kind {
                "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" => {
                    let (ns, name) = rest.split_once('/')?;
                    format!("Pod/{ns}/{name}-")
                }
                _ => format!("{kind}/{rest}"),
            })
        })
        .collect();
    ids.sort_lean();
    ids.dedup();
    ids
}

/// `kubeplay diff`'s text.
pub fn render(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no differences\n".into();
    }
    let mut out = String::new();
    for ch in changes {
        match ch {
            Change::Changed(k, a, b) => out.push_str(&format!("~ {k}\n    A: {a}\n    B: {b}\n")),
            Change::Added(k, b) => out.push_str(&format!("+ {k} (only in B): {b}\n")),
            Change::Removed(k, a) => out.push_str(&format!("- {k} (only in A): {a}\n")),
            Change::Output(cmd, a, b) => {
                out.push_str(&format!("$ {cmd}\n"));
                for l in a {
                    out.push_str(&format!("  - {l}\n"));
                }
                for l in b {
                    out.push_str(&format!("  + {l}\n"));
                }
            }
        }
    }
    out
}
