//! The EndpointSlice controller (kubernetes: pkg/controller/endpointslice, staging
//! endpointslice/reconciler.go, utils.go) and the legacy Endpoints controller
//! (pkg/controller/endpoint). For every Service with a selector: the pods it selects that
//! have an IP and have not finished, with ports resolved per pod (a named `targetPort`
//! must match a container port's name and protocol), conditions ready/serving/terminating,
//! at most 100 endpoints a slice, upstream's labels and owner. Services without a
//! selector keep whatever slices and Endpoints the input gave them; Endpoints given for
//! such a Service are mirrored into slices (the mirroring controller).

use crate::engine::sort::SortLean;
use std::collections::{BTreeMap, BTreeSet};

use super::kubelet::is_ready;
use crate::engine::api::core::{
    EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Pod, Service,
};
use crate::engine::api::discovery::{
    Endpoint, EndpointConditions, EndpointSlice, EndpointSlicePort,
};
use crate::engine::api::meta::{ObjectReference, OwnerReference};
use crate::engine::api::IntOrString;
use crate::engine::cluster::Cluster;
use crate::engine::manifest::Object;
use crate::engine::store::Key;

/// `--max-endpoints-per-slice` default.
pub const MAX_ENDPOINTS_PER_SLICE: usize = 100;
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
pub const MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";
pub const MANAGED_BY: &str = "endpointslice-controller.k8s.io";
/// The label the Endpoints controller puts on the Endpoints it manages.
pub const ENDPOINTS_MANAGED_BY_LABEL: &str = "endpoints.kubernetes.io/managed-by";

/// One selected pod as the controllers see it.
struct Member<'a> {
    pod: &'a Pod,
    ports: Vec<EndpointSlicePort>,
    serving: bool,
    terminating: bool,
}

/// The pods that can be endpoints (they have an IP and have not finished), by
/// (namespace, label key, label value) and by namespace, each list in pod-name order:
/// built once a pass, so matching a Service reads only the pods that carry its first label.
struct PodIndex<'a> {
    by_label: BTreeMap<(&'a str, &'a str, &'a str), Vec<&'a Pod>>,
    by_namespace: BTreeMap<&'a str, Vec<&'a Pod>>,
}

impl<'a> PodIndex<'a> {
    fn new(c: &'a Cluster) -> PodIndex<'a> {
        let mut index = PodIndex {
            by_label: BTreeMap::new(),
            by_namespace: BTreeMap::new(),
        };
        for o in c.store.list("Pod", None) {
            let Object::Pod(p) = o else { continue };
            let candidate = p.status.as_ref().is_some_and(|s| {
                !s.pod_ip.is_empty() && s.phase != "Succeeded" && s.phase != "Failed"
            });
            if !candidate {
                continue;
            }
            let ns = p.metadata.namespace.as_str();
            index.by_namespace.entry(ns).or_default().push(p);
            for (k, v) in &p.metadata.labels {
                index
                    .by_label
                    .entry((ns, k.as_str(), v.as_str()))
                    .or_default()
                    .push(p);
            }
        }
        index
    }

    /// The pods a Service selects, with their resolved ports, in pod-name order.
    fn members(&self, svc: &Service) -> Vec<Member<'a>> {
        let Some(selector) = &svc.spec.selector else {
            return Vec::new();
        };
        let ns = svc.metadata.namespace.as_str();
        let candidates = match selector.iter().next() {
            Some((k, v)) => self.by_label.get(&(ns, k.as_str(), v.as_str())),
            None => self.by_namespace.get(ns),
        };
        candidates
            .into_iter()
            .flatten()
            .filter(|p| {
                selector
                    .iter()
                    .all(|(k, v)| p.metadata.labels.get(k) == Some(v))
            })
            .map(|p| Member {
                ports: resolve_ports(svc, p),
                serving: is_ready(p),
                terminating: p.metadata.deletion_timestamp.is_some(),
                pod: p,
            })
            .collect()
    }
}

