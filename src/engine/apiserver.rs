//! What the API server does to an object on its way into storage, beyond static
//! validation: defaulting (kubernetes: pkg/apis/core/v1/defaults.go) and the Service
//! registry's allocation of cluster IPs and node ports (pkg/registry/core/service/
//! ipallocator, portallocator), with the API server's error messages. Allocations are
//! read from the Services in the store, so deleting a Service frees them.

use super::api::core::{ClientIpConfig, Service, SessionAffinityConfig};
use super::api::IntOrString;
use super::cluster::Cluster;
use super::defaults::{format_ipv4, parse_cidr, parse_ipv4};
use super::manifest::Object;
use super::store::Key;

/// The default NodePort range (`--service-node-port-range`).
pub const NODE_PORT_MIN: i32 = 30000;
pub const NODE_PORT_MAX: i32 = 32767;

/// A bound claim may grow only when it was provisioned by a class that allows expansion,
/// and never shrink (RULES §2.4; kubernetes: pkg/apis/core/validation, the
/// PersistentVolumeClaimResize admission plugin).
fn resize_check(c: &Cluster, pvc: &super::api::core::PersistentVolumeClaim) -> Result<(), String> {
    let key = Key::new(
        "PersistentVolumeClaim",
        &pvc.metadata.namespace,
        &pvc.metadata.name,
    );
    let Some(Object::PersistentVolumeClaim(old)) = c.store.get(&key) else {
        return Ok(());
    };
    let (want, had) = (
        super::storage::storage_bytes(&pvc.spec.resources.requests),
        super::storage::storage_bytes(&old.spec.resources.requests),
    );
    if want == had || old.spec.volume_name.is_empty() {
        return Ok(());
    }
    let name = &pvc.metadata.name;
    if want < had {
        return Err(format!(
            "The PersistentVolumeClaim \"{name}\" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than previous value"
        ));
    }
    let class = super::storage::claim_class(old);
    let expandable =
        super::storage::class(c, &class).is_some_and(|sc| sc.allow_volume_expansion == Some(true));
    let provisioned = matches!(
        c.store.get(&Key::new("PersistentVolume", "", &old.spec.volume_name)),
        Some(Object::PersistentVolume(pv)) if pv.metadata.annotations.contains_key(super::storage::PROVISIONED_BY)
    );
    if !(expandable && provisioned) {
        return Err(format!(
            "persistentvolumeclaims \"{name}\" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize"
        ));
    }
    Ok(())
}

/// Defaults and allocates what the API server would for `object`; an error is the API
/// server's refusal, already prefixed with `Kind "name" is invalid: `.
pub fn admit(c: &mut Cluster, object: Object) -> Result<Object, String> {
    match object {
        Object::Service(svc) => admit_service(c, *svc).map(|s| Object::Service(Box::new(s))),
        Object::Pod(mut pod) => {
            super::controllers::kubelet::default_pod_spec(&mut pod);
            Ok(Object::Pod(pod))
        }
        // The StorageObjectInUseProtection admission plugin adds the protection finalizers;
        // DefaultStorageClass gives a claim without a class the default one.
        Object::PersistentVolumeClaim(mut pvc) => {
            resize_check(c, &pvc)?;
            let m = &mut pvc.metadata;
            if m.deletion_timestamp.is_none()
                && !m
                    .finalizers
                    .iter()
                    .any(|f| f == super::storage::PVC_PROTECTION)
            {
                m.finalizers.push(super::storage::PVC_PROTECTION.into());
            }
            if pvc.spec.storage_class_name.is_none()
                && !pvc
                    .metadata
                    .annotations
                    .contains_key(super::storage::BETA_CLASS_ANNOTATION)
            {
                if let Some(default) = super::storage::default_class(c) {
                    pvc.spec.storage_class_name = Some(default.metadata.name);
                }
            }
            Ok(Object::PersistentVolumeClaim(pvc))
        }
        // DefaultIngressClass: only on create, only when no class is named.
        Object::Ingress(mut ing) => {
            let key = Key::new("Ingress", &ing.metadata.namespace, &ing.metadata.name);
            if c.store.get(&key).is_none() && super::ingress::class_of(&ing).is_none() {
                ing.spec.ingress_class_name = super::ingress::default_class(c);
            }
            Ok(Object::Ingress(ing))
        }
        Object::PersistentVolume(mut pv) => {
            let m = &mut pv.metadata;
            if m.deletion_timestamp.is_none()
                && !m
                    .finalizers
                    .iter()
                    .any(|f| f == super::storage::PV_PROTECTION)
            {
                m.finalizers.push(super::storage::PV_PROTECTION.into());
            }
            Ok(Object::PersistentVolume(pv))
        }
        other => Ok(other),
    }
}

