//! The network view: the outside client, load balancers, kube-proxy and node ports on each
//! node, the ingress controller and its Ingresses, Services (type, cluster IP, ports, DNS
//! name), EndpointSlices and pods. Edges show what a Service selects — and, dashed, the
//! pods it does not (not ready, or labels that almost match). The last `curl` is drawn as
//! a numbered path with the rule matched at each hop and the spread of repeated requests.

use crate::engine::sort::CollectLean;
use std::collections::{BTreeMap, BTreeSet};

use super::{is_system_namespace, Edge, Lane, Model, Node, Path, State};
use crate::engine::api::core::{Pod, Service};
use crate::engine::api::discovery::EndpointSlice;
use crate::engine::cluster::Cluster;
use crate::engine::dispatch::OUTSIDE_CLIENT_IP;
use crate::engine::ingress;
use crate::engine::kubectl::get::pod_status;
use crate::engine::manifest::Object;

const TIER_CLIENT: usize = 0;
const TIER_LB: usize = 1;
const TIER_NODE: usize = 2;
const TIER_CONTROLLER: usize = 3;
const TIER_INGRESS: usize = 4;
const TIER_SERVICE: usize = 5;
const TIER_SLICE: usize = 6;
const TIER_POD: usize = 7;

const SLICE_LABEL: &str = "kubernetes.io/service-name";
/// At most this many "label mismatch" arrows per Service.
const MAX_NEAR_MISSES: usize = 3;

