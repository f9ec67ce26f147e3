//! The StatefulSet controller (kubernetes: pkg/controller/statefulset): pods
//! `<sts>-<ordinal>` with stable identity (`hostname` = pod name, `subdomain` =
//! `serviceName`, labels `statefulset.kubernetes.io/pod-name` and `apps.kubernetes.io/pod-index`),
//! one PVC `<template>-<sts>-<ordinal>` per `volumeClaimTemplates` entry created before the
//! pod and kept for the next pod of that ordinal. `OrderedReady` (default) creates one pod at
//! a time and waits for it to be Running and Ready; `Parallel` does not wait. Scale-down
//! removes the highest ordinal first (one at a time with OrderedReady).

use super::replicaset::{owned_pods, pod_from_template};
use super::{controller_ref, kubelet::is_ready};
use crate::engine::api::apps::{StatefulSet, StatefulSetStatus};
use crate::engine::api::core::{PersistentVolumeClaim, PersistentVolumeClaimVolumeSource, Volume};
use crate::engine::cluster::{Cluster, EventType};
use crate::engine::manifest::Object;
use crate::engine::sort::SortLean;
use crate::engine::store::Key;

/// The ordinal of a pod name `<sts>-<n>`, if it has one.
fn ordinal(sts: &str, pod: &str) -> Option<i32> {
    pod.strip_prefix(sts)?.strip_prefix('-')?.parse().ok()
}

pub fn reconcile(c: &mut Cluster) -> bool {
    let mut changed = false;
    for key in c.store.keys("StatefulSet") {
        let Some(Object::StatefulSet(sts)) = c.store.get(&key).cloned() else {
            continue;
        };
        if sts.metadata.deletion_timestamp.is_some() {
            continue;
        }
        changed |= reconcile_one(c, &key, &sts);
    }
    changed
}