/// The Service's ports as this pod serves them; a named target port the pod does not
/// declare leaves that port out (upstream `podutil.FindPort`).
fn resolve_ports(svc: &Service, pod: &Pod) -> Vec<EndpointSlicePort> {
    svc.spec
        .ports
        .iter()
        .filter_map(|sp| {
            let protocol = crate::engine::api::protocol_or_tcp(&sp.protocol);
            let port = match sp.target_port.as_ref() {
                None => Some(sp.port),
                Some(IntOrString::Int(n)) => Some(*n),
                Some(IntOrString::String(name)) => pod
                    .spec
                    .containers
                    .iter()
                    .chain(
                        pod.spec
                            .init_containers
                            .iter()
                            .filter(|c| c.restart_policy.as_deref() == Some("Always")),
                    )
                    .flat_map(|c| &c.ports)
                    .find(|cp| {
                        cp.name == *name
                            && (crate::engine::api::protocol_or_tcp(&cp.protocol)) == protocol
                    })
                    .map(|cp| cp.container_port),
            }?;
            Some(EndpointSlicePort {
                name: Some(sp.name.clone()),
                protocol: Some(protocol.to_string()),
                port: Some(port),
                app_protocol: sp.app_protocol.clone(),
            })
        })
        .collect()
}

fn service_ref(svc: &Service) -> OwnerReference {
    OwnerReference {
        api_version: "v1".into(),
        kind: "Service".into(),
        name: svc.metadata.name.clone(),
        uid: svc.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

fn pod_ref(p: &Pod) -> ObjectReference {
    ObjectReference {
        kind: "Pod".into(),
        namespace: p.metadata.namespace.clone(),
        name: p.metadata.name.clone(),
        uid: p.metadata.uid.clone(),
        ..ObjectReference::default()
    }
}

fn headless(svc: &Service) -> bool {
    svc.spec.cluster_ip.as_deref() == Some("None")
}

fn controlled(svc: &Service) -> bool {
    svc.spec.selector.is_some() && svc.spec.r#type.as_deref() != Some("ExternalName")
}

fn services(c: &Cluster) -> impl Iterator<Item = &Service> {
    c.store.list("Service", None).filter_map(|o| match o {
        Object::Service(s) => Some(&**s),
        _ => None,
    })
}

/// What the EndpointSlice controller wants for one Service, planned while reading.
struct SlicePlan {
    svc: Service,
    groups: Vec<(Vec<EndpointSlicePort>, Vec<Endpoint>)>,
    existing: Vec<EndpointSlice>,
}

/// The EndpointSlice controller's pass.
pub fn reconcile(c: &mut Cluster) -> bool {
    let plans = plan_slices(c);
    let mut changed = false;
    for SlicePlan {
        svc,
        groups,
        existing,
    } in plans
    {
        let ns = svc.metadata.namespace.clone();
        let mut reusable: Vec<String> = existing.iter().map(|e| e.metadata.name.clone()).collect();
        let mut labels = svc.metadata.labels.clone();
        labels.insert(SERVICE_NAME_LABEL.into(), svc.metadata.name.clone());
        labels.insert(MANAGED_BY_LABEL.into(), MANAGED_BY.into());
        if headless(&svc) {
            labels.insert("service.kubernetes.io/headless".into(), String::new());
        }
        for (ports, endpoints) in groups {
            // Reuse a slice with the same ports first, then any left over; else create one.
            let pick = reusable
                .iter()
                .position(|n| {
                    existing
                        .iter()
                        .any(|e| &e.metadata.name == n && e.ports == ports)
                })
                .or(if reusable.is_empty() { None } else { Some(0) });
            let name = match pick {
                Some(i) => reusable.remove(i),
                None => loop {
                    let name = format!("{}-{}", svc.metadata.name, c.rng.suffix(5));
                    if c.store
                        .get(&Key::new("EndpointSlice", &ns, &name))
                        .is_none()
                    {
                        break name;
                    }
                },
            };
            let mut slice = existing
                .iter()
                .find(|e| e.metadata.name == name)
                .cloned()
                .unwrap_or_default();
            slice.api_version = "discovery.k8s.io/v1".into();
            slice.kind = "EndpointSlice".into();
            slice.metadata.name = name;
            slice.metadata.namespace = ns.clone();
            slice.metadata.generate_name = format!("{}-", svc.metadata.name);
            slice.metadata.labels = labels.clone();
            slice.metadata.owner_references = vec![service_ref(&svc)];
            slice.address_type = "IPv4".into();
            slice.ports = ports;
            slice.endpoints = endpoints;
            changed |= c.put(Object::EndpointSlice(Box::new(slice)));
        }
        for name in reusable {
            changed |= c.delete(&Key::new("EndpointSlice", &ns, &name));
        }
    }
    changed
}

/// Reads the store once: every controlled Service's desired endpoints — pods grouped by
/// their resolved ports, in chunks of 100 — and the slices it manages now.
fn plan_slices(c: &Cluster) -> Vec<SlicePlan> {
    let zones: BTreeMap<&str, &str> = c
        .store
        .list("Node", None)
        .filter_map(|o| {
            let zone = o.meta().labels.get("topology.kubernetes.io/zone")?;
            Some((o.meta().name.as_str(), zone.as_str()))
        })
        .collect();
    let mut managed: BTreeMap<(&str, &str), Vec<EndpointSlice>> = BTreeMap::new();
    for o in c.store.list("EndpointSlice", None) {
        let Object::EndpointSlice(es) = o else {
            continue;
        };
        let labels = &es.metadata.labels;
        if labels.get(MANAGED_BY_LABEL).map(String::as_str) != Some(MANAGED_BY) {
            continue;
        }
        if let Some(service) = labels.get(SERVICE_NAME_LABEL) {
            managed
                .entry((es.metadata.namespace.as_str(), service.as_str()))
                .or_default()
                .push((**es).clone());
        }
    }
    let pods = PodIndex::new(c);
    let mut plans = Vec::new();
    for svc in services(c).filter(|s| controlled(s)) {
        let mut groups: Vec<(Vec<EndpointSlicePort>, Vec<Endpoint>)> = Vec::new();
        for m in pods.members(svc) {
            let ip = m
                .pod
                .status
                .as_ref()
                .map(|s| s.pod_ip.clone())
                .unwrap_or_default();
            let hostname = (!m.pod.spec.hostname.is_empty()
                && m.pod.spec.subdomain == svc.metadata.name)
                .then(|| m.pod.spec.hostname.clone());
            let endpoint = Endpoint {
                addresses: vec![ip],
                conditions: EndpointConditions {
                    ready: Some(
                        (m.serving && !m.terminating) || svc.spec.publish_not_ready_addresses,
                    ),
                    serving: Some(m.serving),
                    terminating: Some(m.terminating),
                },
                hostname,
                target_ref: Some(pod_ref(m.pod)),
                node_name: Some(m.pod.spec.node_name.clone()).filter(|n| !n.is_empty()),
                zone: zones
                    .get(m.pod.spec.node_name.as_str())
                    .map(|z| z.to_string()),
                ..Endpoint::default()
            };
            match groups
                .iter_mut()
                .find(|(ports, eps)| *ports == m.ports && eps.len() < MAX_ENDPOINTS_PER_SLICE)
            {
                Some((_, eps)) => eps.push(endpoint),
                None => groups.push((m.ports, vec![endpoint])),
            }
        }
        if groups.is_empty() {
            groups.push((Vec::new(), Vec::new())); // the placeholder slice
        }
        let existing = managed
            .remove(&(svc.metadata.namespace.as_str(), svc.metadata.name.as_str()))
            .unwrap_or_default();
        plans.push(SlicePlan {
            svc: svc.clone(),
            groups,
            existing,
        });
    }
    plans
}

/// The legacy Endpoints controller's pass: one Endpoints per controlled Service, with the
/// same name; subsets by port set; ready pods in `addresses`, not-ready ones in
/// `notReadyAddresses`, terminating ones left out unless `publishNotReadyAddresses`.
pub fn reconcile_endpoints(c: &mut Cluster) -> bool {
    let mut changed = false;
    let mut wanted: Vec<Endpoints> = Vec::new();
    let mut owners: BTreeSet<(String, String)> = BTreeSet::new();
    let pods = PodIndex::new(c);
    for svc in services(c).filter(|s| controlled(s)) {
        owners.insert((svc.metadata.namespace.clone(), svc.metadata.name.clone()));
        let mut subsets: Vec<EndpointSubset> = Vec::new();
        for m in pods.members(svc) {
            if m.terminating && !svc.spec.publish_not_ready_addresses {
                continue;
            }
            let address = EndpointAddress {
                ip: m
                    .pod
                    .status
                    .as_ref()
                    .map(|s| s.pod_ip.clone())
                    .unwrap_or_default(),
                hostname: if m.pod.spec.subdomain == svc.metadata.name {
                    m.pod.spec.hostname.clone()
                } else {
                    String::new()
                },
                node_name: Some(m.pod.spec.node_name.clone()).filter(|n| !n.is_empty()),
                target_ref: Some(pod_ref(m.pod)),
            };
            let ports: Vec<EndpointPort> = m
                .ports
                .iter()
                .map(|p| EndpointPort {
                    name: p.name.clone().unwrap_or_default(),
                    port: p.port.unwrap_or_default(),
                    protocol: p.protocol.clone().unwrap_or_default(),
                    app_protocol: p.app_protocol.clone(),
                })
                .collect();
            let subset = match subsets.iter_mut().find(|s| s.ports == ports) {
                Some(s) => s,
                None => {
                    subsets.push(EndpointSubset {
                        ports,
                        ..EndpointSubset::default()
                    });
                    subsets.last_mut().expect("just pushed")
                }
            };
            if m.serving || svc.spec.publish_not_ready_addresses {
                subset.addresses.push(address);
            } else {
                subset.not_ready_addresses.push(address);
            }
        }
        for s in &mut subsets {
            s.addresses.sort_lean_by(|a, b| a.ip.cmp(&b.ip));
            s.not_ready_addresses.sort_lean_by(|a, b| a.ip.cmp(&b.ip));
        }
        let key = Key::new("Endpoints", &svc.metadata.namespace, &svc.metadata.name);
        let mut ep = match c.store.get(&key) {
            Some(Object::Endpoints(e)) => (**e).clone(),
            _ => Endpoints::default(),
        };
        ep.api_version = "v1".into();
        ep.kind = "Endpoints".into();
        ep.metadata.name = svc.metadata.name.clone();
        ep.metadata.namespace = svc.metadata.namespace.clone();
        let mut labels = svc.metadata.labels.clone();
        labels.insert(
            ENDPOINTS_MANAGED_BY_LABEL.into(),
            "endpoint-controller".into(),
        );
        if headless(svc) {
            labels.insert("service.kubernetes.io/headless".into(), String::new());
        }
        ep.metadata.labels = labels;
        ep.subsets = subsets;
        wanted.push(ep);
    }
    // Endpoints this controller made for a Service that is gone (or no longer selects).
    let stale: Vec<Key> = c
        .store
        .list("Endpoints", None)
        .filter(|o| o.meta().labels.contains_key(ENDPOINTS_MANAGED_BY_LABEL))
        .filter(|o| !owners.contains(&(o.meta().namespace.clone(), o.meta().name.clone())))
        .map(Key::of)
        .collect();
    for ep in wanted {
        changed |= c.put(Object::Endpoints(Box::new(ep)));
    }
    for key in stale {
        changed |= c.delete(&key);
    }
    changed
}

/// The EndpointSlice mirroring controller (kubernetes: pkg/controller/endpointslicemirroring):
/// a Service without a selector whose Endpoints the input supplies gets EndpointSlices
/// mirroring them, so kube-proxy (which reads only slices) routes to those addresses.
pub fn reconcile_mirroring(c: &mut Cluster) -> bool {
    const MIRRORED_BY: &str = "endpointslicemirroring-controller.k8s.io";
    let mut changed = false;
    let mirrored: Vec<Service> = services(c)
        .filter(|s| s.spec.selector.is_none() && s.spec.r#type.as_deref() != Some("ExternalName"))
        .cloned()
        .collect();
    let mut wanted: BTreeSet<Key> = BTreeSet::new();
    for svc in &mirrored {
        let ns = &svc.metadata.namespace;
        let Some(Object::Endpoints(ep)) = c
            .store
            .get(&Key::new("Endpoints", ns, &svc.metadata.name))
            .cloned()
        else {
            continue;
        };
        if ep.metadata.labels.contains_key(ENDPOINTS_MANAGED_BY_LABEL) {
            continue;
        }
        for (i, subset) in ep.subsets.iter().enumerate() {
            let ports: Vec<EndpointSlicePort> = subset
                .ports
                .iter()
                .map(|p| EndpointSlicePort {
                    name: Some(p.name.clone()),
                    protocol: Some(crate::engine::api::protocol_or_tcp(&p.protocol).to_string()),
                    port: Some(p.port),
                    app_protocol: p.app_protocol.clone(),
                })
                .collect();
            let endpoint = |a: &EndpointAddress, ready: bool| Endpoint {
                addresses: vec![a.ip.clone()],
                conditions: EndpointConditions {
                    ready: Some(ready),
                    serving: Some(ready),
                    terminating: Some(false),
                },
                hostname: Some(a.hostname.clone()).filter(|h| !h.is_empty()),
                node_name: a.node_name.clone(),
                target_ref: a.target_ref.clone(),
                ..Endpoint::default()
            };
            let endpoints: Vec<Endpoint> = subset
                .addresses
                .iter()
                .map(|a| endpoint(a, true))
                .chain(
                    subset
                        .not_ready_addresses
                        .iter()
                        .map(|a| endpoint(a, false)),
                )
                .collect();
            // Stable names: one slice per subset, `<service>-mirror-<n>`.
            let name = format!("{}-mirror-{i}", svc.metadata.name);
            let key = Key::new("EndpointSlice", ns, &name);
            let mut slice = match c.store.get(&key) {
                Some(Object::EndpointSlice(s)) => (**s).clone(),
                _ => EndpointSlice::default(),
            };
            slice.api_version = "discovery.k8s.io/v1".into();
            slice.kind = "EndpointSlice".into();
            slice.metadata.name = name;
            slice.metadata.namespace = ns.clone();
            let mut labels = svc.metadata.labels.clone();
            labels.insert(SERVICE_NAME_LABEL.into(), svc.metadata.name.clone());
            labels.insert(MANAGED_BY_LABEL.into(), MIRRORED_BY.into());
            slice.metadata.labels = labels;
            slice.metadata.owner_references = vec![service_ref(svc)];
            slice.address_type = "IPv4".into();
            slice.ports = ports;
            slice.endpoints = endpoints;
            wanted.insert(key.clone());
            changed |= c.put(Object::EndpointSlice(Box::new(slice)));
        }
    }
    let stale: Vec<Key> = c
        .store
        .list("EndpointSlice", None)
        .filter(|o| o.meta().labels.get(MANAGED_BY_LABEL).map(String::as_str) == Some(MIRRORED_BY))
        .map(Key::of)
        .filter(|k| !wanted.contains(k))
        .collect();
    for key in stale {
        changed |= c.delete(&key);
    }
    changed
}
