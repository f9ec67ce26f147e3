//! Storage (RULES §2–4): what a volume plugin supports, how claims and volumes match, and
//! the files volumes hold. The controllers that act on it live in `controllers/`
//! (persistentvolume binder and provisioner, protection), the scheduler's VolumeBinding
//! plugin in [`scheduling`], the files and the shell that reads and writes them in
//! [`files`].

pub mod binder;
pub mod files;
pub mod scheduling;

use super::api::core::{PersistentVolume, PersistentVolumeClaim, PersistentVolumeSpec, Volume};
use super::api::storage::StorageClass;
use super::cluster::Cluster;
use super::manifest::Object;
use super::store::Key;

pub const RWO: &str = "ReadWriteOnce";
pub const ROX: &str = "ReadOnlyMany";
pub const RWX: &str = "ReadWriteMany";
pub const RWOP: &str = "ReadWriteOncePod";
pub const ACCESS_MODES: [&str; 4] = [RWO, ROX, RWX, RWOP];

pub const DEFAULT_CLASS_ANNOTATION: &str = "storageclass.kubernetes.io/is-default-class";
pub const BETA_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";
pub const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";
pub const BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";
pub const BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";
pub const PROVISIONED_BY: &str = "pv.kubernetes.io/provisioned-by";
pub const STORAGE_PROVISIONER: &str = "volume.kubernetes.io/storage-provisioner";
pub const BETA_STORAGE_PROVISIONER: &str = "volume.beta.kubernetes.io/storage-provisioner";
pub const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
pub const PV_PROTECTION: &str = "kubernetes.io/pv-protection";
pub const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";
/// kind's default provisioner.
pub const LOCAL_PATH: &str = "rancher.io/local-path";

/// A volume plugin: its name in the API, the access modes it supports (the "Persistent
/// Volumes" table, RULES §3), whether its volumes attach to a node (so RWO is enforced
/// across nodes), whether data lives on the node, and whether it can be recycled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plugin {
    pub name: &'static str,
    pub modes: &'static [&'static str],
    pub attachable: bool,
    pub on_node: bool,
    pub recyclable: bool,
}

const ALL: &[&str] = &[RWO, ROX, RWX, RWOP];
pub const PLUGINS: &[Plugin] = &[
    plugin("hostPath", &[RWO], false, true, true),
    plugin("local", ALL, false, true, false),
    plugin("nfs", &[RWO, ROX, RWX], false, false, true),
    plugin("csi", ALL, true, false, false),
    plugin("awsElasticBlockStore", &[RWO], true, false, false),
    plugin("gcePersistentDisk", &[RWO, ROX], true, false, false),
    plugin("azureDisk", &[RWO], true, false, false),
    plugin("azureFile", &[RWO, ROX, RWX], false, false, false),
    plugin("cephfs", &[RWO, ROX, RWX], false, false, false),
    plugin("rbd", &[RWO, ROX], true, false, false),
    plugin("iscsi", &[RWO, ROX], true, false, false),
    plugin("fc", &[RWO, ROX], true, false, false),
    plugin("cinder", &[RWO], true, false, false),
    plugin("glusterfs", &[RWO, ROX, RWX], false, false, false),
    plugin("flexVolume", &[RWO, ROX, RWX], false, false, false),
    plugin("flocker", &[RWO], true, false, false),
    plugin("quobyte", &[RWO, ROX, RWX], false, false, false),
    plugin("vsphereVolume", &[RWO], true, false, false),
    plugin("portworxVolume", &[RWO, RWX], true, false, false),
    plugin("scaleIO", &[RWO, ROX], true, false, false),
    plugin("storageos", &[RWO], true, false, false),
    plugin("photonPersistentDisk", &[RWO], true, false, false),
];

const fn plugin(
    name: &'static str,
    modes: &'static [&'static str],
    attachable: bool,
    on_node: bool,
    recyclable: bool,
) -> Plugin {
    Plugin {
        name,
        modes,
        attachable,
        on_node,
        recyclable,
    }
}

pub fn plugin_named(name: &str) -> Option<&'static Plugin> {
    PLUGINS.iter().find(|p| p.name == name)
}

fn set(v: &serde_json::Value) -> bool {
    !v.is_null()
}

