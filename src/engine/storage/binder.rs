//! Matching a claim to a volume (RULES §2.1; kubernetes: pkg/controller/volume/
//! persistentvolume/index.go, component-helpers storage/volume/pv_helpers.go): PVs grouped
//! by access-mode set, groups with the fewest modes first, the smallest fitting capacity
//! wins; pre-bound volumes are taken at once. [`Index`] keeps the candidates sorted so
//! matching n claims against n volumes costs n log n, not n².

use crate::engine::sort::SortLean;
use std::collections::{BTreeMap, BTreeSet};

use super::{claim_class, pv_class, storage_bytes, ACCESS_MODES};
use crate::engine::api::core::{Node, PersistentVolume, PersistentVolumeClaim};
use crate::engine::cluster::Cluster;
use crate::engine::controllers::scheduler::node_selector_matches;
use crate::engine::kubectl::get::access_modes;
use crate::engine::manifest::Object;

/// Whether a PV's `claimRef` names this claim (with its uid, or no uid: reserved by name).
pub fn claim_ref_names(pv: &PersistentVolume, pvc: &PersistentVolumeClaim) -> bool {
    pv.spec.claim_ref.as_ref().is_some_and(|r| {
        r.name == pvc.metadata.name
            && r.namespace == pvc.metadata.namespace
            && (r.uid.is_empty() || r.uid == pvc.metadata.uid)
    })
}

fn volume_mode(mode: &Option<String>) -> &str {
    mode.as_deref().unwrap_or("Filesystem")
}

/// Why a PV cannot serve a claim (on `node`, for the scheduler), in plain words, or `Ok`.
/// The order follows the binder's checks.
pub fn check(
    pvc: &PersistentVolumeClaim,
    pv: &PersistentVolume,
    node: Option<&Node>,
) -> Result<(), String> {
    let prebound = claim_ref_names(pv, pvc);
    if let Some(r) = pv.spec.claim_ref.as_ref().filter(|_| !prebound) {
        return Err(
            if r.name == pvc.metadata.name && r.namespace == pvc.metadata.namespace {
                format!(
                "its claimRef still holds the uid of an earlier claim {}/{} (phase {}): an administrator must clear spec.claimRef to reuse it",
                r.namespace,
                r.name,
                phase(pv)
            )
            } else {
                format!("it is bound to another claim ({}/{})", r.namespace, r.name)
            },
        );
    }
    let want = storage_bytes(&pvc.spec.resources.requests);
    let have = storage_bytes(&pv.spec.capacity);
    if have < want {
        return Err(format!(
            "its capacity {} is smaller than the {} requested",
            quantity(&pv.spec.capacity),
            quantity(&pvc.spec.resources.requests)
        ));
    }
    if volume_mode(&pv.spec.volume_mode) != volume_mode(&pvc.spec.volume_mode) {
        return Err(format!(
            "its volumeMode is {}, the claim asks for {}",
            volume_mode(&pv.spec.volume_mode),
            volume_mode(&pvc.spec.volume_mode)
        ));
    }
    if pv.metadata.deletion_timestamp.is_some() {
        return Err("it is being deleted".into());
    }
    if !pvc
        .spec
        .access_modes
        .iter()
        .all(|m| pv.spec.access_modes.contains(m))
    {
        return Err(format!(
            "its access modes ({}) do not include the claim's ({})",
            access_modes(&pv.spec.access_modes),
            access_modes(&pvc.spec.access_modes)
        ));
    }
    if prebound {
        return Ok(());
    }
    if phase(pv) != "Available" {
        return Err(format!("its phase is {}", phase(pv)));
    }
    if !selector_matches(pvc, pv) {
        return Err("its labels do not match the claim's selector".into());
    }
    let (want_class, have_class) = (claim_class(pvc), pv_class(pv));
    if want_class != have_class {
        let show = |c: &str| {
            if c.is_empty() {
                "\"\" (none)".to_string()
            } else {
                format!("\"{c}\"")
            }
        };
        return Err(format!(
            "its storageClassName is {}, the claim's is {}",
            show(&have_class),
            show(&want_class)
        ));
    }
    if let (Some(node), Some(sel)) = (
        node,
        pv.spec
            .node_affinity
            .as_ref()
            .and_then(|a| a.required.as_ref()),
    ) {
        if !node_selector_matches(sel, node) {
            return Err(format!(
                "its node affinity does not allow node {}",
                node.metadata.name
            ));
        }
    }
    Ok(())
}

fn quantity(map: &BTreeMap<String, crate::engine::api::Quantity>) -> String {
    map.get("storage").map_or("0".into(), |q| q.0.clone())
}

pub fn phase(pv: &PersistentVolume) -> &str {
    match pv.status.as_ref().map(|s| s.phase.as_str()) {
        Some(p) if !p.is_empty() => p,
        _ => "Pending",
    }
}

fn selector_matches(pvc: &PersistentVolumeClaim, pv: &PersistentVolume) -> bool {
    match &pvc.spec.selector {
        None => true,
        Some(s) if s.match_labels.is_empty() && s.match_expressions.is_empty() => true,
        Some(s) => crate::engine::controllers::selector_matches(s, &pv.metadata.labels),
    }
}

/// The access-mode set of a PV as a bit set (RWO, ROX, RWX, RWOP).
fn mode_bits(modes: &[String]) -> u8 {
    ACCESS_MODES
        .iter()
        .enumerate()
        .filter(|(_, m)| modes.iter().any(|x| x == *m))
        .fold(0, |b, (i, _)| b | (1 << i))
}

