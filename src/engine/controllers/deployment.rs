//! The Deployment controller (kubernetes: pkg/controller/deployment): one ReplicaSet per
//! pod template, named `<deployment>-<pod-template-hash>`; the current one is scaled to
//! `replicas`, older ones to 0 (a rollout is simulated as immediate).

use std::collections::BTreeMap;

use super::controller_ref;
use crate::engine::api::apps::{Deployment, DeploymentStatus, ReplicaSet, ReplicaSetSpec};
use crate::engine::cluster::{Cluster, EventType};
use crate::engine::manifest::Object;
use crate::engine::rng::SUFFIX_ALPHABET;
use crate::engine::store::Key;

/// apimachinery `rand.SafeEncodeString` of the template hash, as `ComputeHash` does.
/// (Upstream hashes the Go struct dump; kubeplay hashes the template's JSON, so the value
/// differs from a real cluster's but is stable and changes when the template does.)
pub fn pod_template_hash(template: &crate::engine::api::core::PodTemplateSpec) -> String {
    /// FNV-1a over the bytes serde writes, without building the JSON text.
    struct Fnv(u32);
    impl std::io::Write for Fnv {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            for b in buf {
                self.0 ^= u32::from(*b);
                self.0 = self.0.wrapping_mul(0x0100_0193);
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Fnv(0x811c_9dc5);
    // Writing into a hasher cannot fail.
    let _ = serde_json::to_writer(&mut h, template);
    h.0.to_string()
        .bytes()
        .map(|b| SUFFIX_ALPHABET[b as usize % SUFFIX_ALPHABET.len()] as char)
        .collect()
}

/// The ReplicaSets of every controller, by the controller's uid (one pass over them).
fn replicasets_by_controller(c: &Cluster) -> BTreeMap<String, Vec<Key>> {
    let mut m: BTreeMap<String, Vec<Key>> = BTreeMap::new();
    for o in c.store.list("ReplicaSet", None) {
        if let Some(owner) = o
            .meta()
            .owner_references
            .iter()
            .find(|r| r.controller == Some(true))
        {
            m.entry(owner.uid.clone()).or_default().push(Key::of(o));
        }
    }
    m
}

fn replicaset(c: &Cluster, key: &Key) -> Option<ReplicaSet> {
    match c.store.get(key) {
        Some(Object::ReplicaSet(rs)) => Some((**rs).clone()),
        _ => None,
    }
}

/// The ReplicaSet a Deployment's current template runs in: `<deployment>-<hash>`, its
/// template and selector labelled with the hash, `want` replicas.
fn new_replicaset(d: &Deployment, key: &Key, rs_name: &str, hash: &str, want: i32) -> ReplicaSet {
    let mut template = d.spec.template.clone();
    template
        .metadata
        .labels
        .insert("pod-template-hash".into(), hash.into());
    let mut selector = d.spec.selector.clone();
    selector
        .match_labels
        .insert("pod-template-hash".into(), hash.into());
    let mut rs = ReplicaSet {
        api_version: "apps/v1".into(),
        kind: "ReplicaSet".into(),
        spec: ReplicaSetSpec {
            replicas: Some(want),
            selector,
            template,
            min_ready_seconds: d.spec.min_ready_seconds,
        },
        ..ReplicaSet::default()
    };
    rs.metadata.name = rs_name.into();
    rs.metadata.namespace = key.namespace.clone();
    rs.metadata.labels = rs.spec.template.metadata.labels.clone();
    rs.metadata.owner_references = vec![controller_ref(
        "apps/v1",
        "Deployment",
        &key.name,
        &d.metadata.uid,
    )];
    rs
}

pub fn reconcile(c: &mut Cluster) -> bool {
    let mut changed = false;
    let by_owner = replicasets_by_controller(c);
    for key in c.store.keys("Deployment") {
        // Read in place: most passes only confirm the status (cloned when it changes).
        let Some(Object::Deployment(d)) = c.store.get(&key) else {
            continue;
        };
        if d.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let uid = d.metadata.uid.clone();
        let generation = d.metadata.generation;
        let hash = c
            .template_hashes
            .entry((uid.clone(), generation))
            .or_insert_with(|| pod_template_hash(&d.spec.template))
            .clone();
        let rs_name = format!("{}-{hash}", key.name);
        let want = d.spec.replicas.unwrap_or(1);
        let owned: &[Key] = by_owner.get(&uid).map_or(&[], Vec::as_slice);
        let current = owned.iter().find(|k| k.name == rs_name);
        // Read the current ReplicaSet's size without copying it: most passes change nothing.
        let current_replicas = current.and_then(|k| match c.store.get(k) {
            Some(Object::ReplicaSet(rs)) => Some(rs.spec.replicas),
            _ => None,
        });
        // The template is copied only when the current ReplicaSet is to be created.
        let create = current_replicas
            .is_none()
            .then(|| new_replicaset(d, &key, &rs_name, &hash, want));
        for old_key in owned.iter().filter(|k| k.name != rs_name) {
            let Some(mut old) = replicaset(c, old_key) else {
                continue;
            };
            if old.spec.replicas != Some(0) {
                let from = old.spec.replicas.unwrap_or(1);
                old.spec.replicas = Some(0);
                let name = old.metadata.name.clone();
                c.put(Object::ReplicaSet(Box::new(old)));
                c.event(
                    EventType::Normal,
                    key.clone(),
                    "ScalingReplicaSet",
                    "deployment-controller",
                    format!("Scaled down replica set {name} from {from} to 0"),
                );
                changed = true;
            }
        }
        if let Some(rs) = create {
            c.put(Object::ReplicaSet(Box::new(rs)));
            c.event(
                EventType::Normal,
                key.clone(),
                "ScalingReplicaSet",
                "deployment-controller",
                format!("Scaled up replica set {rs_name} from 0 to {want}"),
            );
            changed = true;
        } else if let Some(replicas) = current_replicas.filter(|r| *r != Some(want)) {
            if let Some(mut rs) = current.and_then(|k| replicaset(c, k)) {
                let from = replicas.unwrap_or(1);
                rs.spec.replicas = Some(want);
                c.put(Object::ReplicaSet(Box::new(rs)));
                let verb = if want > from { "up" } else { "down" };
                c.event(
                    EventType::Normal,
                    key.clone(),
                    "ScalingReplicaSet",
                    "deployment-controller",
                    format!("Scaled {verb} replica set {rs_name} from {from} to {want}"),
                );
                changed = true;
            }
        }
        // Status from the ReplicaSets.
        let (mut replicas, mut ready, mut updated) = (0, 0, 0);
        for k in owned {
            if let Some(Object::ReplicaSet(rs)) = c.store.get(k) {
                let Some(s) = &rs.status else { continue };
                replicas += s.replicas;
                ready += s.ready_replicas;
                if rs.metadata.name == rs_name {
                    updated += s.replicas;
                }
            }
        }
        let status = DeploymentStatus {
            observed_generation: generation,
            replicas,
            updated_replicas: updated,
            ready_replicas: ready,
            available_replicas: ready,
            unavailable_replicas: (replicas - ready).max(0),
            ..DeploymentStatus::default()
        };
        if let Some(Object::Deployment(d)) = c.store.get(&key) {
            if d.status.as_ref() != Some(&status) {
                let mut d = d.clone();
                d.status = Some(status);
                changed |= c.put_status(Object::Deployment(d));
            }
        }
    }
    changed
}
