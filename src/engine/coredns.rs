//! CoreDNS's `kubernetes` plugin (coredns: plugin/kubernetes; the Kubernetes DNS
//! specification, schema 1.1.0): what the cluster DNS answers for a name. A records for
//! Services (the cluster IP; for headless Services the ready endpoints), endpoint names
//! (`<hostname>.<svc>.<ns>.svc`, or the dashed IP), pod names (`a-b-c-d.<ns>.pod`, `pods
//! insecure` as kubeadm sets it), ExternalName as a CNAME, and the difference between a
//! name that does not exist (NXDOMAIN) and one that exists without that type (NODATA).
//! Names outside the cluster domain are forwarded upstream; kubeplay's simulated upstream
//! knows the names in [`UPSTREAM`] and answers NXDOMAIN for every other.

use super::cluster::Cluster;
use super::corefile::{in_zone, Kubernetes, PodsMode};
use super::manifest::Object;
use super::store::Key;
use crate::engine::sort::SortLean;

/// The outside world, as far as kubeplay simulates it (the UI and README say so).
pub const UPSTREAM: &[(&str, &str)] = &[
    ("example.com", "93.184.215.14"),
    ("kubernetes.io", "15.197.167.90"),
];

/// Answers a name from the simulated upstream resolver.
pub fn upstream(name: &str, qtype: QType) -> Answer {
    let name = name.trim_end_matches('.').to_lowercase();
    match UPSTREAM.iter().find(|(n, _)| *n == name) {
        Some(_) if qtype == QType::Aaaa => Answer::NoData,
        Some((_, ip)) => Answer::Records {
            cname: None,
            addresses: vec![ip.to_string()],
        },
        None => Answer::NxDomain,
    }
}

/// The record type asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QType {
    A,
    Aaaa,
    Srv,
}

/// What the server answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Addresses for the name (A records), possibly after a CNAME.
    Records {
        cname: Option<String>,
        addresses: Vec<String>,
    },
    /// An ExternalName: only the CNAME (its target is outside the cluster).
    Cname(String),
    /// SRV records: (priority, weight, port, target).
    Srv(Vec<(u16, u16, i32, String)>),
    /// A reverse lookup's name.
    Ptr(String),
    /// The name exists but has no record of this type (NOERROR, empty).
    NoData,
    /// The name does not exist.
    NxDomain,
    /// No plugin of the server block handled the name (CoreDNS: "no next plugin found").
    ServFail,
    /// No server block serves the name's zone.
    Refused,
}

impl Answer {
    /// The response code (`status:` in dig).
    pub fn rcode(&self) -> &'static str {
        match self {
            Answer::NxDomain => "NXDOMAIN",
            Answer::ServFail => "SERVFAIL",
            Answer::Refused => "REFUSED",
            _ => "NOERROR",
        }
    }
}

/// The plugin of the loaded Corefile that answers a name.
enum Handler<'a> {
    Hosts(Vec<String>),
    Kubernetes(&'a Kubernetes),
    Forward,
    /// `hosts` without `fallthrough` for a name it does not list.
    HostsNxDomain,
    /// No plugin handled it.
    Nothing,
    /// No server block serves the zone.
    NoServer,
}

/// The server block with the longest matching zone, then its plugins in CoreDNS's
/// execution order (rewrite, hosts, kubernetes, forward): the name after rewriting and
/// the plugin that answers it.
fn route<'a>(corefile: &'a super::corefile::Corefile, name: &str) -> (String, Handler<'a>) {
    let mut qname = name.trim_end_matches('.').to_lowercase();
    let Some(server) = corefile.server_for(&qname) else {
        return (qname, Handler::NoServer);
    };
    // `rewrite` rules stop at the first that matches (the default `stop`).
    if let Some(new) = server.rewrites.iter().find_map(|r| r.apply(&qname)) {
        qname = new;
    }
    if let Some(hosts) = &server.hosts {
        let found: Vec<String> = hosts
            .entries
            .iter()
            .filter(|(n, _)| *n == qname)
            .map(|(_, ip)| ip.clone())
            .collect();
        if !found.is_empty() {
            return (qname, Handler::Hosts(found));
        }
        if !hosts.fallthrough {
            return (qname, Handler::HostsNxDomain);
        }
    }
    if let Some(k) = server
        .kubernetes
        .as_ref()
        .filter(|k| in_zone(&qname, &k.zone))
    {
        return (qname, Handler::Kubernetes(k));
    }
    match &server.forward {
        Some((from, _)) if in_zone(&qname, from) => (qname, Handler::Forward),
        _ => (qname, Handler::Nothing),
    }
}

