//! The terminal language, shared by the browser terminal and `kubeplay run`: a subset of
//! kubectl with its columns and error wording. One parser; output is plain text.

use super::clock::{human_duration, Clock};
use super::cluster::{Cluster, EventType, COMMAND_TICK_SECONDS};
use super::manifest::{kind_info, Object, ParsedObject, Scope, KINDS};
use super::store::Key;

const HELP: &str = "\
Supported commands (a subset of kubectl; more arrive as kubeplay grows):
  kubectl get KIND [NAME...] [-n NS | -A] [-o wide|json|name]
  kubectl scale KIND/NAME --replicas=N
  kubectl delete KIND NAME
  help
Kinds: nodes (no), namespaces (ns), pods (po), deployments (deploy), replicasets (rs),
services (svc), events (ev), and every kind kubeplay reads.
Not simulated yet: describe, exec, curl, cordon/drain, debug node (iptables-save).";

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

/// Applies parsed objects like `kubectl apply`: one line per object, `created`,
/// `configured` or `unchanged`.
pub fn apply(c: &mut Cluster, objects: &[ParsedObject]) -> String {
    let mut out = String::new();
    for p in objects {
        let Some(info) = kind_info(p.object.kind()) else {
            continue;
        };
        if info.scope == Scope::Config {
            out.push_str(&format!("{}: configuration read\n", info.kind));
            continue;
        }
        let key = Key::of(&p.object);
        let verb = match c.store.get(&key) {
            None => "created",
            Some(old)
                if old.spec_json() == p.object.spec_json()
                    && old.meta().labels == p.object.meta().labels =>
            {
                "unchanged"
            }
            Some(_) => "configured",
        };
        if verb != "unchanged" {
            let mut object = p.object.clone();
            if let Some(old) = c.store.get(&key) {
                // apply keeps what controllers wrote (status) unless the input sets it.
                if let (Object::Pod(new), Object::Pod(old)) = (&mut object, old) {
                    if new.status.is_none() {
                        new.status = old.status.clone();
                        new.spec.node_name = old.spec.node_name.clone();
                    }
                }
            }
            if let Object::Pod(pod) = &mut object {
                super::controllers::kubelet::default_pod_spec(pod);
            }
            c.put(object);
        }
        out.push_str(&format!(
            "{}/{} {verb}\n",
            resource_name(info.kind),
            p.object.meta().name
        ));
    }
    out
}

/// kubectl's lower-case resource name in `kind/name` output (`deployment.apps/web`).
fn resource_name(kind: &str) -> String {
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
pub fn run(c: &mut Cluster, line: &str) -> String {
    c.clock.advance(COMMAND_TICK_SECONDS);
    let words = match split_words(line.trim()) {
        Ok(w) => w,
        Err(e) => return e,
    };
    let args: Vec<&str> = words.iter().map(String::as_str).collect();
    let out = match args.as_slice() {
        [] => String::new(),
        ["help"] | ["kubectl"] | ["kubectl", "help"] | ["kubectl", "--help"] => HELP.to_string(),
        ["kubectl", "get", rest @ ..] => get(c, rest),
        ["kubectl", "scale", rest @ ..] => scale(c, rest),
        ["kubectl", "delete", rest @ ..] => delete(c, rest),
        ["kubectl", verb @ ("describe" | "exec" | "cordon" | "uncordon" | "drain" | "debug" | "label" | "logs"), ..] => {
            format!("kubectl {verb}: not simulated yet in this version of kubeplay (see `help`)")
        }
        ["curl" | "nslookup" | "dig", ..] => format!("{}: not simulated yet in this version of kubeplay (see `help`)", args[0]),
        ["kubectl", other, ..] => format!("error: unknown command \"{other}\" for \"kubectl\"\nRun 'help' for the commands kubeplay simulates."),
        [other, ..] => format!("{other}: command not found\nRun 'help' for the commands kubeplay simulates."),
    };
    if let Err(e) = c.reconcile() {
        return format!("{out}\nerror: {e}");
    }
    out
}

struct GetArgs<'a> {
    kind: &'static str,
    names: Vec<&'a str>,
    namespace: Option<String>,
    output: &'a str,
}

/// Resolves `pods`, `po`, `pod`, `Pod`, `deployment.apps` to a kind.
fn resolve_kind(word: &str) -> Option<&'static str> {
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

