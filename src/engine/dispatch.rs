//! Request dispatch: where a connection to `host:port` goes, hop by hop, following the
//! rules kube-proxy wrote (the same [`ServicePort`] model `iptables-save` prints), and what
//! answers. Every container answers HTTP like `traefik/whoami` on each declared
//! containerPort; other ports refuse. Simplified: only TCP, no conntrack (each request is a
//! new connection; ClientIP affinity is kept per client address), IPv4 only.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::cluster::Cluster;
use super::kube_proxy::{service_ports, ProxyEndpoint, ServicePort};
use super::manifest::Object;
use super::store::Key;

/// The address outside clients have (the kind network's gateway).
pub const OUTSIDE_CLIENT_IP: &str = "172.18.0.1";

/// Who opens the connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Client {
    /// A machine outside the cluster, on the node network.
    Outside,
    /// A pod (from `kubectl exec`).
    Pod {
        name: String,
        namespace: String,
        ip: String,
        node: String,
    },
}

impl Client {
    /// A pod as the client (its address and node).
    pub fn of_pod(pod: &super::api::core::Pod) -> Client {
        Client::Pod {
            name: pod.metadata.name.clone(),
            namespace: pod.metadata.namespace.clone(),
            ip: pod
                .status
                .as_ref()
                .map(|s| s.pod_ip.clone())
                .unwrap_or_default(),
            node: pod.spec.node_name.clone(),
        }
    }

    fn ip(&self) -> &str {
        match self {
            Client::Outside => OUTSIDE_CLIENT_IP,
            Client::Pod { ip, .. } => ip,
        }
    }
}

/// How the connection ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A pod answered.
    Answered {
        pod: String,
        pod_ip: String,
        port: i32,
        remote: String,
    },
    /// Actively refused (REJECT, or nothing listening).
    Refused,
    /// Packets dropped or not routable: the client waits until it gives up.
    TimedOut,
}

/// A dispatched connection: the hops it took and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    pub hops: Vec<String>,
    pub outcome: Outcome,
    /// The boxes of the network diagram the connection went through (`client`,
    /// `LoadBalancer/ns/name`, `Node/name`, `Service/ns/name`, `Pod/ns/name`), each with
    /// the index in `hops` of its first hop.
    pub path: Vec<(String, usize)>,
}

impl Trace {
    /// The path with each box's hops.
    pub fn steps(&self) -> Vec<(String, Vec<String>)> {
        self.path
            .iter()
            .enumerate()
            .map(|(i, (id, from))| {
                let to = self.path.get(i + 1).map_or(self.hops.len(), |(_, n)| *n);
                (id.clone(), self.hops[(*from).min(to)..to].to_vec())
            })
            .collect()
    }
}

/// What dispatch needs of the cluster, built once per store revision (requests between
/// two changes reuse it).
#[derive(Debug)]
pub struct Routes {
    revision: u64,
    nodes: Vec<(String, String)>,
    ports: Vec<ServicePort>,
    /// Running, non-host-network pods by IP: (namespace, name, node, listening TCP ports).
    pods: BTreeMap<String, (String, String, String, Vec<i32>)>,
}

/// The routes for the cluster as it is now.
fn routes(c: &mut Cluster) -> Arc<Routes> {
    let revision = c.store.revision();
    if let Some(r) = c.routes.as_ref().filter(|r| r.revision == revision) {
        return r.clone();
    }
    let pods = c
        .store
        .list("Pod", None)
        .filter_map(|o| match o {
            Object::Pod(p) if !p.spec.host_network => {
                let s = p
                    .status
                    .as_ref()
                    .filter(|s| s.phase == "Running" && !s.pod_ip.is_empty())?;
                let listening = p
                    .spec
                    .containers
                    .iter()
                    .flat_map(|ct| &ct.ports)
                    .filter(|cp| crate::engine::api::protocol_or_tcp(&cp.protocol) == "TCP")
                    .map(|cp| cp.container_port)
                    .collect();
                Some((
                    s.pod_ip.clone(),
                    (
                        p.metadata.namespace.clone(),
                        p.metadata.name.clone(),
                        p.spec.node_name.clone(),
                        listening,
                    ),
                ))
            }
            _ => None,
        })
        .collect();
    let r = Arc::new(Routes {
        revision,
        nodes: c.node_ips(),
        ports: service_ports(c),
        pods,
    });
    c.routes = Some(r.clone());
    r
}