/// PVs of one access-mode set (as bits), sorted by (capacity, name).
type Group = (u8, BTreeSet<(u64, String)>);

/// The volumes a pass of the binder may hand out, sorted for matching.
pub struct Index {
    /// Each PV's class and capacity (the PV itself stays in the store).
    pvs: BTreeMap<String, (String, u64)>,
    /// class → groups of (mode bits, PVs sorted by (capacity, name)).
    groups: BTreeMap<String, Vec<Group>>,
    /// (namespace, claim) → PVs whose claimRef names it.
    prebound: BTreeMap<(String, String), Vec<String>>,
    /// PVs handed out in this pass.
    taken: BTreeSet<String>,
}

impl Index {
    pub fn new(c: &Cluster) -> Index {
        let mut pvs = BTreeMap::new();
        let mut groups: BTreeMap<String, BTreeMap<u8, BTreeSet<(u64, String)>>> = BTreeMap::new();
        let mut prebound: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for o in c.store.list("PersistentVolume", None) {
            let Object::PersistentVolume(pv) = o else {
                continue;
            };
            // A volume bound to its claim can serve no other: leave it out.
            if phase(pv) == "Bound"
                && pv
                    .spec
                    .claim_ref
                    .as_ref()
                    .is_some_and(|r| !r.uid.is_empty())
            {
                continue;
            }
            let name = pv.metadata.name.clone();
            if let Some(r) = &pv.spec.claim_ref {
                prebound
                    .entry((r.namespace.clone(), r.name.clone()))
                    .or_default()
                    .push(name.clone());
            } else {
                groups
                    .entry(pv_class(pv))
                    .or_default()
                    .entry(mode_bits(&pv.spec.access_modes))
                    .or_default()
                    .insert((storage_bytes(&pv.spec.capacity), name.clone()));
            }
            pvs.insert(name, (pv_class(pv), storage_bytes(&pv.spec.capacity)));
        }
        let groups = groups
            .into_iter()
            .map(|(class, by_modes)| {
                let mut list: Vec<Group> = by_modes.into_iter().collect();
                // Fewest modes first (then the bit order, for determinism).
                list.sort_lean_by_key(|(bits, _)| (bits.count_ones(), *bits));
                (class, list)
            })
            .collect();
        Index {
            pvs,
            groups,
            prebound,
            taken: BTreeSet::new(),
        }
    }

    /// Hands a PV out: later claims of this pass do not see it.
    pub fn take(&mut self, name: &str) {
        self.taken.insert(name.to_string());
        if let Some((class, cap)) = self.pvs.get(name) {
            let entry = (*cap, name.to_string());
            if let Some(list) = self.groups.get_mut(class) {
                for (_, set) in list.iter_mut() {
                    set.remove(&entry);
                }
            }
        }
    }

    fn pv<'c>(c: &'c Cluster, name: &str) -> Option<&'c PersistentVolume> {
        match c.store.get(&crate::engine::store::Key::new(
            "PersistentVolume",
            "",
            name,
        )) {
            Some(Object::PersistentVolume(pv)) => Some(pv),
            _ => None,
        }
    }

    /// A PV whose claimRef names the claim (the only match WaitForFirstConsumer claims get
    /// from the controller).
    pub fn find_prebound(&self, c: &Cluster, pvc: &PersistentVolumeClaim) -> Option<String> {
        let key = (pvc.metadata.namespace.clone(), pvc.metadata.name.clone());
        self.prebound
            .get(&key)?
            .iter()
            .find(|n| {
                !self.taken.contains(*n)
                    && Self::pv(c, n)
                        .is_some_and(|pv| claim_ref_names(pv, pvc) && check(pvc, pv, None).is_ok())
            })
            .cloned()
    }

    /// The best PV for a claim (on `node`, for the scheduler), not yet taken.
    pub fn find(
        &self,
        c: &Cluster,
        pvc: &PersistentVolumeClaim,
        node: Option<&Node>,
    ) -> Option<String> {
        let key = (pvc.metadata.namespace.clone(), pvc.metadata.name.clone());
        if let Some(names) = self.prebound.get(&key) {
            if let Some(n) = names.iter().find(|n| {
                !self.taken.contains(*n)
                    && Self::pv(c, n)
                        .is_some_and(|pv| claim_ref_names(pv, pvc) && check(pvc, pv, node).is_ok())
            }) {
                return Some(n.clone());
            }
        }
        let want_bits = mode_bits(&pvc.spec.access_modes);
        let want = storage_bytes(&pvc.spec.resources.requests);
        for (bits, list) in self.groups.get(&claim_class(pvc))? {
            if bits & want_bits != want_bits {
                continue;
            }
            if let Some((_, n)) = list.range((want, String::new())..).find(|(_, n)| {
                !self.taken.contains(n)
                    && Self::pv(c, n).is_some_and(|pv| check(pvc, pv, node).is_ok())
            }) {
                return Some(n.clone());
            }
        }
        None
    }
}

/// Every PV, with why it was or was not a match for the claim: the structured answer to
/// "why is my PVC Pending?".
pub fn considered(c: &Cluster, pvc: &PersistentVolumeClaim) -> Vec<(String, Result<(), String>)> {
    c.store
        .list("PersistentVolume", None)
        .filter_map(|o| match o {
            Object::PersistentVolume(pv) => Some((pv.metadata.name.clone(), check(pvc, pv, None))),
            _ => None,
        })
        .collect()
}
