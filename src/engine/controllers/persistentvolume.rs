//! The persistent volume controller (kubernetes: pkg/controller/volume/persistentvolume/
//! pv_controller.go), the provisioners it hands claims to, and the PVC/PV protection
//! controllers (pkg/controller/volume/pvcprotection, pvprotection). RULES §2: binding,
//! provisioning, WaitForFirstConsumer, reclaim policies, Lost claims, finalizers.

use crate::engine::api::core::{
    HostPathVolumeSource, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm,
    PersistentVolume, PersistentVolumeClaim, VolumeNodeAffinity,
};
use crate::engine::api::meta::ObjectReference;
use crate::engine::api::storage::StorageClass;
use crate::engine::cluster::{Cluster, EventType};
use crate::engine::manifest::Object;
use crate::engine::storage::binder::{claim_ref_names, phase, Index};
use crate::engine::storage::files::node_store;
use crate::engine::storage::{
    bind, claim_class, class, default_class, pods_using_claim, provisioner_modes, pv_backing,
    pv_plugin, set_pv_phase, waits_for_consumer, Backing, BETA_STORAGE_PROVISIONER, LOCAL_PATH,
    NO_PROVISIONER, PROVISIONED_BY, PVC_PROTECTION, PV_PROTECTION, SELECTED_NODE,
    STORAGE_PROVISIONER,
};
use crate::engine::store::Key;

const SOURCE: &str = "persistentvolume-controller";

pub fn reconcile(c: &mut Cluster) -> bool {
    let mut changed = protection(c);
    changed |= default_classes(c);
    // Volumes first: the binder only hands out Available volumes (index.go).
    changed |= sync_volumes(c);
    changed |= sync_claims(c);
    changed
}

fn claim_key(pvc: &PersistentVolumeClaim) -> Key {
    Key::new(
        "PersistentVolumeClaim",
        &pvc.metadata.namespace,
        &pvc.metadata.name,
    )
}

fn pv_key(name: &str) -> Key {
    Key::new("PersistentVolume", "", name)
}

/// The protection controllers: every claim and volume carries its finalizer; a claim
/// being deleted keeps it while a pod uses it, a volume while it is bound.
fn protection(c: &mut Cluster) -> bool {
    let mut todo: Vec<Key> = Vec::new();
    for o in c.store.list("PersistentVolumeClaim", None) {
        let Object::PersistentVolumeClaim(pvc) = o else {
            continue;
        };
        let has = pvc.metadata.finalizers.iter().any(|f| f == PVC_PROTECTION);
        let deleting = pvc.metadata.deletion_timestamp.is_some();
        if (!deleting && !has)
            || (deleting
                && has
                && pods_using_claim(c, &pvc.metadata.namespace, &pvc.metadata.name).is_empty())
        {
            todo.push(claim_key(pvc));
        }
    }
    for o in c.store.list("PersistentVolume", None) {
        let Object::PersistentVolume(pv) = o else {
            continue;
        };
        let has = pv.metadata.finalizers.iter().any(|f| f == PV_PROTECTION);
        let deleting = pv.metadata.deletion_timestamp.is_some();
        if (!deleting && !has) || (deleting && has && phase(pv) != "Bound") {
            todo.push(pv_key(&pv.metadata.name));
        }
    }
    let mut changed = false;
    for key in todo {
        let Some(mut o) = c.store.get(&key).cloned() else {
            continue;
        };
        let finalizer = if key.kind == "PersistentVolume" {
            PV_PROTECTION
        } else {
            PVC_PROTECTION
        };
        let m = o.meta_mut();
        if m.deletion_timestamp.is_none() {
            m.finalizers.push(finalizer.into());
        } else {
            m.finalizers.retain(|f| f != finalizer);
        }
        changed |= c.put(o);
    }
    changed
}

