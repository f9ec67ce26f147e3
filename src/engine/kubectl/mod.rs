//! The terminal language, shared by the browser terminal and `kubeplay run`: a subset of
//! kubectl with its columns and error wording. One parser; output is plain text.

mod curl;
mod describe;
pub mod dns;
mod drain;
mod exec;
pub(crate) mod get;
mod label;
pub mod selector;
pub mod yaml_out;

pub use get::tabulate;

use super::cluster::{Cluster, COMMAND_TICK_SECONDS};
use super::manifest::{kind_info, Object, ParsedObject, Scope, SourceFile, KINDS};
use super::store::Key;

const HELP: &str = "\
Supported commands (a subset of kubectl; more arrive as kubeplay grows):
  kubectl get KIND[,KIND...] [NAME...] [-n NS | -A] [-l SELECTOR] [-o wide|json|yaml|name]
  kubectl describe KIND [NAME...] [-n NS]
  kubectl scale KIND/NAME --replicas=N
  kubectl delete KIND NAME... | -l SELECTOR
  kubectl apply -f FILE|-          (- is the input: the editor's manifests)
  kubectl label|annotate KIND NAME KEY=VALUE... [KEY-] [--overwrite]
  kubectl cordon|uncordon NODE
  kubectl drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force]
  help
