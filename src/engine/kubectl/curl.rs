//! `curl` and `ping`, from outside the cluster (`curl URL` at the prompt) or from a pod
//! (`kubectl exec POD -- curl URL`), printed as curl and busybox ping print them.
//! `curl -v` adds the hops kubeplay followed, as `*` lines.

use crate::engine::cluster::Cluster;
use crate::engine::dispatch::{connect, resolve, Client, Outcome};

const USER_AGENT: &str = "curl/8.5.0";

/// `curl [-s] [-v] [-k] [-H 'Host: NAME'] [--resolve HOST:PORT:ADDR] [-o /dev/null] URL`.
pub fn curl(c: &mut Cluster, client: &Client, args: &[&str]) -> String {
    let mut verbose = false;
    let mut insecure = false;
    let mut host_header = None;
    let mut url = None;
    let mut resolves: Vec<(String, i32, String)> = Vec::new();
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            "-k" | "--insecure" | "-sk" | "-ks" => insecure = true,
            "-kv" | "-vk" => {
                insecure = true;
                verbose = true;
            }
            "--resolve" => {
                let Some(spec) = it.next() else { return "curl: option --resolve: requires parameter".into() };
                let parts: Vec<&str> = spec.splitn(3, ':').collect();
                match parts.as_slice() {
                    [h, p, addr] if p.parse::<i32>().is_ok() => {
                        resolves.push((h.to_string(), p.parse().unwrap_or(0), addr.to_string()))
                    }
                    _ => return format!("curl: (49) Couldn't parse CURLOPT_RESOLVE entry '{spec}'"),
                }
            }
            "-s" | "--silent" | "-sS" | "-S" | "-L" => {}
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
    let (https, rest) = match url.split_once("://") {
        Some(("http", rest)) => (false, rest),
        Some(("https", rest)) => (true, rest),
        Some((scheme, _)) => {
            return format!("curl: (1) Protocol \"{scheme}\" not supported or disabled in libcurl")
        }
        None => (false, url),
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
        None => (authority, if https { 443 } else { 80 }),
    };
    let pinned = resolves
        .iter()
        .find(|(h, p, _)| h.eq_ignore_ascii_case(host) && *p == port)
        .map(|(_, _, a)| a.clone());
    let Some(ip) = pinned.or_else(|| resolve(c, client, host)) else {
        return format!("curl: (6) Could not resolve host: {host}");
    };
    let trace = connect(c, client, &ip, port);
    c.log_request(crate::engine::cluster::RequestRecord {
        target: format!(
            "{} {host}:{port}{path}",
            trace.path.first().map_or("client", |(id, _)| id.as_str())
        ),
        steps: trace.steps(),
        answered: answered_pod(&trace),
    });
    let default_port = if https { 443 } else { 80 };
    let host_value = host_header.unwrap_or_else(|| {
        if port == default_port {
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
    let controller = match &trace.outcome {
        Outcome::Answered {
            pod_ip,
            port,
            remote,
            ..
        } => crate::engine::ingress::controller_pod(c)
            .filter(|p| p.status.as_ref().is_some_and(|s| s.pod_ip == *pod_ip))
            .filter(|_| *port == 80 || *port == 443)
            .map(|p| {
                (
                    p,
                    *port,
                    remote
                        .rsplit_once(':')
                        .map_or(remote.clone(), |(ip, _)| ip.to_string()),
                )
            }),
        _ => None,
    };
    if let Some((pod, pod_port, seen_from)) = controller {
        let request = IngressRequest {
            host,
            ip: &ip,
            port,
            https,
            insecure,
            verbose,
            host_value: &host_value,
            path,
            seen_from: &seen_from,
        };
        out.push_str(&through_ingress(c, &pod, pod_port, &request));
        return out.trim_end().to_string();
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

/// A request that reached the ingress controller.
struct IngressRequest<'a> {
    host: &'a str,
    ip: &'a str,
    port: i32,
    https: bool,
    insecure: bool,
    verbose: bool,
    host_value: &'a str,
    path: &'a str,
    /// The source address the controller sees (the node's after SNAT).
    seen_from: &'a str,
}

/// nginx's own error page.
fn nginx_page(code: u16, reason: &str) -> String {
    format!("<html>\n<head><title>{code} {reason}</title></head>\n<body>\n<center><h1>{code} {reason}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n")
}

/// What ingress-nginx does with a request: TLS, the matched rule, the Service's endpoints
/// (it proxies to them directly, not through kube-proxy), and the answer.
/// The pod box (`Pod/ns/name`) that answered a connection.
fn answered_pod(trace: &crate::engine::dispatch::Trace) -> Option<String> {
    match trace.outcome {
        Outcome::Answered { .. } => trace.path.last().map(|(id, _)| id.clone()),
        _ => None,
    }
}

/// Adds what the ingress controller did to the request the log holds last: the boxes it
/// went through (an empty id: more hops at the controller), then the connection to the
/// backend (without its first box, the controller).
fn log_ingress(
    c: &mut Cluster,
    steps: Vec<(String, String)>,
    next: Option<&crate::engine::dispatch::Trace>,
) {
    let Some(record) = c.requests.last_mut() else {
        return;
    };
    record.answered = None;
    for (id, hop) in steps {
        match record.steps.last_mut() {
            Some(last) if id.is_empty() => last.1.push(hop),
            _ => record.steps.push((id, vec![hop])),
        }
    }
    if let Some(trace) = next {
        record.steps.extend(trace.steps().into_iter().skip(1));
        record.answered = answered_pod(trace);
    }
}

fn through_ingress(
    c: &mut Cluster,
    pod: &crate::engine::api::core::Pod,
    pod_port: i32,
    r: &IngressRequest,
) -> String {
    use crate::engine::ingress::{route, Decision};
    let mut out = String::new();
    let mut hops: Vec<String> = Vec::new();
    let (host, path) = (r.host, r.path);
    let server_name = r.host_value.split(':').next().unwrap_or(r.host_value);
    let tls_port = pod_port == 443;
    if r.https && !tls_port {
        return "curl: (35) OpenSSL/3.0.13: error:0A00010B:SSL routines::wrong version number"
            .into();
    }
    if r.https {
        let (cert, why) = certificate(c, host);
        if r.verbose {
            out.push_str(&format!("* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384\n* Server certificate:\n*  subject: {cert}\n* [kubeplay] {why}\n"));
        }
        if !r.insecure {
            out.push_str("curl: (60) SSL certificate problem: self-signed certificate\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. (kubeplay treats every certificate as self-signed: add -k)");
            return out;
        }
    } else if tls_port {
        return respond(&mut out, r, 400, "Bad Request", &[], "<html>\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\n<body>\n<center><h1>400 Bad Request</h1></center>\n<center>The plain HTTP request was sent to HTTPS port</center>\n<hr><center>nginx</center>\n</body>\n</html>\n");
    }
    let (decision, _) = route(c, server_name, path, r.https);
    let who = format!("ingress-nginx/{}", pod.metadata.name);
    match decision {
        Decision::Redirect(location) => {
            hops.push(format!(
                "{who}: host {server_name} has TLS: plain HTTP is redirected (308, ssl-redirect)"
            ));
            log_ingress(c, vec![(String::new(), hops[0].clone())], None);
            hop_lines(&mut out, r.verbose, &hops);
            respond(
                &mut out,
                r,
                308,
                "Permanent Redirect",
                &[("Location", location.as_str())],
                &nginx_page(308, "Permanent Redirect"),
            )
        }
        Decision::NotFound(why) => {
            hops.push(format!("{who}: {why}: the default backend answers 404"));
            log_ingress(c, vec![(String::new(), hops[0].clone())], None);
            hop_lines(&mut out, r.verbose, &hops);
            respond(
                &mut out,
                r,
                404,
                "Not Found",
                &[],
                &nginx_page(404, "Not Found"),
            )
        }
        Decision::Resource(what) => {
            hops.push(format!("{who}: the rule's backend is the resource {what}, which kubeplay cannot send traffic to"));
            log_ingress(c, vec![(String::new(), hops[0].clone())], None);
            hop_lines(&mut out, r.verbose, &hops);
            respond(
                &mut out,
                r,
                503,
                "Service Temporarily Unavailable",
                &[],
                &nginx_page(503, "Service Temporarily Unavailable"),
            )
        }
        Decision::Proxy {
            namespace,
            ingress,
            service,
            port,
            upstream_path,
            matched,
        } => {
            hops.push(format!(
                "{who}: Ingress {namespace}/{ingress} rule {matched} -> Service {service}:{}",
                if port.name.is_empty() {
                    port.number.to_string()
                } else {
                    port.name.clone()
                }
            ));
            let sps = crate::engine::kube_proxy::service_ports(c);
            let sp = sps.iter().find(|sp| {
                sp.namespace == namespace
                    && sp.name == service
                    && (if port.name.is_empty() {
                        sp.port == port.number
                    } else {
                        sp.port_name == port.name
                    })
            });
            let endpoints: Vec<(String, i32)> = sp
                .map(|sp| sp.usable().iter().map(|e| (e.ip.clone(), e.port)).collect())
                .unwrap_or_default();
            if endpoints.is_empty() {
                hops.push(format!(
                    "{who}: {}: 503",
                    if sp.is_none() {
                        format!("Service {namespace}/{service} (that port) does not exist")
                    } else {
                        format!("Service {namespace}/{service} has no ready endpoints")
                    }
                ));
                log_ingress(
                    c,
                    vec![
                        (format!("Ingress/{namespace}/{ingress}"), hops[0].clone()),
                        (format!("Service/{namespace}/{service}"), hops[1].clone()),
                    ],
                    None,
                );
                hop_lines(&mut out, r.verbose, &hops);
                return respond(
                    &mut out,
                    r,
                    503,
                    "Service Temporarily Unavailable",
                    &[],
                    &nginx_page(503, "Service Temporarily Unavailable"),
                );
            }
            // ingress-nginx balances round-robin over the endpoints itself.
            let key = format!(
                "ingress:{namespace}/{service}:{}:{}",
                port.name, port.number
            );
            let next = c.ipvs_next.entry(key).or_insert(0);
            let (ep_ip, ep_port) = endpoints[*next % endpoints.len()].clone();
            *next += 1;
            hops.push(format!(
                "{who}: upstream {namespace}-{service}-{}: endpoint {ep_ip}:{ep_port} (round-robin over {}; kube-proxy is not involved)",
                if port.name.is_empty() { port.number.to_string() } else { port.name.clone() },
                endpoints.len()
            ));
            let from = Client::of_pod(pod);
            let trace = connect(c, &from, &ep_ip, ep_port);
            log_ingress(
                c,
                vec![
                    (format!("Ingress/{namespace}/{ingress}"), hops[0].clone()),
                    (format!("Service/{namespace}/{service}"), hops[1].clone()),
                ],
                Some(&trace),
            );
            hops.extend(trace.hops.iter().skip(1).cloned());
            hop_lines(&mut out, r.verbose, &hops);
            match trace.outcome {
                Outcome::Answered {
                    pod,
                    pod_ip,
                    remote,
                    ..
                } => {
                    let scheme = if r.https { "https" } else { "http" };
                    // ingress-nginx sees the connection's source: the node's address when
                    // kube-proxy masqueraded it (externalTrafficPolicy: Cluster).
                    let client_ip = r.seen_from.to_string();
                    let request_id: String = (0..32)
                        .map(|_| char::from_digit(c.rng.below(16) as u32, 16).unwrap_or('0'))
                        .collect();
                    let body = format!(
                        "Hostname: {pod}\nIP: 127.0.0.1\nIP: {pod_ip}\nRemoteAddr: {remote}\nGET {upstream_path} HTTP/1.1\nHost: {}\nUser-Agent: {USER_AGENT}\nAccept: */*\nX-Forwarded-For: {client_ip}\nX-Forwarded-Host: {}\nX-Forwarded-Port: {}\nX-Forwarded-Proto: {scheme}\nX-Forwarded-Scheme: {scheme}\nX-Real-Ip: {client_ip}\nX-Request-Id: {request_id}\nX-Scheme: {scheme}\n",
                        r.host_value, r.host_value, r.port
                    );
                    respond(
                        &mut out,
                        r,
                        200,
                        "OK",
                        &[("Content-Type", "text/plain; charset=utf-8")],
                        &body,
                    )
                }
                _ => respond(
                    &mut out,
                    r,
                    502,
                    "Bad Gateway",
                    &[],
                    &nginx_page(502, "Bad Gateway"),
                ),
            }
        }
    }
}

/// The certificate the controller presents for a host: the TLS Secret of a served Ingress
/// that lists it, or the controller's fake certificate (and why).
fn certificate(c: &Cluster, host: &str) -> (String, String) {
    use crate::engine::ingress::{host_matches, served_ingresses, FAKE_CERTIFICATE};
    for ing in served_ingresses(c) {
        for t in &ing.spec.tls {
            if !t.hosts.iter().any(|h| host_matches(h, host)) {
                continue;
            }
            if t.secret_name.is_empty() {
                return (
                    format!("O=Acme Co; CN={FAKE_CERTIFICATE}"),
                    format!(
                        "tls for {host} names no secretName: the controller's fake certificate"
                    ),
                );
            }
            let key =
                crate::engine::store::Key::new("Secret", &ing.metadata.namespace, &t.secret_name);
            return match c.store.get(&key) {
                Some(crate::engine::manifest::Object::Secret(s)) if s.r#type == "kubernetes.io/tls" => (
                    format!("CN={host}"),
                    format!("Secret {}/{} (kubernetes.io/tls) serves {host}", ing.metadata.namespace, t.secret_name),
                ),
                Some(_) => (format!("O=Acme Co; CN={FAKE_CERTIFICATE}"), format!("Secret {}/{} is not of type kubernetes.io/tls: the controller's fake certificate", ing.metadata.namespace, t.secret_name)),
                None => (format!("O=Acme Co; CN={FAKE_CERTIFICATE}"), format!("Secret {}/{} does not exist: the controller's fake certificate", ing.metadata.namespace, t.secret_name)),
            };
        }
    }
    (
        format!("O=Acme Co; CN={FAKE_CERTIFICATE}"),
        format!("no Ingress has TLS for {host}: the controller's fake certificate"),
    )
}

fn hop_lines(out: &mut String, verbose: bool, hops: &[String]) {
    if verbose {
        for hop in hops {
            out.push_str(&format!("* [kubeplay] ingress: {hop}\n"));
        }
    }
}

/// An HTTP response as curl shows it (headers only with -v).
fn respond(
    out: &mut String,
    r: &IngressRequest,
    code: u16,
    reason: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> String {
    if r.verbose {
        out.push_str(&format!(
            "* Connected to {} ({}) port {}\n",
            r.host, r.ip, r.port
        ));
        out.push_str(&format!(
            "> GET {} HTTP/1.1\n> Host: {}\n> User-Agent: {USER_AGENT}\n> Accept: */*\n>\n",
            r.path, r.host_value
        ));
        out.push_str(&format!(
            "< HTTP/1.1 {code} {reason}\n< Date: Wed, 01 Jan 2025 00:00:00 GMT\n"
        ));
        if !headers.iter().any(|(k, _)| *k == "Content-Type") {
            out.push_str("< Content-Type: text/html\n");
        }
        out.push_str(&format!(
            "< Content-Length: {}\n< Connection: keep-alive\n",
            body.len()
        ));
        for (k, v) in headers {
            out.push_str(&format!("< {k}: {v}\n"));
        }
        if r.https {
            out.push_str("< Strict-Transport-Security: max-age=31536000; includeSubDomains\n");
        }
        out.push_str("<\n");
    }
    out.push_str(body);
    std::mem::take(out)
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