/// Retroactive default class (GA 1.28): an unbound claim with no class gets the default.
fn default_classes(c: &mut Cluster) -> bool {
    let Some(default) = default_class(c) else {
        return false;
    };
    let todo: Vec<PersistentVolumeClaim> = c
        .store
        .list("PersistentVolumeClaim", None)
        .filter_map(|o| match o {
            Object::PersistentVolumeClaim(pvc)
                if pvc.spec.storage_class_name.is_none()
                    && pvc.spec.volume_name.is_empty()
                    && !pvc
                        .metadata
                        .annotations
                        .contains_key(crate::engine::storage::BETA_CLASS_ANNOTATION) =>
            {
                Some((**pvc).clone())
            }
            _ => None,
        })
        .collect();
    let mut changed = false;
    for mut pvc in todo {
        pvc.spec.storage_class_name = Some(default.metadata.name.clone());
        changed |= c.put(Object::PersistentVolumeClaim(Box::new(pvc)));
    }
    changed
}

fn claim_of(c: &Cluster, r: &ObjectReference) -> Option<PersistentVolumeClaim> {
    match c
        .store
        .get(&Key::new("PersistentVolumeClaim", &r.namespace, &r.name))
    {
        Some(Object::PersistentVolumeClaim(p)) => Some((**p).clone()),
        _ => None,
    }
}

/// Volumes: Available without a claim, Released when their claim is gone, then the
/// reclaim policy.
fn sync_volumes(c: &mut Cluster) -> bool {
    let mut changed = false;
    // Most volumes are Bound to a claim that is still there: look before cloning.
    let todo: Vec<PersistentVolume> = c
        .store
        .list("PersistentVolume", None)
        .filter_map(|o| match o {
            Object::PersistentVolume(pv) if !settled_volume(c, pv) => Some((**pv).clone()),
            _ => None,
        })
        .collect();
    for pv in todo {
        if pv.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let name = pv.metadata.name.clone();
        let current = phase(&pv).to_string();
        let Some(r) = pv.spec.claim_ref.clone() else {
            // A new volume: one status write, from the copy in hand.
            let mut pv = pv;
            crate::engine::storage::write_phase(&mut pv, "Available", "", "", &c.clock.timestamp());
            changed |= c.put_status(Object::PersistentVolume(Box::new(pv)));
            continue;
        };
        if r.uid.is_empty() {
            if current != "Bound" {
                changed |= set_pv_phase(c, &name, "Available", "", "");
            }
            continue;
        }
        match claim_of(c, &r) {
            Some(claim) if claim.metadata.uid == r.uid => {
                if claim.spec.volume_name == name && current != "Bound" {
                    changed |= set_pv_phase(c, &name, "Bound", "", "");
                }
            }
            _ => {
                if current == "Failed" {
                    continue;
                }
                if current != "Released" {
                    set_pv_phase(c, &name, "Released", "", "");
                    changed = true;
                }
                changed |= reclaim(c, &pv);
            }
        }
    }
    changed
}

/// A volume whose phase already says what its claimRef says.
fn settled_volume(c: &Cluster, pv: &PersistentVolume) -> bool {
    if pv.metadata.deletion_timestamp.is_some() {
        return true;
    }
    let current = phase(pv);
    match &pv.spec.claim_ref {
        None => current == "Available",
        Some(r) if r.uid.is_empty() => current == "Available" || current == "Bound",
        Some(r) => match c
            .store
            .get(&Key::new("PersistentVolumeClaim", &r.namespace, &r.name))
        {
            Some(Object::PersistentVolumeClaim(claim)) if claim.metadata.uid == r.uid => {
                claim.spec.volume_name != pv.metadata.name || current == "Bound"
            }
            _ => current == "Failed",
        },
    }
}

fn wipe_backing(c: &mut Cluster, pv: &PersistentVolume) {
    match pv_backing(pv) {
        Backing::PodNode(path) => {
            for node in c.nodes() {
                c.files.wipe(&node_store(&node.metadata.name), &path);
            }
        }
        Backing::Node(n, path) => c.files.wipe(&node_store(&n), &path),
        Backing::External(id) => c.files.wipe(&format!("ext:{id}"), "/"),
    }
}

