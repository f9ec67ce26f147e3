//! storage.k8s.io/v1: StorageClass.

use std::collections::BTreeMap;

use super::meta::ObjectMeta;
use super::{api_struct, Any};

api_struct!(StorageClass {
    api_version: String,
    kind: String,
    metadata: ObjectMeta,
    provisioner: String,
    parameters: BTreeMap<String, String>,
    reclaim_policy: Option<String>,
    mount_options: Vec<String>,
    allow_volume_expansion: Option<bool>,
    volume_binding_mode: Option<String>,
    allowed_topologies: Vec<Any>,
});