/// Answers `name` (a fully qualified name; a trailing dot is optional) as the loaded
/// Corefile says.
pub fn query(c: &Cluster, name: &str, qtype: QType) -> Answer {
    let corefile = c.dns.corefile.clone();
    let (qname, handler) = route(&corefile, name);
    match handler {
        Handler::Hosts(addresses) if qtype == QType::A => Answer::Records {
            cname: None,
            addresses,
        },
        Handler::Hosts(_) => Answer::NoData,
        Handler::HostsNxDomain => Answer::NxDomain,
        Handler::Kubernetes(k) => kubernetes(c, k, &qname, qtype),
        Handler::Forward => upstream(&qname, qtype),
        Handler::Nothing => Answer::ServFail,
        Handler::NoServer => Answer::Refused,
    }
}

/// The TTL CoreDNS gives answers for `name`: the `kubernetes` plugin's `ttl` for cluster
/// names, 3600 s for `hosts` entries, 30 s (the upstream's, as kubeplay simulates it) for
/// the rest.
pub fn ttl(c: &Cluster, name: &str) -> u32 {
    match route(&c.dns.corefile, name).1 {
        Handler::Kubernetes(k) => k.ttl,
        Handler::Hosts(_) => 3600,
        _ => 30,
    }
}

/// Whether CoreDNS answers `name` authoritatively (the `aa` flag: the kubernetes and hosts
/// plugins do, forwarded answers do not), and the zone whose SOA a negative answer carries.
pub fn authority(c: &Cluster, name: &str) -> Option<String> {
    let corefile = c.dns.corefile.clone();
    match route(&corefile, name).1 {
        Handler::Kubernetes(k) => Some(k.zone.clone()),
        Handler::Hosts(_) | Handler::HostsNxDomain => corefile
            .server_for(&name.trim_end_matches('.').to_lowercase())
            .and_then(|s| s.zones.first().cloned()),
        _ => None,
    }
}

/// The `kubernetes` plugin for a name in its zone.
fn kubernetes(c: &Cluster, k: &Kubernetes, name: &str, qtype: QType) -> Answer {
    let domain = k.zone.as_str();
    let Some(local) = name.strip_suffix(&format!(".{domain}")) else {
        // The zone apex.
        return Answer::NoData;
    };
    let labels: Vec<&str> = local.split('.').collect();
    let namespace_exists = |ns: &str| c.store.get(&Key::new("Namespace", "", ns)).is_some();
    let answer = match labels.as_slice() {
        ["svc"] | ["pod"] => Answer::NoData,
        [ns, "svc"] if namespace_exists(ns) => Answer::NoData,
        [port, proto, svc, ns, "svc"] if port.starts_with('_') && proto.starts_with('_') => {
            match srv(c, ns, svc, &port[1..], &proto[1..], domain) {
                records if records.is_empty() => Answer::NxDomain,
                records if qtype == QType::Srv => Answer::Srv(records),
                _ => Answer::NoData,
            }
        }
        [svc, ns, "svc"] => service(c, ns, svc),
        [endpoint, svc, ns, "svc"] => endpoint_record(c, ns, svc, endpoint),
        [ip, ns, "pod"] if namespace_exists(ns) => match (dashed_ip(ip), k.pods) {
            (Some(ip), PodsMode::Insecure) => Answer::Records {
                cname: None,
                addresses: vec![ip],
            },
            (Some(ip), PodsMode::Verified) if pod_with_ip(c, ns, &ip) => Answer::Records {
                cname: None,
                addresses: vec![ip],
            },
            _ => Answer::NxDomain,
        },
        _ => Answer::NxDomain,
    };
    match (answer, qtype) {
        // IPv4-only cluster: names with addresses have no AAAA; only SRV names have SRV.
        (Answer::Records { .. }, QType::Aaaa | QType::Srv) => Answer::NoData,
        (a, _) => a,
    }
}

