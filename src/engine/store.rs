//! The object store: the simulated API server's storage, keyed by (kind, namespace, name).
//!
//! It stamps what the API server stamps on write — `uid`, `resourceVersion`,
//! `creationTimestamp` (from the logical clock), `generation` — and nothing else.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use super::clock::Clock;
use super::manifest::Object;
use super::rng::Rng;

/// Where an object lives. Cluster-scoped objects have an empty namespace.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
}

impl Key {
    pub fn new(kind: &'static str, namespace: &str, name: &str) -> Key {
        Key {
            kind,
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }

    /// The key of an object.
    pub fn of(object: &Object) -> Key {
        let m = object.meta();
        Key::new(object.kind(), &m.namespace, &m.name)
    }
}

/// Which endpoint a write goes through.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Write {
    Object,
    Status,
}

/// All objects of the cluster, in key order (so every listing is deterministic).
#[derive(Clone, Debug, Default)]
pub struct Store {
    objects: BTreeMap<Key, Object>,
    resource_version: u64,
    /// Bumped by every change, removals included: caches built from the store key on it.
    revision: u64,
    /// The revision at which each kind last changed.
    kind_changed: BTreeMap<&'static str, u64>,
    allocations: ServiceAllocations,
}

/// The cluster IPs and node ports Services hold, kept up to date as the store writes
/// Services: the API server's allocators read this instead of listing every Service.
#[derive(Clone, Debug, Default)]
pub struct ServiceAllocations {
    pub cluster_ips: BTreeMap<String, Key>,
    /// Node ports and health-check node ports, with their protocol.
    pub node_ports: BTreeMap<(i32, String), Key>,
}

impl ServiceAllocations {
    fn add(&mut self, key: &Key, object: &Object) {
        let Object::Service(s) = object else { return };
        if let Some(ip) = &s.spec.cluster_ip {
            self.cluster_ips.insert(ip.clone(), key.clone());
        }
        for p in s.spec.ports.iter().filter(|p| p.node_port != 0) {
            self.node_ports
                .insert((p.node_port, p.protocol.clone()), key.clone());
        }
        if s.spec.health_check_node_port != 0 {
            self.node_ports
                .insert((s.spec.health_check_node_port, "TCP".into()), key.clone());
        }
    }

    fn remove(&mut self, key: &Key, object: &Object) {
        let Object::Service(s) = object else { return };
        if let Some(ip) = &s.spec.cluster_ip {
            if self.cluster_ips.get(ip) == Some(key) {
                self.cluster_ips.remove(ip);
            }
        }
        let ports = s.spec.ports.iter().filter(|p| p.node_port != 0);
        let ports = ports.map(|p| (p.node_port, p.protocol.clone()));
        let health = (s.spec.health_check_node_port != 0)
            .then(|| (s.spec.health_check_node_port, "TCP".to_string()));
        for port in ports.chain(health) {
            if self.node_ports.get(&port) == Some(key) {
                self.node_ports.remove(&port);
            }
        }
    }
}

impl Store {
    pub fn get(&self, key: &Key) -> Option<&Object> {
        self.objects.get(key)
    }