fn empty_backing(c: &mut Cluster, pv: &PersistentVolume) {
    match pv_backing(pv) {
        Backing::PodNode(path) => {
            for node in c.nodes() {
                c.files.empty(&node_store(&node.metadata.name), &path);
            }
        }
        Backing::Node(n, path) => c.files.empty(&node_store(&n), &path),
        Backing::External(id) => c.files.empty(&format!("ext:{id}"), "/"),
    }
}

/// The reclaim policy of a released volume (RULES §2.5).
fn reclaim(c: &mut Cluster, pv: &PersistentVolume) -> bool {
    let name = pv.metadata.name.clone();
    let key = pv_key(&name);
    let policy = if pv.spec.persistent_volume_reclaim_policy.is_empty() {
        "Retain"
    } else {
        pv.spec.persistent_volume_reclaim_policy.as_str()
    };
    let plugin = pv_plugin(pv);
    match policy {
        "Retain" => false,
        "Recycle" => {
            if !plugin.is_some_and(|p| p.recyclable) {
                let msg = "No recycler plugin found for the volume!";
                c.event(
                    EventType::Warning,
                    key,
                    "VolumeFailedRecycle",
                    SOURCE,
                    msg.into(),
                );
                return set_pv_phase(c, &name, "Failed", "", msg);
            }
            let node = c
                .nodes()
                .first()
                .map(|n| n.metadata.name.clone())
                .unwrap_or_default();
            c.event(
                EventType::Normal,
                key.clone(),
                "RecyclerPod",
                SOURCE,
                format!(
                    "Recycler pod: Successfully assigned default/recycler-for-{name} to {node}"
                ),
            );
            empty_backing(c, pv);
            c.event(
                EventType::Normal,
                key,
                "VolumeRecycled",
                SOURCE,
                "Volume recycled".into(),
            );
            let mut pv = pv.clone();
            pv.spec.claim_ref = None;
            c.put(Object::PersistentVolume(Box::new(pv)));
            set_pv_phase(c, &name, "Available", "", "");
            true
        }
        "Delete" => {
            let provisioned = pv.metadata.annotations.contains_key(PROVISIONED_BY);
            let failure = if provisioned {
                None
            } else if let Some(hp) = &pv.spec.host_path {
                // The in-tree hostPath deleter: the unanchored regexp `/tmp/.+`.
                let ok = hp.path.find("/tmp/").is_some_and(|i| hp.path.len() > i + 5);
                (!ok).then(|| {
                    format!(
                        "host_path deleter only supports /tmp/.+ but received provided {}",
                        hp.path
                    )
                })
            } else {
                Some(format!(
                    "error getting deleter volume plugin for volume \"{name}\": no deletable volume plugin matched"
                ))
            };
            match failure {
                Some(msg) => {
                    c.event(
                        EventType::Warning,
                        key,
                        "VolumeFailedDelete",
                        SOURCE,
                        msg.clone(),
                    );
                    set_pv_phase(c, &name, "Failed", "", &msg)
                }
                None => {
                    wipe_backing(c, pv);
                    c.delete(&key)
                }
            }
        }
        other => {
            let msg = format!("Volume has unrecognized PersistentVolumeReclaimPolicy {other:?}");
            c.event(
                EventType::Warning,
                key,
                "VolumeUnknownReclaimPolicy",
                SOURCE,
                msg.clone(),
            );
            set_pv_phase(c, &name, "Failed", "", &msg)
        }
    }
}

fn set_claim_phase(c: &mut Cluster, pvc: &PersistentVolumeClaim, phase: &str) -> bool {
    let mut pvc = pvc.clone();
    let status = pvc.status.get_or_insert_with(Default::default);
    if status.phase == phase {
        return false;
    }
    status.phase = phase.into();
    c.put_status(Object::PersistentVolumeClaim(Box::new(pvc)))
}

