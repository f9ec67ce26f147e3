//! The cloud's service controller (k8s.io/cloud-provider: controllers/service), simulated:
//! kubeplay has no cloud, so a pretend load balancer takes an address from
//! 172.18.255.200–172.18.255.250 (a range of the kind network, as MetalLB is often set up
//! there) and writes it into `status.loadBalancer.ingress`. The UI and README say so.

use crate::engine::sort::CollectLean;
use std::collections::BTreeSet;

use crate::engine::api::core::{LoadBalancerIngress, ServiceStatus};
use crate::engine::cluster::{Cluster, EventType};
use crate::engine::manifest::Object;
use crate::engine::store::Key;

/// The simulated load-balancer address pool.
pub const POOL: std::ops::RangeInclusive<u32> = 200..=250;

pub fn reconcile(c: &mut Cluster) -> bool {
    let mut used: BTreeSet<String> = c
        .store
        .list("Service", None)
        .filter_map(|o| match o {
            Object::Service(s) => s.status.as_ref(),
            _ => None,
        })
        .flat_map(|st| st.load_balancer.ingress.iter().map(|i| i.ip.clone()))
        .collect_set();
    let mut changed = false;
    for key in c.store.keys("Service") {
        let Some(Object::Service(svc)) = c.store.get(&key) else {
            continue;
        };
        let is_lb = svc.spec.r#type.as_deref() == Some("LoadBalancer");
        let has = svc
            .status
            .as_ref()
            .is_some_and(|s| !s.load_balancer.ingress.is_empty());
        // A loadBalancerClass names another implementation: not ours to serve.
        if is_lb == has || (is_lb && svc.spec.load_balancer_class.is_some()) {
            continue;
        }
        let mut svc = (**svc).clone();
        let status = svc.status.get_or_insert_with(ServiceStatus::default);
        if is_lb {
            let Some(ip) = POOL
                .map(|n| format!("172.18.255.{n}"))
                .find(|ip| !used.contains(ip))
            else {
                continue;
            };
            used.insert(ip.clone());
            status.load_balancer.ingress = vec![LoadBalancerIngress {
                ip,
                ip_mode: Some("VIP".into()),
                ..LoadBalancerIngress::default()
            }];
            let k = Key::of(&Object::Service(Box::new(svc.clone())));
            c.event(
                EventType::Normal,
                k.clone(),
                "EnsuringLoadBalancer",
                "service-controller",
                "Ensuring load balancer".into(),
            );
            c.event(
                EventType::Normal,
                k,
                "EnsuredLoadBalancer",
                "service-controller",
                "Ensured load balancer".into(),
            );
        } else {
            // No longer a LoadBalancer: the cloud releases it.
            status.load_balancer.ingress.clear();
            c.event(
                EventType::Normal,
                key.clone(),
                "DeletedLoadBalancer",
                "service-controller",
                "Deleted load balancer".into(),
            );
        }
        changed |= c.put_status(Object::Service(Box::new(svc)));
    }
    changed
}
