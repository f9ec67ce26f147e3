//! apps/v1 kinds: Deployment, ReplicaSet, StatefulSet, DaemonSet.

use super::core::{PersistentVolumeClaim, PodTemplateSpec};
use super::meta::{LabelSelector, ObjectMeta};
use super::{api_struct, Any};

api_struct!(Deployment { api_version: String, kind: String, metadata: ObjectMeta, spec: DeploymentSpec, status: Option<DeploymentStatus> });
api_struct!(DeploymentSpec {
    replicas: Option<i32>,
    selector: LabelSelector,
    template: PodTemplateSpec,
    strategy: Any,
    min_ready_seconds: i32,
    revision_history_limit: Option<i32>,
    paused: bool,
    progress_deadline_seconds: Option<i32>,
});
api_struct!(DeploymentStatus {
    observed_generation: i64,
    replicas: i32,
    updated_replicas: i32,
    ready_replicas: i32,
    available_replicas: i32,
    unavailable_replicas: i32,
    terminating_replicas: Option<i32>,
    conditions: Vec<Any>,
    collision_count: Option<i32>,
});

api_struct!(ReplicaSet { api_version: String, kind: String, metadata: ObjectMeta, spec: ReplicaSetSpec, status: Option<ReplicaSetStatus> });
api_struct!(ReplicaSetSpec { replicas: Option<i32>, min_ready_seconds: i32, selector: LabelSelector, template: PodTemplateSpec });
api_struct!(ReplicaSetStatus {
    replicas: i32,
    fully_labeled_replicas: i32,
    ready_replicas: i32,
    available_replicas: i32,
    terminating_replicas: Option<i32>,
    observed_generation: i64,
    conditions: Vec<Any>,
});

api_struct!(StatefulSet { api_version: String, kind: String, metadata: ObjectMeta, spec: StatefulSetSpec, status: Option<StatefulSetStatus> });
api_struct!(StatefulSetSpec {
    replicas: Option<i32>,
    selector: LabelSelector,
    template: PodTemplateSpec,
    volume_claim_templates: Vec<PersistentVolumeClaim>,
    service_name: String,
    pod_management_policy: Option<String>,
    update_strategy: Any,
    revision_history_limit: Option<i32>,
    min_ready_seconds: i32,
    persistent_volume_claim_retention_policy: Option<StatefulSetPersistentVolumeClaimRetentionPolicy>,
    ordinals: Any,
});
api_struct!(StatefulSetPersistentVolumeClaimRetentionPolicy { when_deleted: Option<String>, when_scaled: Option<String> });
api_struct!(StatefulSetStatus {
    observed_generation: i64,
    replicas: i32,
    ready_replicas: i32,
    current_replicas: i32,
    updated_replicas: i32,
    current_revision: String,
    update_revision: String,
    collision_count: Option<i32>,
    conditions: Vec<Any>,
    available_replicas: i32,
});

api_struct!(DaemonSet { api_version: String, kind: String, metadata: ObjectMeta, spec: DaemonSetSpec, status: Option<DaemonSetStatus> });
api_struct!(DaemonSetSpec { selector: LabelSelector, template: PodTemplateSpec, update_strategy: Any, min_ready_seconds: i32, revision_history_limit: Option<i32> });
api_struct!(DaemonSetStatus {
    current_number_scheduled: i32,
    number_misscheduled: i32,
    desired_number_scheduled: i32,
    number_ready: i32,
    observed_generation: i64,
    updated_number_scheduled: i32,
    number_available: i32,
    number_unavailable: i32,
    collision_count: Option<i32>,
    conditions: Vec<Any>,
});