Kinds: nodes (no), namespaces (ns), pods (po), deployments (deploy), replicasets (rs),
statefulsets (sts), daemonsets (ds), services (svc), persistentvolumeclaims (pvc),
configmaps (cm), events (ev), and every kind kubeplay reads.
Mark a pod not ready: kubectl annotate pod NAME kubeplay.io/ready=false
  kubectl debug node/NODE -- iptables-save [-t nat] | ipvsadm -Ln   (ipvs mode)
  kubectl exec POD [-c CONTAINER] -- env|printenv [NAME...]|hostname
  kubectl exec POD -- curl [-v] [-H 'Host: NAME'] URL | ping [-c N] HOST
  kubectl exec POD -- cat /etc/resolv.conf | nslookup [-type=T] NAME | dig [+search] NAME [T]
  kubectl exec POD [-c C] -- sh -c 'echo TEXT > FILE' | cat FILE | ls DIR | rm | touch | mkdir
  kubectl patch KIND NAME [--type=merge|json] -p PATCH   (e.g. clear a Released PV's claimRef)
  curl [-v] [-H 'Host: NAME'] URL   (from a client outside the cluster: node IPs, LB IPs)
  why pvc NAME [-n NS]              (kubeplay: why a claim is Pending, every PV considered)
  why url http[s]://HOST/PATH       (kubeplay: which Ingress rule takes a request, and why)
  why name POD NAME [-n NS]         (kubeplay: every DNS query the pod's resolver sends, in order)
  diagram storage|network|dns [-o table|svg|mermaid]   (kubeplay: the diagram as text, SVG or Mermaid)
  curl [-k] [--resolve HOST:PORT:ADDR] https://HOST:PORT/PATH   (through ingress-nginx)";

/// What a re-apply keeps, as kubectl's three-way merge does for fields the manifest never
/// set: annotations and finalizers written by controllers, a claim's binding and a
/// volume's claimRef, and status.
fn keep_server_fields(new: &mut Object, old: Option<&Object>) {
    let Some(old) = old else { return };
    let (old_annotations, old_finalizers) = (
        old.meta().annotations.clone(),
        old.meta().finalizers.clone(),
    );
    let m = new.meta_mut();
    for (k, v) in old_annotations {
        m.annotations.entry(k).or_insert(v);
    }
    for f in old_finalizers {
        if !m.finalizers.contains(&f) {
            m.finalizers.push(f);
        }
    }
    match (new, old) {
        (Object::PersistentVolumeClaim(new), Object::PersistentVolumeClaim(old)) => {
            if new.spec.volume_name.is_empty() {
                new.spec.volume_name = old.spec.volume_name.clone();
            }
            if new.spec.storage_class_name.is_none() {
                new.spec.storage_class_name = old.spec.storage_class_name.clone();
            }
            if new.status.is_none() {
                new.status = old.status.clone();
            }
        }
        (Object::PersistentVolume(new), Object::PersistentVolume(old)) => {
            if new.spec.claim_ref.is_none() {
                new.spec.claim_ref = old.spec.claim_ref.clone();
            }
            if new.status.is_none() {
                new.status = old.status.clone();
            }
        }
        _ => {}
    }
}

/// `kubectl patch KIND NAME [--type=merge|json|strategic] -p PATCH`: a JSON merge patch
/// (RFC 7386; kubeplay applies `strategic` the same way) or a JSON patch (RFC 6902:
/// add, remove, replace), then the object goes through admission like an apply.
fn patch(c: &mut Cluster, args: &[&str]) -> String {
    let (namespace, rest) = match take_namespace(args) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let mut kind = None;
    let mut name = None;
    let mut kind_of_patch = "strategic";
    let mut body = None;
    let mut it = rest.iter();
    while let Some(&a) = it.next() {
        match a {
            "-p" | "--patch" => body = it.next().copied(),
            _ if a.starts_with("--patch=") => body = Some(&a[8..]),
            _ if a.starts_with("-p=") => body = Some(&a[3..]),
            "--type" => kind_of_patch = it.next().copied().unwrap_or(""),
            _ if a.starts_with("--type=") => kind_of_patch = &a[7..],
            _ if a.starts_with('-') => return format!("error: unknown flag: {a}"),
            _ if kind.is_none() => {
                if let Some((k, n)) = a.split_once('/') {
                    kind = Some(k);
                    name = Some(n);
                } else {
                    kind = Some(a);
                }
            }
            _ if name.is_none() => name = Some(a),
            _ => return format!("error: unexpected argument {a:?}"),
        }
    }
    let (Some(kind), Some(name), Some(body)) = (kind, name, body) else {
        return "error: must specify --patch or --patch-file containing the contents of the patch\nUsage: kubectl patch KIND NAME -p PATCH [--type=merge|json]".into();
    };
    let (kind, ns) = match object_kind(kind, namespace) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let key = Key::new(kind, &ns, name);
    let Some(old) = c.store.get(&key).cloned() else {
        return not_found(kind, name);
    };
    let Ok(patch) = serde_json::from_str::<serde_json::Value>(body) else {
        return format!("error: unable to parse \"{body}\": invalid JSON");
    };
    let mut doc = old.to_json();
    match kind_of_patch {
        "merge" | "strategic" => merge_patch(&mut doc, &patch),
        "json" => {
            let Some(ops) = patch.as_array() else {
                return "error: a JSON patch must be a list of operations".into();
            };
            for op in ops {
                let path = op.get("path").and_then(|p| p.as_str()).unwrap_or("");
                let parts: Vec<String> = path
                    .split('/')
                    .skip(1)
                    .map(|p| p.replace("~1", "/").replace("~0", "~"))
                    .collect();
                let Some((last, parents)) = parts.split_last() else {
                    return format!("error: invalid path {path:?}");
                };
                let mut at = &mut doc;
                for p in parents {
                    at = match at.get_mut(p.as_str()) {
                        Some(v) => v,
                        None => return format!("The request is invalid: the server rejected our request due to an error in our request: doc is missing path: \"{path}\""),
                    };
                }
                let Some(obj) = at.as_object_mut() else {
                    return format!("error: kubeplay patches object fields only, not {path:?}");
                };
                match op.get("op").and_then(|o| o.as_str()) {
                    Some("remove") => {
                        if obj.remove(last).is_none() {
                            return format!("The request is invalid: the server rejected our request due to an error in our request: unable to remove nonexistent key: {last}: missing value");
                        }
                    }
                    Some("add" | "replace") => {
                        obj.insert(last.clone(), op.get("value").cloned().unwrap_or_default());
                    }
                    other => {
                        return format!(
                        "error: kubeplay's patch supports add, remove and replace, not {other:?}"
                    )
                    }
                }
            }
        }
        other => {
            return format!(
                "error: --type must be one of [json merge strategic], and not {other:?}"
            )
        }
    }
    let text = serde_json::to_string(&doc).unwrap_or_default();
    let parsed = crate::engine::manifest::parse(&[SourceFile {
        name: "patch".into(),
        text,
    }]);
    if let Some(d) = parsed
        .diagnostics
        .iter()
        .find(|d| d.severity == crate::engine::diag::Severity::Error)
    {
        return format!("error: the patched object is invalid: {}", d.message);
    }
    let Some(p) = parsed.objects.into_iter().next() else {
        return "error: the patch left nothing to store".into();
    };
    if p.object.to_json() == old.to_json() {
        return format!("{}/{name} patched (no change)", resource_name(kind));
    }
    let object = match super::apiserver::admit(c, p.object) {
        Ok(o) => o,
        Err(e) if e.contains(" is forbidden: ") => {
            return format!("Error from server (Forbidden): {e}")
        }
        Err(e) => return e,
    };
    c.put(object);
    format!("{}/{name} patched", resource_name(kind))
}

/// RFC 7386: objects merge, `null` removes, anything else replaces.
fn merge_patch(doc: &mut serde_json::Value, patch: &serde_json::Value) {
    match (doc.as_object_mut(), patch.as_object()) {
        (Some(d), Some(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    d.remove(k);
                } else {
                    merge_patch(d.entry(k.clone()).or_insert(serde_json::Value::Null), v);
                }
            }
        }
        _ => *doc = patch.clone(),
    }
}

/// `why pvc NAME`: kubeplay's explainer for a claim.
/// An explainer's answer with the Kubernetes documentation page it comes from.
fn with_docs(answer: String, args: &[&str]) -> String {
    if answer.starts_with("Usage") || answer.starts_with("Error") || answer.starts_with("error") {
        return answer;
    }
    let (title, url) = match args.first().copied().unwrap_or("") {
        "url" | "ingress" => (
            "Ingress",
            "https://kubernetes.io/docs/concepts/services-networking/ingress/",
        ),
        "name" => (
            "DNS for Services and Pods",
            "https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/",
        ),
        _ => (
            "Persistent Volumes",
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/",
        ),
    };
    format!("{}\nSee: {title} — {url}", answer.trim_end())
}

fn why(c: &Cluster, args: &[&str]) -> String {
    if let ["ingress" | "url", url] = args {
        return why_url(c, url);
    }
    if let Some(rest) = args.strip_prefix(&["name"]) {
        return why_name(c, rest);
    }
    let (namespace, rest) = match take_namespace(args) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let name = match rest.as_slice() {
        [kind, name]
            if matches!(
                *kind,
                "pvc" | "persistentvolumeclaim" | "persistentvolumeclaims"
            ) =>
        {
            *name
        }
        [one] if one.starts_with("pvc/") => &one[4..],
        _ => return "Usage: why pvc NAME [-n NAMESPACE] | why url http[s]://HOST/PATH | why name POD NAME [-n NAMESPACE]".into(),
    };
    match crate::engine::storage::explain_claim(c, &namespace, name) {
        Some(r) => crate::engine::storage::render_claim_report(&r)
            .trim_end()
            .to_string(),
        None => not_found("PersistentVolumeClaim", name),
    }
}

/// `why name POD NAME`: every query the pod's resolver sends for a name, in order, with
/// what came back (the "why did my lookup take four queries" lesson).
fn why_name(c: &Cluster, args: &[&str]) -> String {
    use crate::engine::coredns::Answer;
    let (namespace, rest) = match take_namespace(args) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let [pod, name] = rest.as_slice() else {
        return "Usage: why name POD NAME [-n NAMESPACE]".into();
    };
    let Some(Object::Pod(p)) = c.store.get(&Key::new("Pod", &namespace, pod)) else {
        return not_found("Pod", pod);
    };
    let (conf, _) = crate::engine::resolver::pod_resolv_conf(c, p);
    let image = p.spec.containers.first().map_or("", |ct| ct.image.as_str());
    let libc = dns::Toolbox::of_image(image).libc();
    let tried = crate::engine::resolver::trace(c, &conf, name, libc);
    let dots = name.trim_end_matches('.').matches('.').count();
    let mut out = format!(
        "{name} has {dots} dot(s); ndots is {}{}: ",
        conf.ndots(),
        if libc == crate::engine::resolver::Libc::Musl {
            " (musl)"
        } else {
            ""
        }
    );
    out.push_str(if name.ends_with('.') {
        "the trailing dot makes it absolute, so it is asked as is, once.\n"
    } else if dots >= conf.ndots() {
        "it is asked as is first, then with each search domain.\n"
    } else {
        "each search domain is tried first, then the name as is.\n"
    });
    if tried.is_empty() {
        out.push_str("The pod has no nameserver: nothing is asked.");
        return out;
    }
    for (i, t) in tried.iter().enumerate() {
        let result = match &t.answer {
            Answer::Records {
                addresses,
                cname: Some(c),
            } => format!("CNAME {c}, A {}", addresses.join(", ")),
            Answer::Records { addresses, .. } => format!("A {}", addresses.join(", ")),
            Answer::Cname(c) => format!("CNAME {c} (its target does not resolve)"),
            Answer::NoData => "NOERROR, no records (NODATA)".into(),
            other => other.rcode().to_string(),
        };
        out.push_str(&format!("{}. {:<52} {result}\n", i + 1, t.name));
    }
    let found = tried
        .last()
        .is_some_and(|t| matches!(t.answer, Answer::Records { .. }));
    out.push_str(&format!(
        "{} after {} quer{}.",
        if found { "Resolved" } else { "Not found" },
        tried.len(),
        if tried.len() == 1 { "y" } else { "ies" }
    ));
    out
}

/// `why url URL`: which Ingress rule takes a request, and why each other one does not.
fn why_url(c: &Cluster, url: &str) -> String {
    use crate::engine::ingress::{route, Decision, PathKind};
    let (https, rest) = match url.split_once("://") {
        Some(("https", r)) => (true, r),
        Some((_, r)) => (false, r),
        None => (false, url),
    };
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (decision, verdicts) = route(c, host, path, https);
    let mut out = match decision {
        Decision::Proxy {
            namespace,
            ingress,
            service,
            matched,
            upstream_path,
            ..
        } => format!(
            "{url} -> Ingress {namespace}/{ingress} ({matched}) -> Service {service}{}\n",
            if upstream_path != path {
                format!(", path rewritten to {upstream_path}")
            } else {
                String::new()
            }
        ),
        Decision::Redirect(to) => {
            format!("{url} -> 308 Permanent Redirect to {to} (the host has TLS)\n")
        }
        Decision::NotFound(why) => {
            format!("{url} -> 404 from the controller's default backend: {why}\n")
        }
        Decision::Resource(what) => {
            format!("{url} -> the resource backend {what}, which kubeplay cannot route to\n")
        }
    };
    if verdicts.is_empty() {
        out.push_str("No Ingress rules are served.");
        return out;
    }
    let rows: Vec<Vec<String>> = verdicts
        .iter()
        .map(|v| {
            vec![
                v.ingress.clone(),
                v.host.clone(),
                v.path.clone(),
                match v.kind {
                    PathKind::Exact => "Exact",
                    PathKind::Prefix => "Prefix",
                    PathKind::ImplementationSpecific => "ImplementationSpecific",
                }
                .into(),
                v.backend.clone(),
                match &v.result {
                    Ok(()) => "✓ matched".into(),
                    Err(why) => format!("✗ {why}"),
                },
            ]
        })
        .collect();
    let header = ["INGRESS", "HOST", "PATH", "PATHTYPE", "BACKEND", "RESULT"];
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for r in &rows {
        for (i, cell) in r.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| -> String {
        cells
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                if i + 1 == cells.len() {
                    cell.clone()
                } else {
                    format!("{cell:<w$}   ", w = widths[i])
                }
            })
            .collect::<String>()
    };
    out.push_str(&line(header.iter().map(|h| h.to_string()).collect()));
    out.push('\n');
    for r in rows {
        out.push_str(&line(r));
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// Splits a command line like a POSIX shell would for simple cases: whitespace separates
/// words; single and double quotes group.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for ch in line.chars() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(ch);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        return Err("error: unterminated quote in command".into());
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// What `kubectl apply` did: its output, and the objects the API server refused (by
/// index into the applied list, with the refusal).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplyReport {
    pub output: String,
    pub rejected: Vec<(usize, String)>,
}

/// Applies parsed objects like `kubectl apply`: each passes the API server's defaulting
/// and allocation, then is `created`, `configured` or `unchanged`; refusals are reported
/// as kubectl prints them, after the other lines.
pub fn apply(c: &mut Cluster, objects: &[ParsedObject]) -> ApplyReport {
    let mut report = ApplyReport::default();
    let mut errors = String::new();
    // kind users install ingress-nginx when they use Ingress; kubeplay does it for them.
    let ingress = objects
        .iter()
        .any(|p| matches!(p.object.kind(), "Ingress" | "IngressClass"));
    if ingress {
        crate::engine::ingress::install(c, false);
    }
    for (index, p) in objects.iter().enumerate() {
        let Some(info) = kind_info(p.object.kind()) else {
            continue;
        };
        if info.scope == Scope::Config {
            report
                .output
                .push_str(&format!("{}: configuration read\n", info.kind));
            continue;
        }
        let key = Key::of(&p.object);
        let mut object = p.object.clone();
        if let (Object::Pod(new), Some(Object::Pod(old))) = (&mut object, c.store.get(&key)) {
            // apply leaves what the cluster wrote alone: the binding and the status.
            if new.spec.node_name.is_empty() {
                new.spec.node_name = old.spec.node_name.clone();
            }
            if new.status.is_none() {
                new.status = old.status.clone();
            }
        }
        keep_server_fields(&mut object, c.store.get(&key));
        let object = match super::apiserver::admit(c, object) {
            Ok(o) => o,
            Err(e) => {
                let verb = if c.store.get(&key).is_some() {
                    "applying patch"
                } else {
                    "creating"
                };
                let reason = if e.contains(" is forbidden: ") {
                    "Forbidden"
                } else {
                    "Invalid"
                };
                errors.push_str(&format!(
                    "Error from server ({reason}): error when {verb} \"{}\": {e}\n",
                    p.file
                ));
                report.rejected.push((index, e));
                continue;
            }
        };
        let verb = match c.store.get(&key) {
            None => "created",
            Some(old)
                if old.spec_json() == object.spec_json()
                    && old.meta().labels == object.meta().labels
                    && old.meta().annotations == object.meta().annotations =>
            {
                "unchanged"
            }
            Some(_) => "configured",
        };
        if verb != "unchanged" {
            c.put(object);
        }
        report.output.push_str(&format!(
            "{}/{} {verb}\n",
            resource_name(info.kind),
            p.object.meta().name
        ));
    }
    if ingress {
        crate::engine::ingress::install(c, true);
    }
    report.output.push_str(&errors);
    report
}

/// `kubectl debug node/NODE [-it] [--image=…] -- COMMAND`: a shell on the node, where
/// kube-proxy's rules can be read.
fn debug(c: &Cluster, args: &[&str]) -> String {
    let (before, command) = match args.iter().position(|a| *a == "--") {
        Some(i) => (&args[..i], &args[i + 1..]),
        None => (args, &[][..]),
    };
    let Some(node) = before.iter().find_map(|a| a.strip_prefix("node/")) else {
        return "error: kubeplay simulates `kubectl debug node/NODE -- COMMAND` (debugging pods is not simulated yet)".into();
    };
    if c.store.get(&Key::new("Node", "", node)).is_none() {
        return not_found("Node", node);
    }
    let mode = c.settings.proxy_mode.as_str();
    match command {
        ["iptables-save", rest @ ..] if mode == "iptables" => match rest {
            [] => super::kube_proxy::iptables::save(c, node, false).trim_end().to_string(),
            ["-t", "nat"] => super::kube_proxy::iptables::save(c, node, true).trim_end().to_string(),
            ["-t", table] => format!("iptables-save: kubeplay shows the nat and filter tables, not {table}"),
            _ => "Usage: iptables-save [-t nat|filter]".into(),
        },
        ["iptables-save", rest @ ..] if mode == "userspace" => match rest {
            [] | ["-t", "nat"] => format!(
                "# kube-proxy userspace mode (removed in Kubernetes 1.26), as the seed deck teaches it\n{}",
                super::kube_proxy::userspace::save(c, node).trim_end()
            ),
            _ => "kubeplay shows the nat table in userspace mode".into(),
        },
        ["iptables-save", ..] => format!(
            "kube-proxy runs in {mode} mode here; the iptables and ipset rules it keeps for masquerading are not simulated (ipvsadm -Ln shows its table)"
        ),
        ["ipvsadm", flags @ ..] if mode == "ipvs" => match flags {
            ["-Ln"] | ["-L", "-n"] | ["-ln"] => super::kube_proxy::ipvs::list(c, node).trim_end().to_string(),
            _ => "kubeplay simulates ipvsadm -Ln".into(),
        },
        ["ipvsadm", ..] => format!(
            "Can't initialize ipvs: Protocol not available\nAre you sure that IP Virtual Server is built in the kernel or as module?\n(kube-proxy runs in {mode} mode here)"
        ),
        [] => "error: give the command to run on the node after --, e.g. kubectl debug node/kind-worker -- iptables-save".into(),
        [cmd, ..] => format!("{cmd}: not simulated yet on nodes in this version of kubeplay (iptables-save is)"),
    }
}

/// The files a terminal can `kubectl apply -f`: the input (`-f -`, the editor's content
/// in the browser) and other files known by name (the CLI reads them before it starts,
/// so the engine never does IO).
#[derive(Clone, Copy, Debug, Default)]
pub struct Files<'a> {
    pub input: &'a [SourceFile],
    pub others: &'a [SourceFile],
}

