//! A pod's resolver: the `/etc/resolv.conf` the kubelet writes for each `dnsPolicy`
//! (kubernetes: pkg/kubelet/network/dns/dns.go) and glibc's search-list walk
//! (resolv.conf(5)): with fewer dots than `ndots` the search domains come first, then the
//! name as given; with at least `ndots` dots (or a trailing dot) the name as given first.

use super::api::core::Pod;
use super::cluster::Cluster;
use super::coredns::{query, Answer, QType};
use super::manifest::Object;
use super::store::Key;

/// The node resolver kind nodes have (Docker's embedded DNS on the kind network).
pub const NODE_NAMESERVER: &str = "172.18.0.1";
const MAX_NAMESERVERS: usize = 3;
const MAX_SEARCHES: usize = 32;

/// The C library whose resolver walks the search list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Libc {
    /// glibc: NXDOMAIN and NODATA both move on to the next candidate.
    Glibc,
    /// musl (alpine): only NXDOMAIN moves on; NODATA ends the lookup.
    Musl,
}

impl Libc {
    /// Whether the walk goes on after this answer.
    fn continues(self, answer: &Answer) -> bool {
        match answer {
            Answer::Records { .. } | Answer::Cname(_) | Answer::Srv(_) | Answer::Ptr(_) => false,
            Answer::NxDomain => true,
            _ => self == Libc::Glibc,
        }
    }
}

/// A `resolv.conf`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResolvConf {
    pub searches: Vec<String>,
    pub nameservers: Vec<String>,
    pub options: Vec<(String, Option<String>)>,
}

impl ResolvConf {
    /// The file as the kubelet writes it: search, nameserver lines, options.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if !self.searches.is_empty() {
            out.push_str(&format!("search {}\n", self.searches.join(" ")));
        }
        for ns in &self.nameservers {
            out.push_str(&format!("nameserver {ns}\n"));
        }
        if !self.options.is_empty() {
            let opts: Vec<String> = self
                .options
                .iter()
                .map(|(k, v)| match v {
                    Some(v) => format!("{k}:{v}"),
                    None => k.clone(),
                })
                .collect();
            out.push_str(&format!("options {}\n", opts.join(" ")));
        }
        out
    }

    /// `options ndots:N` (1 when unset, as glibc defaults).
    pub fn ndots(&self) -> usize {
        self.options
            .iter()
            .find(|(k, _)| k == "ndots")
            .and_then(|(_, v)| v.as_deref()?.parse().ok())
            .unwrap_or(1)
    }

    /// The names to ask, in glibc's order.
    pub fn candidates(&self, name: &str) -> Vec<String> {
        self.candidates_for(name, Libc::Glibc)
    }

    /// The names to ask, in the order of a C library's resolver (RULES §7.3): musl asks a
    /// name with at least `ndots` dots as given and nothing else.
    pub fn candidates_for(&self, name: &str, libc: Libc) -> Vec<String> {
        if let Some(absolute) = name.strip_suffix('.') {
            return vec![absolute.to_string()];
        }
        if libc == Libc::Musl && name.matches('.').count() >= self.ndots() {
            return vec![name.to_string()];
        }
        let searched: Vec<String> = self
            .searches
            .iter()
            .map(|s| format!("{name}.{s}"))
            .collect();
        let dots = name.matches('.').count();
        if dots >= self.ndots() {
            std::iter::once(name.to_string()).chain(searched).collect()
        } else {
            searched
                .into_iter()
                .chain(std::iter::once(name.to_string()))
                .collect()
        }
    }
}

/// The cluster DNS address: the kube-dns Service's cluster IP.
pub fn cluster_dns(c: &Cluster) -> Option<String> {
    match c.store.get(&Key::new("Service", "kube-system", "kube-dns")) {
        Some(Object::Service(s)) => s.spec.cluster_ip.clone().filter(|ip| ip != "None"),
        _ => None,
    }
}

