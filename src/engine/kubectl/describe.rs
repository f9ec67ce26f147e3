//! `kubectl describe KIND NAME` (kubectl: pkg/describe/describe.go): the object in
//! prose, key/value lines aligned as kubectl's tabwriter aligns them, and its Events
//! table (oldest first; repeats as `<last> (x<count> over <first>)`).

use std::collections::BTreeMap;

use super::get::{access_modes, pad_columns};
use super::{kind_and_names, not_found, object_kind, take_namespace};
use crate::engine::api::core::{Container, Pod, PodTemplateSpec};
use crate::engine::api::LabelSelector;
use crate::engine::clock::{human_duration, Clock};
use crate::engine::cluster::{Cluster, EventType};
use crate::engine::controllers::is_controlled_by;
use crate::engine::manifest::Object;
use crate::engine::store::Key;

/// Lines of `key: value`; a value may span lines (continuations are indented to the value
/// column), and a `None` value starts a nested block written verbatim.
struct Doc {
    lines: Vec<(String, Option<String>)>,
}

impl Doc {
    fn new() -> Doc {
        Doc { lines: Vec::new() }
    }

    fn kv(&mut self, key: &str, value: impl Into<String>) -> &mut Doc {
        self.lines.push((format!("{key}:"), Some(value.into())));
        self
    }

    /// A heading (`key:`) followed by raw, already indented lines.
    fn block(&mut self, key: &str, body: &str) -> &mut Doc {
        self.raw_block(&format!("{key}:"), body)
    }

    /// A heading written as given, followed by raw, already indented lines.
    fn raw_block(&mut self, heading: &str, body: &str) -> &mut Doc {
        self.lines.push((heading.to_string(), None));
        for l in body.lines() {
            self.lines.push((l.to_string(), None));
        }
        self
    }

    fn render(&self) -> String {
        let width = self
            .lines
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(k, _)| k.len())
            .max()
            .unwrap_or(0)
            + 2;
        let mut out = String::new();
        for (k, v) in &self.lines {
            match v {
                None => out.push_str(&format!("{k}\n")),
                Some(v) => {
                    let mut first = true;
                    for line in v.split('\n') {
                        if first {
                            out.push_str(format!("{k:<width$}{line}").trim_end());
                            first = false;
                        } else {
                            out.push_str(&format!("{:width$}{line}", ""));
                        }
                        out.push('\n');
                    }
                }
            }
        }
        out
    }
}

fn map_lines(map: &BTreeMap<String, String>) -> String {
    if map.is_empty() {
        return "<none>".into();
    }
    map.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn selector_text(s: &LabelSelector) -> String {
    let mut parts: Vec<String> = s
        .match_labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for e in &s.match_expressions {
        parts.push(format!(
            "{} {} ({})",
            e.key,
            e.operator.to_lowercase(),
            e.values.join(",")
        ));
    }
    parts.join(",")
}

fn or_none(v: &str) -> String {
    if v.is_empty() {
        "<none>".into()
    } else {
        v.into()
    }
}

/// The Events section for an object.
fn events(c: &Cluster, key: &Key) -> String {
    let rows: Vec<Vec<String>> = c
        .events
        .iter()
        .filter(|e| e.object == *key)
        .map(|e| {
            let last = human_duration(c.clock.now.saturating_sub(e.last_seen));
            let age = if e.count > 1 {
                format!(
                    "{last} (x{} over {})",
                    e.count,
                    human_duration(c.clock.now.saturating_sub(e.first_seen))
                )
            } else {
                last
            };
            vec![
                match e.r#type {
                    EventType::Normal => "Normal".into(),
                    EventType::Warning => "Warning".into(),
                },
                e.reason.clone(),
                age,
                e.source.clone(),
                e.message.clone(),
            ]
        })
        .collect();
    if rows.is_empty() {
        return "Events:  <none>\n".into();
    }
    let mut table = vec![
        ["Type", "Reason", "Age", "From", "Message"]
            .map(String::from)
            .to_vec(),
        ["----", "------", "----", "----", "-------"]
            .map(String::from)
            .to_vec(),
    ];
    table.extend(rows);
    let body = pad_columns(&table, 2);
    format!("Events:\n{}", indent(&body, 2))
}