fn parse_get<'a>(args: &[&'a str]) -> Result<GetArgs<'a>, String> {
    let (default_ns, rest) = take_namespace(args)?;
    let mut namespace = Some(default_ns);
    let mut output = "";
    let mut positional = Vec::new();
    let mut it = rest.into_iter();
    while let Some(a) = it.next() {
        match a {
            "-A" | "--all-namespaces" => namespace = None,
            "-o" | "--output" => output = it.next().ok_or_else(|| missing_value(a))?,
            _ if a.starts_with("-o") && a.len() > 2 => output = a[2..].trim_start_matches('='),
            _ if a.starts_with("--output=") => output = &a["--output=".len()..],
            _ if a.starts_with('-') => return Err(format!("error: unknown flag: {a}")),
            _ => positional.push(a),
        }
    }
    let Some((first, rest)) = positional.split_first() else {
        return Err("You must specify the type of resource to get. Run 'help' for the kinds kubeplay simulates.\nerror: Required resource not specified.".into());
    };
    let (kind_word, mut names) = match first.split_once('/') {
        Some((k, n)) => (k, vec![n]),
        None => (*first, Vec::new()),
    };
    names.extend(rest.iter());
    let kind = resolve_kind(kind_word)
        .ok_or_else(|| format!("error: the server doesn't have a resource type \"{kind_word}\""))?;
    if !matches!(output, "" | "wide" | "json" | "name") {
        return Err(format!("error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: json,name,wide"));
    }
    Ok(GetArgs {
        kind,
        names,
        namespace,
        output,
    })
}

fn get(c: &Cluster, args: &[&str]) -> String {
    let g = match parse_get(args) {
        Ok(g) => g,
        Err(e) => return e,
    };
    if g.kind == "Event" {
        return events_table(c, g.namespace.as_deref());
    }
    let info = kind_info(g.kind);
    let cluster_scoped = info.is_some_and(|i| i.scope != Scope::Namespaced);
    let ns = if cluster_scoped {
        None
    } else {
        g.namespace.as_deref()
    };
    let mut objects: Vec<&Object> = c.store.list(g.kind, ns).collect();
    let plural = info.map_or("", |i| i.plural);
    let mut errors = String::new();
    if !g.names.is_empty() {
        let mut picked = Vec::new();
        for name in &g.names {
            match objects.iter().find(|o| o.meta().name == *name) {
                Some(o) => picked.push(*o),
                None => errors.push_str(&format!(
                    "Error from server (NotFound): {plural} \"{name}\" not found\n"
                )),
            }
        }
        objects = picked;
    }
    let body = if objects.is_empty() {
        if g.names.is_empty() {
            match ns {
                Some(ns) => format!("No resources found in {ns} namespace.\n"),
                None => "No resources found\n".to_string(),
            }
        } else {
            String::new()
        }
    } else {
        match g.output {
            "json" => json_output(&objects, g.names.len() == 1),
            "name" => objects
                .iter()
                .map(|o| format!("{}/{}\n", resource_name(o.kind()), o.meta().name))
                .collect(),
            _ => table(
                c,
                g.kind,
                &objects,
                g.output == "wide",
                ns.is_none() && !cluster_scoped,
            ),
        }
    };
    format!("{body}{errors}").trim_end_matches('\n').to_string()
}

