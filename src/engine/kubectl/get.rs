//! `kubectl get`: kubectl's tables (columns per kind, `-o wide`), `-o json` as a real API
//! List, `-o name`, label selectors (`-l`) and several kinds at once (`get deploy,rs`).

use super::selector::Selector;
use super::{missing_value, resolve_kind, resource_name, take_namespace, take_selector};
use crate::engine::clock::{human_duration, Clock};
use crate::engine::cluster::{Cluster, EventType};
use crate::engine::manifest::{kind_info, Object, Scope};

struct GetArgs<'a> {
    kinds: Vec<&'static str>,
    names: Vec<&'a str>,
    namespace: Option<String>,
    output: &'a str,
    selector: Option<Selector>,
}

fn parse_get<'a>(args: &[&'a str]) -> Result<GetArgs<'a>, String> {
    let (default_ns, rest) = take_namespace(args)?;
    let (selector, rest) = take_selector(&rest)?;
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
    let (kind_words, mut names) = match first.split_once('/') {
        Some((k, n)) => (k, vec![n]),
        None => (*first, Vec::new()),
    };
    names.extend(rest.iter());
    let kinds = kind_words
        .split(',')
        .map(|w| {
            resolve_kind(w)
                .ok_or_else(|| format!("error: the server doesn't have a resource type \"{w}\""))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if kinds.len() > 1 && !names.is_empty() {
        return Err("error: you must specify only one resource type when naming resources (use TYPE/NAME for each)".into());
    }
    if !matches!(output, "" | "wide" | "json" | "yaml" | "name") {
        return Err(format!("error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: json,name,wide,yaml"));
    }
    Ok(GetArgs {
        kinds,
        names,
        namespace,
        output,
        selector,
    })
}

pub fn get(c: &Cluster, args: &[&str]) -> String {
    let g = match parse_get(args) {
        Ok(g) => g,
        Err(e) => return e,
    };
    if g.kinds == ["Event"] {
        return events_table(c, g.namespace.as_deref());
    }
    let multi = g.kinds.len() > 1;
    let mut errors = String::new();
    let mut sections = Vec::new();
    let mut all: Vec<&Object> = Vec::new();
    for kind in &g.kinds {
        let info = kind_info(kind);
        let cluster_scoped = info.is_some_and(|i| i.scope != Scope::Namespaced);
        let ns = if cluster_scoped {
            None
        } else {
            g.namespace.as_deref()
        };
        let mut objects: Vec<&Object> = c
            .store
            .list(kind, ns)
            .filter(|o| {
                g.selector
                    .as_ref()
                    .is_none_or(|s| s.matches(&o.meta().labels))
            })
            .collect();
        if !g.names.is_empty() {
            let mut picked = Vec::new();
            for name in &g.names {
                match objects.iter().find(|o| o.meta().name == *name) {
                    Some(o) => picked.push(*o),
                    None => errors.push_str(&format!("{}\n", super::not_found(kind, name))),
                }
            }
            objects = picked;
        }
        if objects.is_empty() {
            continue;
        }
        let with_ns = g.namespace.is_none() && !cluster_scoped;
        match g.output {
            "json" | "yaml" => all.extend(&objects),
            "name" => sections.push(
                objects
                    .iter()
                    .map(|o| format!("{}/{}\n", resource_name(o.kind()), o.meta().name))
                    .collect(),
            ),
            _ => sections.push(table(c, kind, &objects, g.output == "wide", with_ns, multi)),
        }
    }
    if matches!(g.output, "json" | "yaml") && !all.is_empty() {
        let value = api_output(&all, g.names.len() == 1 && !multi);
        sections.push(if g.output == "json" {
            serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
        } else {
            super::yaml_out::to_yaml(&value)
        });
    }
    let body = if sections.is_empty() && g.names.is_empty() {
        match g.namespace.as_deref() {
            Some(ns)
                if g.kinds
                    .iter()
                    .any(|k| kind_info(k).is_some_and(|i| i.scope == Scope::Namespaced)) =>
            {
                format!("No resources found in {ns} namespace.\n")
            }
            _ => "No resources found\n".to_string(),
        }
    } else {
        sections.join(if g.output == "name" { "" } else { "\n" })
    };
    // kubectl prints the API server's deprecation warning first.
    let warning = if g.kinds.contains(&"Endpoints") {
        "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
    } else {
        ""
    };
    format!("{warning}{body}{errors}")
        .trim_end_matches('\n')
        .to_string()
}

/// What `-o json|yaml` print: the object itself, or a `v1 List` of them.
fn api_output(objects: &[&Object], single: bool) -> serde_json::Value {
    if single {
        objects[0].to_json()
    } else {
        serde_json::json!({
            "apiVersion": "v1",
            "items": objects.iter().map(|o| o.to_json()).collect::<Vec<_>>(),
            "kind": "List",
            "metadata": {"resourceVersion": ""},
        })
    }
}

/// Pads columns like kubectl's tabwriter: each column as wide as its widest cell + 3.
pub fn tabulate(rows: &[Vec<String>]) -> String {
    pad_columns(rows, 3)
}

/// Pads every column but the last to its widest cell plus `pad` spaces (kubectl's `get`
/// uses 3, `describe` 2); trailing spaces are trimmed.
pub fn pad_columns(rows: &[Vec<String>], pad: usize) -> String {
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
                line.push_str(&" ".repeat(widths[i] - cell.chars().count() + pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub(crate) fn age(c: &Cluster, o: &Object) -> String {
    let created = o
        .meta()
        .creation_timestamp
        .as_deref()
        .map_or(0, Clock::seconds_of);
    human_duration(c.clock.now.saturating_sub(created))
}

fn table(
    c: &Cluster,
    kind: &str,
    objects: &[&Object],
    wide: bool,
    with_ns: bool,
    qualified_names: bool,
) -> String {
    let mut header: Vec<&str> = match kind {
        "Node" => vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
        "Pod" => vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        "Deployment" => vec!["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        "ReplicaSet" => vec!["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
        "Namespace" => vec!["NAME", "STATUS", "AGE"],
        "StatefulSet" => vec!["NAME", "READY", "AGE"],
        "DaemonSet" => vec![
            "NAME",
            "DESIRED",
            "CURRENT",
            "READY",
            "UP-TO-DATE",
            "AVAILABLE",
            "NODE SELECTOR",
            "AGE",
        ],
        "ConfigMap" => vec!["NAME", "DATA", "AGE"],
        "Ingress" => vec!["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"],
        "IngressClass" => vec!["NAME", "CONTROLLER", "PARAMETERS", "AGE"],
        "PersistentVolume" => vec![
            "NAME",
            "CAPACITY",
            "ACCESS MODES",
            "RECLAIM POLICY",
            "STATUS",
            "CLAIM",
            "STORAGECLASS",
            "VOLUMEATTRIBUTESCLASS",
            "REASON",
            "AGE",
        ],
        "StorageClass" => vec![
            "NAME",
            "PROVISIONER",
            "RECLAIMPOLICY",
            "VOLUMEBINDINGMODE",
            "ALLOWVOLUMEEXPANSION",
            "AGE",
        ],
        "Secret" => vec!["NAME", "TYPE", "DATA", "AGE"],
        "PersistentVolumeClaim" => vec![
            "NAME",
            "STATUS",
            "VOLUME",
            "CAPACITY",
            "ACCESS MODES",
            "STORAGECLASS",
            "VOLUMEATTRIBUTESCLASS",
            "AGE",
        ],
        "Service" => vec![
            "NAME",
            "TYPE",
            "CLUSTER-IP",
            "EXTERNAL-IP",
            "PORT(S)",
            "AGE",
        ],
        "Endpoints" => vec!["NAME", "ENDPOINTS", "AGE"],
        "EndpointSlice" => vec!["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
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
            "StatefulSet" => header.extend(["CONTAINERS", "IMAGES"]),
            "DaemonSet" => header.extend(["CONTAINERS", "IMAGES", "SELECTOR"]),
            "Service" => header.push("SELECTOR"),
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
        let mut row = vec![if qualified_names {
            format!("{}/{}", resource_name(o.kind()), o.meta().name)
        } else {
            o.meta().name.clone()
        }];
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
                let status = pod_status(p);
                row.extend([
                    format!("{ready}/{}", p.spec.containers.len()),
                    status,
                    restarts.to_string(),
                    age(c, o),
                ]);
                if wide {
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
            Object::StatefulSet(sts) => {
                let s = sts.status.clone().unwrap_or_default();
                row.extend([
                    format!("{}/{}", s.ready_replicas, sts.spec.replicas.unwrap_or(1)),
                    age(c, o),
                ]);
                if wide {
                    let [names, images, _] =
                        workload_wide(&sts.spec.template.spec.containers, &sts.spec.selector);
                    row.extend([names, images]);
                }
            }
            Object::DaemonSet(ds) => {
                let s = ds.status.clone().unwrap_or_default();
                let node_selector: Vec<String> = ds
                    .spec
                    .template
                    .spec
                    .node_selector
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                row.extend([
                    s.desired_number_scheduled.to_string(),
                    s.current_number_scheduled.to_string(),
                    s.number_ready.to_string(),
                    s.updated_number_scheduled.to_string(),
                    s.number_available.to_string(),
                    or_none(&node_selector.join(",")),
                    age(c, o),
                ]);
                if wide {
                    row.extend(workload_wide(
                        &ds.spec.template.spec.containers,
                        &ds.spec.selector,
                    ));
                }
            }
            Object::PersistentVolume(pv) => {
                let s = pv.status.clone().unwrap_or_default();
                let status = if pv.metadata.deletion_timestamp.is_some() {
                    "Terminating".to_string()
                } else if s.phase.is_empty() {
                    "Pending".to_string()
                } else {
                    s.phase.clone()
                };
                row.extend([
                    pv.spec
                        .capacity
                        .get("storage")
                        .map_or(String::new(), |q| q.0.clone()),
                    access_modes(&pv.spec.access_modes),
                    if pv.spec.persistent_volume_reclaim_policy.is_empty() {
                        "Retain".into()
                    } else {
                        pv.spec.persistent_volume_reclaim_policy.clone()
                    },
                    status,
                    pv.spec
                        .claim_ref
                        .as_ref()
                        .map_or(String::new(), |r| format!("{}/{}", r.namespace, r.name)),
                    pv.spec.storage_class_name.clone(),
                    pv.spec
                        .volume_attributes_class_name
                        .clone()
                        .unwrap_or_else(|| "<unset>".into()),
                    s.reason.clone(),
                    age(c, o),
                ]);
            }
            Object::StorageClass(sc) => {
                if sc
                    .metadata
                    .annotations
                    .get(crate::engine::storage::DEFAULT_CLASS_ANNOTATION)
                    .is_some_and(|v| v == "true")
                {
                    row[0] = format!("{} (default)", row[0]);
                }
                row.extend([
                    sc.provisioner.clone(),
                    sc.reclaim_policy.clone().unwrap_or_else(|| "Delete".into()),
                    sc.volume_binding_mode
                        .clone()
                        .unwrap_or_else(|| "Immediate".into()),
                    sc.allow_volume_expansion.unwrap_or(false).to_string(),
                    age(c, o),
                ]);
            }
            Object::Ingress(ing) => {
                let mut hosts: Vec<String> = ing
                    .spec
                    .rules
                    .iter()
                    .map(|r| {
                        if r.host.is_empty() {
                            "*".to_string()
                        } else {
                            r.host.clone()
                        }
                    })
                    .collect();
                hosts.dedup();
                let address: Vec<String> = ing
                    .status
                    .as_ref()
                    .map(|s| {
                        s.load_balancer
                            .ingress
                            .iter()
                            .map(|i| {
                                if i.ip.is_empty() {
                                    i.hostname.clone()
                                } else {
                                    i.ip.clone()
                                }
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                row.extend([
                    ing.spec
                        .ingress_class_name
                        .clone()
                        .unwrap_or_else(|| "<none>".into()),
                    if hosts.is_empty() {
                        "*".into()
                    } else {
                        hosts.join(",")
                    },
                    address.join(","),
                    if ing.spec.tls.is_empty() {
                        "80".into()
                    } else {
                        "80, 443".into()
                    },
                    age(c, o),
                ]);
            }
            Object::IngressClass(ic) => row.extend([
                ic.spec.controller.clone(),
                if ic.spec.parameters.is_null() {
                    "<none>".into()
                } else {
                    "<set>".into()
                },
                age(c, o),
            ]),
            Object::ConfigMap(cm) => row.extend([
                (cm.data.len() + cm.binary_data.len()).to_string(),
                age(c, o),
            ]),
            Object::Secret(sec) => row.extend([
                if sec.r#type.is_empty() {
                    "Opaque".to_string()
                } else {
                    sec.r#type.clone()
                },
                (sec.data.len() + sec.string_data.len()).to_string(),
                age(c, o),
            ]),
            Object::PersistentVolumeClaim(pvc) => {
                let s = pvc.status.clone().unwrap_or_default();
                let bound = s.phase == "Bound";
                row.extend([
                    if pvc.metadata.deletion_timestamp.is_some() {
                        "Terminating".to_string()
                    } else if s.phase.is_empty() {
                        "Pending".to_string()
                    } else {
                        s.phase.clone()
                    },
                    pvc.spec.volume_name.clone(),
                    if bound {
                        s.capacity
                            .get("storage")
                            .map_or(String::new(), |q| q.0.clone())
                    } else {
                        String::new()
                    },
                    if bound {
                        access_modes(&s.access_modes)
                    } else {
                        String::new()
                    },
                    pvc.spec.storage_class_name.clone().unwrap_or_default(),
                    pvc.spec
                        .volume_attributes_class_name
                        .clone()
                        .unwrap_or_else(|| "<unset>".into()),
                    age(c, o),
                ]);
            }
            Object::Service(s) => {
                let ports: Vec<String> = s
                    .spec
                    .ports
                    .iter()
                    .map(|p| {
                        let proto = crate::engine::api::protocol_or_tcp(&p.protocol);
                        if p.node_port != 0 {
                            format!("{}:{}/{proto}", p.port, p.node_port)
                        } else {
                            format!("{}/{proto}", p.port)
                        }
                    })
                    .collect();
                let ty = s.spec.r#type.clone().unwrap_or_else(|| "ClusterIP".into());
                let cluster_ip = match (ty.as_str(), s.spec.cluster_ip.as_deref()) {
                    ("ExternalName", _) | (_, None) => "<none>".to_string(),
                    (_, Some(ip)) => ip.to_string(),
                };
                let lb: Vec<String> = s
                    .status
                    .iter()
                    .flat_map(|st| &st.load_balancer.ingress)
                    .map(|i| {
                        if i.ip.is_empty() {
                            i.hostname.clone()
                        } else {
                            i.ip.clone()
                        }
                    })
                    .chain(s.spec.external_ips.iter().cloned())
                    .collect();
                let external = match ty.as_str() {
                    "ExternalName" => s.spec.external_name.clone(),
                    "LoadBalancer" if lb.is_empty() => "<pending>".into(),
                    _ if lb.is_empty() => "<none>".into(),
                    _ => lb.join(","),
                };
                row.extend([
                    ty,
                    cluster_ip,
                    external,
                    or_none(&ports.join(",")),
                    age(c, o),
                ]);
                if wide {
                    let selector: Vec<String> = s
                        .spec
                        .selector
                        .iter()
                        .flatten()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect();
                    row.push(or_none(&selector.join(",")));
                }
            }
            Object::Endpoints(ep) => {
                let ready: Vec<String> = ep
                    .subsets
                    .iter()
                    .flat_map(|ss| {
                        ss.addresses.iter().flat_map(move |a| {
                            let ports = if ss.ports.is_empty() {
                                vec![None]
                            } else {
                                ss.ports.iter().map(|p| Some(p.port)).collect()
                            };
                            ports.into_iter().map(move |p| match p {
                                Some(p) => format!("{}:{p}", a.ip),
                                None => a.ip.clone(),
                            })
                        })
                    })
                    .collect();
                let cell = if ep.subsets.is_empty() {
                    "<none>".to_string()
                } else {
                    first_three(&ready)
                };
                row.extend([cell, age(c, o)]);
            }
            Object::EndpointSlice(es) => {
                let ports: Vec<String> = es
                    .ports
                    .iter()
                    .filter_map(|p| p.port.map(|n| n.to_string()))
                    .collect();
                let addresses: Vec<String> = es
                    .endpoints
                    .iter()
                    .flat_map(|e| e.addresses.clone())
                    .collect();
                let unset = |v: String| {
                    if v.is_empty() {
                        "<unset>".to_string()
                    } else {
                        v
                    }
                };
                row.extend([
                    es.address_type.clone(),
                    unset(first_three(&ports)),
                    unset(first_three(&addresses)),
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
    containers: &[crate::engine::api::core::Container],
    selector: &crate::engine::api::LabelSelector,
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
    if namespace.is_none() {
        rows[0].insert(0, "NAMESPACE".into());
    }
    for e in events {
        let mut row = vec![
            human_duration(c.clock.now.saturating_sub(e.last_seen)),
            match e.r#type {
                EventType::Normal => "Normal".into(),
                EventType::Warning => "Warning".into(),
            },
            e.reason.clone(),
            format!("{}/{}", e.object.kind.to_lowercase(), e.object.name),
            e.message.clone(),
        ];
        if namespace.is_none() {
            // Events about cluster-scoped objects are recorded in `default`.
            let ns = if e.object.namespace.is_empty() {
                "default"
            } else {
                &e.object.namespace
            };
            row.insert(0, ns.to_string());
        }
        rows.push(row);
    }
    tabulate(&rows).trim_end().to_string()
}

/// `<none>` for an empty cell, as kubectl prints it.
fn or_none(v: &str) -> String {
    if v.is_empty() {
        "<none>".into()
    } else {
        v.into()
    }
}

/// Access modes in kubectl's short form and order: `RWO,ROX,RWX,RWOP`.
/// A pod's STATUS column: Terminating, a waiting container's reason, or the phase.
pub fn pod_status(p: &crate::engine::api::core::Pod) -> String {
    let s = p.status.clone().unwrap_or_default();
    let waiting = s.container_statuses.iter().find_map(|c| {
        c.state
            .get("waiting")
            .and_then(|w| w.get("reason"))
            .and_then(|r| r.as_str())
            .map(str::to_string)
    });
    if p.metadata.deletion_timestamp.is_some() {
        "Terminating".to_string()
    } else if let Some(reason) = waiting {
        reason
    } else if s.phase.is_empty() {
        "Pending".to_string()
    } else {
        s.phase.clone()
    }
}

pub fn access_modes(modes: &[String]) -> String {
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(long, _)| modes.iter().any(|m| m == long))
    .map(|(_, short)| *short)
    .collect::<Vec<_>>()
    .join(",")
}

/// Up to three items, then ` + N more...` (kubectl's endpoints and slices columns).
fn first_three(items: &[String]) -> String {
    let shown = items.iter().take(3).cloned().collect::<Vec<_>>().join(",");
    if items.len() > 3 {
        format!("{shown} + {} more...", items.len() - 3)
    } else {
        shown
    }
}
