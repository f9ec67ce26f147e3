//! The DNS tools a container has, chosen by its image (RULES §7.4): bind's `nslookup` and
//! `dig` (dnsutils, the image Kubernetes' "Debugging DNS Resolution" uses, and kubeplay's
//! default for any other image), busybox ≥1.30's own `nslookup` (busybox, alpine), and
//! busybox 1.28's libc-based `nslookup` (the tag Kubernetes' docs pin). Busybox and alpine
//! images have no `dig`.

use crate::engine::cluster::Cluster;
use crate::engine::coredns::{self, Answer, QType};
use crate::engine::resolver::{self, cluster_dns, Libc, ResolvConf};

/// Which DNS tools and C library an image brings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Toolbox {
    /// bind's dnsutils (`nslookup`, `dig`) over glibc.
    Bind,
    /// busybox ≥1.30 `nslookup` (its own resolver); glibc/uclibc for other programs.
    Busybox,
    /// busybox ≥1.30 `nslookup` with musl for other programs (alpine).
    Alpine,
    /// busybox 1.28 `nslookup` through libc.
    Busybox128,
}

impl Toolbox {
    pub fn of_image(image: &str) -> Toolbox {
        // `docker.io/library/busybox:1.28` → repository `busybox`, tag `1.28`.
        let last = image.rsplit('/').next().unwrap_or(image);
        let (repo, tag) = match last.split_once(':') {
            Some((r, t)) => (r, t),
            None => (last, "latest"),
        };
        let tag = tag.split('@').next().unwrap_or(tag);
        match repo {
            "busybox" if tag.starts_with("1.28") || tag.starts_with("1.29") => Toolbox::Busybox128,
            "busybox" => Toolbox::Busybox,
            "alpine" => Toolbox::Alpine,
            _ => Toolbox::Bind,
        }
    }

    pub fn libc(self) -> Libc {
        match self {
            Toolbox::Alpine => Libc::Musl,
            _ => Libc::Glibc,
        }
    }
}

/// `kubectl exec`'s answer for a program the image does not have.
fn not_in_image(program: &str) -> String {
    format!("error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \"{program}\": executable file not found in $PATH: unknown\ncommand terminated with exit code 126")
}

fn qtype_of(text: &str) -> Option<QType> {
    match text.to_ascii_lowercase().as_str() {
        "a" => Some(QType::A),
        "aaaa" => Some(QType::Aaaa),
        "srv" => Some(QType::Srv),
        _ => None,
    }
}

fn qtype_name(q: QType) -> &'static str {
    match q {
        QType::A => "A",
        QType::Aaaa => "AAAA",
        QType::Srv => "SRV",
    }
}

fn reverse_name(ip: &str) -> String {
    format!(
        "{}.in-addr.arpa",
        ip.split('.').rev().collect::<Vec<_>>().join(".")
    )
}

/// Asks `server` for the PTR of `ip`.
fn ask_ptr(c: &Cluster, server: &str, ip: &str) -> Answer {
    if cluster_dns(c).as_deref() == Some(server) {
        coredns::ptr(c, ip)
    } else {
        Answer::NxDomain
    }
}

/// `nslookup [-type=a|aaaa|srv] NAME|ADDRESS [SERVER]` in the image's flavour.
pub fn nslookup(c: &Cluster, conf: &ResolvConf, toolbox: Toolbox, args: &[&str]) -> String {
    let mut qtype = None;
    let mut names = Vec::new();
    for a in args {
        let lower = a.to_ascii_lowercase();
        let value = ["-type=", "-query=", "-q=", "-t="]
            .iter()
            .find_map(|p| lower.strip_prefix(p));
        match value {
            Some(v) => match qtype_of(v) {
                Some(q) => qtype = Some(q),
                None => return format!("nslookup: kubeplay simulates -type=a|aaaa|srv, not {a}"),
            },
            None if a.starts_with('-') => {
                return format!("nslookup: kubeplay simulates -type=a|aaaa|srv, not {a}")
            }
            None => names.push(*a),
        }
    }
    let (name, server) = match names.as_slice() {
        [name] => (*name, conf.nameservers.first().cloned()),
        [name, server] => (*name, Some(server.to_string())),
        _ => return "Usage: nslookup [-type=a|aaaa|srv] NAME|ADDRESS [SERVER]".into(),
    };
    let Some(server) = server else {
        return ";; connection timed out; no servers could be reached".into();
    };
    match toolbox {
        Toolbox::Bind => bind_nslookup(c, conf, &server, name, qtype.unwrap_or(QType::A)),
        Toolbox::Busybox | Toolbox::Alpine => busybox_nslookup(c, conf, &server, name, qtype),
        Toolbox::Busybox128 => busybox128_nslookup(c, conf, &server, name),
    }
}

