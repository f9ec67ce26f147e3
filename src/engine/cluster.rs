//! The simulated cluster: the store, the logical clock, the seeded RNG, the event log, and
//! the reconcile loop that runs the controllers until nothing changes.

use std::collections::{BTreeMap, BTreeSet};

use super::api::core::{Namespace, Node};
use super::api::ObjectMeta;
use super::clock::Clock;
use super::controllers;
use super::defaults;
use super::manifest::{Object, ParsedObject};
use super::rng::Rng;
use super::store::{Key, Store};

/// Most passes the reconcile loop makes before it declares the controllers stuck.
pub const MAX_RECONCILE_PASSES: usize = 100;

/// Seconds the logical clock moves for each command, so ages and events advance.
pub const COMMAND_TICK_SECONDS: u64 = 5;

/// `Normal` or `Warning`, as in `kubectl get events`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventType {
    Normal,
    Warning,
}

/// An event, deduplicated like the API server's event correlator: the same object, reason
/// and message bump `count` and `last_seen`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub r#type: EventType,
    pub reason: String,
    pub object: Key,
    pub message: String,
    /// The reporting component (`default-scheduler`, `replicaset-controller`, `kubelet`…).
    pub source: String,
    pub count: u32,
    pub first_seen: u64,
    pub last_seen: u64,
}

/// The engine broke one of its own invariants (tier 3 of DESIGN.md's failures).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("the controllers did not settle after {MAX_RECONCILE_PASSES} passes (last to change: {0}); this is a kubeplay bug")]
    NotConverging(String),
}

/// A running pod's environment as the kubelet fixed it at start: its own variables
/// (`PATH`, `HOSTNAME`) and the Service variables of its namespace at that moment —
/// shared by every pod started from the same snapshot, since they are the same text.
#[derive(Clone, Debug)]
pub struct ContainerEnv {
    pub own: Vec<(String, String)>,
    pub services: std::rc::Rc<[(String, String)]>,
}

impl ContainerEnv {
    /// Every variable, own first.
    pub fn vars(&self) -> Vec<(String, String)> {
        self.own
            .iter()
            .chain(self.services.iter())
            .cloned()
            .collect()
    }
}

/// The whole simulated cluster.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub store: Store,
    pub clock: Clock,
    pub rng: Rng,
    pub events: Vec<Event>,
    /// Where each (object, reason, message) is in `events`, for the correlator.
    /// (A set of (hash of the three, index): the kubelet records thousands of events in
    /// one pass, and copying three strings per event into the index, or a list per hash,
    /// cost more than the event.)
    event_index: BTreeSet<(u64, usize)>,
    /// The deployment controller's cache of pod-template hashes by (uid, generation): the
    /// template can only change with the generation.
    pub(crate) template_hashes: BTreeMap<(String, i64), String>,
    /// Each running pod's container environment, by pod uid, fixed when the kubelet
    /// started it (the kubelet's runtime state, not an API object).
    pub container_env: BTreeMap<String, ContainerEnv>,
    /// `sessionAffinity: ClientIP` memory, as the `recent` match keeps it: (service chain,
    /// client address) → (endpoint, valid until).
    pub affinity: BTreeMap<(String, String), (String, u64)>,
    /// ipvs round-robin position per virtual server (`ip:port`).
    pub ipvs_next: BTreeMap<String, usize>,
    /// Dispatch's view of the cluster, rebuilt when the store changes.
    pub(crate) routes: Option<std::sync::Arc<super::dispatch::Routes>>,
    /// The Corefile CoreDNS serves with, and the ConfigMap revision it was read from.
    pub dns: DnsConfig,
    /// The files volumes, nodes and containers hold (runtime state, not API objects).
    pub files: super::storage::files::Files,
    pub settings: Settings,
    /// The requests `curl` sent, oldest first (the last [`MAX_REQUESTS`]), for the
    /// network diagram's request path and spread.
    pub requests: Vec<RequestRecord>,
    /// The last name a pod looked up (namespace, pod, name), for the DNS diagram.
    pub last_lookup: Option<(String, String, String)>,
    /// The language explainers answer in (`zh`, else English): the person's, not the
    /// cluster's; kubectl's own output stays as kubectl prints it.
    pub lang: String,
}

/// How many requests [`Cluster::requests`] keeps.
pub const MAX_REQUESTS: usize = 200;

