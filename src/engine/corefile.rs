//! The CoreDNS configuration: the `Corefile` key of the `coredns` ConfigMap in
//! `kube-system` (coredns: core/dnsserver, plugin.cfg). kubeplay reads it the way CoreDNS's
//! `reload` plugin does: a Corefile that does not parse is refused and the last good one
//! keeps serving. Simulated plugins: `kubernetes` (zone, `pods`, `ttl`, `fallthrough`),
//! `rewrite name` (exact, prefix, suffix, substring), `hosts` (inline entries,
//! `fallthrough`) and `forward` (to the simulated upstream). Plugins that change nothing a
//! lookup shows (errors, health, ready, prometheus, cache, loop, reload, loadbalance, log)
//! are accepted; any other is ignored with a warning.

/// The Corefile kubeadm writes for `cluster.local` (its `ttl 30` and `pods insecure`).
pub fn default_corefile(domain: &str) -> String {
    format!(
        ".:53 {{
    errors
    health {{
       lameduck 5s
    }}
    ready
    kubernetes {domain} in-addr.arpa ip6.arpa {{
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }}
    prometheus :9153
    forward . /etc/resolv.conf {{
       max_concurrent 1000
    }}
    cache 30 {{
       disable success {domain}
       disable denial {domain}
    }}
    loop
    reload
    loadbalance
}}
"
    )
}

/// Plugins accepted without changing what a lookup returns.
const INERT: &[&str] = &[
    "errors",
    "health",
    "ready",
    "prometheus",
    "cache",
    "loop",
    "reload",
    "loadbalance",
    "log",
    "debug",
    "bind",
    "whoami",
];

/// How the `kubernetes` plugin answers `a-b-c-d.<ns>.pod` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PodsMode {
    Disabled,
    Insecure,
    Verified,
}

/// The `kubernetes` plugin of a server block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kubernetes {
    /// The cluster zone it serves (the first forward zone among its arguments).
    pub zone: String,
    pub pods: PodsMode,
    pub ttl: u32,
}

/// One `rewrite name` rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rewrite {
    pub kind: RewriteKind,
    pub from: String,
    pub to: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RewriteKind {
    Exact,
    Prefix,
    Suffix,
    Substring,
}

impl Rewrite {
    /// The rewritten name, if the rule matches.
    pub fn apply(&self, name: &str) -> Option<String> {
        match self.kind {
            RewriteKind::Exact => (name == self.from).then(|| self.to.clone()),
            RewriteKind::Prefix => name
                .strip_prefix(self.from.as_str())
                .map(|rest| format!("{}{rest}", self.to)),
            RewriteKind::Suffix => name
                .strip_suffix(self.from.as_str())
                .map(|rest| format!("{rest}{}", self.to)),
            RewriteKind::Substring => name
                .contains(self.from.as_str())
                .then(|| name.replacen(self.from.as_str(), &self.to, 1)),
        }
    }
}

/// The `hosts` plugin's inline entries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hosts {
    /// (name, address), names lower-case without the trailing dot.
    pub entries: Vec<(String, String)>,
    pub fallthrough: bool,
}

/// A server block: the zones it serves and the plugins kubeplay simulates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerBlock {
    /// Zones without the trailing dot; `""` is the root (`.`).
    pub zones: Vec<String>,
    pub rewrites: Vec<Rewrite>,
    pub hosts: Option<Hosts>,
    pub kubernetes: Option<Kubernetes>,
    /// `forward FROM TO…`: the zone forwarded and its upstreams.
    pub forward: Option<(String, Vec<String>)>,
}

/// A parsed Corefile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corefile {
    pub servers: Vec<ServerBlock>,
    /// Plugins or options kubeplay does not simulate, with their line.
    pub warnings: Vec<String>,
}

/// Whether `name` is `zone` or below it (`""` is the root).
pub fn in_zone(name: &str, zone: &str) -> bool {
    zone.is_empty()
        || name == zone
        || (name.len() > zone.len()
            && name.ends_with(zone)
            && name.as_bytes()[name.len() - zone.len() - 1] == b'.')
}

