//! The scheduler's volume plugins (RULES §3 "Scheduler"; kubernetes: pkg/scheduler/
//! framework/plugins/volumebinding, volumerestrictions): a PreFilter that rejects pods
//! whose claims are missing, being deleted, unbound with Immediate binding, or taken by
//! another pod with ReadWriteOncePod; a Filter for PV node affinity and, for
//! WaitForFirstConsumer claims, whether the node can get a volume; and the binding step
//! that binds or asks to provision those claims once the node is chosen.

use super::binder::{check, Index};
use super::{
    claim_class, class, pod_claims, waits_for_consumer, NO_PROVISIONER, RWOP, SELECTED_NODE,
};
use crate::engine::api::core::{Node, PersistentVolumeClaim, Pod};
use crate::engine::cluster::Cluster;
use crate::engine::controllers::scheduler::node_selector_matches;
use crate::engine::manifest::Object;
use crate::engine::store::Key;

fn claim(c: &Cluster, ns: &str, name: &str) -> Option<PersistentVolumeClaim> {
    match c.store.get(&Key::new("PersistentVolumeClaim", ns, name)) {
        Some(Object::PersistentVolumeClaim(p)) => Some((**p).clone()),
        _ => None,
    }
}

fn bound(pvc: &PersistentVolumeClaim) -> bool {
    !pvc.spec.volume_name.is_empty()
}

/// Whether the claim's binding waits for a consumer.
fn delayed(c: &Cluster, pvc: &PersistentVolumeClaim) -> bool {
    let name = claim_class(pvc);
    !name.is_empty() && class(c, &name).is_some_and(|sc| waits_for_consumer(&sc))
}

/// PreFilter: a rejection here has no node count.
pub fn prefilter(c: &Cluster, pod: &Pod) -> Result<(), String> {
    let ns = &pod.metadata.namespace;
    for (name, _) in pod_claims(pod) {
        let Some(pvc) = claim(c, ns, &name) else {
            return Err(format!("persistentvolumeclaim \"{name}\" not found"));
        };
        if pvc.metadata.deletion_timestamp.is_some() {
            return Err(format!("persistentvolumeclaim \"{name}\" is being deleted"));
        }
        if !bound(&pvc) && !delayed(c, &pvc) {
            return Err("pod has unbound immediate PersistentVolumeClaims".into());
        }
        if pvc.spec.access_modes.iter().any(|m| m == RWOP) {
            let taken = c.store.list("Pod", Some(ns)).any(|o| match o {
                Object::Pod(p) => {
                    p.metadata.uid != pod.metadata.uid
                        && !p.spec.node_name.is_empty()
                        && p.metadata.deletion_timestamp.is_none()
                        && pod_claims(p).iter().any(|(n, _)| *n == name)
                }
                _ => false,
            });
            if taken {
                return Err("node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode".into());
            }
        }
    }
    Ok(())
}

/// Whether a WaitForFirstConsumer claim can be provisioned for a node: the class has a
/// provisioner and its `allowedTopologies` admit the node.
fn provisionable_on(c: &Cluster, pvc: &PersistentVolumeClaim, node: &Node) -> bool {
    let Some(sc) = class(c, &claim_class(pvc)) else {
        return false;
    };
    if sc.provisioner == NO_PROVISIONER {
        return false;
    }
    topology_admits(&sc.allowed_topologies, node)
}

/// `allowedTopologies`: any term whose every `matchLabelExpressions` has the node's label
/// value among its values (none: everywhere).
pub fn topology_admits(topologies: &[serde_json::Value], node: &Node) -> bool {
    topologies.is_empty()
        || topologies.iter().any(|term| {
            term.get("matchLabelExpressions")
                .and_then(|e| e.as_array())
                .is_none_or(|exprs| {
                    exprs.iter().all(|e| {
                        let key = e.get("key").and_then(|k| k.as_str()).unwrap_or("");
                        let values: Vec<&str> = e
                            .get("values")
                            .and_then(|v| v.as_array())
                            .map(|v| v.iter().filter_map(|x| x.as_str()).collect())
                            .unwrap_or_default();
                        node.metadata
                            .labels
                            .get(key)
                            .is_some_and(|v| values.contains(&v.as_str()))
                    })
                })
        })
}

/// Filter (VolumeBinding): bound volumes must allow the node; claims waiting for a
/// consumer need a static volume there or a class that can provision there.
pub fn filter(c: &Cluster, pod: &Pod, node: &Node) -> Result<(), String> {
    let ns = &pod.metadata.namespace;
    let mut index: Option<Index> = None;
    for (name, _) in pod_claims(pod) {
        let Some(pvc) = claim(c, ns, &name) else {
            continue;
        };
        if bound(&pvc) {
            match c
                .store
                .get(&Key::new("PersistentVolume", "", &pvc.spec.volume_name))
            {
                Some(Object::PersistentVolume(pv)) => {
                    if let Some(sel) = pv
                        .spec
                        .node_affinity
                        .as_ref()
                        .and_then(|a| a.required.as_ref())
                    {
                        if !node_selector_matches(sel, node) {
                            return Err(
                                "node(s) didn't match PersistentVolume's node affinity".into()
                            );
                        }
                    }
                }
                _ => {
                    return Err(
                        "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)"
                            .into(),
                    )
                }
            }
        } else if delayed(c, &pvc) {
            let index = index.get_or_insert_with(|| Index::new(c));
            if index.find(c, &pvc, Some(node)).is_none() && !provisionable_on(c, &pvc, node) {
                return Err("node(s) didn't find available persistent volumes to bind".into());
            }
        }
    }
    Ok(())
}

/// After the scheduler picks `node`: binds each waiting claim to the best static volume on
/// that node (writing the PV's claimRef, as the scheduler's binder does), or marks it for
/// provisioning there with `volume.kubernetes.io/selected-node`.
///
/// Returns `Ok` when every claim is bound and the pod can be bound to the node; `Err(None)`
/// while a volume is being provisioned (PreBind waits); `Err(Some(message))` when
/// provisioning for the chosen node failed.
pub fn assume(c: &mut Cluster, pod: &Pod, node: &Node) -> Result<(), Option<String>> {
    let ns = pod.metadata.namespace.clone();
    let mut index = Index::new(c);
    let mut waiting = None;
    for (name, _) in pod_claims(pod) {
        let Some(mut pvc) = claim(c, &ns, &name) else {
            continue;
        };
        if bound(&pvc) || !delayed(c, &pvc) {
            continue;
        }
        if let Some(pv_name) = index.find(c, &pvc, Some(node)) {
            index.take(&pv_name);
            if let Some(Object::PersistentVolume(pv)) = c
                .store
                .get(&Key::new("PersistentVolume", "", &pv_name))
                .cloned()
            {
                debug_assert!(check(&pvc, &pv, Some(node)).is_ok());
                super::bind(c, &mut pvc, *pv);
            }
        } else if pvc.metadata.annotations.get(SELECTED_NODE) != Some(&node.metadata.name) {
            pvc.metadata
                .annotations
                .insert(SELECTED_NODE.into(), node.metadata.name.clone());
            c.put(Object::PersistentVolumeClaim(Box::new(pvc)));
            waiting.get_or_insert(None);
        } else {
            // Asked before, still unbound: the provisioner failed.
            waiting = Some(Some(format!(
                "running PreBind plugin \"VolumeBinding\": binding volumes: provisioning failed for PVC \"{name}\""
            )));
        }
    }
    match waiting {
        None => Ok(()),
        Some(w) => Err(w),
    }
}