/// `pods verified`: a pod in the namespace has the address.
fn pod_with_ip(c: &Cluster, ns: &str, ip: &str) -> bool {
    c.store.list("Pod", Some(ns)).any(|o| match o {
        Object::Pod(p) => p.status.as_ref().is_some_and(|s| s.pod_ip == ip),
        _ => false,
    })
}

/// SRV records for a named port (`_<port>._<proto>.<svc>.<ns>.svc`): for a cluster IP
/// Service one record pointing at the Service's name; for a headless one a record per
/// ready endpoint (weight `floor(100/n)`), pointing at the endpoint's name.
fn srv(
    c: &Cluster,
    ns: &str,
    svc: &str,
    port_name: &str,
    proto: &str,
    domain: &str,
) -> Vec<(u16, u16, i32, String)> {
    let Some(Object::Service(s)) = c.store.get(&Key::new("Service", ns, svc)) else {
        return Vec::new();
    };
    let Some(port) = s.spec.ports.iter().find(|p| {
        p.name == port_name && super::api::protocol_or_tcp(&p.protocol).eq_ignore_ascii_case(proto)
    }) else {
        return Vec::new();
    };
    if s.spec.cluster_ip.as_deref() != Some("None") {
        return vec![(0, 100, port.port, format!("{svc}.{ns}.svc.{domain}."))];
    }
    let eps = published_endpoints(c, ns, svc, s.spec.publish_not_ready_addresses);
    let weight = if eps.is_empty() {
        0
    } else {
        (100 / eps.len()) as u16
    };
    // The endpoint's port for this port name (the target port).
    let target_port = c
        .store
        .list("EndpointSlice", Some(ns))
        .filter_map(|o| match o {
            Object::EndpointSlice(es) => Some(es),
            _ => None,
        })
        .filter(|es| {
            es.metadata
                .labels
                .get(super::controllers::endpointslice::SERVICE_NAME_LABEL)
                .map(String::as_str)
                == Some(svc)
        })
        .flat_map(|es| &es.ports)
        .find(|p| p.name.as_deref() == Some(port_name))
        .and_then(|p| p.port)
        .unwrap_or(port.port);
    eps.into_iter()
        .map(|(name, _)| {
            (
                0,
                weight,
                target_port,
                format!("{name}.{svc}.{ns}.svc.{domain}."),
            )
        })
        .collect()
}

/// The reverse (PTR) name of a cluster address: a Service's cluster IP, or a published
/// endpoint (`<hostname-or-dashed-ip>.<svc>.<ns>.svc`).
pub fn ptr(c: &Cluster, ip: &str) -> Answer {
    let corefile = c.dns.corefile.clone();
    let root = corefile.server_for("in-addr.arpa");
    if let Some((name, _)) = root
        .and_then(|s| s.hosts.as_ref())
        .and_then(|h| h.entries.iter().find(|(_, a)| a == ip))
    {
        return Answer::Ptr(format!("{name}."));
    }
    let Some(k) = corefile.servers.iter().find_map(|s| s.kubernetes.as_ref()) else {
        return Answer::NxDomain;
    };
    let domain = &k.zone;
    for o in c.store.list("Service", None) {
        if let Object::Service(s) = o {
            if s.spec.cluster_ip.as_deref() == Some(ip) {
                return Answer::Ptr(format!(
                    "{}.{}.svc.{domain}.",
                    s.metadata.name, s.metadata.namespace
                ));
            }
        }
    }
    for o in c.store.list("Service", None) {
        let Object::Service(s) = o else { continue };
        let (ns, svc) = (&s.metadata.namespace, &s.metadata.name);
        if let Some((name, _)) = published_endpoints(c, ns, svc, s.spec.publish_not_ready_addresses)
            .into_iter()
            .find(|(_, e)| e == ip)
        {
            return Answer::Ptr(format!("{name}.{svc}.{ns}.svc.{domain}."));
        }
    }
    Answer::NxDomain
}