/// The volume sources a PV spec sets, by API field name.
pub fn pv_sources(s: &PersistentVolumeSpec) -> Vec<&'static str> {
    let flags = [
        ("hostPath", s.host_path.is_some()),
        ("nfs", s.nfs.is_some()),
        ("local", s.local.is_some()),
        ("csi", set(&s.csi)),
        ("awsElasticBlockStore", set(&s.aws_elastic_block_store)),
        ("gcePersistentDisk", set(&s.gce_persistent_disk)),
        ("azureDisk", set(&s.azure_disk)),
        ("azureFile", set(&s.azure_file)),
        ("cephfs", set(&s.cephfs)),
        ("rbd", set(&s.rbd)),
        ("cinder", set(&s.cinder)),
        ("fc", set(&s.fc)),
        ("flexVolume", set(&s.flex_volume)),
        ("flocker", set(&s.flocker)),
        ("glusterfs", set(&s.glusterfs)),
        ("iscsi", set(&s.iscsi)),
        ("quobyte", set(&s.quobyte)),
        ("vsphereVolume", set(&s.vsphere_volume)),
        ("portworxVolume", set(&s.portworx_volume)),
        ("scaleIO", set(&s.scale_io)),
        ("storageos", set(&s.storageos)),
        ("photonPersistentDisk", set(&s.photon_persistent_disk)),
    ];
    flags
        .iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| *n)
        .collect()
}

/// The plugin of a PV (its first source).
pub fn pv_plugin(pv: &PersistentVolume) -> Option<&'static Plugin> {
    pv_sources(&pv.spec).first().and_then(|n| plugin_named(n))
}

/// The provider sources of an inline pod volume (data outside the nodes).
pub fn inline_provider(v: &Volume) -> Option<(&'static str, String)> {
    if let Some(nfs) = &v.nfs {
        return Some(("nfs", format!("nfs://{}{}", nfs.server, nfs.path)));
    }
    let fields = [
        ("csi", &v.csi, "volumeHandle"),
        (
            "awsElasticBlockStore",
            &v.aws_elastic_block_store,
            "volumeID",
        ),
        ("gcePersistentDisk", &v.gce_persistent_disk, "pdName"),
        ("azureDisk", &v.azure_disk, "diskName"),
        ("azureFile", &v.azure_file, "shareName"),
        ("cephfs", &v.cephfs, "path"),
        ("rbd", &v.rbd, "image"),
        ("iscsi", &v.iscsi, "iqn"),
        ("cinder", &v.cinder, "volumeID"),
        ("glusterfs", &v.glusterfs, "path"),
        ("fc", &v.fc, "wwids"),
        ("flexVolume", &v.flex_volume, "driver"),
        ("vsphereVolume", &v.vsphere_volume, "volumePath"),
        ("portworxVolume", &v.portworx_volume, "volumeID"),
    ];
    fields
        .iter()
        .find(|(_, value, _)| set(value))
        .map(|(name, value, id)| {
            let id = value.get(*id).map_or_else(
                || v.name.clone(),
                |x| match x {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                },
            );
            (*name, format!("{name}://{id}"))
        })
}

/// Where a PV's data lives: a node's filesystem at a path, or a backend outside the nodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backing {
    /// The node the pod runs on (hostPath: whichever node that is), at this path.
    PodNode(String),
    /// A fixed node (local volumes, local-path provisioning), at this path.
    Node(String, String),
    /// Storage outside the nodes, by id.
    External(String),
}

/// The backing store of a PV.
pub fn pv_backing(pv: &PersistentVolume) -> Backing {
    if let Some(hp) = &pv.spec.host_path {
        if let Some(node) = pv
            .metadata
            .annotations
            .get(PROVISIONED_BY)
            .filter(|p| *p == LOCAL_PATH)
            .and_then(|_| pinned_node(pv))
        {
            return Backing::Node(node, hp.path.clone());
        }
        return Backing::PodNode(hp.path.clone());
    }
    if let Some(l) = &pv.spec.local {
        if let Some(node) = pinned_node(pv) {
            return Backing::Node(node, l.path.clone());
        }
        return Backing::PodNode(l.path.clone());
    }
    if let Some(nfs) = &pv.spec.nfs {
        return Backing::External(format!("nfs://{}{}", nfs.server, nfs.path));
    }
    let handle = pv
        .spec
        .csi
        .get("volumeHandle")
        .and_then(|h| h.as_str())
        .map(str::to_string);
    Backing::External(match handle {
        Some(h) => format!("csi://{h}"),
        None => format!(
            "{}://{}",
            pv_plugin(pv).map_or("volume", |p| p.name),
            pv.metadata.name
        ),
    })
}