/// Address records as both nslookups print them: non-authoritative answers flagged, a
/// CNAME first, then `Name:`/`Address:` pairs.
fn records(
    out: &mut String,
    candidate: &str,
    addresses: &[String],
    cname: Option<&str>,
    authoritative: bool,
) {
    if !authoritative || cname.is_some() {
        out.push_str("Non-authoritative answer:\n");
    }
    let mut shown = candidate.to_string();
    if let Some(target) = cname {
        out.push_str(&format!("{candidate}\tcanonical name = {target}\n"));
        shown = target.trim_end_matches('.').to_string();
    }
    for a in addresses {
        out.push_str(&format!("Name:\t{shown}\nAddress: {a}\n"));
    }
}

/// An address's PTR answer as both nslookups print it.
fn reverse_lookup(c: &Cluster, server: &str, ip: &str) -> String {
    let reverse = reverse_name(ip);
    match ask_ptr(c, server, ip) {
        Answer::Ptr(target) => format!("{reverse}\tname = {target}\n"),
        _ => format!("** server can't find {reverse}: NXDOMAIN\n"),
    }
}

/// bind's nslookup: the glibc-style search walk, the first answer printed.
fn bind_nslookup(c: &Cluster, conf: &ResolvConf, server: &str, name: &str, q: QType) -> String {
    let mut out = format!("Server:\t\t{server}\nAddress:\t{server}#53\n\n");
    if crate::engine::defaults::parse_ipv4(name).is_some() {
        out.push_str(&reverse_lookup(c, server, name));
        return out;
    }
    let mut nodata = false;
    for candidate in conf.candidates_for(name, Libc::Glibc) {
        let answer = resolver::ask(c, server, &candidate, q);
        let authoritative = coredns::authority(c, &candidate).is_some();
        match answer {
            Answer::Srv(records) => {
                for (priority, weight, port, target) in records {
                    out.push_str(&format!(
                        "{candidate}\tservice = {priority} {weight} {port} {target}\n"
                    ));
                }
                return out;
            }
            Answer::Records { addresses, cname } => {
                records(
                    &mut out,
                    &candidate,
                    &addresses,
                    cname.as_deref(),
                    authoritative,
                );
                return out;
            }
            Answer::Cname(target) => {
                out.push_str(&format!("{candidate}\tcanonical name = {target}\n"));
                return out;
            }
            Answer::NoData => nodata = true,
            Answer::Ptr(_) | Answer::NxDomain | Answer::ServFail | Answer::Refused => {}
        }
    }
    if nodata {
        out.push_str(&format!("*** Can't find {name}: No answer\n"));
    } else {
        out.push_str(&format!("** server can't find {name}: NXDOMAIN\n"));
    }
    out
}

/// busybox ≥1.30: dot-less names get each search domain (a trailing dot or any dot: the
/// name alone); A then AAAA (or the asked type) for every candidate, each reply printed.
fn busybox_nslookup(
    c: &Cluster,
    conf: &ResolvConf,
    server: &str,
    name: &str,
    q: Option<QType>,
) -> String {
    let mut out = format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n");
    if crate::engine::defaults::parse_ipv4(name).is_some() {
        out.push_str(&reverse_lookup(c, server, name));
        out.push('\n');
        return out;
    }
    let candidates: Vec<String> = if name.contains('.') {
        vec![name.trim_end_matches('.').to_string()]
    } else {
        conf.searches
            .iter()
            .map(|s| format!("{name}.{s}"))
            .collect()
    };
    let types = match q {
        Some(q) => vec![q],
        None => vec![QType::A, QType::Aaaa],
    };
    for q in types {
        for candidate in &candidates {
            let answer = resolver::ask(c, server, candidate, q);
            let authoritative = coredns::authority(c, candidate).is_some();
            match answer {
                Answer::Records { addresses, cname } => {
                    records(
                        &mut out,
                        candidate,
                        &addresses,
                        cname.as_deref(),
                        authoritative,
                    );
                    out.push('\n');
                }
                Answer::Cname(target) => {
                    out.push_str(&format!("{candidate}\tcanonical name = {target}\n\n"))
                }
                Answer::Srv(records) => {
                    for (priority, weight, port, target) in records {
                        out.push_str(&format!(
                            "{candidate}\tservice = {priority} {weight} {port} {target}\n"
                        ));
                    }
                    out.push('\n');
                }
                Answer::NoData | Answer::Ptr(_) => out.push('\n'),
                other => out.push_str(&format!(
                    "** server can't find {candidate}: {}\n\n",
                    other.rcode()
                )),
            }
        }
    }
    out
}

