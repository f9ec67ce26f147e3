//! The objects a kubeadm/kind cluster has before anyone applies anything, computed from
//! the cluster settings (RULES.md §1): the `kubernetes` Service at the first address of the
//! service range, CoreDNS's `kube-dns` Service at the tenth, and the `coredns` Deployment.

use std::collections::BTreeMap;

use super::api::apps::{Deployment, DeploymentSpec};
use super::api::core::{
    ConfigMap, Container, ContainerPort, PodTemplateSpec, Probe, Service, ServicePort, ServiceSpec,
    Toleration,
};
use super::api::storage::StorageClass;
use super::api::{IntOrString, LabelSelector, ObjectMeta};
use super::cluster::Settings;
use super::manifest::Object;

/// Parses an IPv4 CIDR into (network address as u32, prefix length).
pub fn parse_cidr(cidr: &str) -> Option<(u32, u32)> {
    let (ip, len) = cidr.split_once('/')?;
    let len: u32 = len.parse().ok().filter(|l| *l <= 32)?;
    let ip = parse_ipv4(ip)?;
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    Some((ip & mask, len))
}

/// Parses dotted-quad IPv4 text (no leading `+`, each part 0–255).
pub fn parse_ipv4(text: &str) -> Option<u32> {
    let parts: Vec<&str> = text.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    parts.iter().try_fold(0u32, |acc, p| {
        let ok = !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit());
        let v: u32 = p.parse().ok().filter(|v| ok && *v <= 255)?;
        Some(acc << 8 | v)
    })
}

/// Formats an IPv4 address.
pub fn format_ipv4(ip: u32) -> String {
    let b = ip.to_be_bytes();
    format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3])
}

/// The `n`th address of a range (`n = 1` is the first usable one), as text.
pub fn nth_address(cidr: &str, n: u32) -> Option<String> {
    let (net, len) = parse_cidr(cidr)?;
    let size = 1u64 << (32 - len);
    (u64::from(n) < size.saturating_sub(1)).then(|| format_ipv4(net + n))
}

/// The `/24` pod CIDR of the `index`th node (1-based) inside the cluster pod subnet, as
/// kube-controller-manager's range allocator hands them out (for a /16: 10.244.1.0/24, …).
pub fn node_pod_cidr(pod_subnet: &str, index: usize) -> String {
    let (net, _) = parse_cidr(pod_subnet).unwrap_or((0x0AF4_0000, 16));
    let base = net + ((index as u32) << 8);
    format!("{}/24", format_ipv4(base))
}

fn meta(name: &str, namespace: &str, labels: &[(&str, &str)]) -> ObjectMeta {
    ObjectMeta {
        name: name.into(),
        namespace: namespace.into(),
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..ObjectMeta::default()
    }
}

fn port(name: &str, port: i32, target: i32, protocol: &str) -> ServicePort {
    ServicePort {
        name: name.into(),
        port,
        target_port: Some(IntOrString::Int(target)),
        protocol: protocol.into(),
        ..ServicePort::default()
    }
}