/// The one node a PV's node affinity allows by `kubernetes.io/hostname`, if that is how
/// it is pinned.
pub fn pinned_node(pv: &PersistentVolume) -> Option<String> {
    let terms = &pv
        .spec
        .node_affinity
        .as_ref()?
        .required
        .as_ref()?
        .node_selector_terms;
    terms.iter().find_map(|t| {
        t.match_expressions
            .iter()
            .find(|e| {
                e.key == "kubernetes.io/hostname" && e.operator == "In" && e.values.len() == 1
            })
            .map(|e| e.values[0].clone())
    })
}

/// A claim's class for matching (RULES §2.1 step 1): the beta annotation, else
/// `storageClassName`, else `""`.
pub fn claim_class(pvc: &PersistentVolumeClaim) -> String {
    pvc.metadata
        .annotations
        .get(BETA_CLASS_ANNOTATION)
        .cloned()
        .or_else(|| pvc.spec.storage_class_name.clone())
        .unwrap_or_default()
}

/// A PV's class (the beta annotation wins).
pub fn pv_class(pv: &PersistentVolume) -> String {
    pv.metadata
        .annotations
        .get(BETA_CLASS_ANNOTATION)
        .cloned()
        .unwrap_or_else(|| pv.spec.storage_class_name.clone())
}

/// Bytes of a storage quantity map's `storage` entry.
pub fn storage_bytes(map: &std::collections::BTreeMap<String, super::api::Quantity>) -> u64 {
    map.get("storage")
        .map_or(0, |q| super::controllers::scheduler::parse_bytes(&q.0))
}

/// The StorageClass of a name.
pub fn class(c: &Cluster, name: &str) -> Option<StorageClass> {
    match c.store.get(&Key::new("StorageClass", "", name)) {
        Some(Object::StorageClass(sc)) => Some((**sc).clone()),
        _ => None,
    }
}

/// The default StorageClass: with several, the newest (then the name, for determinism).
pub fn default_class(c: &Cluster) -> Option<StorageClass> {
    match c.newest_default("StorageClass", DEFAULT_CLASS_ANNOTATION) {
        Some(Object::StorageClass(sc)) => Some((**sc).clone()),
        _ => None,
    }
}

/// Whether a class waits for the first consumer.
pub fn waits_for_consumer(sc: &StorageClass) -> bool {
    sc.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer")
}

/// The claims a pod uses (by name, in volume order), with whether the pod mounts each
/// read-only.
pub fn pod_claims(pod: &super::api::core::Pod) -> Vec<(String, bool)> {
    pod.spec
        .volumes
        .iter()
        .filter_map(|v| {
            v.persistent_volume_claim
                .as_ref()
                .map(|p| (p.claim_name.clone(), p.read_only))
        })
        .collect()
}

/// Pods that use a claim and have not terminated.
pub fn pods_using_claim(c: &Cluster, ns: &str, claim: &str) -> Vec<String> {
    c.store
        .list("Pod", Some(ns))
        .filter_map(|o| match o {
            Object::Pod(p)
                if p.status
                    .as_ref()
                    .is_none_or(|s| s.phase != "Succeeded" && s.phase != "Failed")
                    && pod_claims(p).iter().any(|(n, _)| n == claim) =>
            {
                Some(p.metadata.name.clone())
            }
            _ => None,
        })
        .collect()
}

/// Which access modes a provisioner's volumes support: known drivers by name (block
/// devices RWO, file shares RWX), anything else all of them.
pub fn provisioner_modes(provisioner: &str) -> &'static [&'static str] {
    match provisioner {
        "kubernetes.io/aws-ebs"
        | "ebs.csi.aws.com"
        | "kubernetes.io/azure-disk"
        | "disk.csi.azure.com"
        | "kubernetes.io/cinder"
        | "cinder.csi.openstack.org" => &[RWO, RWOP],
        "kubernetes.io/gce-pd" | "pd.csi.storage.gke.io" => &[RWO, ROX, RWOP],
        LOCAL_PATH | "kubernetes.io/host-path" => &[RWO, RWOP],
        "efs.csi.aws.com"
        | "file.csi.azure.com"
        | "kubernetes.io/azure-file"
        | "nfs.csi.k8s.io"
        | "filestore.csi.storage.gke.io"
        | "cephfs.csi.ceph.com" => &[RWO, ROX, RWX, RWOP],
        _ => ALL,
    }
}

