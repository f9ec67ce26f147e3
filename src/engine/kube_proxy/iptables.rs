//! kube-proxy's iptables mode (kubernetes: pkg/proxy/iptables/proxier.go), printed the way
//! `iptables-save` prints what it wrote: chains hashed like kube-proxy hashes them,
//! kube-proxy's comments, `statistic` probabilities as the kernel stores them, `recent`
//! rules for session affinity, masquerade marks, and the local-only chains for
//! `externalTrafficPolicy: Local`. The nat table is complete; the filter table carries the
//! rules that answer for services without endpoints (REJECT) or local endpoints (DROP)
//! and kube-proxy's jumps, but leaves out the kubelet's own chains.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::{service_ports, ProxyEndpoint, ServicePort};
use crate::engine::cluster::Cluster;

/// kube-proxy's chain names: the prefix plus the first 16 characters of the standard
/// base32 encoding of the SHA-256 of `input` (`servicePortChainNameBase` and friends).
pub fn chain_name(prefix: &str, input: &str) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let hash = Sha256::digest(input.as_bytes());
    let mut out = String::with_capacity(prefix.len() + 16);
    out.push_str(prefix);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in hash.iter() {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 && out.len() < prefix.len() + 16 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
        if out.len() == prefix.len() + 16 {
            break;
        }
    }
    out
}

/// `-m statistic --probability` as `iptables-save` prints it: kube-proxy writes
/// `1/(n-i)` with ten decimals, the kernel keeps `lround(p * 2^31)`, and iptables prints
/// that back with eleven decimals.
pub fn probability(n: usize, i: usize) -> String {
    let written: f64 = format!("{:.10}", 1.0 / (n - i) as f64)
        .parse()
        .unwrap_or(0.0);
    let stored = (written * 2_147_483_648.0).round();
    format!("{:.11}", stored / 2_147_483_648.0)
}

/// A comment argument as iptables-save prints it: quoted only when it has spaces.
fn comment(text: &str) -> String {
    if text.contains(' ') {
        format!("-m comment --comment \"{text}\"")
    } else {
        format!("-m comment --comment {text}")
    }
}

/// One table being written: chains in declaration order for the builtins, then sorted.
struct Table {
    builtins: &'static [&'static str],
    chains: BTreeMap<String, Vec<String>>,
}

impl Table {
    fn new(builtins: &'static [&'static str], custom: &[&str]) -> Table {
        let mut chains = BTreeMap::new();
        for c in builtins.iter().chain(custom) {
            chains.insert(c.to_string(), Vec::new());
        }
        Table { builtins, chains }
    }

    fn chain(&mut self, name: &str) {
        self.chains.entry(name.to_string()).or_default();
    }

    fn rule(&mut self, chain: &str, rule: String) {
        self.chains.entry(chain.to_string()).or_default().push(rule);
    }

    fn render(&self, name: &str, out: &mut String) {
        out.push_str(&format!("*{name}\n"));
        let custom: Vec<&String> = self
            .chains
            .keys()
            .filter(|c| !self.builtins.contains(&c.as_str()))
            .collect();
        for b in self.builtins {
            out.push_str(&format!(":{b} ACCEPT [0:0]\n"));
        }
        for c in &custom {
            out.push_str(&format!(":{c} - [0:0]\n"));
        }
        for c in self
            .builtins
            .iter()
            .map(|s| s.to_string())
            .chain(custom.into_iter().cloned())
        {
            for r in &self.chains[&c] {
                out.push_str(&format!("-A {c} {r}\n"));
            }
        }
        out.push_str("COMMIT\n");
    }
}

/// The SVC/SVL chain body: affinity checks, then each endpoint with its probability.
fn dispatch_rules(t: &mut Table, chain: &str, sp: &ServicePort, eps: &[&ProxyEndpoint]) {
    let spn = sp.spn();
    if let Some(seconds) = sp.affinity_seconds {
        for e in eps {
            let s = &e.sep;
            t.rule(chain, format!(
                "{} -m recent --rcheck --seconds {seconds} --reap --name {s} --mask 255.255.255.255 --rsource -j {s}",
                comment(&format!("{spn} -> {}", e.addr()))
            ));
        }
    }
    let n = eps.len();
    for (i, e) in eps.iter().enumerate() {
        let statistic = if i + 1 < n {
            format!(
                " -m statistic --mode random --probability {}",
                probability(n, i)
            )
        } else {
            String::new()
        };
        t.rule(
            chain,
            format!(
                "{}{statistic} -j {}",
                comment(&format!("{spn} -> {}", e.addr())),
                e.sep
            ),
        );
    }
}

