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

/// What a controller's pass reads, like the informers an upstream controller watches: the
/// reconcile loop wakes a controller that changed nothing last time only when one of
/// these changed since. `Unknown` (reads state outside the store too, or was not audited)
/// runs every pass.
#[derive(Clone, Copy, Debug)]
pub enum Reads {
    Kinds(&'static [&'static str]),
    /// Like `Kinds`, for a controller whose pass writes its whole desired state: run again
    /// on what it just wrote, it would change nothing, so its own writes do not wake it.
    Settled(&'static [&'static str]),
    Anything,
    Unknown,
}

/// A controller's name (as events' `source` and errors name it), its pass, what it reads.
pub type Entry = (&'static str, Controller, Reads);

/// Every controller, in the order the reconcile loop runs them.
pub static ALL: &[Entry] = &[
    ("kubelet-node-status", nodestatus::reconcile, Reads::Unknown),
    ("node-ipam-controller", nodeipam::reconcile, Reads::Unknown),
    (
        "node-lifecycle-controller",
        nodelifecycle::reconcile,
        Reads::Unknown,
    ),
    (
        "deployment-controller",
        deployment::reconcile,
        Reads::Settled(&["Deployment", "ReplicaSet"]),
    ),
    (
        "replicaset-controller",
        replicaset::reconcile,
        Reads::Kinds(&["ReplicaSet", "Pod"]),
    ),
    (
        "statefulset-controller",
        statefulset::reconcile,
        Reads::Unknown,
    ),
    ("daemonset-controller", daemonset::reconcile, Reads::Unknown),
    (
        "persistentvolume-binder-controller",
        persistentvolume::reconcile,
        Reads::Unknown,
    ),
    ("default-scheduler", scheduler::reconcile, Reads::Unknown),
    ("kubelet", kubelet::reconcile, Reads::Unknown),
    (
        "endpointslice-controller",
        endpointslice::reconcile,
        Reads::Settled(&["Service", "Pod", "Node", "EndpointSlice"]),
    ),
    (
        "endpoint-controller",
        endpointslice::reconcile_endpoints,
        Reads::Settled(&["Service", "Pod", "Endpoints"]),
    ),
    (
        "endpointslicemirroring-controller",
        endpointslice::reconcile_mirroring,
        Reads::Settled(&["Service", "Endpoints", "EndpointSlice"]),
    ),
    ("service-controller", servicelb::reconcile, Reads::Unknown),
    ("coredns-reload", corednsreload::reconcile, Reads::Unknown),
    (
        "ingress-nginx-controller",
        crate::engine::ingress::reconcile,
        Reads::Unknown,
    ),
    (
        "garbage-collector",
        garbagecollector::reconcile,
        Reads::Anything,
    ),
    (
        "kubelet-volume-cleanup",
        // Files are only made for pods that exist, so only a Pod change leaves garbage.
        |c| crate::engine::storage::files::collect_garbage(c),
        Reads::Settled(&["Pod"]),
    ),
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
