//! core/v1 kinds: Namespace, Node, Pod, Service, Endpoints, PersistentVolume,
//! PersistentVolumeClaim, ConfigMap, Secret, and the types they share.

use std::collections::BTreeMap;

use super::meta::{LabelSelector, LocalObjectReference, ObjectMeta, ObjectReference};
use super::{api_struct, Any, IntOrString, Quantity};

api_struct!(Namespace { api_version: String, kind: String, metadata: ObjectMeta, spec: NamespaceSpec, status: Option<NamespaceStatus> });
api_struct!(NamespaceSpec { finalizers: Vec<String> });
api_struct!(NamespaceStatus { phase: String, conditions: Vec<Any> });

// ---------------------------------------------------------------------------- Node

api_struct!(Node { api_version: String, kind: String, metadata: ObjectMeta, spec: NodeSpec, status: Option<NodeStatus> });
api_struct!(NodeSpec {
    #[serde(rename = "podCIDR")]
    pod_cidr: String,
    #[serde(rename = "podCIDRs")]
    pod_cidrs: Vec<String>,
    #[serde(rename = "providerID")]
    provider_id: String,
    unschedulable: bool,
    taints: Vec<Taint>,
    config_source: Any,
    #[serde(rename = "externalID")]
    external_id: String,
});
api_struct!(Taint { key: String, value: String, effect: String, time_added: Option<String> });
api_struct!(NodeStatus {
    capacity: BTreeMap<String, Quantity>,
    allocatable: BTreeMap<String, Quantity>,
    phase: String,
    conditions: Vec<NodeCondition>,
    addresses: Vec<NodeAddress>,
    daemon_endpoints: Any,
    node_info: Option<NodeSystemInfo>,
    images: Vec<Any>,
    volumes_in_use: Vec<String>,
    volumes_attached: Vec<Any>,
    config: Any,
    runtime_handlers: Vec<Any>,
    features: Any,
});
api_struct!(NodeCondition { r#type: String, status: String, last_heartbeat_time: Option<String>, last_transition_time: Option<String>, reason: String, message: String });
api_struct!(NodeAddress {
    r#type: String,
    address: String
});
api_struct!(NodeSystemInfo {
    #[serde(rename = "machineID")]
    machine_id: String,
    #[serde(rename = "systemUUID")]
    system_uuid: String,
    #[serde(rename = "bootID")]
    boot_id: String,
    kernel_version: String,
    os_image: String,
    container_runtime_version: String,
    kubelet_version: String,
    kube_proxy_version: String,
    operating_system: String,
    architecture: String,
    swap: Any,
});

// ---------------------------------------------------------------------------- Pod

api_struct!(Pod { api_version: String, kind: String, metadata: ObjectMeta, spec: PodSpec, status: Option<PodStatus> });
api_struct!(
    /// `spec.template` of workloads.
    PodTemplateSpec { metadata: ObjectMeta, spec: PodSpec }
);
api_struct!(PodSpec {
    volumes: Vec<Volume>,
    init_containers: Vec<Container>,
    containers: Vec<Container>,
    ephemeral_containers: Vec<Any>,
    restart_policy: String,
    termination_grace_period_seconds: Option<i64>,
    active_deadline_seconds: Option<i64>,
    dns_policy: String,
    node_selector: BTreeMap<String, String>,
    service_account_name: String,
    service_account: String,
    automount_service_account_token: Option<bool>,
    node_name: String,
    host_network: bool,
    #[serde(rename = "hostPID")]
    host_pid: bool,
    #[serde(rename = "hostIPC")]
    host_ipc: bool,
    share_process_namespace: Option<bool>,
    security_context: Any,
    image_pull_secrets: Vec<LocalObjectReference>,
    hostname: String,
    subdomain: String,
    affinity: Option<Affinity>,
    scheduler_name: String,
    tolerations: Vec<Toleration>,
    host_aliases: Vec<Any>,
    priority_class_name: String,
    priority: Option<i32>,
    #[serde(rename = "dnsConfig")]
    dns_config: Option<PodDnsConfig>,
    readiness_gates: Vec<Any>,
    runtime_class_name: Option<String>,
    enable_service_links: Option<bool>,
    preemption_policy: Option<String>,
    overhead: BTreeMap<String, Quantity>,
    topology_spread_constraints: Vec<Any>,
    set_hostname_as_fqdn: Option<bool>,
    os: Any,
    #[serde(rename = "hostUsers")]
    host_users: Option<bool>,
    scheduling_gates: Vec<Any>,
    resource_claims: Vec<Any>,
    resources: Any,
});
api_struct!(Container {
    name: String,
    image: String,
    command: Vec<String>,
    args: Vec<String>,
    working_dir: String,
    ports: Vec<ContainerPort>,
    env_from: Vec<Any>,
    env: Vec<EnvVar>,
    resources: ResourceRequirements,
    resize_policy: Vec<Any>,
    restart_policy: Option<String>,
    volume_mounts: Vec<VolumeMount>,
    volume_devices: Vec<Any>,
    liveness_probe: Option<Probe>,
    readiness_probe: Option<Probe>,
    startup_probe: Option<Probe>,
    lifecycle: Any,
    termination_message_path: String,
    termination_message_policy: String,
    image_pull_policy: String,
    security_context: Any,
    stdin: bool,
    stdin_once: bool,
    tty: bool,
});
api_struct!(ContainerPort {
    name: String,
    host_port: i32,
    container_port: i32,
    protocol: String,
    #[serde(rename = "hostIP")]
    host_ip: String,
});
api_struct!(EnvVar {
    name: String,
    value: String,
    value_from: Any
});
api_struct!(ResourceRequirements { limits: BTreeMap<String, Quantity>, requests: BTreeMap<String, Quantity>, claims: Vec<Any> });
api_struct!(VolumeMount {
    name: String,
    read_only: bool,
    recursive_read_only: Option<String>,
    mount_path: String,
    sub_path: String,
    mount_propagation: Option<String>,
    sub_path_expr: String,
});
api_struct!(Probe {
    exec: Any,
    http_get: Any,
    tcp_socket: Any,
    grpc: Any,
    initial_delay_seconds: i32,
    timeout_seconds: i32,
    period_seconds: i32,
    success_threshold: i32,
    failure_threshold: i32,
    termination_grace_period_seconds: Option<i64>,
});
api_struct!(Toleration { key: String, operator: String, value: String, effect: String, toleration_seconds: Option<i64> });
api_struct!(Affinity { node_affinity: Option<NodeAffinity>, pod_affinity: Any, pod_anti_affinity: Any });
api_struct!(NodeAffinity {
    required_during_scheduling_ignored_during_execution: Option<NodeSelector>,
    preferred_during_scheduling_ignored_during_execution: Vec<Any>,
});
api_struct!(NodeSelector { node_selector_terms: Vec<NodeSelectorTerm> });
api_struct!(NodeSelectorTerm { match_expressions: Vec<NodeSelectorRequirement>, match_fields: Vec<NodeSelectorRequirement> });
api_struct!(NodeSelectorRequirement { key: String, operator: String, values: Vec<String> });
api_struct!(
    /// `spec.dnsConfig` of a pod.
    PodDnsConfig { nameservers: Vec<String>, searches: Vec<String>, options: Vec<PodDnsConfigOption> }
);
api_struct!(PodDnsConfigOption { name: String, value: Option<String> });

api_struct!(
    /// A pod volume: a name and one source.
    Volume {
        name: String,
        empty_dir: Option<EmptyDirVolumeSource>,
        host_path: Option<HostPathVolumeSource>,
        persistent_volume_claim: Option<PersistentVolumeClaimVolumeSource>,
        config_map: Any,
        secret: Any,
        projected: Any,
        downward_api: Any,
        ephemeral: Any,
        nfs: Option<NfsVolumeSource>,
        csi: Any,
        aws_elastic_block_store: Any,
        gce_persistent_disk: Any,
        azure_disk: Any,
        azure_file: Any,
        cephfs: Any,
        rbd: Any,
        cinder: Any,
        fc: Any,
        flex_volume: Any,
        flocker: Any,
        glusterfs: Any,
        iscsi: Any,
        quobyte: Any,
        vsphere_volume: Any,
        portworx_volume: Any,
        #[serde(rename = "scaleIO")]
        scale_io: Any,
        storageos: Any,
        photon_persistent_disk: Any,
        git_repo: Any,
        image: Any,
    }
);
api_struct!(EmptyDirVolumeSource { medium: String, size_limit: Option<Quantity> });
api_struct!(HostPathVolumeSource { path: String, r#type: Option<String> });
api_struct!(PersistentVolumeClaimVolumeSource {
    claim_name: String,
    read_only: bool
});
api_struct!(NfsVolumeSource {
    server: String,
    path: String,
    read_only: bool
});
api_struct!(LocalVolumeSource { path: String, fs_type: Option<String> });

api_struct!(PodStatus {
    observed_generation: i64,
    phase: String,
    conditions: Vec<PodCondition>,
    message: String,
    reason: String,
    nominated_node_name: String,
    #[serde(rename = "hostIP")]
    host_ip: String,
    #[serde(rename = "hostIPs")]
    host_ips: Vec<PodIp>,
    #[serde(rename = "podIP")]
    pod_ip: String,
    #[serde(rename = "podIPs")]
    pod_ips: Vec<PodIp>,
    start_time: Option<String>,
    init_container_statuses: Vec<ContainerStatus>,
    container_statuses: Vec<ContainerStatus>,
    qos_class: String,
});
api_struct!(PodIp { ip: String });
api_struct!(PodCondition {
    r#type: String,
    status: String,
    last_probe_time: Option<String>,
    last_transition_time: Option<String>,
    reason: String,
    message: String,
});
api_struct!(ContainerStatus {
    name: String,
    state: Any,
    last_state: Any,
    ready: bool,
    restart_count: i32,
    image: String,
    #[serde(rename = "imageID")]
    image_id: String,
    #[serde(rename = "containerID")]
    container_id: String,
    started: Option<bool>,
});

// ---------------------------------------------------------------------------- Service

api_struct!(Service { api_version: String, kind: String, metadata: ObjectMeta, spec: ServiceSpec, status: Option<ServiceStatus> });
api_struct!(ServiceSpec {
    ports: Vec<ServicePort>,
    selector: Option<BTreeMap<String, String>>,
    #[serde(rename = "clusterIP")]
    cluster_ip: Option<String>,
    #[serde(rename = "clusterIPs")]
    cluster_ips: Vec<String>,
    r#type: Option<String>,
    #[serde(rename = "externalIPs")]
    external_ips: Vec<String>,
    session_affinity: Option<String>,
    #[serde(rename = "loadBalancerIP")]
    load_balancer_ip: String,
    load_balancer_source_ranges: Vec<String>,
    external_name: String,
    external_traffic_policy: Option<String>,
    health_check_node_port: i32,
    publish_not_ready_addresses: bool,
    session_affinity_config: Option<SessionAffinityConfig>,
    ip_families: Vec<String>,
    ip_family_policy: Option<String>,
    allocate_load_balancer_node_ports: Option<bool>,
    load_balancer_class: Option<String>,
    internal_traffic_policy: Option<String>,
    traffic_distribution: Option<String>,
});
api_struct!(ServicePort {
    name: String,
    protocol: String,
    app_protocol: Option<String>,
    port: i32,
    target_port: Option<IntOrString>,
    node_port: i32,
});
api_struct!(SessionAffinityConfig { #[serde(rename = "clientIP")] client_ip: Option<ClientIpConfig> });
api_struct!(ClientIpConfig { timeout_seconds: Option<i32> });
api_struct!(ServiceStatus { load_balancer: LoadBalancerStatus, conditions: Vec<Any> });
api_struct!(LoadBalancerStatus { ingress: Vec<LoadBalancerIngress> });
api_struct!(LoadBalancerIngress { ip: String, hostname: String, ip_mode: Option<String>, ports: Vec<Any> });

// ---------------------------------------------------------------------------- Endpoints

api_struct!(Endpoints { api_version: String, kind: String, metadata: ObjectMeta, subsets: Vec<EndpointSubset> });
api_struct!(EndpointSubset { addresses: Vec<EndpointAddress>, not_ready_addresses: Vec<EndpointAddress>, ports: Vec<EndpointPort> });
api_struct!(EndpointAddress { ip: String, hostname: String, node_name: Option<String>, target_ref: Option<ObjectReference> });
api_struct!(EndpointPort { name: String, port: i32, protocol: String, app_protocol: Option<String> });

// ---------------------------------------------------------------------------- Storage

api_struct!(PersistentVolume { api_version: String, kind: String, metadata: ObjectMeta, spec: PersistentVolumeSpec, status: Option<PersistentVolumeStatus> });
api_struct!(PersistentVolumeSpec {
    capacity: BTreeMap<String, Quantity>,
    access_modes: Vec<String>,
    claim_ref: Option<ObjectReference>,
    persistent_volume_reclaim_policy: String,
    storage_class_name: String,
    mount_options: Vec<String>,
    volume_mode: Option<String>,
    node_affinity: Option<VolumeNodeAffinity>,
    volume_attributes_class_name: Option<String>,
    host_path: Option<HostPathVolumeSource>,
    nfs: Option<NfsVolumeSource>,
    local: Option<LocalVolumeSource>,
    csi: Any,
    aws_elastic_block_store: Any,
    gce_persistent_disk: Any,
    azure_disk: Any,
    azure_file: Any,
    cephfs: Any,
    rbd: Any,
    cinder: Any,
    fc: Any,
    flex_volume: Any,
    flocker: Any,
    glusterfs: Any,
    iscsi: Any,
    quobyte: Any,
    vsphere_volume: Any,
    portworx_volume: Any,
    #[serde(rename = "scaleIO")]
    scale_io: Any,
    storageos: Any,
    photon_persistent_disk: Any,
});
api_struct!(VolumeNodeAffinity { required: Option<NodeSelector> });
api_struct!(PersistentVolumeStatus { phase: String, message: String, reason: String, last_phase_transition_time: Option<String> });

api_struct!(PersistentVolumeClaim { api_version: String, kind: String, metadata: ObjectMeta, spec: PersistentVolumeClaimSpec, status: Option<PersistentVolumeClaimStatus> });
api_struct!(PersistentVolumeClaimSpec {
    access_modes: Vec<String>,
    selector: Option<LabelSelector>,
    resources: VolumeResourceRequirements,
    volume_name: String,
    storage_class_name: Option<String>,
    volume_mode: Option<String>,
    data_source: Any,
    data_source_ref: Any,
    volume_attributes_class_name: Option<String>,
});
api_struct!(VolumeResourceRequirements { limits: BTreeMap<String, Quantity>, requests: BTreeMap<String, Quantity> });
api_struct!(PersistentVolumeClaimStatus {
    phase: String,
    access_modes: Vec<String>,
    capacity: BTreeMap<String, Quantity>,
    conditions: Vec<Any>,
    allocated_resources: BTreeMap<String, Quantity>,
    allocated_resource_statuses: BTreeMap<String, String>,
    current_volume_attributes_class_name: Option<String>,
    modify_volume_status: Any,
});

// ---------------------------------------------------------------------------- Config

api_struct!(ConfigMap { api_version: String, kind: String, metadata: ObjectMeta, data: BTreeMap<String, String>, binary_data: BTreeMap<String, String>, immutable: Option<bool> });
api_struct!(Secret { api_version: String, kind: String, metadata: ObjectMeta, data: BTreeMap<String, String>, string_data: BTreeMap<String, String>, r#type: String, immutable: Option<bool> });

impl Service {
    /// Each port as `port` or `port:nodePort` (the numbers kubectl's PORT(S) column starts with).
    pub fn port_pairs(&self) -> Vec<String> {
        self.spec
            .ports
            .iter()
            .map(|p| {
                if p.node_port > 0 {
                    format!("{}:{}", p.port, p.node_port)
                } else {
                    p.port.to_string()
                }
            })
            .collect()
    }
}
