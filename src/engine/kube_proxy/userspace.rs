//! kube-proxy's userspace mode, as the seed deck teaches it (removed in Kubernetes 1.26):
//! iptables only redirects each service port to a port kube-proxy itself listens on, and
//! kube-proxy relays every connection to a backend it picks round robin (ClientIP
//! affinity honoured), opening the backend connection from the node's own address.
//! Reconstructed from the removed proxier (pkg/proxy/userspace); the rule text is not
//! verified against a running 1.25 cluster.

use super::{service_ports, ServicePort};
use crate::engine::cluster::Cluster;

/// The port kube-proxy listens on for a service port: random in upstream, stable here
/// (derived from the service port's name) so the rules and the relay agree.
pub fn proxy_port(sp: &ServicePort) -> i32 {
    let key = format!("{}{}", sp.spn(), sp.protocol_lower());
    let h = key.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    32768 + (h % 28232) as i32
}

fn comment(text: &str) -> String {
    format!("-m comment --comment \"{text}\"")
}

/// `iptables-save -t nat` on `node` in userspace mode.
pub fn save(c: &Cluster, node: &str) -> String {
    let node_ip = c.node_ip(node).unwrap_or_default();
    let mut out = String::from(
        "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:KUBE-NODEPORT-CONTAINER - [0:0]\n:KUBE-NODEPORT-HOST - [0:0]\n:KUBE-PORTALS-CONTAINER - [0:0]\n:KUBE-PORTALS-HOST - [0:0]\n",
    );
    let clusterips = "handle ClusterIPs; NOTE: this must be before the NodePort rules";
    let nodeports = "handle service NodePorts; NOTE: this must be the last rule in the chain";
    out.push_str(&format!(
        "-A PREROUTING {} -j KUBE-PORTALS-CONTAINER\n",
        comment(clusterips)
    ));
    out.push_str(&format!(
        "-A PREROUTING -m addrtype --dst-type LOCAL {} -j KUBE-NODEPORT-CONTAINER\n",
        comment(nodeports)
    ));
    out.push_str(&format!(
        "-A OUTPUT {} -j KUBE-PORTALS-HOST\n",
        comment(clusterips)
    ));
    out.push_str(&format!(
        "-A OUTPUT -m addrtype --dst-type LOCAL {} -j KUBE-NODEPORT-HOST\n",
        comment(nodeports)
    ));
    let ports = service_ports(c);
    let mut chains: [(&str, Vec<String>); 4] = [
        ("KUBE-NODEPORT-CONTAINER", vec![]),
        ("KUBE-NODEPORT-HOST", vec![]),
        ("KUBE-PORTALS-CONTAINER", vec![]),
        ("KUBE-PORTALS-HOST", vec![]),
    ];
    for sp in &ports {
        let proto = sp.protocol_lower();
        let pp = proxy_port(sp);
        let spn = format!("{}:{}", sp.namespace_name(), sp.port_name);
        let vip = format!(
            "-d {}/32 -p {proto} {} -m {proto} --dport {}",
            sp.cluster_ip,
            comment(&spn),
            sp.port
        );
        chains[2]
            .1
            .push(format!("{vip} -j REDIRECT --to-ports {pp}"));
        chains[3]
            .1
            .push(format!("{vip} -j DNAT --to-destination {node_ip}:{pp}"));
        if sp.node_port != 0 {
            let np = format!(
                "-p {proto} {} -m {proto} --dport {}",
                comment(&spn),
                sp.node_port
            );
            chains[0]
                .1
                .push(format!("{np} -j REDIRECT --to-ports {pp}"));
            chains[1]
                .1
                .push(format!("{np} -j DNAT --to-destination {node_ip}:{pp}"));
        }
    }
    for (chain, rules) in &chains {
        for r in rules {
            out.push_str(&format!("-A {chain} {r}\n"));
        }
    }
    out.push_str("COMMIT\n");
    out
}