/// The `-f`/`--filename` values of a command line.
pub fn filename_args<'a>(args: &[&'a str]) -> Result<Vec<&'a str>, String> {
    let mut names = Vec::new();
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            "-f" | "--filename" => names.push(*it.next().ok_or_else(|| missing_value(a))?),
            _ => {
                if let Some(v) = a
                    .strip_prefix("--filename=")
                    .or_else(|| a.strip_prefix("-f="))
                {
                    names.push(v);
                }
            }
        }
    }
    Ok(names)
}

/// `kubectl apply -f NAME|-`: reads the files, reports their problems, applies the valid
/// objects.
fn apply_files(c: &mut Cluster, args: &[&str], files: &Files) -> String {
    let names = match filename_args(args) {
        Ok(names) => names,
        Err(e) => return e,
    };
    if names.is_empty() {
        return "error: must specify one of -f and -k".into();
    }
    let mut selected = Vec::new();
    for name in names {
        if name == "-" {
            selected.extend(files.input.iter().cloned());
            continue;
        }
        match files
            .input
            .iter()
            .chain(files.others)
            .find(|f| f.name == name)
        {
            Some(f) => selected.push(f.clone()),
            None => return format!("error: the path \"{name}\" does not exist"),
        }
    }
    let parsed = super::manifest::parse(&selected);
    let mut out = apply(c, &parsed.objects).output;
    for d in parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == super::Severity::Error)
    {
        out.push_str(&format!("{d}\n"));
    }
    for d in parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == super::Severity::Warning)
    {
        out.insert_str(0, &format!("Warning: {}\n", d.message));
    }
    out.trim_end().to_string()
}