fn indent(text: &str, n: usize) -> String {
    text.lines().map(|l| format!("{:n$}{l}\n", "")).collect()
}

pub fn describe(c: &Cluster, args: &[&str]) -> String {
    let (namespace, rest) = match take_namespace(args) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let Some((kind_word, names)) = kind_and_names(&rest) else {
        return "error: You must specify the type of resource to describe. Run 'help' for the kinds kubeplay simulates.".into();
    };
    let (kind, ns) = match object_kind(kind_word, namespace) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let objects: Vec<Object> = if names.is_empty() {
        c.store.list(kind, Some(&ns)).cloned().collect()
    } else {
        let mut found = Vec::new();
        for name in &names {
            match c.store.get(&Key::new(kind, &ns, name)) {
                Some(o) => found.push(o.clone()),
                None => return not_found(kind, name),
            }
        }
        found
    };
    if objects.is_empty() {
        return format!("No resources found in {ns} namespace.");
    }
    objects
        .iter()
        .map(|o| describe_one(c, o))
        .collect::<Vec<_>>()
        .join("\n\n")
        .trim_end()
        .to_string()
}

fn describe_one(c: &Cluster, o: &Object) -> String {
    let m = o.meta();
    let key = Key::of(o);
    let created = m.creation_timestamp.clone().unwrap_or_default();
    let mut d = Doc::new();
    d.kv("Name", &m.name);
    if !m.namespace.is_empty() {
        d.kv("Namespace", &m.namespace);
    }
    match o {
        Object::Pod(p) => describe_pod(p, &mut d),
        Object::Node(n) => {
            let roles: Vec<&str> = n
                .metadata
                .labels
                .keys()
                .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
                .collect();
            d.kv("Roles", or_none(&roles.join(",")));
            d.kv("Labels", map_lines(&m.labels));
            d.kv("Annotations", map_lines(&m.annotations));
            d.kv("CreationTimestamp", &created);
            let taints: Vec<String> = n
                .spec
                .taints
                .iter()
                .map(|t| {
                    if t.value.is_empty() {
                        format!("{}:{}", t.key, t.effect)
                    } else {
                        format!("{}={}:{}", t.key, t.value, t.effect)
                    }
                })
                .collect();
            d.kv("Taints", or_none(&taints.join("\n")));
            d.kv("Unschedulable", n.spec.unschedulable.to_string());
            let status = n.status.clone().unwrap_or_default();
            let mut conditions = vec![["Type", "Status", "Reason", "Message"]
                .map(String::from)
                .to_vec()];
            conditions.push(
                ["----", "------", "------", "-------"]
                    .map(String::from)
                    .to_vec(),
            );
            for cd in &status.conditions {
                conditions.push(vec![
                    cd.r#type.clone(),
                    cd.status.clone(),
                    cd.reason.clone(),
                    cd.message.clone(),
                ]);
            }
            d.block("Conditions", &indent(&pad_columns(&conditions, 2), 2));
            let addresses: Vec<Vec<String>> = status
                .addresses
                .iter()
                .map(|a| vec![format!("{}:", a.r#type), a.address.clone()])
                .collect();
            d.block("Addresses", &indent(&pad_columns(&addresses, 2), 2));
            for (title, map) in [
                ("Capacity", &status.capacity),
                ("Allocatable", &status.allocatable),
            ] {
                let rows: Vec<Vec<String>> = map
                    .iter()
                    .map(|(k, v)| vec![format!("{k}:"), v.0.clone()])
                    .collect();
                d.block(title, &indent(&pad_columns(&rows, 2), 2));
            }
            d.kv("PodCIDR", &n.spec.pod_cidr);
            d.kv("PodCIDRs", n.spec.pod_cidrs.join(","));
            let pods: Vec<&Pod> = c
                .store
                .list("Pod", None)
                .filter_map(|o| match o {
                    Object::Pod(p) if p.spec.node_name == n.metadata.name => Some(&**p),
                    _ => None,
                })
                .collect();
            let mut rows = vec![["Namespace", "Name", "Age"].map(String::from).to_vec()];
            rows.push(["---------", "----", "---"].map(String::from).to_vec());
            for p in &pods {
                let age = human_duration(
                    c.clock.now.saturating_sub(
                        p.metadata
                            .creation_timestamp
                            .as_deref()
                            .map_or(0, Clock::seconds_of),
                    ),
                );
                rows.push(vec![
                    p.metadata.namespace.clone(),
                    p.metadata.name.clone(),
                    age,
                ]);
            }
            d.raw_block(
                &format!("Non-terminated Pods:          ({} in total)", pods.len()),
                &indent(&pad_columns(&rows, 2), 2),
            );
        }
        Object::Deployment(dep) => {
            d.kv("CreationTimestamp", &created);
            d.kv("Labels", map_lines(&m.labels));
            d.kv("Annotations", map_lines(&m.annotations));
            d.kv("Selector", selector_text(&dep.spec.selector));
            let s = dep.status.clone().unwrap_or_default();
            d.kv(
                "Replicas",
                format!(
                    "{} desired | {} updated | {} total | {} available | {} unavailable",
                    dep.spec.replicas.unwrap_or(1),
                    s.updated_replicas,
                    s.replicas,
                    s.available_replicas,
                    s.unavailable_replicas
                ),
            );
            d.kv("StrategyType", "RollingUpdate");
            d.kv("MinReadySeconds", dep.spec.min_ready_seconds.to_string());
            pod_template(&dep.spec.template, &mut d);
            let new_rs = c
                .store
                .list("ReplicaSet", Some(&m.namespace))
                .find(|r| {
                    is_controlled_by(&r.meta().owner_references, &m.uid)
                        && matches!(r, Object::ReplicaSet(rs) if rs.spec.replicas != Some(0))
                })
                .map(|r| {
                    format!(
                        "{} ({} replicas created)",
                        r.meta().name,
                        dep.spec.replicas.unwrap_or(1)
                    )
                });
            d.kv("NewReplicaSet", new_rs.unwrap_or_else(|| "<none>".into()));
        }
        Object::ReplicaSet(_) | Object::StatefulSet(_) | Object::DaemonSet(_) => {
            let (selector, template, desired) = match o {
                Object::ReplicaSet(r) => (
                    &r.spec.selector,
                    &r.spec.template,
                    r.spec.replicas.unwrap_or(1).to_string(),
                ),
                Object::StatefulSet(s) => (
                    &s.spec.selector,
                    &s.spec.template,
                    s.spec.replicas.unwrap_or(1).to_string(),
                ),
                Object::DaemonSet(ds) => (
                    &ds.spec.selector,
                    &ds.spec.template,
                    ds.status
                        .as_ref()
                        .map_or(0, |s| s.desired_number_scheduled)
                        .to_string(),
                ),
                _ => unreachable!("matched above"),
            };
            d.kv("Selector", selector_text(selector));
            d.kv("Labels", map_lines(&m.labels));
            d.kv("Annotations", map_lines(&m.annotations));
            let owner = m
                .owner_references
                .iter()
                .find(|r| r.controller == Some(true));
            if let Some(owner) = owner {
                d.kv("Controlled By", format!("{}/{}", owner.kind, owner.name));
            }
            let pods: Vec<&Pod> = c
                .store
                .list("Pod", Some(&m.namespace))
                .filter_map(|o| match o {
                    Object::Pod(p) if is_controlled_by(&p.metadata.owner_references, &m.uid) => {
                        Some(&**p)
                    }
                    _ => None,
                })
                .collect();
            let running = pods
                .iter()
                .filter(|p| p.status.as_ref().is_some_and(|s| s.phase == "Running"))
                .count();
            d.kv(
                "Replicas",
                format!("{} current / {desired} desired", pods.len()),
            );
            d.kv(
                "Pods Status",
                format!(
                    "{running} Running / {} Waiting / 0 Succeeded / 0 Failed",
                    pods.len() - running
                ),
            );
            pod_template(template, &mut d);
        }
        Object::Service(s) => {
            d.kv("Labels", map_lines(&m.labels));
            d.kv("Annotations", map_lines(&m.annotations));
            d.kv(
                "Selector",
                s.spec
                    .selector
                    .as_ref()
                    .map_or("<none>".into(), map_lines)
                    .replace('\n', ","),
            );
            d.kv(
                "Type",
                s.spec.r#type.clone().unwrap_or_else(|| "ClusterIP".into()),
            );
            d.kv(
                "IP Family Policy",
                s.spec
                    .ip_family_policy
                    .clone()
                    .unwrap_or_else(|| "SingleStack".into()),
            );
            d.kv("IP Families", "IPv4");
            d.kv(
                "IP",
                s.spec
                    .cluster_ip
                    .clone()
                    .unwrap_or_else(|| "<pending>".into()),
            );
            d.kv("IPs", s.spec.cluster_ips.join(","));
            if !s.spec.external_name.is_empty() {
                d.kv("External Name", &s.spec.external_name);
            }
            let ingress: Vec<String> = s
                .status
                .iter()
                .flat_map(|st| &st.load_balancer.ingress)
                .map(|i| match &i.ip_mode {
                    Some(mode) => format!("{} ({mode})", i.ip),
                    None => i.ip.clone(),
                })
                .collect();
            if !ingress.is_empty() {
                d.kv("LoadBalancer Ingress", ingress.join(", "));
            }
            // The ready endpoints of each port, from the Endpoints object as kubectl reads it.
            let endpoints = match c.store.get(&Key::new("Endpoints", &m.namespace, &m.name)) {
                Some(Object::Endpoints(e)) => Some((**e).clone()),
                _ => None,
            };
            for p in &s.spec.ports {
                let name = if p.name.is_empty() {
                    "<unset>"
                } else {
                    &p.name
                };
                let proto = crate::engine::api::protocol_or_tcp(&p.protocol);
                d.kv("Port", format!("{name}  {}/{proto}", p.port));
                let target = p
                    .target_port
                    .as_ref()
                    .map_or(p.port.to_string(), ToString::to_string);
                d.kv("TargetPort", format!("{target}/{proto}"));
                if p.node_port != 0 {
                    d.kv("NodePort", format!("{name}  {}/{proto}", p.node_port));
                }
                let ready: Vec<String> = endpoints
                    .iter()
                    .flat_map(|e| &e.subsets)
                    .flat_map(|ss| {
                        let port = ss
                            .ports
                            .iter()
                            .find(|ep| ep.name == p.name)
                            .map(|ep| ep.port);
                        ss.addresses
                            .iter()
                            .filter_map(move |a| port.map(|n| format!("{}:{n}", a.ip)))
                    })
                    .collect();
                if s.spec.r#type.as_deref() != Some("ExternalName") {
                    d.kv("Endpoints", ready.join(","));
                }
            }
            d.kv(
                "Session Affinity",
                s.spec
                    .session_affinity
                    .clone()
                    .unwrap_or_else(|| "None".into()),
            );
            if let Some(etp) = &s.spec.external_traffic_policy {
                d.kv("External Traffic Policy", etp);
            }
            if let Some(itp) = &s.spec.internal_traffic_policy {
                d.kv("Internal Traffic Policy", itp);
            }
            if s.spec.health_check_node_port != 0 {
                d.kv(
                    "HealthCheck NodePort",
                    s.spec.health_check_node_port.to_string(),
                );
            }
        }
        Object::PersistentVolumeClaim(pvc) => {
            let s = pvc.status.clone().unwrap_or_default();
            d.kv(
                "StorageClass",
                pvc.spec.storage_class_name.clone().unwrap_or_default(),
            );
            d.kv(
                "Status",
                if let Some(t) = &m.deletion_timestamp {
                    format!(
                        "Terminating (lasts {})",
                        crate::engine::clock::human_duration(
                            c.clock
                                .now
                                .saturating_sub(crate::engine::clock::Clock::seconds_of(t))
                        )
                    )
                } else if s.phase.is_empty() {
                    "Pending".to_string()
                } else {
                    s.phase.clone()
                },
            );
            d.kv("Volume", &pvc.spec.volume_name);
            d.kv("Labels", map_lines(&m.labels));
            d.kv("Annotations", map_lines(&m.annotations));
            d.kv("Finalizers", format!("[{}]", m.finalizers.join(" ")));
            d.kv(
                "Capacity",
                s.capacity
                    .get("storage")
                    .map_or(String::new(), |q| q.0.clone()),
            );
            d.kv("Access Modes", access_modes(&s.access_modes));
            d.kv(
                "VolumeMode",
                pvc.spec
                    .volume_mode
                    .clone()
                    .unwrap_or_else(|| "Filesystem".into()),
            );
            let users = crate::engine::storage::pods_using_claim(c, &m.namespace, &m.name);
            d.kv(
                "Used By",
                if users.is_empty() {
                    "<none>".to_string()
                } else {
                    users.join("\n")
                },
            );
        }
        Object::PersistentVolume(pv) => {
            let s = pv.status.clone().unwrap_or_default();
            d.kv("Labels", map_lines(&m.labels));
            d.kv("Annotations", map_lines(&m.annotations));
            d.kv("Finalizers", format!("[{}]", m.finalizers.join(" ")));
            d.kv("StorageClass", &pv.spec.storage_class_name);
            d.kv(
                "Status",
                if m.deletion_timestamp.is_some() {
                    "Terminating".to_string()
                } else {
                    s.phase.clone()
                },
            );
            d.kv(
                "Claim",
                pv.spec
                    .claim_ref
                    .as_ref()
                    .map_or(String::new(), |r| format!("{}/{}", r.namespace, r.name)),
            );
            d.kv(
                "Reclaim Policy",
                if pv.spec.persistent_volume_reclaim_policy.is_empty() {
                    "Retain"
                } else {
                    pv.spec.persistent_volume_reclaim_policy.as_str()
                },
            );
            d.kv("Access Modes", access_modes(&pv.spec.access_modes));
            d.kv(
                "VolumeMode",
                pv.spec
                    .volume_mode
                    .clone()
                    .unwrap_or_else(|| "Filesystem".into()),
            );
            d.kv(
                "Capacity",
                pv.spec
                    .capacity
                    .get("storage")
                    .map_or(String::new(), |q| q.0.clone()),
            );
            match pv
                .spec
                .node_affinity
                .as_ref()
                .and_then(|a| a.required.as_ref())
            {
                Some(sel) => {
                    let mut body = String::from("  Required Terms:\n");
                    for (i, t) in sel.node_selector_terms.iter().enumerate() {
                        let exprs: Vec<String> = t
                            .match_expressions
                            .iter()
                            .map(|e| {
                                format!(
                                    "{} {} [{}]",
                                    e.key,
                                    e.operator.to_lowercase(),
                                    e.values.join(", ")
                                )
                            })
                            .collect();
                        body.push_str(&format!(
                            "    Term {i}:        {}\n",
                            exprs.join("\n                   ")
                        ));
                    }
                    d.block("Node Affinity", &body);
                }
                None => {
                    d.kv("Node Affinity", "<none>");
                }
            }
            d.kv("Message", &s.message);
            let source = crate::engine::storage::pv_sources(&pv.spec);
            let mut src = String::new();
            if let Some(hp) = &pv.spec.host_path {
                src = format!("    Type:          HostPath (bare host directory volume)\n    Path:          {}\n    HostPathType:  {}\n", hp.path, hp.r#type.clone().unwrap_or_default());
            } else if let Some(nfs) = &pv.spec.nfs {
                src = format!("    Type:      NFS (an NFS mount that lasts the lifetime of a pod)\n    Server:    {}\n    Path:      {}\n    ReadOnly:  {}\n", nfs.server, nfs.path, nfs.read_only);
            } else if let Some(l) = &pv.spec.local {
                src = format!("    Type:  LocalVolume (a persistent volume backed by local storage on a node)\n    Path:  {}\n", l.path);
            } else if let Some(first) = source.first() {
                src = format!("    Type:  {first}\n");
            }
            d.block("Source", &src);
        }
        Object::Ingress(ing) => {
            d.kv("Labels", map_lines(&m.labels));
            let address = crate::engine::ingress::addresses(ing);
            d.kv("Address", address.join(","));
            d.kv(
                "Ingress Class",
                ing.spec
                    .ingress_class_name
                    .clone()
                    .unwrap_or_else(|| "<none>".into()),
            );
            d.kv(
                "Default backend",
                ing.spec.default_backend.as_ref().map_or(
                    "<default>".to_string(),
                    crate::engine::ingress::backend_text,
                ),
            );
            if !ing.spec.tls.is_empty() {
                let tls: String = ing
                    .spec
                    .tls
                    .iter()
                    .map(|t| {
                        format!(
                            "  {} terminates {}\n",
                            if t.secret_name.is_empty() {
                                "SNI"
                            } else {
                                t.secret_name.as_str()
                            },
                            t.hosts.join(",")
                        )
                    })
                    .collect();
                d.block("TLS", &tls);
            }
            let mut rules =
                String::from("  Host        Path  Backends\n  ----        ----  --------\n");
            if ing.spec.rules.is_empty() {
                rules.push_str(&format!(
                    "  *           *     {}\n",
                    ing.spec.default_backend.as_ref().map_or(
                        "default-http-backend:80".to_string(),
                        crate::engine::ingress::backend_text
                    )
                ));
            }
            for r in &ing.spec.rules {
                let host = if r.host.is_empty() {
                    "*"
                } else {
                    r.host.as_str()
                };
                rules.push_str(&format!("  {host}\n"));
                for p in r.http.iter().flat_map(|h| &h.paths) {
                    rules.push_str(&format!(
                        "              {}   {}\n",
                        if p.path.is_empty() {
                            "/"
                        } else {
                            p.path.as_str()
                        },
                        crate::engine::ingress::backend_text(&p.backend)
                    ));
                }
            }
            d.block("Rules", &rules);
            d.kv("Annotations", map_lines(&m.annotations));
        }
        Object::StorageClass(sc) => {
            let default = m
                .annotations
                .get(crate::engine::storage::DEFAULT_CLASS_ANNOTATION)
                .is_some_and(|v| v == "true");
            d.kv("IsDefaultClass", if default { "Yes" } else { "No" });
            d.kv("Annotations", map_lines(&m.annotations).replace('\n', ","));
            d.kv("Provisioner", &sc.provisioner);
            d.kv(
                "Parameters",
                if sc.parameters.is_empty() {
                    "<none>".to_string()
                } else {
                    sc.parameters
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(",")
                },
            );
            d.kv(
                "AllowVolumeExpansion",
                match sc.allow_volume_expansion {
                    Some(true) => "True",
                    Some(false) => "False",
                    None => "<unset>",
                },
            );
            d.kv(
                "MountOptions",
                if sc.mount_options.is_empty() {
                    "<none>".to_string()
                } else {
                    sc.mount_options.join(", ")
                },
            );
            d.kv(
                "ReclaimPolicy",
                sc.reclaim_policy.clone().unwrap_or_else(|| "Delete".into()),
            );
            d.kv(
                "VolumeBindingMode",
                sc.volume_binding_mode
                    .clone()
                    .unwrap_or_else(|| "Immediate".into()),
            );
        }
        _ => {
            d.kv("Labels", map_lines(&m.labels));
            d.kv("Annotations", map_lines(&m.annotations));
            d.kv("CreationTimestamp", &created);
        }
    }
    format!("{}{}", d.render(), events(c, &key))
}

/// A container's ports as `describe` lists them: `80/TCP, 53/UDP` or `<none>`.
fn container_ports(ct: &Container) -> String {
    let ports: Vec<String> = ct
        .ports
        .iter()
        .map(|p| {
            let protocol = crate::engine::api::protocol_or_tcp(&p.protocol);
            format!("{}/{protocol}", p.container_port)
        })
        .collect();
    or_none(&ports.join(", "))
}

fn pod_template(t: &PodTemplateSpec, d: &mut Doc) {
    let mut body = format!(
        "  Labels:  {}\n",
        map_lines(&t.metadata.labels).replace('\n', "\n           ")
    );
    body.push_str("  Containers:\n");
    for ct in &t.spec.containers {
        body.push_str(&format!("   {}:\n    Image:      {}\n", ct.name, ct.image));
        body.push_str(&format!("    Port:       {}\n", container_ports(ct)));
    }
    body.push_str(&format!(
        "  Volumes:  {}\n",
        or_none(
            &t.spec
                .volumes
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    ));
    d.block("Pod Template", &body);
}

fn describe_pod(p: &Pod, d: &mut Doc) {
    let m = &p.metadata;
    let s = p.status.clone().unwrap_or_default();
    d.kv("Priority", p.spec.priority.unwrap_or(0).to_string());
    d.kv(
        "Service Account",
        if p.spec.service_account_name.is_empty() {
            "default"
        } else {
            &p.spec.service_account_name
        },
    );
    d.kv(
        "Node",
        if p.spec.node_name.is_empty() {
            "<none>".to_string()
        } else {
            format!("{}/{}", p.spec.node_name, s.host_ip)
        },
    );
    if let Some(t) = &s.start_time {
        d.kv("Start Time", t);
    }
    d.kv("Labels", map_lines(&m.labels));
    d.kv("Annotations", map_lines(&m.annotations));
    let status = if m.deletion_timestamp.is_some() {
        "Terminating".to_string()
    } else if s.phase.is_empty() {
        "Pending".into()
    } else {
        s.phase.clone()
    };
    d.kv("Status", status);
    d.kv("IP", &s.pod_ip);
    if s.pod_ips.is_empty() {
        d.kv("IPs", "<none>");
    } else {
        let ips: String = s
            .pod_ips
            .iter()
            .map(|ip| format!("  IP:  {}\n", ip.ip))
            .collect();
        d.block("IPs", &ips);
    }
    if let Some(owner) = m
        .owner_references
        .iter()
        .find(|r| r.controller == Some(true))
    {
        d.kv("Controlled By", format!("{}/{}", owner.kind, owner.name));
    }
    let mut containers = String::new();
    for ct in &p.spec.containers {
        let cs = s.container_statuses.iter().find(|x| x.name == ct.name);
        containers.push_str(&format!("  {}:\n", ct.name));
        containers.push_str(&format!("    Image:          {}\n", ct.image));
        containers.push_str(&format!("    Port:           {}\n", container_ports(ct)));
        match cs {
            Some(cs) if cs.state.get("waiting").is_some() => {
                let reason = cs.state.pointer("/waiting/reason").and_then(|v| v.as_str()).unwrap_or("");
                containers.push_str(&format!("    State:          Waiting\n      Reason:       {reason}\n    Ready:          False\n    Restart Count:  {}\n", cs.restart_count));
            }
            Some(cs) => {
                containers.push_str("    State:          Running\n");
                if let Some(started) = cs.state.pointer("/running/startedAt").and_then(|v| v.as_str()) {
                    containers.push_str(&format!("      Started:      {started}\n"));
                }
                containers.push_str(&format!("    Ready:          {}\n", if cs.ready { "True" } else { "False" }));
                containers.push_str(&format!("    Restart Count:  {}\n", cs.restart_count));
            }
            None => containers.push_str("    State:          Waiting\n      Reason:       Pending\n    Ready:          False\n    Restart Count:  0\n"),
        }
        let mounts: Vec<String> = ct
            .volume_mounts
            .iter()
            .map(|v| {
                format!(
                    "{} from {} ({})",
                    v.mount_path,
                    v.name,
                    if v.read_only { "ro" } else { "rw" }
                )
            })
            .collect();
        containers.push_str(&format!(
            "    Mounts:         {}\n",
            or_none(&mounts.join("\n                    "))
        ));
    }
    d.block("Containers", &containers);
    let mut rows = vec![["Type", "Status"].map(String::from).to_vec()];
    for cd in &s.conditions {
        rows.push(vec![cd.r#type.clone(), cd.status.clone()]);
    }
    d.block("Conditions", &indent(&pad_columns(&rows, 2), 2));
    let volumes: String = p
        .spec
        .volumes
        .iter()
        .map(|v| {
            let kind = if let Some(e) = &v.empty_dir {
                format!(
                    "    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:     {}\n    SizeLimit:  {}\n",
                    e.medium,
                    e.size_limit.as_ref().map_or("<unset>", |q| q.0.as_str())
                )
            } else if let Some(h) = &v.host_path {
                format!("    Type:          HostPath (bare host directory volume)\n    Path:          {}\n    HostPathType:  {}\n", h.path, h.r#type.clone().unwrap_or_default())
            } else if let Some(c) = &v.persistent_volume_claim {
                format!("    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:  {}\n    ReadOnly:   {}\n", c.claim_name, c.read_only)
            } else if let Some(nfs) = &v.nfs {
                format!("    Type:      NFS (an NFS mount that lasts the lifetime of a pod)\n    Server:    {}\n    Path:      {}\n    ReadOnly:  {}\n", nfs.server, nfs.path, nfs.read_only)
            } else if let Some((plugin, id)) = crate::engine::storage::inline_provider(v) {
                format!("    Type:       {plugin} (storage outside the nodes)\n    Volume:     {id}\n")
            } else {
                "    Type:       (a volume kubeplay does not simulate)\n".to_string()
            };
            format!("  {}:\n{kind}", v.name)
        })
        .collect();
    d.block(
        "Volumes",
        if volumes.is_empty() {
            "  <none>"
        } else {
            &volumes
        },
    );
    d.kv(
        "QoS Class",
        if s.qos_class.is_empty() {
            "BestEffort"
        } else {
            &s.qos_class
        },
    );
    d.kv("Node-Selectors", map_lines(&p.spec.node_selector));
    let tolerations: Vec<String> = p
        .spec
        .tolerations
        .iter()
        .map(|t| {
            let mut s = t.key.clone();
            if !t.value.is_empty() {
                s.push_str(&format!("={}", t.value));
            }
            if !t.effect.is_empty() {
                s.push_str(&format!(":{}", t.effect));
            }
            if t.operator == "Exists" && t.value.is_empty() {
                s.push_str(" op=Exists");
            }
            s
        })
        .collect();
    d.kv("Tolerations", or_none(&tolerations.join("\n")));
}