/// Claims: pre-bound, matched, provisioned, waiting, or Lost.
fn sync_claims(c: &mut Cluster) -> bool {
    let mut changed = false;
    let todo: Vec<PersistentVolumeClaim> = c
        .store
        .list("PersistentVolumeClaim", None)
        .filter_map(|o| match o {
            Object::PersistentVolumeClaim(pvc) if !settled_claim(c, pvc) => Some((**pvc).clone()),
            _ => None,
        })
        .collect();
    if todo.is_empty() {
        return false;
    }
    let mut index = Index::new(c);
    for pvc in todo {
        if pvc.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let key = claim_key(&pvc);
        let current = pvc
            .status
            .as_ref()
            .map(|s| s.phase.clone())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "Pending".into());
        if !pvc.spec.volume_name.is_empty() {
            changed |= sync_named(c, &pvc, &current, &mut index);
            continue;
        }
        let written = pvc.status.as_ref().map_or("", |s| s.phase.as_str());
        if written != "Pending" {
            changed |= set_claim_phase(c, &pvc, "Pending");
        }
        let class_name = claim_class(&pvc);
        let sc = (!class_name.is_empty())
            .then(|| class(c, &class_name))
            .flatten();
        let wffc = sc.as_ref().is_some_and(waits_for_consumer);
        let found = if wffc {
            index.find_prebound(c, &pvc)
        } else {
            index.find(c, &pvc, None)
        };
        if let Some(pv_name) = found {
            index.take(&pv_name);
            if let Some(Object::PersistentVolume(pv)) = c.store.get(&pv_key(&pv_name)).cloned() {
                let mut pvc = pvc.clone();
                bind(c, &mut pvc, *pv);
                changed = true;
            }
            continue;
        }
        let selected = pvc.metadata.annotations.get(SELECTED_NODE).cloned();
        if wffc && selected.is_none() {
            let waiting: Vec<String> = pods_waiting(c, &pvc);
            let (reason, msg) = if waiting.is_empty() {
                (
                    "WaitForFirstConsumer",
                    "waiting for first consumer to be created before binding".to_string(),
                )
            } else {
                (
                    "WaitForPodScheduled",
                    format!(
                        "waiting for {} {} to be scheduled",
                        if waiting.len() == 1 { "pod" } else { "pods" },
                        waiting.join(",")
                    ),
                )
            };
            c.event_resync(EventType::Normal, key, reason, SOURCE, msg);
            continue;
        }
        if class_name.is_empty() {
            c.event_resync(
                EventType::Normal,
                key,
                "FailedBinding",
                SOURCE,
                "no persistent volumes available for this claim and no storage class is set".into(),
            );
            continue;
        }
        match sc {
            None => c.event_resync(
                EventType::Warning,
                key,
                "ProvisioningFailed",
                SOURCE,
                format!("storageclass.storage.k8s.io \"{class_name}\" not found"),
            ),
            Some(sc) if sc.provisioner == NO_PROVISIONER => c.event_resync(
                EventType::Warning,
                key,
                "ProvisioningFailed",
                SOURCE,
                format!("no volume plugin matched name: {NO_PROVISIONER}"),
            ),
            Some(sc) => {
                changed |= provision(c, &pvc, &sc, selected.as_deref());
            }
        }
    }
    changed
}

/// A claim Bound to a volume that is Bound to it: nothing to do.
fn settled_claim(c: &Cluster, pvc: &PersistentVolumeClaim) -> bool {
    if pvc.metadata.deletion_timestamp.is_some() {
        return true;
    }
    let bound = pvc.status.as_ref().is_some_and(|s| s.phase == "Bound");
    let grown = pvc.status.as_ref().is_some_and(|s| {
        crate::engine::storage::storage_bytes(&pvc.spec.resources.requests)
            > crate::engine::storage::storage_bytes(&s.capacity)
    });
    bound
        && !grown
        && match c.store.get(&pv_key(&pvc.spec.volume_name)) {
            Some(Object::PersistentVolume(pv)) => claim_ref_names(pv, pvc) && phase(pv) == "Bound",
            _ => false,
        }
}