/// busybox 1.28 goes through libc (`getaddrinfo`), then names each address by PTR.
fn busybox128_nslookup(c: &Cluster, conf: &ResolvConf, server: &str, name: &str) -> String {
    let label = |ip: &str| match ask_ptr(c, server, ip) {
        Answer::Ptr(n) => format!("{ip} {}", n.trim_end_matches('.')),
        _ => ip.to_string(),
    };
    let mut out = format!("Server:    {server}\nAddress 1: {}\n\n", label(server));
    let addresses = if crate::engine::defaults::parse_ipv4(name).is_some() {
        Some(vec![name.to_string()])
    } else {
        let mut conf = conf.clone();
        conf.nameservers = vec![server.to_string()];
        resolver::resolve(c, &conf, name, Libc::Glibc).map(|(_, a)| a)
    };
    match addresses {
        Some(addresses) => {
            out.push_str(&format!("Name:      {name}\n"));
            for (i, a) in addresses.iter().enumerate() {
                out.push_str(&format!("Address {}: {}\n", i + 1, label(a)));
            }
        }
        None => out.push_str(&format!("nslookup: can't resolve '{name}'\n")),
    }
    out
}

/// `dig [@SERVER] [+search|+showsearch|+short] [-x ADDRESS] [-t TYPE] NAME [TYPE]`.
pub fn dig(c: &Cluster, conf: &ResolvConf, toolbox: Toolbox, args: &[&str]) -> String {
    if toolbox != Toolbox::Bind {
        return not_in_image("dig");
    }
    let mut server = conf.nameservers.first().cloned();
    let (mut search, mut showsearch, mut short) = (false, false, false);
    let mut reverse = None;
    let mut qtype = None;
    let mut name = None;
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            "+search" => search = true,
            "+nosearch" => search = false,
            "+showsearch" => {
                search = true;
                showsearch = true;
            }
            "+short" => short = true,
            "+noall" | "+answer" | "+nocmd" | "+nostats" | "+noquestion" | "+nocomments" => {
                return format!("dig: kubeplay simulates +search, +showsearch and +short, not {a}")
            }
            "-x" => match it.next() {
                Some(ip) if crate::engine::defaults::parse_ipv4(ip).is_some() => {
                    reverse = Some(ip.to_string())
                }
                _ => return "dig: -x needs an IPv4 address".into(),
            },
            "-t" => match it.next().and_then(|t| qtype_of(t)) {
                Some(q) => qtype = Some(q),
                None => return "dig: kubeplay simulates the types A, AAAA and SRV".into(),
            },
            _ if a.starts_with('@') => server = Some(a[1..].to_string()),
            _ if a.starts_with('+') => {
                return format!("dig: kubeplay simulates +search, +showsearch and +short, not {a}")
            }
            _ if a.starts_with('-') => return format!("Invalid option: {a}"),
            _ if name.is_some() && qtype.is_none() && qtype_of(a).is_some() => qtype = qtype_of(a),
            _ if name.is_none() => name = Some(a.to_string()),
            _ => return format!("dig: kubeplay simulates one name per dig, got {a} too"),
        }
    }
    let Some(server) = server else {
        return ";; connection timed out; no servers could be reached".into();
    };
    let cmd = std::iter::once("dig")
        .chain(args.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(ip) = reverse {
        let qname = reverse_name(&ip);
        let answer = ask_ptr(c, &server, &ip);
        return dig_response(c, &server, &cmd, &qname, "PTR", &answer, short);
    }
    let Some(name) = name else {
        return "dig: kubeplay needs a name to look up (it does not simulate the root servers)"
            .into();
    };
    let q = qtype.unwrap_or(QType::A);
    let candidates = if search {
        conf.candidates_for(&name, Libc::Glibc)
    } else {
        vec![name.trim_end_matches('.').to_string()]
    };
    let mut shown = Vec::new();
    let mut last = None;
    for candidate in candidates {
        let answer = resolver::ask(c, &server, &candidate, q);
        let found = matches!(
            answer,
            Answer::Records { .. } | Answer::Cname(_) | Answer::Srv(_)
        );
        if showsearch && !found {
            shown.push(dig_response(
                c,
                &server,
                &cmd,
                &candidate,
                qtype_name(q),
                &answer,
                short,
            ));
        }
        last = Some((candidate, answer));
        if found {
            break;
        }
    }
    if let Some((candidate, answer)) = last {
        shown.push(dig_response(
            c,
            &server,
            &cmd,
            &candidate,
            qtype_name(q),
            &answer,
            short,
        ));
    }
    shown.retain(|s| !s.is_empty());
    shown.join("\n")
}