/// kubectl's lower-case resource name in `kind/name` output (`deployment.apps/web`).
pub(crate) fn resource_name(kind: &str) -> String {
    let info = kind_info(kind);
    let group = info
        .and_then(|i| i.api_versions.first())
        .and_then(|av| av.split_once('/'))
        .map(|(g, _)| g)
        .unwrap_or("");
    let lower = kind.to_lowercase();
    if group.is_empty() {
        lower
    } else {
        format!("{lower}.{group}")
    }
}

/// Runs one terminal command line against the cluster and returns its output.
/// Never panics on bad input: unknown or malformed commands get a short message.
/// Runs a reading command (`kubectl get` / `kubectl describe`) without touching the
/// cluster or its clock: what the workbench's views show between terminal commands.
pub fn peek(c: &Cluster, line: &str) -> String {
    let words = match split_words(line.trim()) {
        Ok(w) => w,
        Err(e) => return e,
    };
    let args: Vec<&str> = words.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["kubectl", "get", rest @ ..] => get::get(c, rest),
        ["kubectl", "describe", rest @ ..] => describe::describe(c, rest),
        ["diagram", rest @ ..] => crate::engine::diagram::command(c, rest),
        _ => format!(
            "error: a view runs only kubectl get, kubectl describe and diagram, not {line:?}"
        ),
    }
}