/// A PV's `claimRef` naming a claim (with its uid).
pub fn claim_ref_to(pvc: &PersistentVolumeClaim) -> super::api::meta::ObjectReference {
    super::api::meta::ObjectReference {
        api_version: "v1".into(),
        kind: "PersistentVolumeClaim".into(),
        namespace: pvc.metadata.namespace.clone(),
        name: pvc.metadata.name.clone(),
        uid: pvc.metadata.uid.clone(),
        resource_version: pvc.metadata.resource_version.clone(),
        ..Default::default()
    }
}

/// Binds a claim and a volume both ways (RULES §2.1 "Binding writes"): the PV's
/// `claimRef`, phase Bound; the claim's `volumeName`, annotations, phase Bound with the
/// PV's capacity and access modes.
pub fn bind(c: &mut Cluster, pvc: &mut PersistentVolumeClaim, mut pv: PersistentVolume) {
    let chosen_by_controller = pv.spec.claim_ref.is_none();
    if chosen_by_controller || pv.spec.claim_ref.as_ref().is_some_and(|r| r.uid.is_empty()) {
        pv.spec.claim_ref = Some(claim_ref_to(pvc));
        if chosen_by_controller {
            pv.metadata
                .annotations
                .insert(BOUND_BY_CONTROLLER.into(), "yes".into());
        }
    }
    write_phase(&mut pv, "Bound", "", "", &c.clock.timestamp());
    let (capacity, modes) = (pv.spec.capacity.clone(), pv.spec.access_modes.clone());
    c.put(Object::PersistentVolume(Box::new(pv.clone())));
    if pvc.spec.volume_name.is_empty() {
        pvc.spec.volume_name = pv.metadata.name.clone();
        pvc.metadata
            .annotations
            .insert(BOUND_BY_CONTROLLER.into(), "yes".into());
    }
    pvc.metadata
        .annotations
        .insert(BIND_COMPLETED.into(), "yes".into());
    let status = pvc.status.get_or_insert_with(Default::default);
    status.phase = "Bound".into();
    status.capacity = capacity;
    status.access_modes = modes;
    c.put(Object::PersistentVolumeClaim(Box::new(pvc.clone())));
}

/// Writes a phase into a PV copy (the transition time moves only when the phase does).
pub fn write_phase(pv: &mut PersistentVolume, phase: &str, reason: &str, message: &str, now: &str) {
    let status = pv.status.get_or_insert_with(Default::default);
    if status.phase != phase {
        status.last_phase_transition_time = Some(now.to_string());
    }
    status.phase = phase.into();
    status.reason = reason.into();
    status.message = message.into();
}

/// Sets a PV's phase (and message/reason); true if it changed.
pub fn set_pv_phase(c: &mut Cluster, name: &str, phase: &str, reason: &str, message: &str) -> bool {
    let Some(Object::PersistentVolume(pv)) = c
        .store
        .get(&Key::new("PersistentVolume", "", name))
        .cloned()
    else {
        return false;
    };
    let mut pv = pv;
    write_phase(&mut pv, phase, reason, message, &c.clock.timestamp());
    c.put_status(Object::PersistentVolume(pv))
}

/// Whether a pod's containers wait in ContainerCreating (its volumes are not attached).
fn waiting_to_start(p: &super::api::core::Pod) -> bool {
    p.status.as_ref().is_some_and(|s| {
        s.pod_ip.is_empty()
            && s.container_statuses
                .iter()
                .any(|c| c.state.pointer("/waiting/reason").is_some())
    })
}

/// Why the kubelet cannot start a pod's containers yet: (reason, source, message).
pub type MountError = (&'static str, &'static str, String);