/// The length of a name in DNS wire format.
fn wire_len(name: &str) -> usize {
    let name = name.trim_end_matches('.');
    if name.is_empty() {
        1
    } else {
        name.len() + 2
    }
}

/// One dig response, as bind 9.18 prints it.
fn dig_response(
    c: &Cluster,
    server: &str,
    cmd: &str,
    qname: &str,
    qtype: &str,
    answer: &Answer,
    short: bool,
) -> String {
    let ttl = coredns::ttl(c, qname);
    let fq = format!("{}.", qname.trim_end_matches('.'));
    // (name, type, rdata, rdata length on the wire)
    let mut answers: Vec<(String, &str, String, usize)> = Vec::new();
    let mut additional: Vec<(String, &str, String, usize)> = Vec::new();
    match answer {
        Answer::Records { cname, addresses } => {
            let mut owner = fq.clone();
            if let Some(target) = cname {
                answers.push((owner, "CNAME", target.clone(), wire_len(target)));
                owner = target.clone();
            }
            for a in addresses {
                answers.push((owner.clone(), "A", a.clone(), 4));
            }
        }
        Answer::Cname(target) => {
            answers.push((fq.clone(), "CNAME", target.clone(), wire_len(target)))
        }
        Answer::Srv(records) => {
            for (priority, weight, port, target) in records {
                answers.push((
                    fq.clone(),
                    "SRV",
                    format!("{priority} {weight} {port} {target}"),
                    6 + wire_len(target),
                ));
                if let Answer::Records { addresses, .. } = coredns::query(c, target, QType::A) {
                    for a in addresses {
                        additional.push((target.clone(), "A", a, 4));
                    }
                }
            }
        }
        Answer::Ptr(target) => answers.push((fq.clone(), "PTR", target.clone(), wire_len(target))),
        _ => {}
    }
    if short {
        return answers
            .iter()
            .map(|(_, _, rdata, _)| rdata.clone())
            .collect::<Vec<_>>()
            .join("\n");
    }
    let zone = coredns::authority(c, qname);
    let authoritative = zone.is_some() && !matches!(answer, Answer::Refused | Answer::ServFail);
    let mut authority = Vec::new();
    if let (Some(zone), Answer::NxDomain | Answer::NoData) =
        (zone.as_ref().filter(|z| !z.is_empty()), answer)
    {
        let soa = format!(
            "ns.dns.{zone}. hostmaster.{zone}. {} 7200 1800 86400 {ttl}",
            1_735_689_600 + c.clock.now
        );
        authority.push((format!("{zone}."), "SOA", soa, wire_len(zone) * 2 + 7 + 20));
    }
    let flags = if authoritative {
        "qr aa rd"
    } else {
        "qr rd ra"
    };
    // A deterministic message id.
    let id = qname.bytes().fold(c.clock.now as u32 ^ 0x9e37, |h, b| {
        h.wrapping_mul(31).wrapping_add(b as u32)
    }) % 65536;
    let mut out = format!(
        "\n; <<>> DiG 9.18.33 <<>> {}\n;; global options: +cmd\n;; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: {}, id: {id}\n;; flags: {flags}; QUERY: 1, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: {}\n",
        cmd.trim_start_matches("dig "),
        answer.rcode(),
        answers.len(),
        authority.len(),
        additional.len() + 1,
    );
    if authoritative {
        out.push_str(";; WARNING: recursion requested but not available\n");
    }
    out.push_str(&format!(
        "\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;{fq}\t\t\tIN\t{qtype}\n"
    ));
    let section = |title: &str, records: &[(String, &str, String, usize)]| -> String {
        if records.is_empty() {
            return String::new();
        }
        let mut s = format!("\n;; {title} SECTION:\n");
        for (owner, t, rdata, _) in records {
            s.push_str(&format!("{owner}\t{ttl}\tIN\t{t}\t{rdata}\n"));
        }
        s
    };
    out.push_str(&section("ANSWER", &answers));
    out.push_str(&section("AUTHORITY", &authority));
    out.push_str(&section("ADDITIONAL", &additional));
    // Header, question, records (owner names compressed to a pointer), and the OPT record.
    let size = 12
        + wire_len(&fq)
        + 4
        + answers
            .iter()
            .chain(&authority)
            .chain(&additional)
            .map(|(_, _, _, len)| 12 + len)
            .sum::<usize>()
        + 11;
    out.push_str(&format!(
        "\n;; Query time: 0 msec\n;; SERVER: {server}#53({server}) (UDP)\n;; WHEN: {}\n;; MSG SIZE  rcvd: {size}\n",
        crate::engine::clock::ctime(c.clock.now)
    ));
    out
}