pub fn run(c: &mut Cluster, line: &str, files: &Files) -> String {
    c.clock.advance(COMMAND_TICK_SECONDS);
    let words = match split_words(line.trim()) {
        Ok(w) => w,
        Err(e) => return e,
    };
    let args: Vec<&str> = words.iter().map(String::as_str).collect();
    let out = match args.as_slice() {
        [] => String::new(),
        ["help"] | ["kubectl"] | ["kubectl", "help"] | ["kubectl", "--help"] => HELP.to_string(),
        ["kubectl", "get", rest @ ..] => get::get(c, rest),
        ["kubectl", "scale", rest @ ..] => scale(c, rest),
        ["kubectl", "delete", rest @ ..] => delete(c, rest),
        ["kubectl", "describe", rest @ ..] => describe::describe(c, rest),
        ["kubectl", "cordon", rest @ ..] => drain::cordon(c, rest, true),
        ["kubectl", "uncordon", rest @ ..] => drain::cordon(c, rest, false),
        ["kubectl", "drain", rest @ ..] => drain::drain(c, rest),
        ["kubectl", "label", rest @ ..] => label::label(c, rest, label::Target::Labels),
        ["kubectl", "annotate", rest @ ..] => label::label(c, rest, label::Target::Annotations),
        ["kubectl", "apply", rest @ ..] => apply_files(c, rest, files),
        ["kubectl", "debug", rest @ ..] => debug(c, rest),
        ["kubectl", "exec", rest @ ..] => exec::exec(c, rest),
        ["why", rest @ ..] => {
            let answer = with_docs(why(c, rest), rest);
            if c.lang == "zh" {
                crate::engine::explain_zh::translate(&answer)
            } else {
                answer
            }
        }
        ["diagram", rest @ ..] => crate::engine::diagram::command(c, rest),
        ["kubectl", "patch", rest @ ..] => patch(c, rest),
        [
            "kubectl",
            verb @ ("logs" | "port-forward" | "rollout" | "expose" | "edit"),
            ..,
        ] => {
            format!("kubectl {verb}: not simulated yet in this version of kubeplay (see `help`)")
        }
        ["curl", rest @ ..] => curl::curl(c, &crate::engine::dispatch::Client::Outside, rest),
        ["ping", rest @ ..] => curl::ping(c, &crate::engine::dispatch::Client::Outside, rest),
        ["nslookup", ..] => "nslookup: this prompt is outside the cluster; ask the cluster DNS from a pod: kubectl exec POD -- nslookup NAME".into(),
        ["dig", ..] => "dig: not simulated yet in this version of kubeplay; kubectl exec POD -- nslookup NAME is".into(),
        ["kubectl", other, ..] => format!("error: unknown command \"{other}\" for \"kubectl\"\nRun 'help' for the commands kubeplay simulates."),
        [other, ..] => format!("{other}: command not found\nRun 'help' for the commands kubeplay simulates."),
    };
    if let Err(e) = c.reconcile() {
        return format!("{out}\nerror: {e}");
    }
    out
}

