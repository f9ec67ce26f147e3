//! The kubelet's node registration and status (kubernetes: pkg/kubelet/kubelet_node_status.go):
//! the well-known labels (`kubernetes.io/hostname`, `…/os`, `…/arch`), capacity and
//! allocatable, the `Ready` condition, addresses (an InternalIP from the kind network
//! 172.18.0.0/16) and node info. What the input already set is kept.

use crate::engine::sort::CollectLean;
use std::collections::BTreeSet;

use crate::engine::api::core::{NodeAddress, NodeCondition, NodeStatus, NodeSystemInfo};
use crate::engine::api::Quantity;
use crate::engine::cluster::Cluster;
use crate::engine::manifest::Object;

pub fn reconcile(c: &mut Cluster) -> bool {
    let mut used_ips: BTreeSet<String> = c
        .store
        .list("Node", None)
        .filter_map(|o| match o {
            Object::Node(n) => n.status.as_ref(),
            _ => None,
        })
        .flat_map(|s| s.addresses.iter().filter(|a| a.r#type == "InternalIP"))
        .map(|a| a.address.clone())
        .collect_set();
    let mut changed = false;
    for key in c.store.keys("Node") {
        let Some(Object::Node(node)) = c.store.get(&key).cloned() else {
            continue;
        };
        let mut n = node.clone();
        let name = n.metadata.name.clone();
        for (k, v) in [
            ("beta.kubernetes.io/arch", "amd64"),
            ("beta.kubernetes.io/os", "linux"),
            ("kubernetes.io/arch", "amd64"),
            ("kubernetes.io/hostname", name.as_str()),
            ("kubernetes.io/os", "linux"),
        ] {
            n.metadata
                .labels
                .entry(k.into())
                .or_insert_with(|| v.into());
        }
        let s = n.status.get_or_insert_with(NodeStatus::default);
        if s.capacity.is_empty() {
            s.capacity = [
                ("cpu", "4"),
                ("ephemeral-storage", "100Gi"),
                ("memory", "8Gi"),
                ("pods", "110"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), Quantity(v.into())))
            .collect_map();
        }
        if s.allocatable.is_empty() {
            s.allocatable = s.capacity.clone();
        }
        if !s.conditions.iter().any(|cd| cd.r#type == "Ready") {
            s.conditions.push(NodeCondition {
                r#type: "Ready".into(),
                status: "True".into(),
                reason: "KubeletReady".into(),
                message: "kubelet is posting ready status".into(),
                ..NodeCondition::default()
            });
        }
        if !s.addresses.iter().any(|a| a.r#type == "InternalIP") {
            let ip = (2..255)
                .map(|i| format!("172.18.0.{i}"))
                .find(|ip| !used_ips.contains(ip))
                .unwrap_or_default();
            used_ips.insert(ip.clone());
            s.addresses.insert(
                0,
                NodeAddress {
                    r#type: "InternalIP".into(),
                    address: ip,
                },
            );
        }
        if !s.addresses.iter().any(|a| a.r#type == "Hostname") {
            s.addresses.push(NodeAddress {
                r#type: "Hostname".into(),
                address: name.clone(),
            });
        }
        if s.node_info.is_none() {
            s.node_info = Some(NodeSystemInfo {
                kubelet_version: "v1.33.1".into(),
                kube_proxy_version: "v1.33.1".into(),
                os_image: "Debian GNU/Linux 12 (bookworm)".into(),
                kernel_version: "6.8.0-kubeplay".into(),
                container_runtime_version: "containerd://2.1.1".into(),
                operating_system: "linux".into(),
                architecture: "amd64".into(),
                ..NodeSystemInfo::default()
            });
        }
        if n != node {
            changed |= c.put_status(Object::Node(n));
        }
    }
    changed
}