fn invalid(svc: &Service, field: &str, detail: String) -> String {
    format!(
        "The Service \"{}\" is invalid: {field}: {detail}",
        svc.metadata.name
    )
}

fn admit_service(c: &mut Cluster, mut svc: Service) -> Result<Service, String> {
    let key = Key::new("Service", &svc.metadata.namespace, &svc.metadata.name);
    let old = match c.store.get(&key) {
        Some(Object::Service(s)) => Some((**s).clone()),
        _ => None,
    };
    default_service(&mut svc);
    let ty = svc.spec.r#type.clone().unwrap_or_default();
    // Cluster IP.
    if ty == "ExternalName" {
        svc.spec.cluster_ip = None;
        svc.spec.cluster_ips.clear();
    } else if svc.spec.cluster_ip.as_deref() != Some("None") {
        let requested = svc.spec.cluster_ip.clone().filter(|ip| !ip.is_empty());
        let had = old.as_ref().and_then(|o| o.spec.cluster_ip.clone());
        let ip = match (requested, had) {
            (Some(want), Some(had)) if want != had => {
                return Err(invalid(
                    &svc,
                    "spec.clusterIPs[0]",
                    format!("Invalid value: \"{want}\": may not change once set"),
                ))
            }
            (_, Some(had)) => had,
            (Some(want), None) => {
                let taken = c
                    .store
                    .allocations()
                    .cluster_ips
                    .get(&want)
                    .is_some_and(|owner| *owner != key);
                check_requested_ip(&svc, &c.settings.service_subnet, &want, taken)?;
                want
            }
            (None, None) => allocate_ip(c, &svc)?,
        };
        svc.spec.cluster_ip = Some(ip.clone());
        svc.spec.cluster_ips = vec![ip];
    } else {
        svc.spec.cluster_ips = vec!["None".into()];
    }

    // Node ports.
    let wants_node_ports = ty == "NodePort"
        || (ty == "LoadBalancer" && svc.spec.allocate_load_balancer_node_ports != Some(false));
    if wants_node_ports {
        // What other Services hold is looked up in the store's allocation index.
        let mut mine: Vec<(i32, String)> = Vec::new();
        for i in 0..svc.spec.ports.len() {
            let p = svc.spec.ports[i].clone();
            let field = format!("spec.ports[{i}].nodePort");
            if p.node_port != 0 {
                if !(NODE_PORT_MIN..=NODE_PORT_MAX).contains(&p.node_port) {
                    return Err(invalid(&svc, &field, format!(
                        "Invalid value: {}: provided port is not in the valid range. The range of valid ports is {NODE_PORT_MIN}-{NODE_PORT_MAX}",
                        p.node_port
                    )));
                }
                if mine
                    .iter()
                    .any(|(n, proto)| *n == p.node_port && *proto == p.protocol)
                {
                    return Err(invalid(
                        &svc,
                        &field,
                        format!("Duplicate value: {}", p.node_port),
                    ));
                }
                if port_taken(c, &key, p.node_port) {
                    return Err(invalid(
                        &svc,
                        &field,
                        format!(
                            "Invalid value: {}: provided port is already allocated",
                            p.node_port
                        ),
                    ));
                }
            } else {
                // Keep the port this service port already had, else allocate one.
                let had = old.as_ref().and_then(|o| {
                    o.spec
                        .ports
                        .iter()
                        .find(|q| q.port == p.port && q.protocol == p.protocol && q.name == p.name)
                        .map(|q| q.node_port)
                        .filter(|n| *n != 0)
                });
                let port = match had {
                    Some(n) => n,
                    None => allocate_node_port(c, &key, &mine).ok_or_else(|| {
                        invalid(&svc, &field, "Internal error: range is full".into())
                    })?,
                };
                svc.spec.ports[i].node_port = port;
            }
            mine.push((svc.spec.ports[i].node_port, p.protocol));
        }
        if ty == "LoadBalancer"
            && svc.spec.external_traffic_policy.as_deref() == Some("Local")
            && svc.spec.health_check_node_port == 0
        {
            let had = old.as_ref().map_or(0, |o| o.spec.health_check_node_port);
            svc.spec.health_check_node_port = if had != 0 {
                had
            } else {
                allocate_node_port(c, &key, &mine).unwrap_or(0)
            };
        }
    } else {
        for p in &mut svc.spec.ports {
            p.node_port = 0;
        }
    }
    // The load balancer's status is the service controller's to write; keep it.
    if svc.status.is_none() {
        svc.status = old.and_then(|o| o.status);
    }
    Ok(svc)
}