/// Pods that use a claim and are not scheduled yet.
fn pods_waiting(c: &Cluster, pvc: &PersistentVolumeClaim) -> Vec<String> {
    c.store
        .list("Pod", Some(&pvc.metadata.namespace))
        .filter_map(|o| match o {
            Object::Pod(p)
                if p.spec.node_name.is_empty()
                    && crate::engine::storage::pod_claims(p)
                        .iter()
                        .any(|(n, _)| *n == pvc.metadata.name) =>
            {
                Some(p.metadata.name.clone())
            }
            _ => None,
        })
        .collect()
}

/// A claim that names its volume (`spec.volumeName`, RULES §2.3), or one already bound.
fn sync_named(
    c: &mut Cluster,
    pvc: &PersistentVolumeClaim,
    current: &str,
    index: &mut Index,
) -> bool {
    let key = claim_key(pvc);
    let name = pvc.spec.volume_name.clone();
    let Some(Object::PersistentVolume(pv)) = c.store.get(&pv_key(&name)).cloned() else {
        if current == "Bound" {
            c.event_resync(
                EventType::Warning,
                key,
                "ClaimLost",
                SOURCE,
                "Bound claim has lost its PersistentVolume. Data on the volume is lost!".into(),
            );
            return set_claim_phase(c, pvc, "Lost");
        }
        return false;
    };
    if claim_ref_names(&pv, pvc) {
        if current == "Bound" && phase(&pv) == "Bound" {
            return expand(c, pvc, *pv);
        }
        index.take(&name);
        let mut pvc = pvc.clone();
        bind(c, &mut pvc, *pv);
        return true;
    }
    if pv.spec.claim_ref.is_some() {
        if current == "Bound" {
            c.event_resync(
                EventType::Warning,
                key,
                "ClaimMisbound",
                SOURCE,
                "Two claims are bound to the same volume, this one is bound incorrectly".into(),
            );
            return set_claim_phase(c, pvc, "Lost");
        }
        c.event_resync(
            EventType::Warning,
            key,
            "FailedBinding",
            SOURCE,
            format!("volume \"{name}\" already bound to a different claim."),
        );
        return false;
    }
    // A free volume: the checks of RULES §2.3 (no selector, no node affinity).
    let mismatch = if pv.metadata.deletion_timestamp.is_some() {
        Some(format!("the volume is marked for deletion \"{name}\""))
    } else if crate::engine::storage::storage_bytes(&pv.spec.capacity)
        < crate::engine::storage::storage_bytes(&pvc.spec.resources.requests)
    {
        Some("requested PV is too small".into())
    } else if claim_class(pvc) != crate::engine::storage::pv_class(&pv) {
        Some("storageClassName does not match".into())
    } else if pv.spec.volume_mode.as_deref().unwrap_or("Filesystem")
        != pvc.spec.volume_mode.as_deref().unwrap_or("Filesystem")
    {
        Some("incompatible volumeMode".into())
    } else if !pvc
        .spec
        .access_modes
        .iter()
        .all(|m| pv.spec.access_modes.contains(m))
    {
        Some("incompatible accessMode".into())
    } else {
        None
    };
    if let Some(why) = mismatch {
        c.event_resync(
            EventType::Warning,
            key,
            "VolumeMismatch",
            SOURCE,
            format!("Cannot bind to requested volume \"{name}\": {why}"),
        );
        return false;
    }
    index.take(&name);
    let mut pvc = pvc.clone();
    bind(c, &mut pvc, *pv);
    true
}

