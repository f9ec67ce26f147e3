//! networking.k8s.io/v1: Ingress and IngressClass.

use super::meta::ObjectMeta;
use super::{api_struct, Any};

api_struct!(Ingress { api_version: String, kind: String, metadata: ObjectMeta, spec: IngressSpec, status: Option<IngressStatus> });
api_struct!(IngressSpec {
    ingress_class_name: Option<String>,
    default_backend: Option<IngressBackend>,
    tls: Vec<IngressTls>,
    rules: Vec<IngressRule>,
});
api_struct!(IngressBackend { service: Option<IngressServiceBackend>, resource: Option<TypedLocalObjectReference> });
api_struct!(IngressServiceBackend {
    name: String,
    port: ServiceBackendPort
});
api_struct!(ServiceBackendPort {
    name: String,
    number: i32
});
api_struct!(TypedLocalObjectReference { api_group: Option<String>, kind: String, name: String });
api_struct!(IngressTls { hosts: Vec<String>, secret_name: String });
api_struct!(IngressRule { host: String, http: Option<HttpIngressRuleValue> });
api_struct!(HttpIngressRuleValue { paths: Vec<HttpIngressPath> });
api_struct!(HttpIngressPath { path: String, path_type: Option<String>, backend: IngressBackend });
api_struct!(IngressStatus {
    load_balancer: IngressLoadBalancerStatus
});
api_struct!(IngressLoadBalancerStatus { ingress: Vec<IngressLoadBalancerIngress> });
api_struct!(IngressLoadBalancerIngress { ip: String, hostname: String, ports: Vec<Any> });

api_struct!(IngressClass {
    api_version: String,
    kind: String,
    metadata: ObjectMeta,
    spec: IngressClassSpec
});
api_struct!(IngressClassSpec {
    controller: String,
    parameters: Any
});
