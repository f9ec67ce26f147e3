//! The garbage collector (kubernetes: pkg/controller/garbagecollector): deletes objects
//! whose every owner is gone (background cascading deletion).

use crate::engine::cluster::Cluster;
use crate::engine::store::Key;

pub fn reconcile(c: &mut Cluster) -> bool {
    let uids: std::collections::BTreeSet<String> =
        c.store.iter().map(|(_, o)| o.meta().uid.clone()).collect();
    let orphans: Vec<Key> = c
        .store
        .iter()
        .filter(|(_, o)| {
            let owners = &o.meta().owner_references;
            !owners.is_empty() && owners.iter().all(|r| !uids.contains(&r.uid))
        })
        .map(|(k, _)| k.clone())
        .collect();
    for key in &orphans {
        c.store.remove(key);
    }
    !orphans.is_empty()
}