/// Picks an endpoint the way the node's rules do: ClientIP affinity first, then the
/// `statistic` rules in order (rule i of n taken with probability 1/(n-i)).
fn choose(
    c: &mut Cluster,
    sp: &ServicePort,
    chain: &str,
    eps: &[&ProxyEndpoint],
    client_ip: &str,
) -> ProxyEndpoint {
    if let Some(seconds) = sp.affinity_seconds {
        let key = (chain.to_string(), client_ip.to_string());
        if let Some((addr, until)) = c.affinity.get(&key).cloned() {
            if until >= c.clock.now {
                if let Some(e) = eps.iter().find(|e| e.addr() == addr) {
                    c.affinity.insert(key, (addr, c.clock.now + seconds as u64));
                    return (*e).clone();
                }
            }
        }
    }
    let n = eps.len();
    let mut chosen = eps[n - 1];
    if c.settings.proxy_mode == "userspace" {
        // kube-proxy's own round robin (roundrobin.go), per service port.
        let next = c.ipvs_next.entry(chain.to_string()).or_insert(0);
        chosen = eps[*next % n];
        *next = (*next % n) + 1;
    } else if c.settings.proxy_mode == "ipvs" {
        // ipvs picks by its scheduler. Without conntrack every connection has closed by
        // the next one, so the least-connection family always sees all-zero counts.
        let index = match c.settings.ipvs_scheduler.as_str() {
            "sh" => fnv(client_ip) as usize % n,
            "dh" => fnv(&sp.cluster_ip) as usize % n,
            "lc" | "wlc" | "sed" | "nq" | "lblc" | "lblcr" => 0,
            _ => {
                let next = c.ipvs_next.entry(chain.to_string()).or_insert(0);
                let i = *next % n;
                *next = i + 1;
                i
            }
        };
        chosen = eps[index];
    } else {
        for (i, e) in eps.iter().enumerate().take(n - 1) {
            if c.rng.below((n - i) as u64) == 0 {
                chosen = e;
                break;
            }
        }
    }
    if let Some(seconds) = sp.affinity_seconds {
        c.affinity.insert(
            (chain.to_string(), client_ip.to_string()),
            (chosen.addr(), c.clock.now + seconds as u64),
        );
    }
    chosen.clone()
}

/// Delivers to `ip:port` on the pod network, with the source address `source`.
fn deliver(
    c: &mut Cluster,
    routes: &Routes,
    hops: &mut Vec<String>,
    path: &mut Vec<(String, usize)>,
    ip: &str,
    port: i32,
    source: &str,
) -> Outcome {
    let Some((namespace, name, node, listening)) = routes.pods.get(ip) else {
        hops.push(format!("no pod has {ip}: nothing answers"));
        return Outcome::TimedOut;
    };
    let who = format!("{namespace}/{name}");
    path.push((format!("Pod/{who}"), hops.len()));
    if !listening.contains(&port) {
        hops.push(format!(
            "pod {who} on {node} has no container listening on port {port}: connection refused"
        ));
        return Outcome::Refused;
    }
    let remote = format!("{source}:{}", 32768 + c.rng.below(28232));
    hops.push(format!(
        "pod {who} on {node} answers on {ip}:{port} (from {remote})"
    ));
    Outcome::Answered {
        pod: name.clone(),
        pod_ip: ip.to_string(),
        port,
        remote,
    }
}