fn reconcile_one(c: &mut Cluster, key: &Key, sts: &StatefulSet) -> bool {
    let name = &sts.metadata.name;
    let uid = sts.metadata.uid.clone();
    let want = sts.spec.replicas.unwrap_or(1).max(0);
    let parallel = sts.spec.pod_management_policy.as_deref() == Some("Parallel");
    let mut pods = owned_pods(c, &key.namespace, &uid);
    pods.sort_lean_by_key(|p| ordinal(name, &p.metadata.name).unwrap_or(i32::MAX));
    let mut changed = false;

    // Scale down: highest ordinal first.
    let extra: Vec<String> = pods
        .iter()
        .filter(|p| ordinal(name, &p.metadata.name).is_none_or(|o| o >= want))
        .map(|p| p.metadata.name.clone())
        .rev()
        .collect();
    let policy = sts
        .spec
        .persistent_volume_claim_retention_policy
        .clone()
        .unwrap_or_default();
    let delete_when_scaled = policy.when_scaled.as_deref() == Some("Delete");
    for pod in extra.iter().take(if parallel { extra.len() } else { 1 }) {
        if delete_when_scaled {
            // `whenScaled: Delete`: the condemned pod owns its claims, so they go with it.
            let pod_uid = pods
                .iter()
                .find(|p| p.metadata.name == *pod)
                .map(|p| p.metadata.uid.clone())
                .unwrap_or_default();
            for template in &sts.spec.volume_claim_templates {
                let claim_key = Key::new(
                    "PersistentVolumeClaim",
                    &key.namespace,
                    &format!("{}-{pod}", template.metadata.name),
                );
                if let Some(Object::PersistentVolumeClaim(mut pvc)) =
                    c.store.get(&claim_key).cloned()
                {
                    if !pvc
                        .metadata
                        .owner_references
                        .iter()
                        .any(|r| r.uid == pod_uid)
                    {
                        // A condemned pod's claim belongs to the pod alone.
                        pvc.metadata.owner_references.retain(|r| r.uid != uid);
                        let mut owner = controller_ref("v1", "Pod", pod, &pod_uid);
                        owner.controller = None;
                        pvc.metadata.owner_references.push(owner);
                        c.put(Object::PersistentVolumeClaim(pvc));
                    }
                }
            }
        }
        c.delete(&Key::new("Pod", &key.namespace, pod));
        c.event(
            EventType::Normal,
            key.clone(),
            "SuccessfulDelete",
            "statefulset-controller",
            format!("delete Pod {pod} in StatefulSet {name} successful"),
        );
        changed = true;
    }

    // Scale up: create missing ordinals in order.
    for ord in 0..want {
        let pod_name = format!("{name}-{ord}");
        if let Some(existing) = pods.iter().find(|p| p.metadata.name == pod_name) {
            if !parallel && !is_ready(existing) {
                break; // OrderedReady: wait for this one before the next.
            }
            continue;
        }
        for template in &sts.spec.volume_claim_templates {
            let claim = format!("{}-{pod_name}", template.metadata.name);
            if c.store
                .get(&Key::new("PersistentVolumeClaim", &key.namespace, &claim))
                .is_none()
            {
                let mut pvc = PersistentVolumeClaim {
                    api_version: "v1".into(),
                    kind: "PersistentVolumeClaim".into(),
                    spec: template.spec.clone(),
                    ..PersistentVolumeClaim::default()
                };
                pvc.metadata.name = claim.clone();
                pvc.metadata.namespace = key.namespace.clone();
                pvc.metadata.labels = sts.spec.selector.match_labels.clone();
                pvc.metadata
                    .finalizers
                    .push(crate::engine::storage::PVC_PROTECTION.into());
                // `whenDeleted: Delete`: the StatefulSet owns its claims (GA 1.32).
                if sts
                    .spec
                    .persistent_volume_claim_retention_policy
                    .as_ref()
                    .and_then(|p| p.when_deleted.as_deref())
                    == Some("Delete")
                {
                    let mut owner = controller_ref("apps/v1", "StatefulSet", name, &uid);
                    owner.controller = None;
                    pvc.metadata.owner_references.push(owner);
                }
                c.put(Object::PersistentVolumeClaim(Box::new(pvc)));
                c.event(
                    EventType::Normal,
                    key.clone(),
                    "SuccessfulCreate",
                    "statefulset-controller",
                    format!("create Claim {claim} Pod {pod_name} in StatefulSet {name} success"),
                );
            }
        }
        let mut pod = pod_from_template(
            c,
            &sts.spec.template,
            &key.namespace,
            &format!("{name}-"),
            controller_ref("apps/v1", "StatefulSet", name, &uid),
        );
        pod.metadata.name = pod_name.clone();
        pod.metadata.generate_name.clear();
        let labels = &mut pod.metadata.labels;
        labels.insert(
            "statefulset.kubernetes.io/pod-name".into(),
            pod_name.clone(),
        );
        labels.insert("apps.kubernetes.io/pod-index".into(), ord.to_string());
        pod.spec.hostname = pod_name.clone();
        pod.spec.subdomain = sts.spec.service_name.clone();
        for template in &sts.spec.volume_claim_templates {
            let volume = Volume {
                name: template.metadata.name.clone(),
                persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                    claim_name: format!("{}-{pod_name}", template.metadata.name),
                    read_only: false,
                }),
                ..Volume::default()
            };
            pod.spec.volumes.retain(|v| v.name != volume.name);
            pod.spec.volumes.push(volume);
        }
        c.put(Object::Pod(Box::new(pod)));
        c.event(
            EventType::Normal,
            key.clone(),
            "SuccessfulCreate",
            "statefulset-controller",
            format!("create Pod {pod_name} in StatefulSet {name} successful"),
        );
        changed = true;
        if !parallel {
            break;
        }
    }

    let pods = owned_pods(c, &key.namespace, &uid);
    let ready = pods.iter().filter(|p| is_ready(p)).count() as i32;
    let status = StatefulSetStatus {
        observed_generation: sts.metadata.generation,
        replicas: pods.len() as i32,
        ready_replicas: ready,
        current_replicas: pods.len() as i32,
        updated_replicas: pods.len() as i32,
        available_replicas: ready,
        ..StatefulSetStatus::default()
    };
    if sts.status.as_ref() != Some(&status) {
        let mut sts = sts.clone();
        sts.status = Some(status);
        changed |= c.put_status(Object::StatefulSet(Box::new(sts)));
    }
    changed
}
