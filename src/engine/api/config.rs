//! Component configuration documents: kube-proxy's KubeProxyConfiguration and kubeadm's
//! ClusterConfiguration. They have no `metadata.name`; they configure the simulated cluster.

use super::meta::ObjectMeta;
use super::{api_struct, Any};

api_struct!(
    /// kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration.
    KubeProxyConfiguration {
        api_version: String,
        kind: String,
        metadata: ObjectMeta,
        mode: String,
        ipvs: Option<KubeProxyIpvsConfiguration>,
        iptables: Any,
        nftables: Any,
        winkernel: Any,
        #[serde(rename = "clusterCIDR")]
        cluster_cidr: String,
        bind_address: String,
        healthz_bind_address: String,
        metrics_bind_address: String,
        bind_address_hard_fail: bool,
        enable_profiling: bool,
        show_hidden_metrics_for_version: String,
        client_connection: Any,
        hostname_override: String,
        feature_gates: Any,
        detect_local_mode: String,
        detect_local: Any,
        node_port_addresses: Vec<String>,
        oom_score_adj: Option<i32>,
        conntrack: Any,
        config_sync_period: String,
        port_range: String,
        logging: Any,
    }
);
api_struct!(KubeProxyIpvsConfiguration {
    scheduler: String,
    sync_period: String,
    min_sync_period: String,
    #[serde(rename = "excludeCIDRs")]
    exclude_cidrs: Vec<String>,
    #[serde(rename = "strictARP")]
    strict_arp: bool,
    tcp_timeout: String,
    tcp_fin_timeout: String,
    udp_timeout: String,
});

api_struct!(
    /// kubeadm.k8s.io (v1beta3, v1beta4) ClusterConfiguration.
    ClusterConfiguration {
        api_version: String,
        kind: String,
        metadata: ObjectMeta,
        networking: ClusterNetworking,
        kubernetes_version: String,
        control_plane_endpoint: String,
        cluster_name: String,
        etcd: Any,
        api_server: Any,
        controller_manager: Any,
        scheduler: Any,
        dns: Any,
        proxy: Any,
        image_repository: String,
        feature_gates: Any,
        certificates_dir: String,
        ca_certificate_validity_period: Any,
        certificate_validity_period: Any,
        encryption_algorithm: String,
        upgrade: Any,
    }
);
api_struct!(ClusterNetworking {
    service_subnet: String,
    pod_subnet: String,
    dns_domain: String
});