/// Sends a TCP connection from `client` to `ip:port` and follows it.
pub fn connect(c: &mut Cluster, client: &Client, ip: &str, port: i32) -> Trace {
    let mut hops = Vec::new();
    let mut path = Vec::new();
    let outcome = follow(c, client, ip, port, &mut hops, &mut path);
    Trace {
        hops,
        outcome,
        path,
    }
}

/// Where a hop happens, for the diagrams: a box id and the index of its first hop.
fn mark(path: &mut Vec<(String, usize)>, hops: &[String], id: String) {
    path.push((id, hops.len()));
}

fn follow(
    c: &mut Cluster,
    client: &Client,
    ip: &str,
    port: i32,
    hops: &mut Vec<String>,
    path: &mut Vec<(String, usize)>,
) -> Outcome {
    let routes = routes(c);
    let nodes = &routes.nodes;
    let ports = &routes.ports;
    let client_ip = client.ip().to_string();
    mark(
        path,
        hops,
        match client {
            Client::Outside => "client".to_string(),
            Client::Pod {
                name, namespace, ..
            } => format!("Pod/{namespace}/{name}"),
        },
    );
    match client {
        Client::Outside => hops.push(format!(
            "client {client_ip} (outside the cluster) connects to {ip}:{port}"
        )),
        Client::Pod {
            name,
            namespace,
            node,
            ..
        } => hops.push(format!(
            "pod {namespace}/{name} ({client_ip}) on {node} connects to {ip}:{port}"
        )),
    }
    // A cluster IP: only the client node's rules know it; outside it is not routable.
    if let Some(sp) = ports
        .iter()
        .find(|sp| sp.cluster_ip == ip && sp.port == port)
    {
        let Client::Pod { node, .. } = client else {
            hops.push(format!(
                "{ip} is a virtual cluster IP: nothing outside the cluster routes it"
            ));
            return Outcome::TimedOut;
        };
        let spn = sp.spn();
        let usable = sp.usable();
        mark(path, hops, format!("Service/{}/{}", sp.namespace, sp.name));
        if iptables_mode(c) {
            hops.push(format!(
                "{node}: KUBE-SERVICES matches \"{spn} cluster IP\""
            ));
        }
        if usable.is_empty() {
            hops.push(format!(
                "{node}: filter KUBE-SERVICES: \"{spn} has no endpoints\" -j REJECT"
            ));
            return Outcome::Refused;
        }
        let (chain, eps): (String, Vec<&ProxyEndpoint>) = if sp.internal_local {
            (
                sp.svl_chain.clone(),
                usable
                    .iter()
                    .copied()
                    .filter(|e| e.node.as_deref() == Some(node))
                    .collect(),
            )
        } else {
            (sp.svc_chain.clone(), usable)
        };
        if eps.is_empty() {
            hops.push(format!(
                "{node}: {chain} has no local endpoint (internalTrafficPolicy: Local): dropped"
            ));
            return Outcome::TimedOut;
        }
        let e = choose(c, sp, &chain, &eps, &client_ip);
        hops.extend(picked(
            c,
            node,
            &chain,
            &format!("{ip}:{port}"),
            &e,
            eps.len(),
        ));
        let hairpin = e.ip == client_ip;
        let node_ip = nodes
            .iter()
            .find(|(n, _)| n == node)
            .map(|(_, ip)| ip.clone())
            .unwrap_or_default();
        let source = if hairpin {
            hops.push(format!(
                "{node}: hairpin: the pod reaches itself, source masqueraded to {node_ip}"
            ));
            node_ip
        } else {
            client_ip.clone()
        };
        let source = relay_source(c, node, source);
        let outcome = deliver(c, &routes, hops, path, &e.ip, e.port, &source);
        return outcome;
    }
    // A node address: that node's NodePort rules.
    let lb = ports
        .iter()
        .find(|sp| sp.load_balancer_ips.iter().any(|l| l == ip) && sp.port == port);
    let target_node = if let Some(sp) = lb {
        // The simulated cloud load balancer sends to a node it health-checks as serving.
        let candidates: Vec<&(String, String)> = nodes
            .iter()
            .filter(|(n, _)| {
                !sp.external_local || sp.usable().iter().any(|e| e.node.as_deref() == Some(n))
            })
            .collect();
        if candidates.is_empty() {
            hops.push(format!(
                "load balancer {ip}: no node passes the health check"
            ));
            return Outcome::TimedOut;
        }
        let (n, nip) = candidates[c.rng.below(candidates.len() as u64) as usize].clone();
        mark(
            path,
            hops,
            format!("LoadBalancer/{}/{}", sp.namespace, sp.name),
        );
        hops.push(format!(
            "load balancer {ip}:{port} (simulated cloud) forwards to node {n} ({nip})"
        ));
        Some((n, sp, format!("\"{} loadbalancer IP\"", sp.spn())))
    } else if let Some((n, _)) = nodes.iter().find(|(_, nip)| nip == ip) {
        mark(path, hops, format!("Node/{n}"));
        match ports.iter().find(|sp| sp.node_port == port) {
            Some(sp) => Some((
                n.clone(),
                sp,
                format!("KUBE-NODEPORTS {} --dport {port}", sp.spn()),
            )),
            None => {
                hops.push(format!(
                    "node {n}: nothing listens on port {port}: connection refused"
                ));
                return Outcome::Refused;
            }
        }
    } else {
        None
    };
    if let Some((node, sp, matched)) = target_node {
        let spn = sp.spn();
        let usable = sp.usable();
        if lb.is_some() {
            mark(path, hops, format!("Node/{node}"));
        }
        if iptables_mode(c) {
            hops.push(format!("{node}: {matched} -> {}", sp.ext_chain));
        }
        mark(path, hops, format!("Service/{}/{}", sp.namespace, sp.name));
        if usable.is_empty() {
            hops.push(format!(
                "{node}: filter KUBE-EXTERNAL-SERVICES: \"{spn} has no endpoints\" -j REJECT"
            ));
            return Outcome::Refused;
        }
        let node_ip = nodes
            .iter()
            .find(|(n, _)| *n == node)
            .map(|(_, ip)| ip.clone())
            .unwrap_or_default();
        let (chain, eps, source): (String, Vec<&ProxyEndpoint>, String) = if sp.external_local {
            let local: Vec<&ProxyEndpoint> = usable
                .iter()
                .copied()
                .filter(|e| e.node.as_deref() == Some(node.as_str()))
                .collect();
            if local.is_empty() {
                hops.push(format!("{node}: filter KUBE-EXTERNAL-SERVICES: \"{spn} has no local endpoints\" -j DROP"));
                return Outcome::TimedOut;
            }
            hops.push(format!(
                "{node}: externalTrafficPolicy Local: local endpoints only, client address kept"
            ));
            (sp.svl_chain.clone(), local, client_ip.clone())
        } else {
            if iptables_mode(c) {
                hops.push(format!("{node}: KUBE-MARK-MASQ: the source becomes {node_ip} (externalTrafficPolicy Cluster)"));
            }
            (sp.svc_chain.clone(), usable, node_ip)
        };
        let e = choose(c, sp, &chain, &eps, &client_ip);
        hops.extend(picked(
            c,
            &node,
            &chain,
            &format!("{ip}:{port}"),
            &e,
            eps.len(),
        ));
        let source = relay_source(c, &node, source);
        let outcome = deliver(c, &routes, hops, path, &e.ip, e.port, &source);
        return outcome;
    }
    // A pod address: routed on the pod network (from pods and nodes only).
    if routes.pods.contains_key(ip) {
        if *client == Client::Outside {
            hops.push(format!(
                "{ip} is on the pod network, which is not routed outside the cluster"
            ));
            return Outcome::TimedOut;
        }
        let outcome = deliver(c, &routes, hops, path, ip, port, &client_ip);
        return outcome;
    }
    hops.push(format!("nothing in the cluster has {ip}"));
    Outcome::TimedOut
}