/// The pod's `resolv.conf`, and the kubelet's `DNSConfigForming` warning if limits cut it.
pub fn pod_resolv_conf(c: &Cluster, pod: &Pod) -> (ResolvConf, Option<String>) {
    let policy = if pod.spec.dns_policy.is_empty() {
        "ClusterFirst"
    } else {
        pod.spec.dns_policy.as_str()
    };
    let node = ResolvConf {
        searches: vec![],
        nameservers: vec![NODE_NAMESERVER.into()],
        options: vec![],
    };
    let domain = &c.settings.dns_domain;
    let cluster = |dns: String| ResolvConf {
        searches: vec![
            format!("{}.svc.{domain}", pod.metadata.namespace),
            format!("svc.{domain}"),
            domain.clone(),
        ],
        nameservers: vec![dns],
        options: vec![("ndots".into(), Some("5".into()))],
    };
    let mut conf = match (policy, pod.spec.host_network, cluster_dns(c)) {
        ("None", _, _) => ResolvConf::default(),
        ("Default", _, _) | ("ClusterFirst", true, _) | (_, _, None) => node,
        (_, _, Some(dns)) => cluster(dns),
    };
    if let Some(cfg) = &pod.spec.dns_config {
        for ns in &cfg.nameservers {
            if !conf.nameservers.contains(ns) {
                conf.nameservers.push(ns.clone());
            }
        }
        for s in &cfg.searches {
            if !conf.searches.contains(s) {
                conf.searches.push(s.clone());
            }
        }
        for o in &cfg.options {
            conf.options.retain(|(k, _)| *k != o.name);
            conf.options.push((o.name.clone(), o.value.clone()));
        }
    }
    let mut warning = None;
    if conf.nameservers.len() > MAX_NAMESERVERS {
        conf.nameservers.truncate(MAX_NAMESERVERS);
        warning = Some(format!(
            "Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: {}",
            conf.nameservers.join(" ")
        ));
    }
    if conf.searches.len() > MAX_SEARCHES {
        conf.searches.truncate(MAX_SEARCHES);
        warning = Some(format!(
            "Search Line limits were exceeded, some search paths have been omitted, the applied search line is: {}",
            conf.searches.join(" ")
        ));
    }
    (conf, warning)
}

/// Asks the pod's first nameserver about `name`: the cluster DNS answers from CoreDNS;
/// any other server stands for the world outside, which kubeplay does not simulate.
pub fn ask(c: &Cluster, server: &str, name: &str, qtype: QType) -> Answer {
    if cluster_dns(c).as_deref() == Some(server) {
        query(c, name, qtype)
    } else {
        // The node's resolver and any other server reach only the simulated upstream.
        super::coredns::upstream(name, qtype)
    }
}

/// One query a lookup sent, and what came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tried {
    pub name: String,
    pub answer: Answer,
}

/// Every query a glibc lookup of `name` sends, in order, until one has addresses (the
/// "why did my lookup take four queries" lesson).
pub fn trace(c: &Cluster, conf: &ResolvConf, name: &str, libc: Libc) -> Vec<Tried> {
    let Some(server) = conf.nameservers.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for candidate in conf.candidates_for(name, libc) {
        let answer = ask(c, server, &candidate, QType::A);
        let done = !libc.continues(&answer);
        out.push(Tried {
            name: candidate,
            answer,
        });
        if done {
            break;
        }
    }
    out
}

/// Resolves like `getaddrinfo`: the first candidate with addresses wins.
pub fn resolve(
    c: &Cluster,
    conf: &ResolvConf,
    name: &str,
    libc: Libc,
) -> Option<(String, Vec<String>)> {
    let server = conf.nameservers.first()?;
    for candidate in conf.candidates_for(name, libc) {
        match ask(c, server, &candidate, QType::A) {
            Answer::Records { addresses, .. } if !addresses.is_empty() => {
                return Some((candidate, addresses))
            }
            answer if !libc.continues(&answer) => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_7_3_search_order_follows_ndots() {
        let conf = ResolvConf {
            searches: vec![
                "default.svc.cluster.local".into(),
                "svc.cluster.local".into(),
                "cluster.local".into(),
            ],
            nameservers: vec!["10.96.0.10".into()],
            options: vec![("ndots".into(), Some("5".into()))],
        };
        assert_eq!(
            conf.candidates("web.other"),
            [
                "web.other.default.svc.cluster.local",
                "web.other.svc.cluster.local",
                "web.other.cluster.local",
                "web.other"
            ]
        );
        assert_eq!(conf.candidates("a.b.c.d.e.f")[0], "a.b.c.d.e.f");
        assert_eq!(
            conf.candidates("web.default.svc.cluster.local."),
            ["web.default.svc.cluster.local"]
        );
    }
}