/// Resolves `pods`, `po`, `pod`, `Pod`, `deployment.apps` to a kind.
pub(crate) fn resolve_kind(word: &str) -> Option<&'static str> {
    let w = word.split('.').next().unwrap_or(word).to_lowercase();
    if w == "events" || w == "event" || w == "ev" {
        return Some("Event");
    }
    KINDS
        .iter()
        .find(|k| {
            k.plural == w || k.kind.to_lowercase() == w || k.short_names.contains(&w.as_str())
        })
        .map(|k| k.kind)
}

/// Splits `-l SELECTOR`, `--selector SELECTOR` and `--selector=SELECTOR` off the arguments.
pub(crate) fn take_selector<'a>(
    args: &[&'a str],
) -> Result<(Option<selector::Selector>, Vec<&'a str>), String> {
    let mut found = None;
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        let text = match a {
            "-l" | "--selector" => Some(*it.next().ok_or_else(|| missing_value(a))?),
            _ => a
                .strip_prefix("--selector=")
                .or_else(|| a.strip_prefix("-l=")),
        };
        match text {
            Some(t) => found = Some(selector::Selector::parse(t)?),
            None => rest.push(a),
        }
    }
    Ok((found, rest))
}

/// Resolves a kind word for a command that acts on objects (events are not such a kind)
/// and the namespace its objects live in (none for cluster-scoped kinds).
pub fn object_kind(kind_word: &str, namespace: String) -> Result<(&'static str, String), String> {
    let kind = resolve_kind(kind_word)
        .filter(|k| *k != "Event")
        .ok_or_else(|| format!("error: the server doesn't have a resource type \"{kind_word}\""))?;
    let namespaced = kind_info(kind).is_some_and(|i| i.scope == Scope::Namespaced);
    Ok((kind, if namespaced { namespace } else { String::new() }))
}