/// A request `curl` sent, as the network diagram draws it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRecord {
    /// Who asked what: the client's box id and the URL's `host:port/path`.
    pub target: String,
    /// The boxes it went through, each with the hops that happened there.
    pub steps: Vec<(String, Vec<String>)>,
    /// The pod that answered (`Pod/ns/name`), if one did.
    pub answered: Option<String>,
}

impl Cluster {
    /// Logs a request (dropping the oldest beyond [`MAX_REQUESTS`]).
    pub fn log_request(&mut self, record: RequestRecord) {
        if self.requests.len() >= MAX_REQUESTS {
            self.requests.remove(0);
        }
        self.requests.push(record);
    }
}

/// CoreDNS's loaded configuration (the `reload` plugin's view of the `coredns` ConfigMap).
#[derive(Clone, Debug)]
pub struct DnsConfig {
    pub corefile: std::sync::Arc<super::corefile::Corefile>,
    /// The ConfigMap's resourceVersion last read (`None`: never read).
    pub source: Option<String>,
    /// Why the last Corefile was refused (the last good one keeps serving).
    pub error: Option<String>,
}

impl DnsConfig {
    fn for_domain(domain: &str) -> DnsConfig {
        let corefile = super::corefile::parse(&super::corefile::default_corefile(domain))
            .expect("the default Corefile parses");
        DnsConfig {
            corefile: std::sync::Arc::new(corefile),
            source: None,
            error: None,
        }
    }
}

/// Cluster-wide settings (kubeadm/kind defaults; a ClusterConfiguration may change them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub service_subnet: String,
    pub pod_subnet: String,
    pub dns_domain: String,
    /// kube-proxy's mode (`iptables`, `ipvs`, `nftables`, historical `userspace`).
    pub proxy_mode: String,
    /// `ipvs.scheduler` of the KubeProxyConfiguration (default `rr`).
    pub ipvs_scheduler: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            service_subnet: "10.96.0.0/12".into(),
            pod_subnet: "10.244.0.0/16".into(),
            dns_domain: "cluster.local".into(),
            proxy_mode: "iptables".into(),
            ipvs_scheduler: "rr".into(),
        }
    }
}

/// The default nodes: three schedulable kind-style workers.
pub const DEFAULT_NODES: [&str; 3] = ["kind-worker", "kind-worker2", "kind-worker3"];

impl Cluster {
    /// An empty cluster with the default namespaces. Nodes come from [`Cluster::bootstrap`].
    pub fn new(seed: u64) -> Cluster {
        Cluster {
            store: Store::default(),
            clock: Clock::default(),
            rng: Rng::new(seed),
            events: Vec::new(),
            event_index: BTreeSet::new(),
            template_hashes: BTreeMap::new(),
            container_env: BTreeMap::new(),
            affinity: BTreeMap::new(),
            ipvs_next: BTreeMap::new(),
            routes: None,
            dns: DnsConfig::for_domain("cluster.local"),
            files: Default::default(),
            settings: Settings::default(),
            requests: Vec::new(),
            last_lookup: None,
            lang: String::new(),
        }
    }

