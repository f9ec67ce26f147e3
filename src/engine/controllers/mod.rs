//! Controllers, named after their upstream counterparts. Each is a level-triggered
//! reconcile over the store: it reads desired state, writes what follows, and returns
//! whether it changed anything. Running one twice in a row changes nothing the second time.

pub mod corednsreload;
pub mod daemonset;
pub mod deployment;
pub mod endpointslice;
pub mod garbagecollector;
pub mod kubelet;
pub mod nodeipam;
pub mod nodelifecycle;
pub mod nodestatus;
pub mod persistentvolume;
pub mod replicaset;
pub mod scheduler;
pub mod servicelb;
pub mod statefulset;

use std::collections::BTreeMap;

use super::api::meta::{LabelSelector, OwnerReference};
use super::cluster::Cluster;

/// A controller: one level-triggered pass over the cluster; true if it changed something.
pub type Controller = fn(&mut Cluster) -> bool;

/// Every controller, in the order the reconcile loop runs them.
pub static ALL: &[(&str, Controller)] = &[
    ("kubelet-node-status", nodestatus::reconcile),
    ("node-ipam-controller", nodeipam::reconcile),
    ("node-lifecycle-controller", nodelifecycle::reconcile),
    ("deployment-controller", deployment::reconcile),
    ("replicaset-controller", replicaset::reconcile),
    ("statefulset-controller", statefulset::reconcile),
    ("daemonset-controller", daemonset::reconcile),
    (
        "persistentvolume-binder-controller",
        persistentvolume::reconcile,
    ),
    ("default-scheduler", scheduler::reconcile),
    ("kubelet", kubelet::reconcile),
    ("endpointslice-controller", endpointslice::reconcile),
    ("endpoint-controller", endpointslice::reconcile_endpoints),
    (
        "endpointslicemirroring-controller",
        endpointslice::reconcile_mirroring,
    ),
    ("service-controller", servicelb::reconcile),
    ("coredns-reload", corednsreload::reconcile),
    (
        "ingress-nginx-controller",
        crate::engine::ingress::reconcile,
    ),
    ("garbage-collector", garbagecollector::reconcile),
    ("kubelet-volume-cleanup", |c| {
        crate::engine::storage::files::collect_garbage(c)
    }),
];

/// Whether `labels` match a label selector (`matchLabels` and `matchExpressions`).
/// An empty selector matches nothing for workloads (the API requires one).
pub fn selector_matches(selector: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    if selector.match_labels.is_empty() && selector.match_expressions.is_empty() {
        return false;
    }
    selector
        .match_labels
        .iter()
        .all(|(k, v)| labels.get(k) == Some(v))
        && selector.match_expressions.iter().all(|e| {
            let value = labels.get(&e.key);
            match e.operator.as_str() {
                "In" => value.is_some_and(|v| e.values.contains(v)),
                "NotIn" => value.is_none_or(|v| !e.values.contains(v)),
                "Exists" => value.is_some(),
                "DoesNotExist" => value.is_none(),
                _ => false,
            }
        })
}

/// The controller owner reference a workload controller puts on what it creates.
pub fn controller_ref(api_version: &str, kind: &str, name: &str, uid: &str) -> OwnerReference {
    OwnerReference {
        api_version: api_version.into(),
        kind: kind.into(),
        name: name.into(),
        uid: uid.into(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// Whether an object's owner references name `uid` as its controller.
pub fn is_controlled_by(owners: &[OwnerReference], uid: &str) -> bool {
    owners
        .iter()
        .any(|o| o.uid == uid && o.controller == Some(true))
}