/// kubectl's NotFound error for a named object.
pub(crate) fn not_found(kind: &str, name: &str) -> String {
    format!(
        "Error from server (NotFound): {} \"{name}\" not found",
        kind_info(kind).map_or("", |i| i.plural)
    )
}

/// Reads `KIND NAME...` or `KIND/NAME`, as kubectl's resource builder does.
pub(crate) fn kind_and_names<'a>(words: &[&'a str]) -> Option<(&'a str, Vec<&'a str>)> {
    let (first, rest) = words.split_first()?;
    Some(match first.split_once('/') {
        Some((kind, name)) => (
            kind,
            std::iter::once(name).chain(rest.iter().copied()).collect(),
        ),
        None => (*first, rest.to_vec()),
    })
}

/// Splits `-n NS`, `--namespace NS` and `--namespace=NS` off the arguments; the namespace
/// defaults to `default`.
pub(crate) fn take_namespace<'a>(args: &[&'a str]) -> Result<(String, Vec<&'a str>), String> {
    let mut namespace = "default".to_string();
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            "-n" | "--namespace" => {
                namespace = it.next().ok_or_else(|| missing_value(a))?.to_string()
            }
            _ => match a.strip_prefix("--namespace=") {
                Some(v) => namespace = v.to_string(),
                None => rest.push(a),
            },
        }
    }
    Ok((namespace, rest))
}