    /// Creates the default cluster around the user's objects: a kubeadm
    /// `ClusterConfiguration` among them sets subnets and domain; Node objects among them
    /// replace the three default nodes. Then namespaces, the `kubernetes` Service, and
    /// CoreDNS (`kube-dns` Service + `coredns` Deployment) in kube-system.
    pub fn bootstrap(&mut self, objects: &[ParsedObject]) {
        for p in objects {
            if let Object::KubeProxyConfiguration(cfg) = &p.object {
                if !cfg.mode.is_empty() {
                    self.settings.proxy_mode = cfg.mode.clone();
                }
                if let Some(scheduler) = cfg
                    .ipvs
                    .as_ref()
                    .map(|i| i.scheduler.clone())
                    .filter(|s| !s.is_empty())
                {
                    self.settings.ipvs_scheduler = scheduler;
                }
            }
            if let Object::ClusterConfiguration(cfg) = &p.object {
                let n = &cfg.networking;
                if !n.service_subnet.is_empty() {
                    self.settings.service_subnet = n.service_subnet.clone();
                }
                if !n.pod_subnet.is_empty() {
                    self.settings.pod_subnet = n.pod_subnet.clone();
                }
                if !n.dns_domain.is_empty() {
                    self.settings.dns_domain = n.dns_domain.clone();
                }
            }
        }
        for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            let mut o = Namespace {
                api_version: "v1".into(),
                kind: "Namespace".into(),
                ..Namespace::default()
            };
            o.metadata.name = ns.into();
            o.metadata
                .labels
                .insert("kubernetes.io/metadata.name".into(), ns.into());
            self.put(Object::Namespace(Box::new(o)));
        }
        if !objects.iter().any(|p| p.object.kind() == "Node") {
            for name in DEFAULT_NODES {
                self.put(Object::Node(Box::new(default_node(name))));
            }
        }
        for object in defaults::system_objects(&self.settings) {
            self.put(object);
        }
    }

    /// Deletes an object as the API server does: one with finalizers only gets a
    /// `deletionTimestamp` (it shows as Terminating until its finalizers are removed);
    /// one without is removed at once. Returns false if there was no such object.
    pub fn delete(&mut self, key: &Key) -> bool {
        let Some(mut object) = self.store.get(key).cloned() else {
            return false;
        };
        if object.meta().finalizers.is_empty() {
            self.store.remove(key);
        } else if object.meta().deletion_timestamp.is_none() {
            object.meta_mut().deletion_timestamp = Some(self.clock.timestamp());
            self.put(object);
        }
        true
    }

    /// Writes an object through the store (stamping uid, resourceVersion, timestamps).
    pub fn put(&mut self, object: Object) -> bool {
        self.store.put(object, &self.clock, &mut self.rng)
    }

    /// Writes a controller's observation (status, a pod's binding) through the store; the
    /// object's generation stays as it is.
    pub fn put_status(&mut self, object: Object) -> bool {
        self.store.put_status(object, &self.clock, &mut self.rng)
    }

    /// Records an event, merging it into an identical earlier one.
    pub fn event(
        &mut self,
        r#type: EventType,
        object: Key,
        reason: &str,
        source: &str,
        message: String,
    ) {
        let now = self.clock.now;
        if let Some(i) = self.find_event(&object, reason, &message) {
            let e = &mut self.events[i];
            e.count += 1;
            e.last_seen = now;
            return;
        }
        let hash = event_hash(&object, reason, &message);
        self.event_index.insert((hash, self.events.len()));
        self.events.push(Event {
            r#type,
            reason: reason.into(),
            object,
            message,
            source: source.into(),
            count: 1,
            first_seen: now,
            last_seen: now,
        });
    }

    /// Records an event a controller repeats on every resync (15 s): an identical event
    /// seen less than 15 s ago is left alone, so `describe` counts `(x4 over 1m)` as a real
    /// cluster would, not once per reconcile pass.
    pub fn event_resync(
        &mut self,
        r#type: EventType,
        object: Key,
        reason: &str,
        source: &str,
        message: String,
    ) {
        if let Some(i) = self.find_event(&object, reason, &message) {
            if self.events[i].last_seen + 15 > self.clock.now {
                return;
            }
        }
        self.event(r#type, object, reason, source, message);
    }

    /// The event with this object, reason and message, if one was recorded.
    fn find_event(&self, object: &Key, reason: &str, message: &str) -> Option<usize> {
        let hash = event_hash(object, reason, message);
        let candidates = self.event_index.range((hash, 0)..=(hash, usize::MAX));
        candidates.map(|&(_, i)| i).find(|&i| {
            let e = &self.events[i];
            e.object == *object && e.reason == reason && e.message == message
        })
    }

    /// Runs every controller, in a fixed order, until a full pass changes nothing.
    pub fn reconcile(&mut self) -> Result<(), EngineError> {
        self.reconcile_with(controllers::ALL)
    }

    /// The loop behind [`Cluster::reconcile`], over any set of controllers. Like an
    /// informer-driven controller, one that changed nothing last time is not woken again
    /// until an object of a kind it reads changes (its result would be the same: controllers
    /// are deterministic functions of what they read).
    fn reconcile_with(&mut self, controllers: &[controllers::Entry]) -> Result<(), EngineError> {
        let mut last = "";
        // Per controller: the store revision since which it has nothing to do (when it
        // last ran and changed nothing; for a `Settled` one, also after it changed things).
        let mut idle_since: Vec<Option<u64>> = vec![None; controllers.len()];
        for _ in 0..MAX_RECONCILE_PASSES {
            let mut changed = false;
            for (i, (name, controller, reads)) in controllers.iter().enumerate() {
                let asleep = idle_since[i].is_some_and(|since| match reads {
                    controllers::Reads::Kinds(kinds) | controllers::Reads::Settled(kinds) => !kinds
                        .iter()
                        .any(|k| self.store.kind_changed_since(k, since)),
                    controllers::Reads::Anything => self.store.revision() == since,
                    controllers::Reads::Unknown => false,
                });
                if asleep {
                    continue;
                }
                let before = self.store.revision();
                if controller(self) {
                    changed = true;
                    last = name;
                    idle_since[i] = match reads {
                        controllers::Reads::Settled(_) => Some(self.store.revision()),
                        _ => None,
                    };
                } else {
                    idle_since[i] = Some(before);
                }
            }
            if !changed {
                return Ok(());
            }
        }
        Err(EngineError::NotConverging(last.into()))
    }

    /// Objects of a kind as typed values (cloned), in key order.
    pub fn objects(&self, kind: &'static str, namespace: Option<&str>) -> Vec<Object> {
        self.store.list(kind, namespace).cloned().collect()
    }

    /// The newest object of a cluster-scoped kind marked default by `annotation: "true"`
    /// (ties: the first name), as the DefaultStorageClass and DefaultIngressClass
    /// admission plugins pick when several are marked.
    pub fn newest_default(&self, kind: &'static str, annotation: &str) -> Option<&Object> {
        self.store
            .list(kind, None)
            .filter(|o| {
                o.meta()
                    .annotations
                    .get(annotation)
                    .is_some_and(|v| v == "true")
            })
            .max_by(|a, b| {
                let (a, b) = (a.meta(), b.meta());
                a.creation_timestamp
                    .cmp(&b.creation_timestamp)
                    .then(b.name.cmp(&a.name))
            })
    }

    /// Every node, cloned, in name order.
    pub fn nodes(&self) -> Vec<Node> {
        self.store
            .list("Node", None)
            .filter_map(|o| match o {
                Object::Node(n) => Some((**n).clone()),
                _ => None,
            })
            .collect()
    }

    /// Each node's name and InternalIP (nodes without one are left out), in name order.
    pub fn node_ips(&self) -> Vec<(String, String)> {
        self.store
            .list("Node", None)
            .filter_map(|o| match o {
                Object::Node(n) => Some((n.metadata.name.clone(), internal_ip(n)?)),
                _ => None,
            })
            .collect()
    }

    /// One node's InternalIP.
    pub fn node_ip(&self, name: &str) -> Option<String> {
        match self.store.get(&Key::new("Node", "", name)) {
            Some(Object::Node(n)) => internal_ip(n),
            _ => None,
        }
    }

    /// The pod CIDR of each node, by name.
    pub fn node_pod_cidrs(&self) -> BTreeMap<String, String> {
        self.store
            .list("Node", None)
            .filter_map(|o| match o {
                Object::Node(n) => Some((n.metadata.name.clone(), n.spec.pod_cidr.clone())),
                _ => None,
            })
            .collect()
    }
}

