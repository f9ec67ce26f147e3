//! The ReplicaSet controller (kubernetes: pkg/controller/replicaset): keeps `replicas`
//! pods matching the selector, creating `<rs>-<5 chars>` pods from the template and
//! deleting the newest extra ones; writes `status`.

use super::{controller_ref, is_controlled_by};
use crate::engine::api::apps::ReplicaSetStatus;
use crate::engine::api::core::Pod;
use crate::engine::cluster::{Cluster, EventType};
use crate::engine::manifest::Object;
use crate::engine::sort::SortLean;
use crate::engine::store::Key;

pub fn reconcile(c: &mut Cluster) -> bool {
    let mut changed = false;
    let mut by_owner = pods_by_controller(c);
    for key in c.store.keys("ReplicaSet") {
        // Read in place: most passes only confirm the status (cloned when it changes).
        let Some(Object::ReplicaSet(rs)) = c.store.get(&key) else {
            continue;
        };
        if rs.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let uid = rs.metadata.uid.clone();
        let generation = rs.metadata.generation;
        let mut pods = by_owner.remove(&uid).unwrap_or_default();
        let want = rs.spec.replicas.unwrap_or(1).max(0) as usize;
        if pods.len() < want {
            let template = rs.spec.template.clone();
            for _ in pods.len()..want {
                let pod = pod_from_template(
                    c,
                    &template,
                    &key.namespace,
                    &format!("{}-", key.name),
                    controller_ref("apps/v1", "ReplicaSet", &key.name, &uid),
                );
                let name = pod.metadata.name.clone();
                pods.push(OwnedPod::of(&pod));
                c.put(Object::Pod(Box::new(pod)));
                c.event(
                    EventType::Normal,
                    key.clone(),
                    "SuccessfulCreate",
                    "replicaset-controller",
                    format!("Created pod: {name}"),
                );
            }
            changed = true;
        } else if pods.len() > want {
            // Delete the youngest extra pods first (unscheduled, then newest).
            let mut victims = pods.clone();
            victims.sort_lean_by_key(|p| (!p.scheduled, p.created.clone(), p.name.clone()));
            victims.reverse();
            for p in victims.into_iter().take(pods.len() - want) {
                c.delete(&Key::new("Pod", &key.namespace, &p.name));
                pods.retain(|q| q.name != p.name);
                c.event(
                    EventType::Normal,
                    key.clone(),
                    "SuccessfulDelete",
                    "replicaset-controller",
                    format!("Deleted pod: {}", p.name),
                );
            }
            changed = true;
        }
        // Status from the pods as they are now.
        let ready = pods.iter().filter(|p| p.ready).count() as i32;
        let status = ReplicaSetStatus {
            replicas: pods.len() as i32,
            fully_labeled_replicas: pods.len() as i32,
            ready_replicas: ready,
            available_replicas: ready,
            observed_generation: generation,
            ..ReplicaSetStatus::default()
        };
        if let Some(Object::ReplicaSet(rs)) = c.store.get(&key) {
            if rs.status.as_ref() != Some(&status) {
                let mut rs = rs.clone();
                rs.status = Some(status);
                changed |= c.put_status(Object::ReplicaSet(rs));
            }
        }
    }
    changed
}

/// A pod stamped from a template: `generateName` + a 5-character suffix, the template's
/// labels and annotations, and the owner reference.
pub fn pod_from_template(
    c: &mut Cluster,
    template: &crate::engine::api::core::PodTemplateSpec,
    namespace: &str,
    generate_name: &str,
    owner: crate::engine::api::meta::OwnerReference,
) -> Pod {
    let mut pod = Pod {
        api_version: "v1".into(),
        kind: "Pod".into(),
        spec: template.spec.clone(),
        ..Pod::default()
    };
    pod.metadata.labels = template.metadata.labels.clone();
    pod.metadata.annotations = template.metadata.annotations.clone();
    pod.metadata.namespace = namespace.into();
    pod.metadata.generate_name = generate_name.into();
    pod.metadata.name = loop {
        let name = format!("{generate_name}{}", c.rng.suffix(5));
        if c.store.get(&Key::new("Pod", namespace, &name)).is_none() {
            break name;
        }
    };
    pod.metadata.owner_references = vec![owner];
    crate::engine::controllers::kubelet::default_pod_spec(&mut pod);
    pod
}

/// What the ReplicaSet controller needs to know of a pod it owns.
#[derive(Clone, Debug)]
pub struct OwnedPod {
    pub name: String,
    pub scheduled: bool,
    pub created: Option<String>,
    pub ready: bool,
}

impl OwnedPod {
    fn of(p: &Pod) -> OwnedPod {
        OwnedPod {
            name: p.metadata.name.clone(),
            scheduled: !p.spec.node_name.is_empty(),
            created: p.metadata.creation_timestamp.clone(),
            ready: super::kubelet::is_ready(p),
        }
    }
}

/// The live (not terminating) pods of every controller, by the controller's uid: one pass
/// over the pods instead of one per controller.
pub fn pods_by_controller(c: &Cluster) -> std::collections::BTreeMap<String, Vec<OwnedPod>> {
    let mut m: std::collections::BTreeMap<String, Vec<OwnedPod>> = Default::default();
    for o in c.store.list("Pod", None) {
        if let Object::Pod(p) = o {
            if p.metadata.deletion_timestamp.is_some() {
                continue;
            }
            if let Some(owner) = p
                .metadata
                .owner_references
                .iter()
                .find(|r| r.controller == Some(true))
            {
                m.entry(owner.uid.clone())
                    .or_default()
                    .push(OwnedPod::of(p));
            }
        }
    }
    m
}

/// The live (not terminating) pods a controller with `uid` owns in `namespace`.
pub fn owned_pods(c: &Cluster, namespace: &str, uid: &str) -> Vec<Pod> {
    c.store
        .list("Pod", Some(namespace))
        .filter_map(|o| match o {
            Object::Pod(p)
                if is_controlled_by(&p.metadata.owner_references, uid)
                    && p.metadata.deletion_timestamp.is_none() =>
            {
                Some((**p).clone())
            }
            _ => None,
        })
        .collect()
}
