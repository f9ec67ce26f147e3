//! The DaemonSet controller (kubernetes: pkg/controller/daemon): one pod `<ds>-<5 chars>`
//! on every node where the template may run (node selector, node affinity, taints — with
//! the tolerations the controller adds to every daemon pod). Each pod is pinned to its node
//! by required node affinity on `metadata.name`, as upstream does, and the scheduler binds it.

use super::replicaset::{owned_pods, pod_from_template};
use super::scheduler::placement;
use super::{controller_ref, kubelet::is_ready};
use crate::engine::api::apps::DaemonSetStatus;
use crate::engine::api::core::{
    Affinity, Node, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod,
    Toleration,
};
use crate::engine::cluster::{Cluster, EventType};
use crate::engine::manifest::Object;
use crate::engine::store::Key;

/// Tolerations the DaemonSet controller adds to every daemon pod
/// (kubernetes: pkg/controller/daemon/util/daemonset_util.go).
fn daemon_tolerations() -> Vec<Toleration> {
    let t = |key: &str, effect: &str| Toleration {
        key: key.into(),
        operator: "Exists".into(),
        effect: effect.into(),
        ..Toleration::default()
    };
    vec![
        t("node.kubernetes.io/not-ready", "NoExecute"),
        t("node.kubernetes.io/unreachable", "NoExecute"),
        t("node.kubernetes.io/disk-pressure", "NoSchedule"),
        t("node.kubernetes.io/memory-pressure", "NoSchedule"),
        t("node.kubernetes.io/pid-pressure", "NoSchedule"),
        t("node.kubernetes.io/unschedulable", "NoSchedule"),
    ]
}

/// The node a daemon pod is pinned to.
fn pinned_node(pod: &Pod) -> Option<String> {
    let terms = &pod
        .spec
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?
        .node_selector_terms;
    terms
        .iter()
        .flat_map(|t| &t.match_fields)
        .find(|f| f.key == "metadata.name")
        .and_then(|f| f.values.first().cloned())
}

pub fn reconcile(c: &mut Cluster) -> bool {
    let nodes: Vec<Node> = c.nodes();
    let mut changed = false;
    for key in c.store.keys("DaemonSet") {
        let Some(Object::DaemonSet(ds)) = c.store.get(&key).cloned() else {
            continue;
        };
        if ds.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let uid = ds.metadata.uid.clone();
        let mut template = ds.spec.template.clone();
        for t in daemon_tolerations() {
            if !template.spec.tolerations.contains(&t) {
                template.spec.tolerations.push(t);
            }
        }
        let probe = Pod {
            spec: template.spec.clone(),
            ..Pod::default()
        };
        let eligible: Vec<&Node> = nodes
            .iter()
            .filter(|n| placement(c, &probe, n).is_ok())
            .collect();
        let pods = owned_pods(c, &key.namespace, &uid);
        for pod in &pods {
            let node = pinned_node(pod);
            if !eligible
                .iter()
                .any(|n| Some(&n.metadata.name) == node.as_ref())
            {
                c.delete(&Key::new("Pod", &key.namespace, &pod.metadata.name));
                c.event(
                    EventType::Normal,
                    key.clone(),
                    "SuccessfulDelete",
                    "daemonset-controller",
                    format!("Deleted pod: {}", pod.metadata.name),
                );
                changed = true;
            }
        }
        for node in &eligible {
            let name = &node.metadata.name;
            if pods.iter().any(|p| pinned_node(p).as_ref() == Some(name)) {
                continue;
            }
            let mut pod = pod_from_template(
                c,
                &template,
                &key.namespace,
                &format!("{}-", ds.metadata.name),
                controller_ref("apps/v1", "DaemonSet", &ds.metadata.name, &uid),
            );
            let pin = NodeSelector {
                node_selector_terms: vec![NodeSelectorTerm {
                    match_fields: vec![NodeSelectorRequirement {
                        key: "metadata.name".into(),
                        operator: "In".into(),
                        values: vec![name.clone()],
                    }],
                    ..NodeSelectorTerm::default()
                }],
            };
            let affinity = pod.spec.affinity.get_or_insert_with(Affinity::default);
            affinity
                .node_affinity
                .get_or_insert_with(NodeAffinity::default)
                .required_during_scheduling_ignored_during_execution = Some(pin);
            let pod_name = pod.metadata.name.clone();
            c.put(Object::Pod(Box::new(pod)));
            c.event(
                EventType::Normal,
                key.clone(),
                "SuccessfulCreate",
                "daemonset-controller",
                format!("Created pod: {pod_name}"),
            );
            changed = true;
        }
        let pods = owned_pods(c, &key.namespace, &uid);
        let scheduled = pods.iter().filter(|p| !p.spec.node_name.is_empty()).count() as i32;
        let ready = pods.iter().filter(|p| is_ready(p)).count() as i32;
        let status = DaemonSetStatus {
            desired_number_scheduled: eligible.len() as i32,
            current_number_scheduled: scheduled,
            updated_number_scheduled: scheduled,
            number_ready: ready,
            number_available: ready,
            number_unavailable: (eligible.len() as i32 - ready).max(0),
            observed_generation: ds.metadata.generation,
            ..DaemonSetStatus::default()
        };
        if ds.status.as_ref() != Some(&status) {
            let mut ds = ds;
            ds.status = Some(status);
            changed |= c.put_status(Object::DaemonSet(ds));
        }
    }
    changed
}
