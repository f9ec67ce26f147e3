//! discovery.k8s.io/v1: EndpointSlice.

use super::meta::{ObjectMeta, ObjectReference};
use super::{api_struct, Any};

api_struct!(EndpointSlice {
    api_version: String,
    kind: String,
    metadata: ObjectMeta,
    address_type: String,
    endpoints: Vec<Endpoint>,
    ports: Vec<EndpointSlicePort>,
});
api_struct!(Endpoint {
    addresses: Vec<String>,
    conditions: EndpointConditions,
    hostname: Option<String>,
    target_ref: Option<ObjectReference>,
    node_name: Option<String>,
    zone: Option<String>,
    hints: Any,
    deprecated_topology: Any,
});
api_struct!(EndpointConditions { ready: Option<bool>, serving: Option<bool>, terminating: Option<bool> });
api_struct!(EndpointSlicePort { name: Option<String>, protocol: Option<String>, port: Option<i32>, app_protocol: Option<String> });