fn dashed_ip(label: &str) -> Option<String> {
    let ip = label.replace('-', ".");
    super::defaults::parse_ipv4(&ip).map(|_| ip)
}

/// The endpoints of a Service that DNS publishes: ready ones (or all with
/// `publishNotReadyAddresses`), as (hostname-or-dashed-ip, ip).
fn published_endpoints(
    c: &Cluster,
    ns: &str,
    svc: &str,
    publish_not_ready: bool,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for o in c.store.list("EndpointSlice", Some(ns)) {
        let Object::EndpointSlice(es) = o else {
            continue;
        };
        if es
            .metadata
            .labels
            .get(super::controllers::endpointslice::SERVICE_NAME_LABEL)
            .map(String::as_str)
            != Some(svc)
        {
            continue;
        }
        for e in &es.endpoints {
            if !(e.conditions.ready.unwrap_or(true) || publish_not_ready) {
                continue;
            }
            for ip in &e.addresses {
                let name = e.hostname.clone().unwrap_or_else(|| ip.replace('.', "-"));
                if !out.iter().any(|(_, i)| i == ip) {
                    out.push((name, ip.clone()));
                }
            }
        }
    }
    out.sort_lean_by(|a, b| a.1.cmp(&b.1));
    out
}

fn service(c: &Cluster, ns: &str, name: &str) -> Answer {
    let Some(Object::Service(s)) = c.store.get(&Key::new("Service", ns, name)) else {
        return Answer::NxDomain;
    };
    if s.spec.r#type.as_deref() == Some("ExternalName") {
        // An IP as externalName gives no record.
        if super::defaults::parse_ipv4(&s.spec.external_name).is_some() {
            return Answer::NxDomain;
        }
        let target = s.spec.external_name.trim_end_matches('.').to_string();
        // CoreDNS returns the CNAME and resolves its target upstream.
        return match upstream(&target, QType::A) {
            Answer::Records { addresses, .. } => Answer::Records {
                cname: Some(format!("{target}.")),
                addresses,
            },
            _ => Answer::Cname(format!("{target}.")),
        };
    }
    match s.spec.cluster_ip.as_deref() {
        Some("None") => {
            let eps = published_endpoints(c, ns, name, s.spec.publish_not_ready_addresses);
            if eps.is_empty() {
                Answer::NxDomain
            } else {
                Answer::Records {
                    cname: None,
                    addresses: eps.into_iter().map(|(_, ip)| ip).collect(),
                }
            }
        }
        Some(ip) if !ip.is_empty() => Answer::Records {
            cname: None,
            addresses: vec![ip.to_string()],
        },
        _ => Answer::NxDomain,
    }
}

fn endpoint_record(c: &Cluster, ns: &str, svc: &str, endpoint: &str) -> Answer {
    let Some(Object::Service(s)) = c.store.get(&Key::new("Service", ns, svc)) else {
        return Answer::NxDomain;
    };
    let found: Vec<String> = published_endpoints(c, ns, svc, s.spec.publish_not_ready_addresses)
        .into_iter()
        .filter(|(n, _)| n == endpoint)
        .map(|(_, ip)| ip)
        .collect();
    if found.is_empty() {
        Answer::NxDomain
    } else {
        Answer::Records {
            cname: None,
            addresses: found,
        }
    }
}