impl Corefile {
    /// The server block for a name: the one with the longest matching zone.
    pub fn server_for(&self, name: &str) -> Option<&ServerBlock> {
        self.servers
            .iter()
            .flat_map(|s| s.zones.iter().map(move |z| (z, s)))
            .filter(|(z, _)| in_zone(name, z))
            .max_by_key(|(z, _)| if z.is_empty() { 0 } else { z.len() + 1 })
            .map(|(_, s)| s)
    }
}

/// A token with its line.
#[derive(Debug)]
enum Tok {
    Word(String, usize),
    Open(usize),
    Close(usize),
    Newline,
}

fn tokenize(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = line.split('#').next().unwrap_or("");
        for word in line.split_whitespace() {
            // Braces may touch words: `.:53{`.
            let mut rest = word;
            while !rest.is_empty() {
                if let Some(r) = rest.strip_prefix('{') {
                    out.push(Tok::Open(line_no));
                    rest = r;
                } else if let Some(r) = rest.strip_prefix('}') {
                    out.push(Tok::Close(line_no));
                    rest = r;
                } else {
                    let end = rest.find(['{', '}']).unwrap_or(rest.len());
                    out.push(Tok::Word(rest[..end].to_string(), line_no));
                    rest = &rest[end..];
                }
            }
        }
        out.push(Tok::Newline);
    }
    out
}

/// A directive: name, arguments, and the lines of its block.
struct Directive {
    name: String,
    args: Vec<String>,
    block: Vec<Vec<String>>,
    line: usize,
}

/// Strips `dns://`, the port and the trailing dot from a zone: `.:53` → `""`.
fn zone_of(key: &str) -> String {
    let key = key.strip_prefix("dns://").unwrap_or(key);
    let host = match key.rfind(':') {
        Some(i) => &key[..i],
        None => key,
    };
    host.trim_end_matches('.').to_lowercase()
}

/// Parses a Corefile; `Err` is CoreDNS's refusal to load it.
pub fn parse(text: &str) -> Result<Corefile, String> {
    let toks = tokenize(text);
    let mut i = 0;
    let mut servers = Vec::new();
    let mut warnings = Vec::new();
    while i < toks.len() {
        let mut keys = Vec::new();
        let mut line = 0;
        while let Some(Tok::Word(w, l)) = toks.get(i) {
            keys.push(w.clone());
            line = *l;
            i += 1;
        }
        match toks.get(i) {
            None if keys.is_empty() => break,
            Some(Tok::Newline) if keys.is_empty() => {
                i += 1;
                continue;
            }
            Some(Tok::Open(_)) => i += 1,
            Some(Tok::Close(l)) => return Err(format!("Corefile:{l} - Error during parsing: Unexpected '}}' because no matching opening brace")),
            _ => return Err(format!("Corefile:{line} - Error during parsing: Unexpected EOF: expected '{{' after the server block keys {}", keys.join(" "))),
        }
        // Directives until the matching close.
        let mut directives = Vec::new();
        loop {
            match toks.get(i) {
                None => return Err(format!("Corefile:{line} - Error during parsing: Unexpected EOF: the server block {} is not closed", keys.join(" "))),
                Some(Tok::Newline) => i += 1,
                Some(Tok::Close(_)) => {
                    i += 1;
                    break;
                }
                Some(Tok::Open(l)) => {
                    return Err(format!(
                        "Corefile:{l} - Error during parsing: Unexpected '{{'"
                    ))
                }
                Some(Tok::Word(name, l)) => {
                    let mut d = Directive {
                        name: name.clone(),
                        args: Vec::new(),
                        block: Vec::new(),
                        line: *l,
                    };
                    i += 1;
                    while let Some(Tok::Word(w, _)) = toks.get(i) {
                        d.args.push(w.clone());
                        i += 1;
                    }
                    if let Some(Tok::Open(_)) = toks.get(i) {
                        i += 1;
                        let mut current = Vec::new();
                        loop {
                            match toks.get(i) {
                                None => return Err(format!("Corefile:{} - Error during parsing: Unexpected EOF: the block of {} is not closed", d.line, d.name)),
                                Some(Tok::Word(w, _)) => current.push(w.clone()),
                                Some(Tok::Newline) => {
                                    if !current.is_empty() {
                                        d.block.push(std::mem::take(&mut current));
                                    }
                                }
                                Some(Tok::Close(_)) => {
                                    if !current.is_empty() {
                                        d.block.push(std::mem::take(&mut current));
                                    }
                                    i += 1;
                                    break;
                                }
                                Some(Tok::Open(l)) => return Err(format!("Corefile:{l} - Error during parsing: Unexpected '{{'")),
                            }
                            i += 1;
                        }
                    }
                    directives.push(d);
                }
            }
        }
        servers.push(server_block(&keys, &directives, &mut warnings)?);
    }
    if servers.is_empty() {
        return Err("Corefile:1 - Error during parsing: no server blocks".into());
    }
    Ok(Corefile { servers, warnings })
}