/// `iptables-save` on `node` (`-t nat` when `nat_only`).
pub fn save(c: &Cluster, node: &str, nat_only: bool) -> String {
    let cluster_cidr = c.settings.pod_subnet.clone();
    let mut nat = Table::new(
        &["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
        &[
            "KUBE-KUBELET-CANARY",
            "KUBE-MARK-MASQ",
            "KUBE-NODEPORTS",
            "KUBE-POSTROUTING",
            "KUBE-PROXY-CANARY",
            "KUBE-SERVICES",
        ],
    );
    let mut filter = Table::new(
        &["INPUT", "FORWARD", "OUTPUT"],
        &[
            "KUBE-EXTERNAL-SERVICES",
            "KUBE-FORWARD",
            "KUBE-KUBELET-CANARY",
            "KUBE-NODEPORTS",
            "KUBE-PROXY-CANARY",
            "KUBE-PROXY-FIREWALL",
            "KUBE-SERVICES",
        ],
    );
    nat.rule(
        "PREROUTING",
        format!("{} -j KUBE-SERVICES", comment("kubernetes service portals")),
    );
    nat.rule(
        "OUTPUT",
        format!("{} -j KUBE-SERVICES", comment("kubernetes service portals")),
    );
    nat.rule(
        "POSTROUTING",
        format!(
            "{} -j KUBE-POSTROUTING",
            comment("kubernetes postrouting rules")
        ),
    );
    nat.rule("KUBE-MARK-MASQ", "-j MARK --set-xmark 0x4000/0x4000".into());
    nat.rule(
        "KUBE-POSTROUTING",
        "-m mark ! --mark 0x4000/0x4000 -j RETURN".into(),
    );
    nat.rule("KUBE-POSTROUTING", "-j MARK --set-xmark 0x4000/0x0".into());
    nat.rule(
        "KUBE-POSTROUTING",
        format!(
            "{} -j MASQUERADE --random-fully",
            comment("kubernetes service traffic requiring SNAT")
        ),
    );

    filter.rule(
        "INPUT",
        format!(
            "-m conntrack --ctstate NEW {} -j KUBE-PROXY-FIREWALL",
            comment("kubernetes load balancer firewall")
        ),
    );
    filter.rule(
        "INPUT",
        format!(
            "{} -j KUBE-NODEPORTS",
            comment("kubernetes health check service ports")
        ),
    );
    filter.rule(
        "INPUT",
        format!(
            "-m conntrack --ctstate NEW {} -j KUBE-EXTERNAL-SERVICES",
            comment("kubernetes externally-visible service portals")
        ),
    );
    filter.rule(
        "FORWARD",
        format!(
            "-m conntrack --ctstate NEW {} -j KUBE-PROXY-FIREWALL",
            comment("kubernetes load balancer firewall")
        ),
    );
    filter.rule(
        "FORWARD",
        format!("{} -j KUBE-FORWARD", comment("kubernetes forwarding rules")),
    );
    filter.rule(
        "FORWARD",
        format!(
            "-m conntrack --ctstate NEW {} -j KUBE-SERVICES",
            comment("kubernetes service portals")
        ),
    );
    filter.rule(
        "FORWARD",
        format!(
            "-m conntrack --ctstate NEW {} -j KUBE-EXTERNAL-SERVICES",
            comment("kubernetes externally-visible service portals")
        ),
    );
    filter.rule(
        "OUTPUT",
        format!(
            "-m conntrack --ctstate NEW {} -j KUBE-PROXY-FIREWALL",
            comment("kubernetes load balancer firewall")
        ),
    );
    filter.rule(
        "OUTPUT",
        format!(
            "-m conntrack --ctstate NEW {} -j KUBE-SERVICES",
            comment("kubernetes service portals")
        ),
    );
    filter.rule(
        "KUBE-FORWARD",
        format!(
            "{} -m mark --mark 0x4000/0x4000 -j ACCEPT",
            comment("kubernetes forwarding rules")
        ),
    );
    filter.rule(
        "KUBE-FORWARD",
        format!(
            "{} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            comment("kubernetes forwarding conntrack rule")
        ),
    );

    for sp in service_ports(c) {
        let spn = sp.spn();
        let proto = sp.protocol_lower();
        let (svc, svl, ext) = (&sp.svc_chain, &sp.svl_chain, &sp.ext_chain);
        let usable = sp.usable();
        let local: Vec<&ProxyEndpoint> = usable
            .iter()
            .copied()
            .filter(|e| e.node.as_deref() == Some(node))
            .collect();
        let dport = |port: i32| format!("-m {proto} --dport {port}");
        if usable.is_empty() {
            filter.rule(
                "KUBE-SERVICES",
                format!(
                    "-d {}/32 -p {proto} {} {} -j REJECT --reject-with icmp-port-unreachable",
                    sp.cluster_ip,
                    comment(&format!("{spn} has no endpoints")),
                    dport(sp.port)
                ),
            );
            if sp.node_port != 0 {
                filter.rule("KUBE-EXTERNAL-SERVICES", format!(
                    "-p {proto} {} -m addrtype --dst-type LOCAL {} -j REJECT --reject-with icmp-port-unreachable",
                    comment(&format!("{spn} has no endpoints")), dport(sp.node_port)
                ));
            }
            continue;
        }
        // Cluster IP: to the service chain (or the local one for internalTrafficPolicy Local).
        let internal_target = if sp.internal_local { &svl } else { &svc };
        nat.rule(
            "KUBE-SERVICES",
            format!(
                "-d {}/32 -p {proto} {} {} -j {internal_target}",
                sp.cluster_ip,
                comment(&format!("{spn} cluster IP")),
                dport(sp.port)
            ),
        );
        for ip in &sp.external_ips {
            nat.rule(
                "KUBE-SERVICES",
                format!(
                    "-d {ip}/32 -p {proto} {} {} -j {ext}",
                    comment(&format!("{spn} external IP")),
                    dport(sp.port)
                ),
            );
        }
        for ip in &sp.load_balancer_ips {
            nat.rule(
                "KUBE-SERVICES",
                format!(
                    "-d {ip}/32 -p {proto} {} {} -j {ext}",
                    comment(&format!("{spn} loadbalancer IP")),
                    dport(sp.port)
                ),
            );
        }
        if sp.node_port != 0 {
            nat.rule(
                "KUBE-NODEPORTS",
                format!(
                    "-p {proto} {} {} -j {ext}",
                    comment(&spn),
                    dport(sp.node_port)
                ),
            );
        }
        // The service chain: masquerade traffic from outside the pod network, then spread.
        nat.rule(
            svc,
            format!(
                "! -s {cluster_cidr} -d {}/32 -p {proto} {} {} -j KUBE-MARK-MASQ",
                sp.cluster_ip,
                comment(&format!("{spn} cluster IP")),
                dport(sp.port)
            ),
        );
        dispatch_rules(&mut nat, svc, &sp, &usable);
        if sp.is_external() {
            if sp.external_local {
                nat.rule(
                    ext,
                    format!(
                        "-s {cluster_cidr} {} -j {svc}",
                        comment(&format!("pod traffic for {spn} external destinations"))
                    ),
                );
                nat.rule(
                    ext,
                    format!(
                        "{} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ",
                        comment(&format!(
                            "masquerade LOCAL traffic for {spn} external destinations"
                        ))
                    ),
                );
                nat.rule(
                    ext,
                    format!(
                        "{} -m addrtype --src-type LOCAL -j {svc}",
                        comment(&format!(
                            "route LOCAL traffic for {spn} external destinations"
                        ))
                    ),
                );
                nat.rule(ext, format!("-j {svl}"));
                if local.is_empty() && sp.node_port != 0 {
                    filter.rule(
                        "KUBE-EXTERNAL-SERVICES",
                        format!(
                            "-p {proto} {} -m addrtype --dst-type LOCAL {} -j DROP",
                            comment(&format!("{spn} has no local endpoints")),
                            dport(sp.node_port)
                        ),
                    );
                }
            } else {
                nat.rule(
                    ext,
                    format!(
                        "{} -j KUBE-MARK-MASQ",
                        comment(&format!(
                            "masquerade traffic for {spn} external destinations"
                        ))
                    ),
                );
                nat.rule(ext, format!("-j {svc}"));
            }
        }
        if sp.external_local || sp.internal_local {
            nat.chain(svl);
            dispatch_rules(&mut nat, svl, &sp, &local);
        }
        // One chain per endpoint: hairpin masquerade, then DNAT.
        for e in &usable {
            let sep = &e.sep;
            nat.rule(
                sep,
                format!("-s {}/32 {} -j KUBE-MARK-MASQ", e.ip, comment(&spn)),
            );
            let recent = if sp.affinity_seconds.is_some() {
                format!(" -m recent --set --name {sep} --mask 255.255.255.255 --rsource")
            } else {
                String::new()
            };
            nat.rule(
                sep,
                format!(
                    "-p {proto} {}{recent} -m {proto} -j DNAT --to-destination {}",
                    comment(&spn),
                    e.addr()
                ),
            );
        }
    }
    nat.rule(
        "KUBE-SERVICES",
        format!(
            "{} -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS",
            comment("kubernetes service nodeports; NOTE: this must be the last rule in this chain")
        ),
    );
    let mut out = String::new();
    if !nat_only {
        filter.render("filter", &mut out);
    }
    nat.render("nat", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_6_1_chain_names_match_kube_proxys_own_test_values() {
        assert_eq!(
            chain_name("KUBE-SVC-", "default/kubernetes:httpstcp"),
            "KUBE-SVC-NPX46M4PTMTKRN6Y"
        );
        assert_eq!(
            chain_name("KUBE-SVC-", "kube-system/kube-dns:dnsudp"),
            "KUBE-SVC-TCOU7JCQXEZGVUNU"
        );
        assert_eq!(
            chain_name("KUBE-SEP-", "ns1/svc1:p80tcp10.180.0.1:80"),
            "KUBE-SEP-SXIVWICOYRO3J4NJ"
        );
    }

    #[test]
    fn rule_6_1_probabilities_as_iptables_save_prints_them() {
        assert_eq!(probability(2, 0), "0.50000000000");
        assert_eq!(probability(3, 0), "0.33333333349");
        assert_eq!(probability(4, 0), "0.25000000000");
        assert_eq!(probability(5, 0), "0.20000000019");
        assert_eq!(probability(3, 1), "0.50000000000");
    }
}
