//! The kubelet (kubernetes: pkg/kubelet), one per node: starts pods bound to its node —
//! a pod IP from the node's pod CIDR, phase `Running`, container statuses, and the
//! `Ready` condition. Readiness probes are simulated as passing unless the pod carries
//! the annotation `kubeplay.io/ready: "false"` (how a person marks a pod not ready).

use crate::engine::sort::SortLean;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use super::scheduler::set_condition;
use crate::engine::api::core::{ContainerStatus, Pod, PodIp, PodStatus};
use crate::engine::cluster::{Cluster, ContainerEnv, EventType};
use crate::engine::defaults::{format_ipv4, parse_ipv4};
use crate::engine::manifest::Object;
use crate::engine::store::Key;

/// The annotation that marks a pod's readiness probe as failing.
pub const READY_ANNOTATION: &str = "kubeplay.io/ready";

/// Whether a pod is Ready (all containers ready and the Ready condition true).
pub fn is_ready(pod: &Pod) -> bool {
    pod.status.as_ref().is_some_and(|s| {
        s.conditions
            .iter()
            .any(|c| c.r#type == "Ready" && c.status == "True")
    })
}

/// The environment the kubelet gives a pod's containers when it starts them, before each
/// container's own `env` (kubernetes: pkg/kubelet/kubelet_pods.go
/// `makeEnvironmentVariables`, pkg/kubelet/envvars): `PATH`, `HOSTNAME` and the Service
/// variables — for
/// every Service with a cluster IP that exists now in the pod's namespace (unless
/// `enableServiceLinks: false`) and always for `default/kubernetes`.
pub fn container_env(c: &Cluster, pod: &Pod) -> Vec<(String, String)> {
    let mut env = base_env(pod);
    env.extend(service_env(
        c,
        &pod.metadata.namespace,
        pod.spec.enable_service_links != Some(false),
    ));
    env
}

/// `PATH` and `HOSTNAME`.
fn base_env(pod: &Pod) -> Vec<(String, String)> {
    vec![
        (
            "PATH".to_string(),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
        ),
        (
            "HOSTNAME".to_string(),
            if pod.spec.hostname.is_empty() {
                pod.metadata.name.clone()
            } else {
                pod.spec.hostname.clone()
            },
        ),
    ]
}

/// The Service variables a pod of `namespace` gets (sorted), the same for every such pod:
/// the kubelet computes them once per namespace in a pass.
fn service_env(c: &Cluster, namespace: &str, links: bool) -> Vec<(String, String)> {
    let mut services: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for o in c.store.list("Service", None) {
        let Object::Service(s) = o else { continue };
        let m = &s.metadata;
        let in_namespace = m.namespace == namespace && links;
        let master = m.namespace == "default" && m.name == "kubernetes";
        if !(in_namespace || master) {
            continue;
        }
        let Some(ip) = s
            .spec
            .cluster_ip
            .as_deref()
            .filter(|ip| *ip != "None" && !ip.is_empty())
        else {
            continue;
        };
        let Some(first) = s.spec.ports.first() else {
            continue;
        };
        let prefix = m.name.to_uppercase().replace('-', "_");
        let proto = |p: &str| {
            if p.is_empty() {
                "tcp".to_string()
            } else {
                p.to_lowercase()
            }
        };
        let mut vars = vec![
            (format!("{prefix}_SERVICE_HOST"), ip.to_string()),
            (format!("{prefix}_SERVICE_PORT"), first.port.to_string()),
            (
                format!("{prefix}_PORT"),
                format!("{}://{ip}:{}", proto(&first.protocol), first.port),
            ),
        ];
        for p in &s.spec.ports {
            if !p.name.is_empty() {
                vars.push((
                    format!(
                        "{prefix}_SERVICE_PORT_{}",
                        p.name.to_uppercase().replace('-', "_")
                    ),
                    p.port.to_string(),
                ));
            }
            let pr = proto(&p.protocol);
            let base = format!("{prefix}_PORT_{}_{}", p.port, pr.to_uppercase());
            vars.push((base.clone(), format!("{pr}://{ip}:{}", p.port)));
            vars.push((format!("{base}_PROTO"), pr.clone()));
            vars.push((format!("{base}_PORT"), p.port.to_string()));
            vars.push((format!("{base}_ADDR"), ip.to_string()));
        }
        services.insert(prefix, vars);
    }
    let mut service_vars: Vec<(String, String)> = services.into_values().flatten().collect();
    service_vars.sort_lean();
    service_vars
}

/// Whether the kubelet has nothing left to do for a pod: it runs, has its IP, reports a
/// status for each container, and its Ready condition matches the readiness probe.
fn settled(pod: &Pod) -> bool {
    let Some(s) = &pod.status else {
        return false;
    };
    let want_ready = pod
        .metadata
        .annotations
        .get(READY_ANNOTATION)
        .is_none_or(|v| v != "false");
    s.phase == "Running"
        && !s.pod_ip.is_empty()
        && s.conditions.len() == 5
        && is_ready(pod) == want_ready
        && s.container_statuses.len() == pod.spec.containers.len()
        && s.container_statuses
            .iter()
            .zip(&pod.spec.containers)
            .all(|(st, ct)| st.name == ct.name && st.image == ct.image && st.ready == want_ready)
}

/// API-server defaults for a new pod's spec (kubernetes: pkg/apis/core/v1/defaults.go).
pub fn default_pod_spec(pod: &mut Pod) {
    let s = &mut pod.spec;
    if s.restart_policy.is_empty() {
        s.restart_policy = "Always".into();
    }
    if s.dns_policy.is_empty() {
        s.dns_policy = "ClusterFirst".into();
    }
    if s.scheduler_name.is_empty() {
        s.scheduler_name = "default-scheduler".into();
    }
    s.termination_grace_period_seconds.get_or_insert(30);
    for c in s.containers.iter_mut().chain(s.init_containers.iter_mut()) {
        if c.image_pull_policy.is_empty() {
            let tag = c.image.rsplit('/').next().unwrap_or_default();
            c.image_pull_policy = if !tag.contains(':') || tag.ends_with(":latest") {
                "Always"
            } else {
                "IfNotPresent"
            }
            .into();
        }
        if c.termination_message_path.is_empty() {
            c.termination_message_path = "/dev/termination-log".into();
        }
        if c.termination_message_policy.is_empty() {
            c.termination_message_policy = "File".into();
        }
        for p in &mut c.ports {
            if p.protocol.is_empty() {
                p.protocol = "TCP".into();
            }
        }
    }
}

/// Variables shared by every pod started from the same snapshot.
type SharedVars = Rc<[(String, String)]>;

pub fn reconcile(c: &mut Cluster) -> bool {
    // Most passes find every pod settled: look first, allocate only if there is work.
    let todo: Vec<Key> = c
        .store
        .list("Pod", None)
        .filter(|o| {
            matches!(o, Object::Pod(p) if !p.spec.node_name.is_empty()
                && p.metadata.deletion_timestamp.is_none()
                && !settled(p))
        })
        .map(Key::of)
        .collect();
    if todo.is_empty() {
        return false;
    }
    let cidrs = c.node_pod_cidrs();
    let node_ips: BTreeMap<String, String> = c.node_ips().into_iter().collect();
    let node_ip = |node: &str| node_ips.get(node).cloned().unwrap_or_default();
    let mut used_ips: BTreeSet<String> = c
        .store
        .list("Pod", None)
        .filter_map(|o| match o {
            Object::Pod(p) => p.status.as_ref().map(|s| s.pod_ip.clone()),
            _ => None,
        })
        .collect();
    let mut cursor = BTreeMap::new();
    let mut changed = false;
    // Services do not change during this pass: their variables are built once per namespace.
    let mut service_envs: BTreeMap<(String, bool), SharedVars> = BTreeMap::new();
    // The clock stands still during a pass.
    let now = c.clock.timestamp();
    for key in todo {
        let Some(Object::Pod(pod)) = c.store.get(&key) else {
            continue;
        };
        if pod.spec.node_name.is_empty()
            || pod.metadata.deletion_timestamp.is_some()
            || settled(pod)
        {
            continue;
        }
        // Only a node that exists (and has its pod CIDR) runs a kubelet to start the pod.
        if cidrs.get(&pod.spec.node_name).is_none_or(|c| c.is_empty()) {
            continue;
        }
        let mut pod = pod.clone();
        let node = pod.spec.node_name.clone();
        let starting = pod.status.as_ref().is_none_or(|s| s.pod_ip.is_empty());
        if starting {
            if let Err((reason, source, message)) = crate::engine::storage::mount(c, &pod) {
                c.event_resync(EventType::Warning, key.clone(), reason, source, message);
                let status = pod.status.get_or_insert_with(PodStatus::default);
                status.phase = "Pending".into();
                status.host_ip = node_ip(&node);
                status.container_statuses = pod
                    .spec
                    .containers
                    .iter()
                    .map(|ct| ContainerStatus {
                        name: ct.name.clone(),
                        image: ct.image.clone(),
                        started: Some(false),
                        state: serde_json::json!({"waiting": {"reason": "ContainerCreating"}}),
                        ..ContainerStatus::default()
                    })
                    .collect();
                changed |= c.put_status(Object::Pod(pod));
                continue;
            }
            let ip = if pod.spec.host_network {
                node_ip(&node)
            } else {
                next_pod_ip(
                    &mut used_ips,
                    &mut cursor,
                    cidrs.get(&node).map(String::as_str).unwrap_or(""),
                )
            };
            let status = pod.status.get_or_insert_with(PodStatus::default);
            status.pod_ip = ip.clone();
            status.pod_ips = vec![PodIp { ip }];
            status.host_ip = node_ip(&node);
            status.host_ips = vec![PodIp {
                ip: status.host_ip.clone(),
            }];
            status.start_time = Some(now.clone());
            status.qos_class = "BestEffort".into();
            let links = pod.spec.enable_service_links != Some(false);
            let scope = (pod.metadata.namespace.clone(), links);
            let services = match service_envs.get(&scope) {
                Some(vars) => vars.clone(),
                None => {
                    let vars: SharedVars = service_env(c, &scope.0, links).into();
                    service_envs.insert(scope, vars.clone());
                    vars
                }
            };
            let env = ContainerEnv {
                own: base_env(&pod),
                services,
            };
            c.container_env.insert(pod.metadata.uid.clone(), env);
            if let (_, Some(warning)) = crate::engine::resolver::pod_resolv_conf(c, &pod) {
                c.event(
                    EventType::Warning,
                    key.clone(),
                    "DNSConfigForming",
                    "kubelet",
                    warning,
                );
            }
            for ct in &pod.spec.containers {
                let log = crate::engine::storage::files::container_log_path(&pod, &ct.name);
                c.files
                    .store(&crate::engine::storage::files::node_store(&node))
                    .insert(
                        log,
                        crate::engine::storage::files::Entry::File(format!(
                            "{now} stdout F container {} of pod {}/{} started (image {})\n",
                            ct.name, pod.metadata.namespace, pod.metadata.name, ct.image
                        )),
                    );
                c.event(
                    EventType::Normal,
                    key.clone(),
                    "Pulled",
                    "kubelet",
                    format!(
                        "Container image \"{}\" already present on machine",
                        ct.image
                    ),
                );
                c.event(
                    EventType::Normal,
                    key.clone(),
                    "Created",
                    "kubelet",
                    format!("Created container: {}", ct.name),
                );
                c.event(
                    EventType::Normal,
                    key.clone(),
                    "Started",
                    "kubelet",
                    format!("Started container {}", ct.name),
                );
            }
        }
        let ready = pod
            .metadata
            .annotations
            .get(READY_ANNOTATION)
            .is_none_or(|v| v != "false");
        let status = pod.status.get_or_insert_with(PodStatus::default);
        status.phase = "Running".into();
        set_condition(status, "PodReadyToStartContainers", "True", "", "", &now);
        set_condition(status, "Initialized", "True", "", "", &now);
        let (value, reason) = if ready {
            ("True", "")
        } else {
            ("False", "ContainersNotReady")
        };
        set_condition(status, "Ready", value, reason, "", &now);
        set_condition(status, "ContainersReady", value, reason, "", &now);
        set_condition(status, "PodScheduled", "True", "", "", &now);
        status.conditions.sort_lean_by_key(|cd| {
            [
                "PodReadyToStartContainers",
                "Initialized",
                "Ready",
                "ContainersReady",
                "PodScheduled",
            ]
            .iter()
            .position(|t| *t == cd.r#type)
        });
        status.container_statuses = pod
            .spec
            .containers
            .iter()
            .map(|ct| {
                let old = status.container_statuses.iter().find(|s| s.name == ct.name);
                ContainerStatus {
                    name: ct.name.clone(),
                    image: ct.image.clone(),
                    ready,
                    started: Some(true),
                    restart_count: old.map_or(0, |o| o.restart_count),
                    state: old
                        .filter(|o| o.state.get("running").is_some())
                        .map_or_else(
                            || serde_json::json!({"running": {"startedAt": now}}),
                            |o| o.state.clone(),
                        ),
                    ..ContainerStatus::default()
                }
            })
            .collect();
        changed |= c.put_status(Object::Pod(pod));
    }
    changed
}

/// A container whose main process died: the kubelet starts it again. Its writable layer
/// is new (files outside volumes are gone); volumes, emptyDir included, are kept; the
/// restart count goes up.
pub fn restart_container(c: &mut Cluster, pod: &Pod, container: &str) {
    c.files
        .stores
        .remove(&format!("scratch:{}:{container}", pod.metadata.uid));
    let key = Key::new("Pod", &pod.metadata.namespace, &pod.metadata.name);
    let Some(Object::Pod(mut stored)) = c.store.get(&key).cloned() else {
        return;
    };
    let now = c.clock.timestamp();
    let image = pod
        .spec
        .containers
        .iter()
        .find(|ct| ct.name == container)
        .map(|ct| ct.image.clone())
        .unwrap_or_default();
    if let Some(status) = stored.status.as_mut() {
        if let Some(cs) = status
            .container_statuses
            .iter_mut()
            .find(|s| s.name == container)
        {
            cs.restart_count += 1;
            cs.last_state = serde_json::json!({"terminated": {"exitCode": 137, "reason": "Error", "finishedAt": now}});
            cs.state = serde_json::json!({"running": {"startedAt": now}});
        }
    }
    c.put_status(Object::Pod(stored));
    c.event(
        EventType::Normal,
        key.clone(),
        "Pulled",
        "kubelet",
        format!("Container image \"{image}\" already present on machine"),
    );
    c.event(
        EventType::Normal,
        key.clone(),
        "Created",
        "kubelet",
        format!("Created container: {container}"),
    );
    c.event(
        EventType::Normal,
        key,
        "Started",
        "kubelet",
        format!("Started container {container}"),
    );
}

/// The lowest free address from .2 up in the node's pod CIDR (a /24 per node).
/// Marks the address taken in `used`; `cursor` remembers, per CIDR, where the search
/// stopped in this pass, so a pass that starts many pods stays linear.
fn next_pod_ip(used: &mut BTreeSet<String>, cursor: &mut BTreeMap<u32, u32>, cidr: &str) -> String {
    let base = cidr
        .split('/')
        .next()
        .and_then(parse_ipv4)
        .unwrap_or(0x0AF4_0000)
        & 0xFFFF_FF00;
    let start = cursor.get(&base).copied().unwrap_or(2);
    for host in start..255 {
        let ip = format_ipv4(base | host);
        if used.insert(ip.clone()) {
            cursor.insert(base, host + 1);
            return ip;
        }
    }
    cursor.insert(base, 255);
    String::new()
}