/// Builds the network view of the cluster.
pub fn build(c: &Cluster) -> Model {
    let mut m = Model {
        title: "Network".into(),
        tiers: vec![
            "Outside",
            "Load balancers",
            "Nodes (kube-proxy)",
            "Ingress controller",
            "Ingresses",
            "Services",
            "EndpointSlices",
            "Pods",
        ],
        ..Model::default()
    };
    m.lanes.push(Lane {
        id: "outside".into(),
        label: "outside the cluster".into(),
    });
    m.lanes.push(Lane {
        id: "api".into(),
        label: "virtual: Services and API objects (no single node)".into(),
    });
    let api = 1;
    let nodes = c.node_ips();
    for (n, _) in &nodes {
        m.lanes.push(Lane {
            id: format!("Node/{n}"),
            label: format!("node {n}"),
        });
    }
    let lane_of_node = |name: &str| nodes.iter().position(|(n, _)| n == name).map(|i| i + 2);
    let domain = c.settings.dns_domain.clone();

    m.push(Node {
        id: "client".into(),
        lane: 0,
        tier: TIER_CLIENT,
        kind: "client",
        label: "client".into(),
        lines: vec![OUTSIDE_CLIENT_IP.into(), "curl from your machine".into()],
        state: State::Muted,
        title: format!("A machine outside the cluster ({OUTSIDE_CLIENT_IP}, the kind network's gateway): it reaches node addresses and load balancers, never cluster IPs or pod IPs"),
    });

    let services: Vec<Service> = c
        .store
        .list("Service", None)
        .filter_map(|o| match o {
            Object::Service(s) => Some((**s).clone()),
            _ => None,
        })
        .collect();
    let controller = ingress::controller_pod(c);
    let slices = slices_by_service(c);

    // kube-proxy on each node, with the node ports it opens.
    let node_ports: Vec<(String, i32)> = services
        .iter()
        .flat_map(|s| {
            s.spec
                .ports
                .iter()
                .filter(|p| p.node_port > 0)
                .map(move |p| (s.metadata.name.clone(), p.node_port))
        })
        .collect();
    // Every node forwards every node port: with many of both, draw the fan from the
    // first node only (a request's path still gets its own edges).
    let fanned: BTreeSet<&String> = node_ports.iter().map(|(s, _)| s).collect_set();
    let fan: Vec<&String> = if nodes.len() * fanned.len() > 36 {
        m.notes.push(format!(
            "Every node's kube-proxy forwards every node port; arrows are drawn from {} only ({} nodes × {} Services would hide the picture).",
            nodes.first().map_or("", |(n, _)| n.as_str()),
            nodes.len(),
            fanned.len()
        ));
        nodes.iter().take(1).map(|(n, _)| n).collect()
    } else {
        nodes.iter().map(|(n, _)| n).collect()
    };
    for (n, ip) in &nodes {
        let id = format!("Node/{n}");
        let ports: Vec<String> = node_ports.iter().map(|(_, p)| format!(":{p}")).collect();
        m.push(Node {
            id: id.clone(),
            lane: lane_of_node(n).unwrap_or(api),
            tier: TIER_NODE,
            kind: "node",
            label: format!("kube-proxy ({})", c.settings.proxy_mode),
            lines: vec![
                ip.clone(),
                if ports.is_empty() {
                    "no node ports".into()
                } else {
                    format!("node ports {}", ports.join(" "))
                },
            ],
            state: State::Muted,
            title: format!(
                "Node {n} ({ip}): kube-proxy in {} mode writes the rules for every Service on this node{}",
                c.settings.proxy_mode,
                if node_ports.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; it opens {} on this and every other node",
                        node_ports
                            .iter()
                            .map(|(s, p)| format!("{p} ({s})"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            ),
        });
        if !node_ports.is_empty() && fan.contains(&n) {
            m.edges.push(Edge::new("client", &id, "NodePort"));
        }
    }

    // Services (not the cluster's own), their load balancers and node ports.
    for s in &services {
        let ns = &s.metadata.namespace;
        let name = &s.metadata.name;
        if is_system_namespace(ns) || (ns == "default" && name == "kubernetes") {
            continue;
        }
        let id = format!("Service/{ns}/{name}");
        let kind = s.spec.r#type.clone().unwrap_or_else(|| "ClusterIP".into());
        let ip = s.spec.cluster_ip.clone().unwrap_or_default();
        let ports: Vec<String> = s.port_pairs();
        let fqdn = format!("{name}.{ns}.svc.{domain}");
        let own: &[&EndpointSlice] = slices
            .get(&(ns.as_str(), name.as_str()))
            .map_or(&[], Vec::as_slice);
        let (ready, total) = endpoint_counts(own);
        let state = if kind == "ExternalName" || s.spec.selector.is_none() {
            State::Neutral
        } else if ready > 0 {
            State::Ok
        } else {
            State::Warn
        };
        m.push(Node {
            id: id.clone(),
            lane: api,
            tier: TIER_SERVICE,
            kind: "svc",
            label: name.clone(),
            lines: vec![
                if kind == "ExternalName" {
                    format!("ExternalName → {}", s.spec.external_name)
                } else {
                    format!("{kind} {ip}")
                },
                format!("port {} · {name}.{ns}.svc", ports.join(",")),
            ],
            state,
            title: format!(
                "Service {ns}/{name} ({kind}) {ip} ports {}; DNS {fqdn}; selector {}; {ready} of {total} endpoints ready{}",
                ports.join(", "),
                s.spec
                    .selector
                    .as_ref()
                    .map(|sel| sel.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","))
                    .unwrap_or_else(|| "<none>".into()),
                if state == State::Warn { " — requests are refused" } else { "" }
            ),
        });
        if kind == "LoadBalancer" {
            let lb_ip = s
                .status
                .as_ref()
                .and_then(|st| st.load_balancer.ingress.first())
                .map(|i| i.ip.clone())
                .unwrap_or_default();
            let lb = format!("LoadBalancer/{ns}/{name}");
            m.push(Node {
                id: lb.clone(),
                lane: 0,
                tier: TIER_LB,
                kind: "lb",
                label: format!("load balancer {name}"),
                lines: vec![if lb_ip.is_empty() {
                    "<pending>".into()
                } else {
                    lb_ip.clone()
                }],
                state: if lb_ip.is_empty() {
                    State::Pending
                } else {
                    State::Ok
                },
                title: format!(
                    "The (simulated) cloud load balancer of Service {ns}/{name}: {} → the node ports on every node",
                    if lb_ip.is_empty() { "<pending>" } else { &lb_ip }
                ),
            });
            m.edges.push(Edge::new("client", &lb, ""));
            for n in &fan {
                m.edges.push(Edge::new(&lb, &format!("Node/{n}"), ""));
            }
        }
        for p in s.spec.ports.iter().filter(|p| p.node_port > 0) {
            for n in &fan {
                m.edges.push(Edge::new(
                    &format!("Node/{n}"),
                    &id,
                    format!(":{}", p.node_port),
                ));
            }
        }
        selects(c, &mut m, s, &id, own);
    }

    // Pods (the person's, and the ingress controller).
    for o in c.store.list("Pod", None) {
        let Object::Pod(p) = o else { continue };
        let is_controller = controller
            .as_ref()
            .is_some_and(|cp| cp.metadata.uid == p.metadata.uid);
        if is_system_namespace(&p.metadata.namespace) && !is_controller {
            continue;
        }
        pod(&mut m, p, &lane_of_node, api, is_controller);
    }

    // The ingress controller's Ingresses and their backends.
    if let Some(cp) = &controller {
        let cid = format!("Pod/{}/{}", cp.metadata.namespace, cp.metadata.name);
        for (n, _) in &nodes {
            m.edges.push(Edge::new(
                &format!("Node/{n}"),
                &cid,
                format!(
                    ":{} :{}",
                    ingress::node_ports(c).0,
                    ingress::node_ports(c).1
                ),
            ));
        }
        for ing in ingress::served_ingresses(c) {
            let ns = &ing.metadata.namespace;
            let id = format!("Ingress/{ns}/{}", ing.metadata.name);
            let mut rules = Vec::new();
            for r in &ing.spec.rules {
                for p in r.http.iter().flat_map(|h| &h.paths) {
                    let host = if r.host.is_empty() { "*" } else { &r.host };
                    let target = ingress::backend_text(&p.backend);
                    rules.push(format!("{host}{}", p.path));
                    if let Some(svc) = &p.backend.service {
                        m.edges.push(Edge::new(
                            &id,
                            &format!("Service/{ns}/{}", svc.name),
                            format!("{host}{}", p.path),
                        ));
                    } else {
                        rules.push(format!("→ {target}"));
                    }
                }
            }
            if let Some(svc) = ing
                .spec
                .default_backend
                .as_ref()
                .and_then(|b| b.service.as_ref())
            {
                m.edges.push(Edge::new(
                    &id,
                    &format!("Service/{ns}/{}", svc.name),
                    "default backend",
                ));
            }
            m.push(Node {
                id: id.clone(),
                lane: api,
                tier: TIER_INGRESS,
                kind: "ing",
                label: format!("ingress {}", ing.metadata.name),
                lines: vec![
                    rules.first().cloned().unwrap_or_else(|| "default backend only".into()),
                    if rules.len() > 1 {
                        format!("+{} more rules", rules.len() - 1)
                    } else {
                        format!("ns {ns}")
                    },
                ],
                state: State::Ok,
                title: format!(
                    "Ingress {ns}/{} (class {}): {}; anything else gets the controller's default backend (404)",
                    ing.metadata.name,
                    ingress::class_of(&ing).unwrap_or_default(),
                    rules.join(", ")
                ),
            });
            m.edges.push(Edge::new(&cid, &id, "serves"));
        }
    }

    m.prune_edges();
    m.drop_empty_lanes();
    m.path = last_request(c).map(|mut path| {
        path.steps = through_slices(&m, path.steps);
        path
    });
    m.mark_path();
    if m.nodes
        .iter()
        .all(|n| n.kind == "client" || n.kind == "node")
    {
        m.notes.push(
            "No Services or pods yet: paste a Deployment and a Service, then curl it.".into(),
        );
    }
    m
}

/// Every EndpointSlice by the Service it belongs to, read once per drawing.
type SlicesByService<'a> = BTreeMap<(&'a str, &'a str), Vec<&'a EndpointSlice>>;

fn slices_by_service(c: &Cluster) -> SlicesByService<'_> {
    let mut out: SlicesByService = BTreeMap::new();
    for o in c.store.list("EndpointSlice", None) {
        let Object::EndpointSlice(es) = o else {
            continue;
        };
        if let Some(service) = es.metadata.labels.get(SLICE_LABEL) {
            out.entry((es.metadata.namespace.as_str(), service.as_str()))
                .or_default()
                .push(es);
        }
    }
    out
}