/// A node's `InternalIP` address.
fn internal_ip(n: &Node) -> Option<String> {
    n.status
        .as_ref()?
        .addresses
        .iter()
        .find(|a| a.r#type == "InternalIP")
        .map(|a| a.address.clone())
}

/// FNV-1a over an event's correlation fields (deterministic on every platform).
fn event_hash(object: &Key, reason: &str, message: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [
        object.kind,
        &object.namespace,
        &object.name,
        reason,
        message,
    ] {
        for b in part.bytes().chain([0xff]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// A default node as the cluster creator registers it: a name and a provider ID. Its
/// pod CIDR comes from the node IPAM controller, its labels and status from its kubelet.
fn default_node(name: &str) -> Node {
    let mut n = Node {
        api_version: "v1".into(),
        kind: "Node".into(),
        metadata: ObjectMeta {
            name: name.into(),
            ..ObjectMeta::default()
        },
        ..Node::default()
    };
    n.spec.provider_id = format!("kind://docker/kind/{name}");
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A controller that never settles: it flips a label on every pass.
    fn flip_flop(c: &mut Cluster) -> bool {
        let key = Key::new("Namespace", "", "default");
        let Some(Object::Namespace(mut ns)) = c.store.get(&key).cloned() else {
            return false;
        };
        let next = if ns.metadata.labels.get("flip").is_some_and(|v| v == "a") {
            "b"
        } else {
            "a"
        };
        ns.metadata.labels.insert("flip".into(), next.into());
        c.put(Object::Namespace(ns))
    }

    thread_local! {
        static RUNS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }

    /// Counts its runs; changes nothing.
    fn watcher(_: &mut Cluster) -> bool {
        RUNS.with(|r| r.set(r.get() + 1));
        false
    }

    /// Labels the default namespace once per pass for three passes.
    fn namespace_writer(c: &mut Cluster) -> bool {
        let key = Key::new("Namespace", "", "default");
        let Some(Object::Namespace(mut ns)) = c.store.get(&key).cloned() else {
            return false;
        };
        let n = ns
            .metadata
            .labels
            .keys()
            .filter(|k| k.starts_with("step-"))
            .count();
        if n >= 3 {
            return false;
        }
        ns.metadata
            .labels
            .insert(format!("step-{n}"), String::new());
        c.put(Object::Namespace(ns))
    }

    #[test]
    fn an_idle_controller_is_woken_only_when_a_kind_it_reads_changes() {
        let run = |reads: controllers::Reads| {
            let mut c = Cluster::new(1);
            c.bootstrap(&[]);
            RUNS.with(|r| r.set(0));
            c.reconcile_with(&[
                ("writer", namespace_writer, controllers::Reads::Unknown),
                ("watcher", watcher, reads),
            ])
            .expect("settles");
            RUNS.with(|r| r.get())
        };
        // The writer changes a Namespace in passes 1–3; pass 4 changes nothing. A watcher
        // of unknown reads runs every pass; one reading Namespaces (or anything) runs in
        // passes 1–3 and sleeps in pass 4, since nothing changed after its third run.
        assert_eq!(run(controllers::Reads::Unknown), 4);
        assert_eq!(run(controllers::Reads::Kinds(&["Namespace"])), 3);
        assert_eq!(run(controllers::Reads::Anything), 3);
        // Reading only Services, it ran once and slept through the Namespace writes.
        assert_eq!(run(controllers::Reads::Kinds(&["Service"])), 1);
    }

    #[test]
    fn a_settled_controller_is_not_woken_by_its_own_writes() {
        let steps = |reads: controllers::Reads| {
            let mut c = Cluster::new(1);
            c.bootstrap(&[]);
            c.reconcile_with(&[("writer", namespace_writer, reads)])
                .expect("settles");
            match c.store.get(&Key::new("Namespace", "", "default")) {
                Some(Object::Namespace(ns)) => ns
                    .metadata
                    .labels
                    .keys()
                    .filter(|k| k.starts_with("step-"))
                    .count(),
                _ => 0,
            }
        };
        // The writer does one step per run: as `Kinds` its own write wakes it for the
        // next step; declared `Settled` (which it is not) it would stop after one.
        assert_eq!(steps(controllers::Reads::Kinds(&["Namespace"])), 3);
        assert_eq!(steps(controllers::Reads::Settled(&["Namespace"])), 1);
    }

    #[test]
    fn a_controller_that_never_settles_is_an_engine_error_not_a_hang() {
        let mut c = Cluster::new(1);
        c.bootstrap(&[]);
        let err = c
            .reconcile_with(&[(
                "flip-flop-controller",
                flip_flop,
                controllers::Reads::Unknown,
            )])
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the controllers did not settle after 100 passes (last to change: flip-flop-controller); this is a kubeplay bug"
        );
    }

    #[test]
    fn the_default_cluster_settles() {
        let mut c = Cluster::new(1);
        c.bootstrap(&[]);
        c.reconcile().unwrap();
        // Running the controllers again changes nothing: they are level-triggered.
        let before = c
            .store
            .iter()
            .map(|(k, o)| (k.clone(), o.clone()))
            .collect::<Vec<_>>();
        c.reconcile().unwrap();
        let after = c
            .store
            .iter()
            .map(|(k, o)| (k.clone(), o.clone()))
            .collect::<Vec<_>>();
        assert_eq!(before, after);
    }
}