fn json_output(objects: &[&Object], single: bool) -> String {
    let value = if single {
        objects[0].to_json()
    } else {
        serde_json::json!({
            "apiVersion": "v1",
            "items": objects.iter().map(|o| o.to_json()).collect::<Vec<_>>(),
            "kind": "List",
            "metadata": {"resourceVersion": ""},
        })
    };
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// Pads columns like kubectl's tabwriter: each column as wide as its widest cell + 3.
pub fn tabulate(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(widths[i] - cell.chars().count() + 3));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn age(c: &Cluster, o: &Object) -> String {
    let created = o
        .meta()
        .creation_timestamp
        .as_deref()
        .map_or(0, Clock::seconds_of);
    human_duration(c.clock.now.saturating_sub(created))
}

fn table(c: &Cluster, kind: &str, objects: &[&Object], wide: bool, with_ns: bool) -> String {
    let mut header: Vec<&str> = match kind {
        "Node" => vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
        "Pod" => vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        "Deployment" => vec!["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        "ReplicaSet" => vec!["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
        "Namespace" => vec!["NAME", "STATUS", "AGE"],
        "Service" => vec![
            "NAME",
            "TYPE",
            "CLUSTER-IP",
            "EXTERNAL-IP",
            "PORT(S)",
            "AGE",
        ],
        _ => vec!["NAME", "AGE"],
    };
    if wide {
        match kind {
            "Node" => header.extend([
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME",
            ]),
            "Pod" => header.extend(["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]),
            "Deployment" => header.extend(["CONTAINERS", "IMAGES", "SELECTOR"]),
            "ReplicaSet" => header.extend(["CONTAINERS", "IMAGES", "SELECTOR"]),
            _ => {}
        }
    }
    let mut rows = vec![];
    let mut head: Vec<String> = header.iter().map(|s| s.to_string()).collect();
    if with_ns {
        head.insert(0, "NAMESPACE".into());
    }
    rows.push(head);
    for o in objects {
        let mut row = vec![o.meta().name.clone()];
        match o {
            Object::Node(n) => {
                let ready = n
                    .status
                    .as_ref()
                    .and_then(|s| s.conditions.iter().find(|c| c.r#type == "Ready"))
                    .is_some_and(|c| c.status == "True");
                let mut status = if ready {
                    "Ready".to_string()
                } else {
                    "NotReady".to_string()
                };
                if n.spec.unschedulable {
                    status.push_str(",SchedulingDisabled");
                }
                let roles: Vec<&str> = n
                    .metadata
                    .labels
                    .keys()
                    .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
                    .collect();
                let info = n
                    .status
                    .as_ref()
                    .and_then(|s| s.node_info.clone())
                    .unwrap_or_default();
                row.extend([
                    status,
                    if roles.is_empty() {
                        "<none>".into()
                    } else {
                        roles.join(",")
                    },
                    age(c, o),
                    info.kubelet_version.clone(),
                ]);
                if wide {
                    let addr = |t: &str| {
                        n.status
                            .as_ref()
                            .and_then(|s| s.addresses.iter().find(|a| a.r#type == t))
                            .map_or("<none>".to_string(), |a| a.address.clone())
                    };
                    row.extend([
                        addr("InternalIP"),
                        addr("ExternalIP"),
                        info.os_image,
                        info.kernel_version,
                        info.container_runtime_version,
                    ]);
                }
            }
            Object::Pod(p) => {
                let s = p.status.clone().unwrap_or_default();
                let ready = s.container_statuses.iter().filter(|c| c.ready).count();
                let restarts: i32 = s.container_statuses.iter().map(|c| c.restart_count).sum();
                let status = if p.metadata.deletion_timestamp.is_some() {
                    "Terminating".to_string()
                } else if s.phase.is_empty() {
                    "Pending".to_string()
                } else {
                    s.phase.clone()
                };
                row.extend([
                    format!("{ready}/{}", p.spec.containers.len()),
                    status,
                    restarts.to_string(),
                    age(c, o),
                ]);
                if wide {
                    let or_none = |v: &str| {
                        if v.is_empty() {
                            "<none>".to_string()
                        } else {
                            v.to_string()
                        }
                    };
                    row.extend([
                        or_none(&s.pod_ip),
                        or_none(&p.spec.node_name),
                        "<none>".into(),
                        "<none>".into(),
                    ]);
                }
            }
            Object::Deployment(d) => {
                let s = d.status.clone().unwrap_or_default();
                row.extend([
                    format!("{}/{}", s.ready_replicas, d.spec.replicas.unwrap_or(1)),
                    s.updated_replicas.to_string(),
                    s.available_replicas.to_string(),
                    age(c, o),
                ]);
                if wide {
                    row.extend(workload_wide(
                        &d.spec.template.spec.containers,
                        &d.spec.selector,
                    ));
                }
            }
            Object::ReplicaSet(rs) => {
                let s = rs.status.clone().unwrap_or_default();
                row.extend([
                    rs.spec.replicas.unwrap_or(1).to_string(),
                    s.replicas.to_string(),
                    s.ready_replicas.to_string(),
                    age(c, o),
                ]);
                if wide {
                    row.extend(workload_wide(
                        &rs.spec.template.spec.containers,
                        &rs.spec.selector,
                    ));
                }
            }
            Object::Namespace(_) => row.extend(["Active".to_string(), age(c, o)]),
            Object::Service(s) => {
                let ports: Vec<String> = s
                    .spec
                    .ports
                    .iter()
                    .map(|p| {
                        let proto = if p.protocol.is_empty() {
                            "TCP"
                        } else {
                            &p.protocol
                        };
                        if p.node_port != 0 {
                            format!("{}:{}/{proto}", p.port, p.node_port)
                        } else {
                            format!("{}/{proto}", p.port)
                        }
                    })
                    .collect();
                let ty = s.spec.r#type.clone().unwrap_or_else(|| "ClusterIP".into());
                let ip = s
                    .spec
                    .cluster_ip
                    .clone()
                    .unwrap_or_else(|| "<pending>".into());
                row.extend([
                    ty,
                    ip,
                    "<none>".into(),
                    if ports.is_empty() {
                        "<none>".into()
                    } else {
                        ports.join(",")
                    },
                    age(c, o),
                ]);
            }
            _ => row.push(age(c, o)),
        }
        if with_ns {
            row.insert(0, o.meta().namespace.clone());
        }
        rows.push(row);
    }
    tabulate(&rows)
}

fn workload_wide(
    containers: &[super::api::core::Container],
    selector: &super::api::LabelSelector,
) -> [String; 3] {
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers.iter().map(|c| c.image.as_str()).collect();
    let sel: Vec<String> = selector
        .match_labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    [names.join(","), images.join(","), sel.join(",")]
}

fn events_table(c: &Cluster, namespace: Option<&str>) -> String {
    let events: Vec<_> = c
        .events
        .iter()
        .filter(|e| {
            namespace.is_none_or(|ns| {
                e.object.namespace == ns || e.object.namespace.is_empty() && ns == "default"
            })
        })
        .collect();
    if events.is_empty() {
        return match namespace {
            Some(ns) => format!("No resources found in {ns} namespace."),
            None => "No resources found".into(),
        };
    }
    let mut rows = vec![vec![
        "LAST SEEN".to_string(),
        "TYPE".into(),
        "REASON".into(),
        "OBJECT".into(),
        "MESSAGE".into(),
    ]];
    for e in events {
        rows.push(vec![
            human_duration(c.clock.now.saturating_sub(e.last_seen)),
            match e.r#type {
                EventType::Normal => "Normal".into(),
                EventType::Warning => "Warning".into(),
            },
            e.reason.clone(),
            format!("{}/{}", e.object.kind.to_lowercase(), e.object.name),
            e.message.clone(),
        ]);
    }
    tabulate(&rows).trim_end().to_string()
}

/// Splits `-n NS`, `--namespace NS` and `--namespace=NS` off the arguments; the namespace
/// defaults to `default`.
fn take_namespace<'a>(args: &[&'a str]) -> Result<(String, Vec<&'a str>), String> {
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
fn missing_value(flag: &str) -> String {
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
    let mut target = None;
    for a in rest {
        match a.strip_prefix("--replicas=") {
            Some(n) => replicas = n.parse::<i32>().ok().filter(|r| *r >= 0),
            None => target = Some(a),
        }
    }
    let Some(replicas) = replicas else {
        return "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0".into();
    };
    let Some((kind_word, name)) = target.and_then(|t| t.split_once('/')) else {
        return "error: you must specify the resource to scale as KIND/NAME, e.g. kubectl scale deployment/web --replicas=3".into();
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
        return format!(
            "Error from server (NotFound): {} \"{name}\" not found",
            kind_info(kind).map_or("", |i| i.plural)
        );
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
    let (namespace, positional) = match take_namespace(args) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let (kind_word, names): (&str, Vec<&str>) = match positional.split_first() {
        Some((first, rest)) => match first.split_once('/') {
            Some((k, n)) => (k, vec![n]),
            None => (*first, rest.to_vec()),
        },
        None => {
            return "error: You must provide one or more resources by argument or filename.".into()
        }
    };
    let Some(kind) = resolve_kind(kind_word).filter(|k| *k != "Event") else {
        return format!("error: the server doesn't have a resource type \"{kind_word}\"");
    };
    if names.is_empty() {
        return "error: resource(s) were provided, but no name was specified".into();
    }
    let info = kind_info(kind);
    let ns = if info.is_some_and(|i| i.scope == Scope::Namespaced) {
        namespace
    } else {
        String::new()
    };
    let mut out = Vec::new();
    for name in names {
        let key = Key::new(kind, &ns, name);
        if c.store.remove(&key).is_some() {
            out.push(format!("{} \"{name}\" deleted", resource_name(kind)));
        } else {
            out.push(format!(
                "Error from server (NotFound): {} \"{name}\" not found",
                info.map_or("", |i| i.plural)
            ));
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