    /// All objects of one kind, optionally in one namespace.
    pub fn list<'a>(
        &'a self,
        kind: &'static str,
        namespace: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Object> + 'a {
        let start = Key::new(kind, namespace.unwrap_or(""), "");
        self.objects
            .range(start..)
            .take_while(move |(k, _)| {
                k.kind == kind && namespace.is_none_or(|ns| k.namespace == ns)
            })
            .map(|(_, o)| o)
    }

    /// Keys of all objects of one kind.
    pub fn keys(&self, kind: &'static str) -> Vec<Key> {
        self.list(kind, None).map(Key::of).collect()
    }

    /// Creates or replaces an object, stamping API-server fields. Returns true if the stored
    /// object changed (so a controller writing the same thing twice changes nothing).
    /// A change to the desired state bumps `metadata.generation`.
    pub fn put(&mut self, object: Object, clock: &Clock, rng: &mut Rng) -> bool {
        self.write(object, clock, rng, Write::Object)
    }

    /// Writes what a controller observed, like the `/status` subresource (and a pod's
    /// `/binding`): never bumps `metadata.generation`, and skips comparing specs.
    pub fn put_status(&mut self, object: Object, clock: &Clock, rng: &mut Rng) -> bool {
        self.write(object, clock, rng, Write::Status)
    }

    fn write(&mut self, mut object: Object, clock: &Clock, rng: &mut Rng, how: Write) -> bool {
        let key = Key::of(&object);
        let kind = key.kind;
        // One search of the tree for the read and the write.
        match self.objects.entry(key) {
            Entry::Occupied(mut entry) => {
                let old = entry.get();
                let (old_meta, m) = (old.meta(), object.meta_mut());
                m.uid.clone_from(&old_meta.uid);
                m.creation_timestamp
                    .clone_from(&old_meta.creation_timestamp);
                m.resource_version.clone_from(&old_meta.resource_version);
                m.generation = old_meta.generation;
                if same(old, &object) {
                    return false;
                }
                let spec_changed = how == Write::Object
                    && match (old, &object) {
                        // The kinds written most often compare their specs directly.
                        (Object::Pod(a), Object::Pod(b)) => a.spec != b.spec,
                        (Object::PersistentVolume(a), Object::PersistentVolume(b)) => {
                            a.spec != b.spec
                        }
                        (Object::PersistentVolumeClaim(a), Object::PersistentVolumeClaim(b)) => {
                            a.spec != b.spec
                        }
                        _ => old.spec_json() != object.spec_json(),
                    };
                self.resource_version += 1;
                let m = object.meta_mut();
                m.resource_version = self.resource_version.to_string();
                if spec_changed {
                    m.generation += 1;
                }
                if kind == "Service" {
                    self.allocations.remove(entry.key(), old);
                    self.allocations.add(entry.key(), &object);
                }
                *entry.get_mut() = object;
            }
            Entry::Vacant(entry) => {
                self.resource_version += 1;
                let m = object.meta_mut();
                if m.uid.is_empty() {
                    m.uid = rng.uuid();
                }
                m.creation_timestamp = Some(clock.timestamp());
                m.resource_version = self.resource_version.to_string();
                m.generation = 1;
                if kind == "Service" {
                    self.allocations.add(entry.key(), &object);
                }
                entry.insert(object);
            }
        }
        self.revision += 1;
        self.kind_changed.insert(kind, self.revision);
        true
    }

    /// A number that changes whenever any object is written or removed.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The cluster IPs and node ports Services hold.
    pub fn allocations(&self) -> &ServiceAllocations {
        &self.allocations
    }

    /// Whether an object of `kind` was written or removed after revision `since`.
    pub fn kind_changed_since(&self, kind: &str, since: u64) -> bool {
        self.kind_changed.get(kind).is_some_and(|&r| r > since)
    }

    /// Removes an object outright (after its finalizers are gone).
    pub fn remove(&mut self, key: &Key) -> Option<Object> {
        let removed = self.objects.remove(key);
        if let Some(old) = &removed {
            self.revision += 1;
            self.kind_changed.insert(key.kind, self.revision);
            self.allocations.remove(key, old);
        }
        removed
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// Every object, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&Key, &Object)> {
        self.objects.iter()
    }
}

/// Whether two versions of an object are equal. Controllers mostly write status, so for
/// the kinds written most that is compared first: a changed status is found without
/// walking the (equal, and often large) spec.
fn same(old: &Object, new: &Object) -> bool {
    macro_rules! status_first {
        ($($kind:ident),*) => {
            match (old, new) {
                $((Object::$kind(a), Object::$kind(b)) => {
                    a.status == b.status
                        && a.metadata == b.metadata
                        && a.spec == b.spec
                        && a.api_version == b.api_version
                        && a.kind == b.kind
                })*
                _ => old == new,
            }
        };
    }
    status_first!(Pod, ReplicaSet, Deployment, Service, PersistentVolumeClaim)
}