/// (ready, all) endpoints of a Service, from its EndpointSlices.
fn endpoint_counts(slices: &[&EndpointSlice]) -> (usize, usize) {
    let mut ready = 0;
    let mut all = 0;
    for es in slices {
        for e in &es.endpoints {
            all += 1;
            if e.conditions.ready != Some(false) {
                ready += 1;
            }
        }
    }
    (ready, all)
}

/// The Service's EndpointSlices and their pods; pods it does not select, dashed with why.
fn selects(c: &Cluster, m: &mut Model, s: &Service, id: &str, slices: &[&EndpointSlice]) {
    let ns = &s.metadata.namespace;
    let mut in_slices = BTreeSet::new();
    for es in slices {
        let sid = format!("EndpointSlice/{ns}/{}", es.metadata.name);
        let ready = es
            .endpoints
            .iter()
            .filter(|e| e.conditions.ready != Some(false))
            .count();
        let ports: Vec<String> = es
            .ports
            .iter()
            .filter_map(|p| p.port.map(|n| n.to_string()))
            .collect();
        m.push(Node {
            id: sid.clone(),
            lane: 1,
            tier: TIER_SLICE,
            kind: "eps",
            label: es.metadata.name.clone(),
            lines: vec![
                format!("{ready}/{} ready", es.endpoints.len()),
                format!("port {}", ports.join(",")),
            ],
            state: if ready > 0 { State::Ok } else { State::Warn },
            title: format!(
                "EndpointSlice {ns}/{} of Service {}: {}",
                es.metadata.name,
                s.metadata.name,
                es.endpoints
                    .iter()
                    .map(|e| format!(
                        "{}{}",
                        e.addresses.join(","),
                        if e.conditions.ready == Some(false) {
                            " (not ready)"
                        } else {
                            ""
                        }
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
        m.edges.push(Edge::new(id, &sid, ""));
        for e in &es.endpoints {
            let Some(r) = &e.target_ref else { continue };
            let pid = format!("Pod/{ns}/{}", r.name);
            in_slices.insert(r.name.clone());
            let ip = e.addresses.join(",");
            m.edges.push(if e.conditions.ready == Some(false) {
                Edge::new(&sid, &pid, ip)
                    .dashed("not ready: the endpoint is listed but gets no traffic")
                    .state(State::Warn)
            } else {
                Edge::new(&sid, &pid, ip)
            });
        }
    }
    // Pods of the namespace the selector misses by a label (the "typo in the selector"
    // lesson), dashed with the difference.
    // Only for a Service that selects nothing: that is when the person asks why.
    let Some(selector) = &s.spec.selector else {
        return;
    };
    if selector.is_empty() || !in_slices.is_empty() {
        return;
    }
    let pods: Vec<&Pod> = c
        .store
        .list("Pod", Some(ns))
        .filter_map(|o| match o {
            Object::Pod(p) => Some(&**p),
            _ => None,
        })
        .collect();
    // Pods that match but have no endpoint yet (Pending) are not a selector problem.
    let matches = |p: &Pod| {
        selector
            .iter()
            .all(|(k, v)| p.metadata.labels.get(k) == Some(v))
    };
    if pods.iter().any(|p| matches(p)) {
        return;
    }
    for p in pods
        .into_iter()
        .filter(|p| near_miss(selector, &p.metadata.labels))
        .take(MAX_NEAR_MISSES)
    {
        let missing: Vec<String> = selector
            .iter()
            .filter(|(k, v)| p.metadata.labels.get(*k) != Some(*v))
            .map(|(k, v)| match p.metadata.labels.get(k) {
                Some(has) => format!("{k}={v} (pod has {k}={has})"),
                None => format!("{k}={v} (pod has no {k})"),
            })
            .collect();
        m.edges.push(
            Edge::new(
                id,
                &format!("Pod/{ns}/{}", p.metadata.name),
                "label mismatch",
            )
            .dashed(format!(
                "not selected: the selector wants {}",
                missing.join(", ")
            ))
            .state(State::Error),
        );
    }
}

/// For a Service that selects no pod: whether a pod's labels miss the selector by one entry that looks like a slip: a value
/// a couple of typing errors away (`app=wbe` for `app=web`), or a missing key when the
/// other entries match. Pods of other apps (`app=cart` for `app=shop`) are not flagged.
fn near_miss(selector: &BTreeMap<String, String>, labels: &BTreeMap<String, String>) -> bool {
    let missed: Vec<(&String, &String)> = selector
        .iter()
        .filter(|(k, v)| labels.get(*k) != Some(*v))
        .collect();
    let [(key, want)] = missed.as_slice() else {
        return false;
    };
    match labels.get(*key) {
        Some(has) => {
            // Numbered siblings (`app-12`, `app-13`) are other apps, not typos.
            let letters = |t: &str| {
                t.chars()
                    .filter(|c| !c.is_ascii_digit())
                    .collect::<String>()
            };
            has.eq_ignore_ascii_case(want)
                || (edit_distance(has, want) <= 2
                    && want.len() > 2
                    && letters(has) != letters(want))
        }
        None => selector.len() > 1,
    }
}

/// Levenshtein distance (small strings: label values).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn pod(
    m: &mut Model,
    p: &Pod,
    lane_of_node: &dyn Fn(&str) -> Option<usize>,
    api: usize,
    is_controller: bool,
) {
    let status = pod_status(p);
    let ready = crate::engine::controllers::kubelet::is_ready(p);
    let ip = p
        .status
        .as_ref()
        .map(|s| s.pod_ip.clone())
        .filter(|ip| !ip.is_empty())
        .unwrap_or_else(|| "no IP".into());
    let state = match status.as_str() {
        "Running" if ready => State::Ok,
        "Running" => State::Warn,
        "Pending" | "ContainerCreating" => State::Pending,
        _ => State::Error,
    };
    let ports: Vec<String> = p
        .spec
        .containers
        .iter()
        .flat_map(|ct| &ct.ports)
        .map(|cp| cp.container_port.to_string())
        .collect();
    let labels: Vec<String> = p
        .metadata
        .labels
        .iter()
        .filter(|(k, _)| {
            *k != "pod-template-hash"
                && !k.starts_with("controller-revision")
                && !k.starts_with("statefulset.kubernetes.io")
                && *k != "apps.kubernetes.io/pod-index"
        })
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    m.push(Node {
        id: format!("Pod/{}/{}", p.metadata.namespace, p.metadata.name),
        lane: lane_of_node(&p.spec.node_name).unwrap_or(api),
        tier: if is_controller {
            TIER_CONTROLLER
        } else {
            TIER_POD
        },
        kind: "pod",
        label: if is_controller {
            "ingress-nginx controller".into()
        } else {
            p.metadata.name.clone()
        },
        lines: vec![
            format!(
                "{ip}{}",
                if ports.is_empty() {
                    String::new()
                } else {
                    format!(" :{}", ports.join(","))
                }
            ),
            if state == State::Ok {
                labels.join(",")
            } else if status == "Running" {
                "Running, not ready".into()
            } else {
                status.clone()
            },
        ],
        state,
        title: format!(
            "Pod {}/{} on {}: {status}{}, IP {ip}, ports {}, labels {}",
            p.metadata.namespace,
            p.metadata.name,
            if p.spec.node_name.is_empty() {
                "no node"
            } else {
                &p.spec.node_name
            },
            if status == "Running" && !ready {
                " (not ready)"
            } else {
                ""
            },
            if ports.is_empty() {
                "none".to_string()
            } else {
                ports.join(",")
            },
            labels.join(",")
        ),
    });
}

/// Puts the EndpointSlice between a Service and the pod it sent to (the endpoint the
/// rules were written from).
fn through_slices(m: &Model, steps: Vec<(String, Vec<String>)>) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for step in steps {
        if let Some((prev, _)) = out.last() {
            if prev.starts_with("Service/") && step.0.starts_with("Pod/") {
                let slice = m.edges.iter().find(|e| {
                    e.from == *prev
                        && e.to.starts_with("EndpointSlice/")
                        && m.edges.iter().any(|f| f.from == e.to && f.to == step.0)
                });
                if let Some(e) = slice {
                    out.push((e.to.clone(), Vec::new()));
                }
            }
        }
        out.push(step);
    }
    out
}

/// The last request `curl` sent, with how the same requests spread over pods.
fn last_request(c: &Cluster) -> Option<Path> {
    let last = c.requests.last()?;
    let mut spread: BTreeMap<String, usize> = BTreeMap::new();
    let mut same = 0;
    for r in c.requests.iter().filter(|r| r.target == last.target) {
        same += 1;
        if let Some(p) = &r.answered {
            *spread.entry(p.clone()).or_default() += 1;
        }
    }
    let (who, what) = last
        .target
        .split_once(' ')
        .unwrap_or(("client", &last.target));
    let ended = match &last.answered {
        Some(p) => format!("answered by {}", p.trim_start_matches("Pod/")),
        None => last
            .steps
            .last()
            .and_then(|(_, hops)| hops.last())
            .cloned()
            .unwrap_or_else(|| "no answer".into()),
    };
    Some(Path {
        summary: format!(
            "curl {what} from {}: {ended}{}",
            who.trim_start_matches("Pod/"),
            if same > 1 {
                format!(" ({same} such requests so far)")
            } else {
                String::new()
            }
        ),
        steps: last.steps.clone(),
        spread,
    })
}
