//! The node IPAM controller (kubernetes: pkg/controller/nodeipam, range allocator): gives
//! every node without one the next free `/24` of the cluster's pod subnet as `spec.podCIDR`.

use crate::engine::sort::CollectLean;
use std::collections::BTreeSet;

use crate::engine::cluster::Cluster;
use crate::engine::defaults::node_pod_cidr;
use crate::engine::manifest::Object;

pub fn reconcile(c: &mut Cluster) -> bool {
    let mut used: BTreeSet<String> = c
        .store
        .list("Node", None)
        .filter_map(|o| match o {
            Object::Node(n) if !n.spec.pod_cidr.is_empty() => Some(n.spec.pod_cidr.clone()),
            _ => None,
        })
        .collect_set();
    let mut changed = false;
    for key in c.store.keys("Node") {
        let Some(Object::Node(mut node)) = c.store.get(&key).cloned() else {
            continue;
        };
        if !node.spec.pod_cidr.is_empty() {
            continue;
        }
        let Some(cidr) = (1..256)
            .map(|i| node_pod_cidr(&c.settings.pod_subnet, i))
            .find(|cidr| !used.contains(cidr))
        else {
            continue; // the range is exhausted: the node gets no pod CIDR, as upstream
        };
        used.insert(cidr.clone());
        node.spec.pod_cidr = cidr.clone();
        node.spec.pod_cidrs = vec![cidr];
        changed |= c.put(Object::Node(node));
    }
    changed
}