/// Resolves a host name as the client would: outside clients only know addresses; a pod
/// asks its resolver (its `resolv.conf`, the cluster DNS, the search list).
pub fn resolve(c: &Cluster, client: &Client, name: &str) -> Option<String> {
    if crate::engine::defaults::parse_ipv4(name).is_some() {
        return Some(name.to_string());
    }
    let Client::Pod {
        namespace,
        name: pod,
        ..
    } = client
    else {
        return None;
    };
    let Some(Object::Pod(p)) = c.store.get(&Key::new("Pod", namespace, pod)) else {
        return None;
    };
    let (conf, _) = crate::engine::resolver::pod_resolv_conf(c, p);
    let image = p.spec.containers.first().map_or("", |ct| ct.image.as_str());
    let libc = crate::engine::kubectl::dns::Toolbox::of_image(image).libc();
    crate::engine::resolver::resolve(c, &conf, name, libc)
        .and_then(|(_, addrs)| addrs.into_iter().next())
}

/// Whether ICMP echo to `ip` gets an answer: pods and nodes do; cluster IPs are virtual
/// (iptables rewrites only the service's TCP/UDP ports), so they never do.
pub fn answers_ping(c: &mut Cluster, client: &Client, ip: &str) -> bool {
    let routes = routes(c);
    if routes.nodes.iter().any(|(_, nip)| nip == ip) {
        return true;
    }
    routes.pods.contains_key(ip) && *client != Client::Outside
}

