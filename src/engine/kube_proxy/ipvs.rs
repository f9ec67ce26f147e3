//! kube-proxy's ipvs mode (kubernetes: pkg/proxy/ipvs/proxier.go), printed as `ipvsadm -Ln`
//! prints the kernel's table (ipvsadm.c `print_service_entry`/`print_dest`): one virtual
//! server per cluster IP, external IP and load-balancer IP and port, one per node address
//! and node port, each endpoint a real server forwarded by masquerading, ClientIP affinity
//! as `persistent <timeout>`. The iptables + ipset rules ipvs mode still needs for
//! masquerading are not shown.

use super::{service_ports, ServicePort};
use crate::engine::cluster::Cluster;
use crate::engine::defaults::parse_ipv4;
use crate::engine::sort::SortLean;

/// The schedulers `--ipvs-scheduler` accepts.
pub const SCHEDULERS: &[&str] = &[
    "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "mh",
];

/// One virtual server of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VirtualServer {
    pub protocol: String,
    pub ip: String,
    pub port: i32,
    /// Index into [`service_ports`]'s list.
    pub service: usize,
}

/// The virtual servers on `node`, in the order `ipvsadm -Ln` lists them here (by protocol,
/// address, port).
pub fn virtual_servers(c: &Cluster, node: &str, ports: &[ServicePort]) -> Vec<VirtualServer> {
    let node_ip = c.node_ip(node);
    let mut out = Vec::new();
    for (i, sp) in ports.iter().enumerate() {
        let vs = |ip: &str, port: i32| VirtualServer {
            protocol: sp.protocol.clone(),
            ip: ip.to_string(),
            port,
            service: i,
        };
        out.push(vs(&sp.cluster_ip, sp.port));
        for ip in sp.external_ips.iter().chain(&sp.load_balancer_ips) {
            out.push(vs(ip, sp.port));
        }
        if let (Some(nip), true) = (&node_ip, sp.node_port != 0) {
            out.push(vs(nip, sp.node_port));
        }
    }
    out.sort_lean_by_key(|v| (v.protocol.clone(), parse_ipv4(&v.ip).unwrap_or(0), v.port));
    out
}

/// `ipvsadm -Ln` on `node`.
pub fn list(c: &Cluster, node: &str) -> String {
    let scheduler = c.settings.ipvs_scheduler.clone();
    let ports = service_ports(c);
    let mut out = String::from(
        "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n",
    );
    for vs in virtual_servers(c, node, &ports) {
        let sp = &ports[vs.service];
        let mut line = format!("{}  {}:{} {scheduler}", vs.protocol, vs.ip, vs.port);
        if let Some(seconds) = sp.affinity_seconds {
            line.push_str(&format!(" persistent {seconds}"));
        }
        out.push_str(&line);
        out.push('\n');
        // externalTrafficPolicy Local: node and LB addresses only forward to local endpoints.
        let external = vs.ip != sp.cluster_ip;
        for e in sp.usable() {
            if external && sp.external_local && e.node.as_deref() != Some(node) {
                continue;
            }
            let dest = format!(
                "  -> {:<28} {:<7} {:<6} {:<10} {:<10}",
                e.addr(),
                "Masq",
                1,
                0,
                0
            );
            out.push_str(dest.trim_end());
            out.push('\n');
        }
    }
    out
}
