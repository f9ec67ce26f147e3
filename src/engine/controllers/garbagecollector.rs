//! The garbage collector (kubernetes: pkg/controller/garbagecollector): deletes objects
//! whose every owner is gone (background cascading deletion), and removes objects being
//! deleted once their last finalizer is gone.

use std::collections::HashSet;

use crate::engine::cluster::Cluster;
use crate::engine::store::Key;

pub fn reconcile(c: &mut Cluster) -> bool {
    // Every uid, to look owners up in (membership only: no order is read from the set).
    let uids: HashSet<&str> = c.store.iter().map(|(_, o)| o.meta().uid.as_str()).collect();
    // Objects to act on: deleted with no finalizer left, or with owners that are all gone.
    let act: Vec<(Key, bool)> = c
        .store
        .iter()
        .filter_map(|(k, o)| {
            let m = o.meta();
            let owners = &m.owner_references;
            if m.deletion_timestamp.is_some() {
                m.finalizers.is_empty().then(|| (k.clone(), true))
            } else if !owners.is_empty() && owners.iter().all(|r| !uids.contains(r.uid.as_str())) {
                Some((k.clone(), false))
            } else {
                None
            }
        })
        .collect();
    let mut changed = false;
    for (key, remove) in act {
        if remove {
            changed |= c.store.remove(&key).is_some();
        } else {
            changed |= c.delete(&key);
        }
    }
    changed
}