/// A small stable hash for the ipvs source/destination hashing schedulers.
fn fnv(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// The hop that says which endpoint the node's proxy picked, in the mode's own terms.
fn picked(
    c: &Cluster,
    node: &str,
    chain: &str,
    vip: &str,
    e: &ProxyEndpoint,
    of: usize,
) -> Vec<String> {
    if c.settings.proxy_mode == "userspace" {
        let node_ip = c
            .routes
            .as_ref()
            .and_then(|r| {
                r.nodes
                    .iter()
                    .find(|(n, _)| n == node)
                    .map(|(_, ip)| ip.clone())
            })
            .unwrap_or_default();
        vec![
            format!("{node}: KUBE-PORTALS-CONTAINER / KUBE-NODEPORT-CONTAINER redirect {vip} to kube-proxy's own port (userspace mode, removed in 1.26)"),
            format!(
                "{node}: kube-proxy relays the connection: round robin picks {} (1 of {of}), connecting from {node_ip}",
                e.addr()
            ),
        ]
    } else if c.settings.proxy_mode == "ipvs" {
        vec![format!(
            "{node}: ipvs virtual server {vip} ({}) -> real server {} (Masq, 1 of {of})",
            c.settings.ipvs_scheduler,
            e.addr()
        )]
    } else {
        vec![
            format!("{node}: {chain} picks {} (1 of {of})", e.sep),
            format!("{node}: {} DNAT {vip} -> {}", e.sep, e.addr()),
        ]
    }
}

/// In userspace mode kube-proxy itself opens the connection to the backend, so the pod
/// sees the node's address whoever the client was.
fn relay_source(c: &Cluster, node: &str, source: String) -> String {
    if c.settings.proxy_mode != "userspace" {
        return source;
    }
    c.routes
        .as_ref()
        .and_then(|r| {
            r.nodes
                .iter()
                .find(|(n, _)| n == node)
                .map(|(_, ip)| ip.clone())
        })
        .unwrap_or(source)
}

/// Whether the node's rules are kube-proxy's iptables chains (the hops then name them).
fn iptables_mode(c: &Cluster) -> bool {
    c.settings.proxy_mode == "iptables"
}