/// Volume expansion (RULES §2.4): admission already checked the class allows it; the
/// resizer grows the volume, the kubelet the file system, and the claim reports it.
fn expand(c: &mut Cluster, pvc: &PersistentVolumeClaim, mut pv: PersistentVolume) -> bool {
    let want = crate::engine::storage::storage_bytes(&pvc.spec.resources.requests);
    let have = pvc
        .status
        .as_ref()
        .map_or(0, |s| crate::engine::storage::storage_bytes(&s.capacity));
    if want <= have {
        return false;
    }
    let Some(size) = pvc.spec.resources.requests.get("storage").cloned() else {
        return false;
    };
    let key = claim_key(pvc);
    let resizer = pv
        .metadata
        .annotations
        .get(PROVISIONED_BY)
        .cloned()
        .unwrap_or_else(|| "volume".into());
    c.event(
        EventType::Normal,
        key.clone(),
        "Resizing",
        &format!("external-resizer {resizer}"),
        format!("External resizer is resizing volume {}", pv.metadata.name),
    );
    pv.spec.capacity.insert("storage".into(), size.clone());
    c.put(Object::PersistentVolume(Box::new(pv.clone())));
    c.event(
        EventType::Normal,
        key,
        "FileSystemResizeSuccessful",
        "kubelet",
        format!(
            "MountVolume.NodeExpandVolume succeeded for volume \"{}\"",
            pv.metadata.name
        ),
    );
    let mut pvc = pvc.clone();
    if let Some(s) = pvc.status.as_mut() {
        s.capacity.insert("storage".into(), size);
    }
    c.put_status(Object::PersistentVolumeClaim(Box::new(pvc)))
}