fn server_block(
    keys: &[String],
    directives: &[Directive],
    warnings: &mut Vec<String>,
) -> Result<ServerBlock, String> {
    let mut block = ServerBlock {
        zones: keys.iter().map(|k| zone_of(k)).collect(),
        rewrites: Vec::new(),
        hosts: None,
        kubernetes: None,
        forward: None,
    };
    for d in directives {
        let at = format!("Corefile:{}", d.line);
        match d.name.as_str() {
            "kubernetes" => {
                let zones: Vec<String> = if d.args.is_empty() {
                    block.zones.clone()
                } else {
                    d.args.iter().map(|a| zone_of(a)).collect()
                };
                let zone = zones
                    .iter()
                    .find(|z| !z.ends_with("arpa"))
                    .cloned()
                    .unwrap_or_default();
                let mut k = Kubernetes {
                    zone,
                    pods: PodsMode::Disabled,
                    ttl: 5,
                };
                for line in &d.block {
                    match line.as_slice() {
                        [p, mode] if p == "pods" => {
                            k.pods = match mode.as_str() {
                                "insecure" => PodsMode::Insecure,
                                "verified" => PodsMode::Verified,
                                "disabled" => PodsMode::Disabled,
                                other => return Err(format!("{at} - Error during parsing: invalid pods mode '{other}'")),
                            }
                        }
                        [t, n] if t == "ttl" => {
                            k.ttl = n.parse().map_err(|_| {
                                format!("{at} - Error during parsing: ttl must be an integer: {n}")
                            })?
                        }
                        [f, ..] if f == "fallthrough" => {}
                        [o, ..] => warnings.push(format!(
                            "{at}: kubernetes option `{o}` is not simulated by kubeplay; ignored"
                        )),
                        [] => {}
                    }
                }
                block.kubernetes = Some(k);
            }
            "rewrite" => {
                let mut args: &[String] = &d.args;
                if matches!(args.first().map(String::as_str), Some("stop" | "continue")) {
                    args = &args[1..];
                }
                let kind_of = |k: &str| match k {
                    "exact" => Some(RewriteKind::Exact),
                    "prefix" => Some(RewriteKind::Prefix),
                    "suffix" => Some(RewriteKind::Suffix),
                    "substring" => Some(RewriteKind::Substring),
                    _ => None,
                };
                let rule = match args {
                    [n, from, to, ..] if n == "name" && kind_of(from).is_none() && from != "regex" => {
                        Some((RewriteKind::Exact, from, to))
                    }
                    [n, kind, from, to, ..] if n == "name" => kind_of(kind).map(|k| (k, from, to)),
                    _ => None,
                };
                match rule {
                    Some((kind, from, to)) => block.rewrites.push(Rewrite {
                        kind,
                        from: from.trim_end_matches('.').to_lowercase(),
                        to: to.trim_end_matches('.').to_lowercase(),
                    }),
                    None => warnings.push(format!(
                        "{at}: `rewrite {}` is not simulated by kubeplay (only `rewrite name [exact|prefix|suffix|substring] FROM TO`); ignored",
                        d.args.join(" ")
                    )),
                }
            }
            "hosts" => {
                let mut hosts = Hosts::default();
                if d.args.first().is_some_and(|a| a.starts_with('/')) {
                    warnings.push(format!(
                        "{at}: hosts file {} is not simulated by kubeplay (it has no files); only the inline entries are served",
                        d.args[0]
                    ));
                }
                for line in &d.block {
                    match line.as_slice() {
                        [f, ..] if f == "fallthrough" => hosts.fallthrough = true,
                        [o, ..] if matches!(o.as_str(), "ttl" | "reload" | "no_reverse") => {}
                        [ip, names @ ..] if super::defaults::parse_ipv4(ip).is_some() => {
                            for n in names {
                                hosts.entries.push((n.trim_end_matches('.').to_lowercase(), ip.clone()));
                            }
                        }
                        [o, ..] => warnings.push(format!(
                            "{at}: hosts entry `{o}` is not an IPv4 address kubeplay simulates; ignored"
                        )),
                        [] => {}
                    }
                }
                block.hosts = Some(hosts);
            }
            "forward" => match d.args.as_slice() {
                [from, to @ ..] if !to.is_empty() => {
                    block.forward = Some((zone_of(from), to.to_vec()));
                }
                _ => return Err(format!("{at} - Error during parsing: Wrong argument count or unexpected line ending after 'forward'")),
            },
            name if INERT.contains(&name) => {}
            name => warnings.push(format!(
                "{at}: CoreDNS plugin `{name}` is not simulated by kubeplay; ignored"
            )),
        }
    }
    Ok(block)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kubeadm_corefile_parses_without_warnings() {
        let cf = parse(&default_corefile("cluster.local")).unwrap();
        assert!(cf.warnings.is_empty(), "{:?}", cf.warnings);
        let root = &cf.servers[0];
        assert_eq!(root.zones, [""]);
        let k = root.kubernetes.as_ref().unwrap();
        assert_eq!(
            (k.zone.as_str(), k.pods, k.ttl),
            ("cluster.local", PodsMode::Insecure, 30)
        );
        assert_eq!(
            root.forward,
            Some((String::new(), vec!["/etc/resolv.conf".into()]))
        );
    }

    #[test]
    fn stub_domains_take_the_longest_zone() {
        let cf = parse(
            ".:53 {\n kubernetes cluster.local\n forward . 8.8.8.8\n}\nconsul.local:53 {\n forward . 10.150.0.1\n}\n",
        )
        .unwrap();
        let s = cf.server_for("web.service.consul.local").unwrap();
        assert_eq!(s.zones, ["consul.local"]);
        assert_eq!(cf.server_for("example.com").unwrap().zones, [""]);
    }

    #[test]
    fn unknown_plugins_warn_and_broken_files_are_refused() {
        let cf = parse(".:53 {\n autopath @kubernetes\n forward . 1.1.1.1\n}\n").unwrap();
        assert_eq!(
            cf.warnings,
            ["Corefile:2: CoreDNS plugin `autopath` is not simulated by kubeplay; ignored"]
        );
        let err = parse(".:53 {\n forward . 1.1.1.1\n").unwrap_err();
        assert!(
            err.starts_with("Corefile:1 - Error during parsing"),
            "{err}"
        );
    }

    #[test]
    fn rewrite_rules() {
        let cf = parse(".:53 {\n rewrite name foo.example.com foo.default.svc.cluster.local\n rewrite name suffix .corp .svc.cluster.local\n}\n").unwrap();
        let r = &cf.servers[0].rewrites;
        assert_eq!(
            r[0].apply("foo.example.com").as_deref(),
            Some("foo.default.svc.cluster.local")
        );
        assert_eq!(
            r[1].apply("web.default.corp").as_deref(),
            Some("web.default.svc.cluster.local")
        );
    }
}
