//! The node lifecycle controller's taint manager (kubernetes: pkg/controller/nodelifecycle):
//! a cordoned node (`spec.unschedulable`) carries the taint
//! `node.kubernetes.io/unschedulable:NoSchedule`, and loses it when uncordoned. The node's
//! kubelet reports the change as a `NodeNotSchedulable`/`NodeSchedulable` event.

use crate::engine::api::core::Taint;
use crate::engine::cluster::{Cluster, EventType};
use crate::engine::manifest::Object;

pub const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";

pub fn reconcile(c: &mut Cluster) -> bool {
    let mut changed = false;
    for key in c.store.keys("Node") {
        let Some(Object::Node(mut node)) = c.store.get(&key).cloned() else {
            continue;
        };
        let has = node
            .spec
            .taints
            .iter()
            .any(|t| t.key == UNSCHEDULABLE_TAINT);
        if node.spec.unschedulable != has {
            let status = if node.spec.unschedulable {
                "NodeNotSchedulable"
            } else {
                "NodeSchedulable"
            };
            c.event(
                EventType::Normal,
                key.clone(),
                status,
                "kubelet",
                format!("Node {} status is now: {status}", key.name),
            );
        }
        if node.spec.unschedulable && !has {
            node.spec.taints.push(Taint {
                key: UNSCHEDULABLE_TAINT.into(),
                effect: "NoSchedule".into(),
                time_added: Some(c.clock.timestamp()),
                ..Taint::default()
            });
        } else if !node.spec.unschedulable && has {
            node.spec.taints.retain(|t| t.key != UNSCHEDULABLE_TAINT);
        } else {
            continue;
        }
        changed |= c.put(Object::Node(node));
    }
    changed
}