/// The API server's defaults for a Service.
fn default_service(svc: &mut Service) {
    let s = &mut svc.spec;
    let ty = s.r#type.get_or_insert_with(|| "ClusterIP".into()).clone();
    if ty != "ExternalName" {
        s.session_affinity.get_or_insert_with(|| "None".into());
        s.internal_traffic_policy
            .get_or_insert_with(|| "Cluster".into());
        if s.ip_families.is_empty() {
            s.ip_families = vec!["IPv4".into()];
        }
        s.ip_family_policy
            .get_or_insert_with(|| "SingleStack".into());
    }
    if s.session_affinity.as_deref() == Some("ClientIP") {
        let cfg = s
            .session_affinity_config
            .get_or_insert_with(SessionAffinityConfig::default);
        let ip = cfg.client_ip.get_or_insert_with(ClientIpConfig::default);
        ip.timeout_seconds.get_or_insert(10800);
    }
    if ty == "NodePort" || ty == "LoadBalancer" {
        s.external_traffic_policy
            .get_or_insert_with(|| "Cluster".into());
    }
    if ty == "LoadBalancer" {
        s.allocate_load_balancer_node_ports.get_or_insert(true);
    }
    for p in &mut s.ports {
        if p.protocol.is_empty() {
            p.protocol = "TCP".into();
        }
        if p.target_port.is_none() {
            p.target_port = Some(IntOrString::Int(p.port));
        }
    }
}

fn check_requested_ip(svc: &Service, range: &str, want: &str, taken: bool) -> Result<(), String> {
    let field = "spec.clusterIPs";
    let prefix = format!("Invalid value: [\"{want}\"]: failed to allocate IP {want}");
    let (net, len) = parse_cidr(range).unwrap_or((0, 32));
    let size = 1u64 << (32 - len);
    let in_range = parse_ipv4(want).is_some_and(|ip| {
        let off = u64::from(ip.wrapping_sub(net));
        ip >= net && off >= 1 && off + 1 < size
    });
    if !in_range {
        return Err(invalid(svc, field, format!(
            "{prefix}: the provided IP ({want}) is not in the valid range. The range of valid IPs is {range}"
        )));
    }
    if taken {
        return Err(invalid(
            svc,
            field,
            format!("{prefix}: provided IP is already allocated"),
        ));
    }
    Ok(())
}

/// The upstream bitmap allocator's choice: a random start in the dynamic band (above
/// the static band of `min(max(16, size/16), 256)` addresses), scanning up with wrap;
/// the static band only when the dynamic one is full.
fn allocate_ip(c: &mut Cluster, svc: &Service) -> Result<String, String> {
    let range = c.settings.service_subnet.clone();
    let (net, len) = parse_cidr(&range).unwrap_or((0x0A60_0000, 12));
    let size = 1u64 << (32 - len);
    let max = size.saturating_sub(2); // no network or broadcast address
    let static_band = if size <= 16 {
        0
    } else {
        (size / 16).clamp(16, 256)
    }
    .min(max);
    let pick = |c: &mut Cluster, from: u64, to: u64| -> Option<u32> {
        if to <= from {
            return None;
        }
        let start = from + c.rng.below(to - from);
        (start..to)
            .chain(from..start)
            .map(|off| net + 1 + off as u32)
            .find(|ip| {
                !c.store
                    .allocations()
                    .cluster_ips
                    .contains_key(&format_ipv4(*ip))
            })
    };
    let ip = pick(c, static_band, max).or_else(|| pick(c, 0, static_band));
    ip.map(format_ipv4).ok_or_else(|| {
        invalid(
            svc,
            "spec.clusterIPs",
            "Internal error: failed to allocate a serviceIP: range is full".into(),
        )
    })
}

/// The port allocator's choice: random start in the dynamic band above the static band of
/// `min(max(16, size/32), 128)` ports (30086–32767 by default), the static band last.
fn allocate_node_port(c: &mut Cluster, key: &Key, mine: &[(i32, String)]) -> Option<i32> {
    let size = (NODE_PORT_MAX - NODE_PORT_MIN + 1) as u64;
    let static_band = (size / 32).clamp(16, 128);
    for (from, to) in [(static_band, size), (0, static_band)] {
        if to <= from {
            continue;
        }
        let start = from + c.rng.below(to - from);
        let free = (start..to)
            .chain(from..start)
            .map(|off| NODE_PORT_MIN + off as i32)
            .find(|&p| !mine.iter().any(|(n, _)| *n == p) && !port_taken(c, key, p));
        if free.is_some() {
            return free;
        }
    }
    None
}

/// Whether a Service other than `key` holds node port `port` (any protocol).
fn port_taken(c: &Cluster, key: &Key, port: i32) -> bool {
    c.store
        .allocations()
        .node_ports
        .range((port, String::new())..(port + 1, String::new()))
        .any(|(_, owner)| owner != key)
}