/// kubectl's message for a flag given without its value.
pub(crate) fn missing_value(flag: &str) -> String {
    format!(
        "error: flag needs an argument: '{}' in {flag}",
        flag.trim_start_matches('-')
    )
}

fn scale(c: &mut Cluster, args: &[&str]) -> String {
    let (namespace, rest) = match take_namespace(args) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let mut replicas = None;
    let mut words = Vec::new();
    for a in rest {
        match a.strip_prefix("--replicas=") {
            Some(n) => replicas = n.parse::<i32>().ok().filter(|r| *r >= 0),
            None => words.push(a),
        }
    }
    let Some(replicas) = replicas else {
        return "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0".into();
    };
    let Some((kind_word, name)) = kind_and_names(&words).and_then(|(k, names)| match names[..] {
        [name] => Some((k, name)),
        _ => None,
    }) else {
        return "error: you must specify one resource to scale as KIND/NAME or KIND NAME, e.g. kubectl scale deployment/web --replicas=3".into();
    };
    let Some(kind) = resolve_kind(kind_word)
        .filter(|k| matches!(*k, "Deployment" | "ReplicaSet" | "StatefulSet"))
    else {
        return format!(
            "error: the server doesn't have a resource type \"{kind_word}\" that can be scaled"
        );
    };
    let key = Key::new(kind, &namespace, name);
    let Some(mut object) = c.store.get(&key).cloned() else {
        return not_found(kind, name);
    };
    match &mut object {
        Object::Deployment(d) => d.spec.replicas = Some(replicas),
        Object::ReplicaSet(r) => r.spec.replicas = Some(replicas),
        Object::StatefulSet(s) => s.spec.replicas = Some(replicas),
        _ => {}
    }
    c.put(object);
    format!("{}/{name} scaled", resource_name(kind))
}

fn delete(c: &mut Cluster, args: &[&str]) -> String {
    let (namespace, rest) = match take_namespace(args) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let (selector, positional) = match take_selector(&rest) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let Some((kind_word, mut names)) = kind_and_names(&positional) else {
        return "error: You must provide one or more resources by argument or filename.".into();
    };
    let (kind, ns) = match object_kind(kind_word, namespace) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let selected: Vec<String>;
    match (&selector, names.is_empty()) {
        (Some(_), false) => {
            return "error: name cannot be provided when a selector is specified".into()
        }
        (Some(sel), true) => {
            selected = c
                .store
                .list(kind, Some(&ns))
                .filter(|o| sel.matches(&o.meta().labels))
                .map(|o| o.meta().name.clone())
                .collect();
            if selected.is_empty() {
                return if ns.is_empty() {
                    "No resources found".into()
                } else {
                    format!("No resources found in {ns} namespace.")
                };
            }
            names = selected.iter().map(String::as_str).collect();
        }
        (None, true) => {
            return "error: resource(s) were provided, but no name was specified".into()
        }
        (None, false) => {}
    }
    let mut out = Vec::new();
    for name in names {
        let key = Key::new(kind, &ns, name);
        if c.delete(&key) {
            out.push(format!("{} \"{name}\" deleted", resource_name(kind)));
        } else {
            out.push(not_found(kind, name));
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_like_a_shell() {
        assert_eq!(
            split_words("kubectl get  po -n 'a b'").unwrap(),
            ["kubectl", "get", "po", "-n", "a b"]
        );
        assert!(split_words("echo 'oops").is_err());
    }

    #[test]
    fn tabulate_pads_to_widest_plus_three() {
        let rows = vec![
            vec!["NAME".to_string(), "AGE".into()],
            vec!["web".into(), "5s".into()],
        ];
        assert_eq!(tabulate(&rows), "NAME   AGE\nweb    5s\n");
    }
}