/// Provisions a volume for a claim (RULES §2.4).
fn provision(
    c: &mut Cluster,
    pvc: &PersistentVolumeClaim,
    sc: &StorageClass,
    node: Option<&str>,
) -> bool {
    let key = claim_key(pvc);
    let provisioner = sc.provisioner.clone();
    // kind's local-path provisioner refuses selectors and shared modes (rancher/
    // local-path-provisioner: provisioner.go).
    if provisioner == LOCAL_PATH {
        let refusal = if pvc.spec.selector.is_some() {
            Some("claim.Spec.Selector is not supported")
        } else if pvc
            .spec
            .access_modes
            .iter()
            .any(|m| m != "ReadWriteOnce" && m != "ReadWriteOncePod")
        {
            Some("Only support ReadWriteOnce access mode")
        } else {
            None
        };
        if let Some(why) = refusal {
            c.event_resync(
                EventType::Warning,
                key,
                "ProvisioningFailed",
                &provisioner,
                format!(
                    "failed to provision volume with StorageClass \"{}\": {why}",
                    sc.metadata.name
                ),
            );
            return false;
        }
    }
    let supported = provisioner_modes(&provisioner);
    if !pvc
        .spec
        .access_modes
        .iter()
        .all(|m| supported.contains(&m.as_str()))
    {
        c.event_resync(
            EventType::Warning,
            key,
            "ProvisioningFailed",
            SOURCE,
            format!(
                "failed to provision volume with StorageClass \"{}\": invalid AccessModes [{}]: only AccessModes [{}] are supported",
                sc.metadata.name,
                pvc.spec.access_modes.join(" "),
                supported.join(" ")
            ),
        );
        return false;
    }
    let external = !provisioner.starts_with("kubernetes.io/");
    let pv_name = format!("pvc-{}", pvc.metadata.uid);
    let mut pvc = pvc.clone();
    let annotations = &mut pvc.metadata.annotations;
    if annotations.get(STORAGE_PROVISIONER) != Some(&provisioner) {
        annotations.insert(STORAGE_PROVISIONER.into(), provisioner.clone());
        annotations.insert(BETA_STORAGE_PROVISIONER.into(), provisioner.clone());
        c.put(Object::PersistentVolumeClaim(Box::new(pvc.clone())));
    }
    if external {
        c.event(
            EventType::Normal,
            key.clone(),
            "ExternalProvisioning",
            SOURCE,
            format!("Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."),
        );
        c.event(
            EventType::Normal,
            key.clone(),
            "Provisioning",
            &provisioner,
            format!(
                "External provisioner is provisioning volume for claim \"{}/{}\"",
                pvc.metadata.namespace, pvc.metadata.name
            ),
        );
    }
    let mut pv = PersistentVolume {
        api_version: "v1".into(),
        kind: "PersistentVolume".into(),
        ..PersistentVolume::default()
    };
    pv.metadata.name = pv_name.clone();
    pv.metadata
        .annotations
        .insert(PROVISIONED_BY.into(), provisioner.clone());
    if provisioner == LOCAL_PATH {
        pv.metadata.annotations.insert(
            "local.path.provisioner/selected-node".into(),
            node.unwrap_or_default().into(),
        );
    }
    pv.spec.capacity = pvc.spec.resources.requests.clone();
    pv.spec.capacity.retain(|k, _| k == "storage");
    pv.spec.access_modes = pvc.spec.access_modes.clone();
    pv.spec.persistent_volume_reclaim_policy =
        sc.reclaim_policy.clone().unwrap_or_else(|| "Delete".into());
    pv.spec.storage_class_name = sc.metadata.name.clone();
    pv.spec.mount_options = sc.mount_options.clone();
    pv.spec.volume_mode = Some(
        pvc.spec
            .volume_mode
            .clone()
            .unwrap_or_else(|| "Filesystem".into()),
    );
    pv.spec.claim_ref = Some(crate::engine::storage::claim_ref_to(&pvc));
    let hostname = |n: &str| VolumeNodeAffinity {
        required: Some(NodeSelector {
            node_selector_terms: vec![NodeSelectorTerm {
                match_expressions: vec![NodeSelectorRequirement {
                    key: "kubernetes.io/hostname".into(),
                    operator: "In".into(),
                    values: vec![n.into()],
                }],
                ..NodeSelectorTerm::default()
            }],
        }),
    };
    match provisioner.as_str() {
        LOCAL_PATH => {
            let n = node.unwrap_or("kind-worker");
            pv.spec.host_path = Some(HostPathVolumeSource {
                path: format!(
                    "/var/local-path-provisioner/{pv_name}_{}_{}",
                    pvc.metadata.namespace, pvc.metadata.name
                ),
                r#type: Some("DirectoryOrCreate".into()),
            });
            pv.spec.node_affinity = Some(hostname(n));
        }
        "kubernetes.io/host-path" => {
            pv.spec.host_path = Some(HostPathVolumeSource {
                path: format!("/tmp/hostpath_pv/{}", pvc.metadata.uid),
                r#type: Some(String::new()),
            });
        }
        _ => {
            pv.spec.csi = serde_json::json!({
                "driver": provisioner,
                "volumeHandle": format!("{pv_name}"),
                "fsType": "ext4",
            });
            if !sc.allowed_topologies.is_empty() {
                pv.spec.node_affinity = Some(topology_affinity(&sc.allowed_topologies));
            }
        }
    }
    pv.metadata.finalizers.push(PV_PROTECTION.into());
    c.put(Object::PersistentVolume(Box::new(pv.clone())));
    set_pv_phase(c, &pv_name, "Bound", "", "");
    let message = if external {
        format!("Successfully provisioned volume {pv_name}")
    } else {
        format!("Successfully provisioned volume {pv_name} using {provisioner}")
    };
    c.event(
        EventType::Normal,
        key,
        "ProvisioningSucceeded",
        if external { &provisioner } else { SOURCE },
        message,
    );
    if let Some(Object::PersistentVolume(stored)) = c.store.get(&pv_key(&pv_name)).cloned() {
        bind(c, &mut pvc, *stored);
    }
    true
}

/// A PV node affinity from a class's `allowedTopologies`.
fn topology_affinity(topologies: &[serde_json::Value]) -> VolumeNodeAffinity {
    let terms = topologies
        .iter()
        .map(|t| NodeSelectorTerm {
            match_expressions: t
                .get("matchLabelExpressions")
                .and_then(|e| e.as_array())
                .map(|exprs| {
                    exprs
                        .iter()
                        .map(|e| NodeSelectorRequirement {
                            key: e.get("key").and_then(|k| k.as_str()).unwrap_or("").into(),
                            operator: "In".into(),
                            values: e
                                .get("values")
                                .and_then(|v| v.as_array())
                                .map(|v| {
                                    v.iter()
                                        .filter_map(|x| x.as_str().map(str::to_string))
                                        .collect()
                                })
                                .unwrap_or_default(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            ..NodeSelectorTerm::default()
        })
        .collect();
    VolumeNodeAffinity {
        required: Some(NodeSelector {
            node_selector_terms: terms,
        }),
    }
}
