//! The garbage collector (kubernetes: pkg/controller/garbagecollector): deletes objects
//! whose every owner is gone (background cascading deletion), and removes objects being
//! deleted once their last finalizer is gone.

use crate::engine::cluster::Cluster;
use crate::engine::store::Key;

pub fn reconcile(c: &mut Cluster) -> bool {
    let uids: std::collections::BTreeSet<String> =
        c.store.iter().map(|(_, o)| o.meta().uid.clone()).collect();
    let mut changed = false;
    let keys: Vec<Key> = c.store.iter().map(|(k, _)| k.clone()).collect();
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
