//! The garbage collector (kubernetes: pkg/controller/garbagecollector): deletes objects
//! whose every owner is gone (background cascading deletion), and removes objects being
//! deleted once their last finalizer is gone.

use crate::engine::cluster::Cluster;
use crate::engine::store::Key;

pub fn reconcile(c: &mut Cluster) -> bool {
    // Only owners someone names matter: collect those uids, then which of them exist.
    let named: std::collections::BTreeSet<&str> = c
        .store
        .iter()
        .flat_map(|(_, o)| o.meta().owner_references.iter().map(|r| r.uid.as_str()))
        .collect();
    let uids: std::collections::BTreeSet<String> = c
        .store
        .iter()
        .map(|(_, o)| o.meta().uid.as_str())
        .filter(|u| named.contains(u))
        .map(str::to_string)
        .collect();
    let mut changed = false;
    let keys: Vec<Key> = c
        .store
        .iter()
        .filter(|(_, o)| {
            let m = o.meta();
            m.deletion_timestamp.is_some() || !m.owner_references.is_empty()
        })
        .map(|(k, _)| k.clone())
        .collect();
    for key in keys {
        let Some(o) = c.store.get(&key) else { continue };
        let m = o.meta();
        let owners = &m.owner_references;
        if m.deletion_timestamp.is_some() && m.finalizers.is_empty() {
            c.store.remove(&key);
            changed = true;
        } else if m.deletion_timestamp.is_none()
            && !owners.is_empty()
            && owners.iter().all(|r| !uids.contains(&r.uid))
        {
            changed |= c.delete(&key);
        }
    }
    changed
}