/// The kubelet's volume manager before a pod starts (RULES §3, §4): attachable volumes
/// without a many-node access mode attach to one node only (the attach/detach
/// controller's Multi-Attach error), hostPath `type` checks on the node, and directories
/// created where the type asks for them.
pub fn mount(c: &mut Cluster, pod: &super::api::core::Pod) -> Result<(), MountError> {
    let node = pod.spec.node_name.clone();
    let ns = pod.metadata.namespace.clone();
    for v in &pod.spec.volumes {
        let (host_path, pv) = match (&v.host_path, &v.persistent_volume_claim) {
            (Some(hp), _) => (Some(hp.clone()), None),
            (_, Some(claim)) => {
                let Some(Object::PersistentVolumeClaim(pvc)) =
                    c.store
                        .get(&Key::new("PersistentVolumeClaim", &ns, &claim.claim_name))
                else {
                    continue;
                };
                let Some(Object::PersistentVolume(pv)) =
                    c.store
                        .get(&Key::new("PersistentVolume", "", &pvc.spec.volume_name))
                else {
                    continue;
                };
                let pv = (**pv).clone();
                (pv.spec.host_path.clone(), Some(pv))
            }
            _ => (None, None),
        };
        if let Some(pv) = &pv {
            let many = pv.spec.access_modes.iter().any(|m| m == RWX || m == ROX);
            if pv_plugin(pv).is_some_and(|p| p.attachable) && !many {
                let elsewhere: Vec<(String, String)> = c
                    .store
                    .list("Pod", None)
                    .filter_map(|o| match o {
                        Object::Pod(p)
                            if p.metadata.uid != pod.metadata.uid
                                && !p.spec.node_name.is_empty()
                                && p.spec.node_name != node
                                && p.metadata.deletion_timestamp.is_none()
                                && (p.status.as_ref().is_some_and(|s| !s.pod_ip.is_empty())
                                    || (!waiting_to_start(p)
                                        && (&p.metadata.creation_timestamp, &p.metadata.name)
                                            < (&pod.metadata.creation_timestamp, &pod.metadata.name)))
                                && p.spec.volumes.iter().any(|pv_vol| {
                                    pv_vol.persistent_volume_claim.as_ref().is_some_and(|cl| {
                                        matches!(c.store.get(&Key::new("PersistentVolumeClaim", &p.metadata.namespace, &cl.claim_name)),
                                            Some(Object::PersistentVolumeClaim(x)) if x.spec.volume_name == pv.metadata.name)
                                    })
                                }) =>
                        {
                            Some((p.metadata.namespace.clone(), p.metadata.name.clone()))
                        }
                        _ => None,
                    })
                    .collect();
                if !elsewhere.is_empty() {
                    let same: Vec<&str> = elsewhere
                        .iter()
                        .filter(|(n, _)| *n == ns)
                        .map(|(_, p)| p.as_str())
                        .collect();
                    let detail = if same.is_empty() {
                        format!(
                            "Volume is already used by {} pod(s) in different namespaces",
                            elsewhere.len()
                        )
                    } else {
                        format!("Volume is already used by pod(s) {}", same.join(", "))
                    };
                    return Err((
                        "FailedAttachVolume",
                        "attachdetach-controller",
                        format!(
                            "Multi-Attach error for volume \"{}\" {detail}",
                            pv.metadata.name
                        ),
                    ));
                }
            }
        }
        if let Some(hp) = host_path {
            let store = match pv.as_ref().map(pv_backing) {
                Some(Backing::Node(n, _)) => files::node_store(&n),
                _ => files::node_store(&node),
            };
            let path = hp.path.clone();
            let entry = c.files.get(&store, &path);
            use files::Entry;
            let kind = hp.r#type.clone().unwrap_or_default();
            let failed = |what: &str| -> MountError {
                (
                    "FailedMount",
                    "kubelet",
                    format!(
                        "MountVolume.SetUp failed for volume \"{}\" : hostPath type check failed: {path} is not a {what}",
                        v.name
                    ),
                )
            };
            match kind.as_str() {
                "DirectoryOrCreate" if entry.is_none() => c.files.mkdir_p(&store, &path),
                "DirectoryOrCreate" | "Directory" if entry != Some(Entry::Dir) => {
                    return Err(failed("directory"))
                }
                "FileOrCreate" if entry.is_none() => {
                    let parent = path.rsplit_once('/').map_or("/", |(p, _)| p).to_string();
                    c.files.mkdir_p(&store, &parent);
                    c.files
                        .store(&store)
                        .insert(path.clone(), Entry::File(String::new()));
                }
                "FileOrCreate" | "File" if !matches!(entry, Some(Entry::File(_))) => {
                    return Err(failed("file"))
                }
                "Socket" if entry != Some(Entry::Socket) => return Err(failed("socket file")),
                "CharDevice" if entry != Some(Entry::CharDevice) => {
                    return Err(failed("character device"))
                }
                "BlockDevice" if entry != Some(Entry::BlockDevice) => {
                    return Err(failed("block device"))
                }
                // No type (no check): the kubelet's mount creates a missing directory.
                "" if entry.is_none() => c.files.mkdir_p(&store, &path),
                _ => {}
            }
        }
    }
    Ok(())
}

