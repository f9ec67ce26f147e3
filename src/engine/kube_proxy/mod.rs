//! kube-proxy, one per node: turns Services and EndpointSlices into the node's rules.
//! `iptables` (the default) is written out as `iptables-save` prints it. The model of a
//! service port that the rules are generated from ([`ServicePort`]) is also what request
//! dispatch will walk, so rules and routing cannot disagree.

pub mod iptables;
pub mod ipvs;
pub mod userspace;

use crate::engine::sort::SortLean;
use std::collections::BTreeMap;

use crate::engine::api::core::Service;
use crate::engine::cluster::Cluster;
use crate::engine::controllers::endpointslice::SERVICE_NAME_LABEL;
use crate::engine::manifest::Object;
use iptables::chain_name;

/// One endpoint of a service port as kube-proxy sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyEndpoint {
    pub ip: String,
    pub port: i32,
    /// This endpoint's `KUBE-SEP-` chain.
    pub sep: String,
    pub node: Option<String>,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
}

impl ProxyEndpoint {
    /// `ip:port`, as comments and DNAT targets write it.
    pub fn addr(&self) -> String {
        format!("{}:{}", self.ip, self.port)
    }
}

/// One port of one Service, with everything the proxy needs (kube-proxy's
/// `ServicePortName` + `BaseServicePortInfo`).
#[derive(Clone, Debug, PartialEq)]
pub struct ServicePort {
    pub namespace: String,
    pub name: String,
    /// The port's name; empty when the Service has a single unnamed port.
    pub port_name: String,
    pub protocol: String,
    pub cluster_ip: String,
    pub port: i32,
    pub node_port: i32,
    pub load_balancer_ips: Vec<String>,
    pub external_ips: Vec<String>,
    pub external_local: bool,
    pub internal_local: bool,
    /// `sessionAffinity: ClientIP` timeout in seconds.
    pub affinity_seconds: Option<i32>,
    /// The endpoints, ordered by `ip:port` text.
    pub endpoints: Vec<ProxyEndpoint>,
    /// This port's `KUBE-SVC-`, `KUBE-SVL-` and `KUBE-EXT-` chains.
    pub svc_chain: String,
    pub svl_chain: String,
    pub ext_chain: String,
}

impl ServicePort {
    /// `namespace/name` plus `:port-name` when the port is named (kube-proxy's `spn`).
    pub fn spn(&self) -> String {
        if self.port_name.is_empty() {
            format!("{}/{}", self.namespace, self.name)
        } else {
            format!("{}/{}:{}", self.namespace, self.name, self.port_name)
        }
    }

    /// `namespace/name`.
    pub fn namespace_name(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    pub fn protocol_lower(&self) -> String {
        self.protocol.to_lowercase()
    }

    /// True for NodePort and LoadBalancer services (and any with external IPs).
    pub fn is_external(&self) -> bool {
        self.node_port != 0 || !self.load_balancer_ips.is_empty() || !self.external_ips.is_empty()
    }

    /// The endpoints traffic may go to: ready ones, else (since 1.28) serving-and-terminating ones.
    pub fn usable(&self) -> Vec<&ProxyEndpoint> {
        let ready: Vec<&ProxyEndpoint> = self.endpoints.iter().filter(|e| e.ready).collect();
        if !ready.is_empty() {
            return ready;
        }
        self.endpoints
            .iter()
            .filter(|e| e.serving && e.terminating)
            .collect()
    }
}

/// Every proxied service port in the cluster, ordered by namespace, name and port name.
/// Headless and ExternalName services have no VIP and are not proxied.
pub fn service_ports(c: &Cluster) -> Vec<ServicePort> {
    let mut slices: BTreeMap<(String, String), Vec<&crate::engine::api::discovery::EndpointSlice>> =
        BTreeMap::new();
    for o in c.store.list("EndpointSlice", None) {
        if let Object::EndpointSlice(es) = o {
            if let Some(svc) = es.metadata.labels.get(SERVICE_NAME_LABEL) {
                slices
                    .entry((es.metadata.namespace.clone(), svc.clone()))
                    .or_default()
                    .push(es);
            }
        }
    }
    let mut out = Vec::new();
    for o in c.store.list("Service", None) {
        let Object::Service(svc) = o else { continue };
        let Some(cluster_ip) = svc
            .spec
            .cluster_ip
            .clone()
            .filter(|ip| ip != "None" && !ip.is_empty())
        else {
            continue;
        };
        if svc.spec.r#type.as_deref() == Some("ExternalName") {
            continue;
        }
        let svc_slices = slices
            .get(&(svc.metadata.namespace.clone(), svc.metadata.name.clone()))
            .cloned()
            .unwrap_or_default();
        for p in &svc.spec.ports {
            out.push(port_of(svc, p, &cluster_ip, &svc_slices));
        }
    }
    out.sort_lean_by(|a, b| {
        (&a.namespace, &a.name, &a.port_name, &a.protocol).cmp(&(
            &b.namespace,
            &b.name,
            &b.port_name,
            &b.protocol,
        ))
    });
    out
}

