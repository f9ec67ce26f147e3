//! `curl` and `ping`, from outside the cluster (`curl URL` at the prompt) or from a pod
//! (`kubectl exec POD -- curl URL`), printed as curl and busybox ping print them.
//! `curl -v` adds the hops kubeplay followed, as `*` lines.

use crate::engine::cluster::Cluster;
use crate::engine::dispatch::{connect, resolve, Client, Outcome};

const USER_AGENT: &str = "curl/8.5.0";

/// `curl [-s] [-v] [-H 'Host: NAME'] [-o /dev/null] URL`.
pub fn curl(c: &mut Cluster, client: &Client, args: &[&str]) -> String {
    let mut verbose = false;
    let mut host_header = None;
    let mut url = None;
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            "-s" | "--silent" | "-sS" | "-S" | "-L" | "-k" => {}
            "-v" | "--verbose" | "-sv" | "-vs" => verbose = true,
            "-H" | "--header" => {
                let Some(h) = it.next() else { return "curl: option -H: requires parameter".into() };
                if let Some((name, value)) = h.split_once(':') {
                    if name.trim().eq_ignore_ascii_case("host") {
                        host_header = Some(value.trim().to_string());
                    }
                }
            }
            "-o" | "--output" | "-m" | "--max-time" | "--connect-timeout" => {
                it.next();
            }
            _ if a.starts_with('-') => return format!("curl: option {a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"),
            _ => url = Some(a),
        }
    }
    let Some(url) = url else {
        return "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information".into();
    };
    let rest = match url.split_once("://") {
        Some(("http", rest)) => rest,
        Some((scheme, _)) => return format!("curl: (1) Protocol \"{scheme}\" not supported or disabled in libcurl (kubeplay simulates plain http)"),
        None => url,
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => match p.parse::<i32>() {
            Ok(p) if (1..=65535).contains(&p) => (h, p),
            _ => return "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535".into(),
        },
        None => (authority, 80),
    };
    let Some(ip) = resolve(c, client, host) else {
        return format!("curl: (6) Could not resolve host: {host}");
    };
    let trace = connect(c, client, &ip, port);
    let host_value = host_header.unwrap_or_else(|| {
        if port == 80 {
            host.to_string()
        } else {
            format!("{host}:{port}")
        }
    });
    let mut out = String::new();
    if verbose {
        out.push_str(&format!("*   Trying {ip}:{port}...\n"));
        for (i, hop) in trace.hops.iter().enumerate() {
            out.push_str(&format!("* [kubeplay] {}. {hop}\n", i + 1));
        }
    }
    match trace.outcome {
        Outcome::Refused => {
            out.push_str(&format!("curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"));
        }
        Outcome::TimedOut => {
            out.push_str(&format!("curl: (28) Failed to connect to {host} port {port} after 130000 ms: Couldn't connect to server"));
        }
        Outcome::Answered {
            pod,
            pod_ip,
            remote,
            ..
        } => {
            let body = format!(
                "Hostname: {pod}\nIP: 127.0.0.1\nIP: {pod_ip}\nRemoteAddr: {remote}\nGET {path} HTTP/1.1\nHost: {host_value}\nUser-Agent: {USER_AGENT}\nAccept: */*\n"
            );
            if verbose {
                out.push_str(&format!("* Connected to {host} ({ip}) port {port}\n"));
                out.push_str(&format!("> GET {path} HTTP/1.1\n> Host: {host_value}\n> User-Agent: {USER_AGENT}\n> Accept: */*\n>\n"));
                out.push_str(&format!(
                    "< HTTP/1.1 200 OK\n< Date: Wed, 01 Jan 2025 00:00:00 GMT\n< Content-Length: {}\n< Content-Type: text/plain; charset=utf-8\n<\n",
                    body.len()
                ));
            }
            out.push_str(body.trim_end());
        }
    }
    out
}

/// busybox `ping [-c N] HOST`: pod addresses answer; a cluster IP is virtual, bound to
/// no interface, so nothing answers it (as the seed deck teaches).
pub fn ping(c: &mut Cluster, client: &Client, args: &[&str]) -> String {
    let mut count = 3u32;
    let mut host = None;
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            "-c" => {
                count = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .unwrap_or(3)
                    .min(10)
            }
            _ if a.starts_with('-') => {}
            _ => host = Some(a),
        }
    }
    let Some(host) = host else {
        return "BusyBox v1.36.1 multi-call binary.\n\nUsage: ping [OPTIONS] HOST".into();
    };
    let Some(ip) = resolve(c, client, host) else {
        return format!("ping: bad address '{host}'");
    };
    let answers = crate::engine::dispatch::answers_ping(c, client, &ip);
    let mut out = format!("PING {host} ({ip}): 56 data bytes\n");
    if answers {
        for seq in 0..count {
            out.push_str(&format!(
                "64 bytes from {ip}: seq={seq} ttl=63 time=0.081 ms\n"
            ));
        }
    }
    let received = if answers { count } else { 0 };
    let loss = if answers { 0 } else { 100 };
    out.push_str(&format!("\n--- {host} ping statistics ---\n{count} packets transmitted, {received} packets received, {loss}% packet loss"));
    if answers {
        out.push_str("\nround-trip min/avg/max = 0.081/0.081/0.081 ms");
    }
    out
}