/// The structured answer to "why is this claim Pending?" (and what it is otherwise): a
/// one-line verdict and every PV the binder looked at with why it did or did not fit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimReport {
    pub phase: String,
    pub verdict: String,
    pub considered: Vec<(String, Result<(), String>)>,
}

pub fn explain_claim(c: &Cluster, ns: &str, name: &str) -> Option<ClaimReport> {
    let Some(Object::PersistentVolumeClaim(pvc)) =
        c.store.get(&Key::new("PersistentVolumeClaim", ns, name))
    else {
        return None;
    };
    let phase = pvc
        .status
        .as_ref()
        .map(|s| s.phase.clone())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "Pending".into());
    let class_name = claim_class(pvc);
    let considered = binder::considered(c, pvc);
    let users = pods_using_claim(c, ns, name);
    let verdict = if pvc.metadata.deletion_timestamp.is_some() {
        if users.is_empty() {
            "Terminating: it is being deleted.".to_string()
        } else {
            format!(
                "Terminating: pod(s) {} still use it, and the kubernetes.io/pvc-protection finalizer keeps it until they are gone.",
                users.join(", ")
            )
        }
    } else if phase == "Bound" {
        format!("Bound to PersistentVolume {}.", pvc.spec.volume_name)
    } else if phase == "Lost" {
        format!(
            "Lost: its PersistentVolume {} is gone; the data on it is lost.",
            pvc.spec.volume_name
        )
    } else if !pvc.spec.volume_name.is_empty() {
        match considered.iter().find(|(n, _)| *n == pvc.spec.volume_name) {
            None => format!("Pending: spec.volumeName asks for PersistentVolume {}, which does not exist; the claim waits for it.", pvc.spec.volume_name),
            Some((_, Err(why))) => format!("Pending: spec.volumeName asks for PersistentVolume {}, but {why}.", pvc.spec.volume_name),
            Some((_, Ok(()))) => format!("Pending: PersistentVolume {} fits and is being bound.", pvc.spec.volume_name),
        }
    } else if class_name.is_empty() {
        "Pending: storageClassName is \"\" (or no default class exists), so nothing is provisioned; only a PersistentVolume without a class can bind, and none fits.".to_string()
    } else {
        match class(c, &class_name) {
            None => format!("Pending: StorageClass \"{class_name}\" does not exist, so nothing can provision the claim, and no PersistentVolume of that class fits."),
            Some(sc) if waits_for_consumer(&sc) && !pvc.metadata.annotations.contains_key(SELECTED_NODE) => {
                if users.is_empty() {
                    format!("Pending, as designed: StorageClass \"{class_name}\" binds WaitForFirstConsumer, so the claim waits until a pod that uses it is scheduled (no pod uses it yet).")
                } else {
                    format!("Pending: StorageClass \"{class_name}\" binds WaitForFirstConsumer and pod(s) {} using it are not scheduled yet (see their FailedScheduling events).", users.join(", "))
                }
            }
            Some(sc) if sc.provisioner == NO_PROVISIONER => format!("Pending: StorageClass \"{class_name}\" has no provisioner ({NO_PROVISIONER}): an administrator must create a matching PersistentVolume, and none fits."),
            Some(sc) => format!("Pending: StorageClass \"{class_name}\" asks {} to provision a volume; see the claim's ProvisioningFailed events for why it did not.", sc.provisioner),
        }
    };
    Some(ClaimReport {
        phase,
        verdict,
        considered,
    })
}

/// `why pvc NAME`: the report as text.
pub fn render_claim_report(r: &ClaimReport) -> String {
    let mut out = format!("{}\n", r.verdict);
    if r.considered.is_empty() {
        out.push_str("PersistentVolumes considered: none exist.\n");
    } else {
        out.push_str("PersistentVolumes considered:\n");
        for (name, verdict) in &r.considered {
            match verdict {
                Ok(()) => out.push_str(&format!("  ✓ {name}: fits\n")),
                Err(why) => out.push_str(&format!("  ✗ {name}: {why}\n")),
            }
        }
    }
    out
}