fn port_of(
    svc: &Service,
    p: &crate::engine::api::core::ServicePort,
    cluster_ip: &str,
    slices: &[&crate::engine::api::discovery::EndpointSlice],
) -> ServicePort {
    let protocol = crate::engine::api::protocol_or_tcp(&p.protocol).to_string();
    let mut endpoints: Vec<ProxyEndpoint> = Vec::new();
    for es in slices {
        // The slice port with this service port's name (and protocol) gives the target port.
        let Some(target) = es.ports.iter().find(|sp| {
            sp.name.as_deref().unwrap_or("") == p.name
                && sp.protocol.as_deref().unwrap_or("TCP") == protocol
        }) else {
            continue;
        };
        let Some(port) = target.port else { continue };
        for e in &es.endpoints {
            for ip in &e.addresses {
                let ep = ProxyEndpoint {
                    ip: ip.clone(),
                    port,
                    sep: String::new(),
                    node: e.node_name.clone(),
                    ready: e.conditions.ready.unwrap_or(true),
                    serving: e
                        .conditions
                        .serving
                        .unwrap_or(e.conditions.ready.unwrap_or(true)),
                    terminating: e.conditions.terminating.unwrap_or(false),
                };
                if !endpoints.contains(&ep) {
                    endpoints.push(ep);
                }
            }
        }
    }
    endpoints.sort_lean_by_key(ProxyEndpoint::addr);
    let spn = if p.name.is_empty() {
        format!("{}/{}", svc.metadata.namespace, svc.metadata.name)
    } else {
        format!(
            "{}/{}:{}",
            svc.metadata.namespace, svc.metadata.name, p.name
        )
    };
    let base = format!("{spn}{}", protocol.to_lowercase());
    for e in &mut endpoints {
        e.sep = chain_name("KUBE-SEP-", &format!("{base}{}", e.addr()));
    }
    let lb = svc
        .status
        .iter()
        .flat_map(|s| &s.load_balancer.ingress)
        .filter(|i| !i.ip.is_empty())
        .map(|i| i.ip.clone())
        .collect();
    ServicePort {
        namespace: svc.metadata.namespace.clone(),
        name: svc.metadata.name.clone(),
        port_name: p.name.clone(),
        protocol,
        cluster_ip: cluster_ip.to_string(),
        port: p.port,
        node_port: p.node_port,
        load_balancer_ips: lb,
        external_ips: svc.spec.external_ips.clone(),
        external_local: svc.spec.external_traffic_policy.as_deref() == Some("Local"),
        internal_local: svc.spec.internal_traffic_policy.as_deref() == Some("Local"),
        affinity_seconds: (svc.spec.session_affinity.as_deref() == Some("ClientIP")).then(|| {
            svc.spec
                .session_affinity_config
                .as_ref()
                .and_then(|c| c.client_ip.as_ref())
                .and_then(|c| c.timeout_seconds)
                .unwrap_or(10800)
        }),
        endpoints,
        svc_chain: chain_name("KUBE-SVC-", &base),
        svl_chain: chain_name("KUBE-SVL-", &base),
        ext_chain: chain_name("KUBE-EXT-", &base),
    }
}