/// The system objects of a fresh cluster.
pub fn system_objects(settings: &Settings) -> Vec<Object> {
    let first = nth_address(&settings.service_subnet, 1).unwrap_or_else(|| "10.96.0.1".into());
    let dns = nth_address(&settings.service_subnet, 10).unwrap_or_else(|| "10.96.0.10".into());
    let kubernetes = Service {
        api_version: "v1".into(),
        kind: "Service".into(),
        metadata: meta(
            "kubernetes",
            "default",
            &[("component", "apiserver"), ("provider", "kubernetes")],
        ),
        spec: ServiceSpec {
            r#type: Some("ClusterIP".into()),
            cluster_ip: Some(first.clone()),
            cluster_ips: vec![first],
            ports: vec![port("https", 443, 6443, "TCP")],
            session_affinity: Some("None".into()),
            ip_families: vec!["IPv4".into()],
            ip_family_policy: Some("SingleStack".into()),
            internal_traffic_policy: Some("Cluster".into()),
            ..ServiceSpec::default()
        },
        status: None,
    };
    let dns_labels = [
        ("k8s-app", "kube-dns"),
        ("kubernetes.io/cluster-service", "true"),
        ("kubernetes.io/name", "CoreDNS"),
    ];
    let selector: BTreeMap<String, String> =
        [("k8s-app".to_string(), "kube-dns".to_string())].into();
    let kube_dns = Service {
        api_version: "v1".into(),
        kind: "Service".into(),
        metadata: meta("kube-dns", "kube-system", &dns_labels),
        spec: ServiceSpec {
            r#type: Some("ClusterIP".into()),
            cluster_ip: Some(dns.clone()),
            cluster_ips: vec![dns],
            selector: Some(selector.clone()),
            ports: vec![
                port("dns", 53, 53, "UDP"),
                port("dns-tcp", 53, 53, "TCP"),
                port("metrics", 9153, 9153, "TCP"),
            ],
            session_affinity: Some("None".into()),
            ip_families: vec!["IPv4".into()],
            ip_family_policy: Some("SingleStack".into()),
            internal_traffic_policy: Some("Cluster".into()),
            ..ServiceSpec::default()
        },
        status: None,
    };
    let container_port = |name: &str, p: i32, protocol: &str| ContainerPort {
        name: name.into(),
        container_port: p,
        protocol: protocol.into(),
        ..ContainerPort::default()
    };
    let mut template = PodTemplateSpec::default();
    template.metadata.labels = selector.clone();
    template.spec.priority_class_name = "system-cluster-critical".into();
    template.spec.dns_policy = "Default".into();
    template.spec.service_account_name = "coredns".into();
    template.spec.node_selector = [("kubernetes.io/os".to_string(), "linux".to_string())].into();
    template.spec.tolerations = vec![
        Toleration {
            key: "CriticalAddonsOnly".into(),
            operator: "Exists".into(),
            ..Toleration::default()
        },
        Toleration {
            key: "node-role.kubernetes.io/control-plane".into(),
            effect: "NoSchedule".into(),
            ..Toleration::default()
        },
    ];
    template.spec.containers = vec![Container {
        name: "coredns".into(),
        image: "registry.k8s.io/coredns/coredns:v1.12.0".into(),
        args: vec!["-conf".into(), "/etc/coredns/Corefile".into()],
        ports: vec![
            container_port("dns", 53, "UDP"),
            container_port("dns-tcp", 53, "TCP"),
            container_port("metrics", 9153, "TCP"),
        ],
        readiness_probe: Some(Probe {
            http_get: serde_json::json!({"path": "/ready", "port": 8181, "scheme": "HTTP"}),
            ..Probe::default()
        }),
        ..Container::default()
    }];
    let coredns = Deployment {
        api_version: "apps/v1".into(),
        kind: "Deployment".into(),
        metadata: meta("coredns", "kube-system", &[("k8s-app", "kube-dns")]),
        spec: DeploymentSpec {
            replicas: Some(2),
            selector: LabelSelector {
                match_labels: selector,
                ..LabelSelector::default()
            },
            template,
            ..DeploymentSpec::default()
        },
        status: None,
    };
    let corefile = ConfigMap {
        api_version: "v1".into(),
        kind: "ConfigMap".into(),
        metadata: meta("coredns", "kube-system", &[]),
        data: [(
            "Corefile".to_string(),
            super::corefile::default_corefile(&settings.dns_domain),
        )]
        .into(),
        ..ConfigMap::default()
    };
    // kind's default class (kind: pkg/build/nodeimage/const_storage.go).
    let mut standard = StorageClass {
        api_version: "storage.k8s.io/v1".into(),
        kind: "StorageClass".into(),
        metadata: meta("standard", "", &[]),
        provisioner: super::storage::LOCAL_PATH.into(),
        reclaim_policy: Some("Delete".into()),
        volume_binding_mode: Some("WaitForFirstConsumer".into()),
        ..StorageClass::default()
    };
    standard.metadata.annotations.insert(
        super::storage::DEFAULT_CLASS_ANNOTATION.into(),
        "true".into(),
    );
    vec![
        Object::Service(Box::new(kubernetes)),
        Object::Service(Box::new(kube_dns)),
        Object::ConfigMap(Box::new(corefile)),
        Object::StorageClass(Box::new(standard)),
        Object::Deployment(Box::new(coredns)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_the_service_range() {
        assert_eq!(nth_address("10.96.0.0/12", 1).as_deref(), Some("10.96.0.1"));
        assert_eq!(
            nth_address("10.96.0.0/12", 10).as_deref(),
            Some("10.96.0.10")
        );
        assert_eq!(
            nth_address("10.100.0.0/24", 10).as_deref(),
            Some("10.100.0.10")
        );
        assert_eq!(nth_address("bad", 1), None);
        assert_eq!(
            nth_address("10.0.0.0/30", 3),
            None,
            "broadcast is never used"
        );
    }

    #[test]
    fn node_pod_cidrs_are_slash_24s_of_the_pod_subnet() {
        assert_eq!(node_pod_cidr("10.244.0.0/16", 1), "10.244.1.0/24");
        assert_eq!(node_pod_cidr("192.168.0.0/16", 3), "192.168.3.0/24");
    }
}
