//! Manifest reading: text → typed objects + located diagnostics.
//!
//! This is what `kubectl apply --validate=strict` would say before anything reaches the
//! cluster: YAML syntax, missing `apiVersion`/`kind`/`metadata.name`, kinds the server does
//! not serve, wrong types, invalid names and labels, duplicates, and unknown fields
//! (warnings). A bad document never hides the good ones around it.

use crate::engine::sort::SortLean;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::api::{self, ObjectMeta};
use super::de::{self, DeError, UnknownField};
use super::diag::{Diagnostic, Severity};
use super::validation;
use super::yaml::{self, Node, Pos, Value};

/// A named input text (an editor tab, a file on disk, stdin as `-`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// Whether a kind lives in a namespace, in the cluster, or configures a component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Namespaced,
    Cluster,
    /// Component configuration (KubeProxyConfiguration, ClusterConfiguration): no name.
    Config,
}

/// Which of apimachinery's name rules a kind's `metadata.name` follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameRule {
    Dns1123Subdomain,
    Dns1123Label,
    Dns1035Label,
    None,
}

/// What the simulated API server knows about a kind.
#[derive(Debug)]
pub struct KindInfo {
    pub kind: &'static str,
    /// `apiVersion` values served for it, preferred first.
    pub api_versions: &'static [&'static str],
    pub scope: Scope,
    pub plural: &'static str,
    pub short_names: &'static [&'static str],
    pub name_rule: NameRule,
}

macro_rules! kinds {
    ($($kind:ident: $ty:ty, [$($av:literal),+], $scope:ident, $plural:literal, [$($short:literal),*], $rule:ident;)*) => {
        /// Every kind kubeplay reads, in the order `kubectl api-resources` would group them.
        pub static KINDS: &[KindInfo] = &[$(KindInfo {
            kind: stringify!($kind),
            api_versions: &[$($av),+],
            scope: Scope::$scope,
            plural: $plural,
            short_names: &[$($short),*],
            name_rule: NameRule::$rule,
        }),*];

        /// A typed API object of one of the [`KINDS`].
        #[derive(Clone, Debug, PartialEq)]
        pub enum Object {
            $($kind(Box<$ty>)),*
        }

        impl Object {
            /// The object's `kind`.
            pub fn kind(&self) -> &'static str {
                match self { $(Object::$kind(_) => stringify!($kind)),* }
            }

            /// The object's metadata.
            pub fn meta(&self) -> &ObjectMeta {
                match self { $(Object::$kind(o) => &o.metadata),* }
            }

            /// The object's metadata, for writing.
            pub fn meta_mut(&mut self) -> &mut ObjectMeta {
                match self { $(Object::$kind(o) => &mut o.metadata),* }
            }

            /// The object's `apiVersion` as written.
            pub fn api_version(&self) -> &str {
                match self { $(Object::$kind(o) => &o.api_version),* }
            }

            /// The object's desired state as JSON: everything but `metadata` and `status`
            /// (a change here bumps `metadata.generation`).
            pub fn spec_json(&self) -> serde_json::Value {
                let mut v = self.to_json();
                if let Some(map) = v.as_object_mut() {
                    map.remove("metadata");
                    map.remove("status");
                }
                v
            }

            /// The object as JSON, the way the API server would return it.
            pub fn to_json(&self) -> serde_json::Value {
                let v = match self { $(Object::$kind(o) => serde_json::to_value(o)),* };
                v.unwrap_or(serde_json::Value::Null)
            }

            fn decode(kind: &str, node: &Node, base: &str) -> Option<Result<(Object, Vec<UnknownField>), DeError>> {
                match kind {
                    $(stringify!($kind) => Some(de::from_node::<$ty>(node, base)
                        .map(|(o, u)| (Object::$kind(Box::new(o)), u))),)*
                    _ => None,
                }
            }
        }
    };
}

kinds! {
    Namespace: api::core::Namespace, ["v1"], Cluster, "namespaces", ["ns"], Dns1123Label;
    Node: api::core::Node, ["v1"], Cluster, "nodes", ["no"], Dns1123Subdomain;
    Pod: api::core::Pod, ["v1"], Namespaced, "pods", ["po"], Dns1123Subdomain;
    Service: api::core::Service, ["v1"], Namespaced, "services", ["svc"], Dns1035Label;
    Endpoints: api::core::Endpoints, ["v1"], Namespaced, "endpoints", ["ep"], Dns1123Subdomain;
    PersistentVolume: api::core::PersistentVolume, ["v1"], Cluster, "persistentvolumes", ["pv"], Dns1123Subdomain;
    PersistentVolumeClaim: api::core::PersistentVolumeClaim, ["v1"], Namespaced, "persistentvolumeclaims", ["pvc"], Dns1123Subdomain;
    ConfigMap: api::core::ConfigMap, ["v1"], Namespaced, "configmaps", ["cm"], Dns1123Subdomain;
    Secret: api::core::Secret, ["v1"], Namespaced, "secrets", [], Dns1123Subdomain;
    Deployment: api::apps::Deployment, ["apps/v1"], Namespaced, "deployments", ["deploy"], Dns1123Subdomain;
    ReplicaSet: api::apps::ReplicaSet, ["apps/v1"], Namespaced, "replicasets", ["rs"], Dns1123Subdomain;
    StatefulSet: api::apps::StatefulSet, ["apps/v1"], Namespaced, "statefulsets", ["sts"], Dns1123Subdomain;
    DaemonSet: api::apps::DaemonSet, ["apps/v1"], Namespaced, "daemonsets", ["ds"], Dns1123Subdomain;
    EndpointSlice: api::discovery::EndpointSlice, ["discovery.k8s.io/v1"], Namespaced, "endpointslices", [], Dns1123Subdomain;
    StorageClass: api::storage::StorageClass, ["storage.k8s.io/v1"], Cluster, "storageclasses", ["sc"], Dns1123Subdomain;
    Ingress: api::networking::Ingress, ["networking.k8s.io/v1"], Namespaced, "ingresses", ["ing"], Dns1123Subdomain;
    IngressClass: api::networking::IngressClass, ["networking.k8s.io/v1"], Cluster, "ingressclasses", [], Dns1123Subdomain;
    KubeProxyConfiguration: api::config::KubeProxyConfiguration, ["kubeproxy.config.k8s.io/v1alpha1"], Config, "kubeproxyconfigurations", [], None;
    ClusterConfiguration: api::config::ClusterConfiguration, ["kubeadm.k8s.io/v1beta4", "kubeadm.k8s.io/v1beta3"], Config, "clusterconfigurations", [], None;
}

/// Looks a kind up by its `kind` name.
pub fn kind_info(kind: &str) -> Option<&'static KindInfo> {
    KINDS.iter().find(|k| k.kind == kind)
}

/// One object read from the input, with where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedObject {
    pub object: Object,
    pub file: String,
    /// 1-based document index within its file.
    pub document: u32,
    pub pos: Pos,
}

/// Everything read from a set of files.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    pub objects: Vec<ParsedObject>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// True when some diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

struct Ctx<'a> {
    file: &'a str,
    document: u32,
    out: &'a mut Parsed,
}

impl Ctx<'_> {
    fn diag(&mut self, pos: Pos, severity: Severity, message: String) {
        self.out.diagnostics.push(Diagnostic {
            file: self.file.to_string(),
            document: self.document,
            line: pos.line,
            col: pos.col,
            severity,
            message,
        });
    }
}

/// Reads all files. Objects come out in input order; duplicates after the first are dropped.
pub fn parse(files: &[SourceFile]) -> Parsed {
    let mut out = Parsed::default();
    let total: usize = files.iter().map(|f| f.text.len()).sum();
    if total > yaml::limits::MAX_INPUT_BYTES {
        out.diagnostics.push(Diagnostic {
            file: files.first().map(|f| f.name.clone()).unwrap_or_default(),
            document: 0,
            line: 1,
            col: 1,
            severity: Severity::Error,
            message: format!(
                "input is {total} bytes; the limit is {} bytes (4 MiB)",
                yaml::limits::MAX_INPUT_BYTES
            ),
        });
        return out;
    }
    let mut documents_left = yaml::limits::MAX_DOCUMENTS;
    for file in files {
        let docs = match yaml::parse_documents(&file.text) {
            Ok(docs) => docs,
            Err(e) => {
                Ctx {
                    file: &file.name,
                    document: 0,
                    out: &mut out,
                }
                .diag(e.pos, Severity::Error, e.message);
                continue;
            }
        };
        if docs.len() > documents_left {
            let pos = docs[documents_left].start;
            Ctx {
                file: &file.name,
                document: 0,
                out: &mut out,
            }
            .diag(
                pos,
                Severity::Error,
                format!(
                    "input has more than {} documents; the limit is {}",
                    yaml::limits::MAX_DOCUMENTS,
                    yaml::limits::MAX_DOCUMENTS
                ),
            );
            continue;
        }
        documents_left -= docs.len();
        for (index, doc) in docs.into_iter().enumerate() {
            let mut ctx = Ctx {
                file: &file.name,
                document: index as u32 + 1,
                out: &mut out,
            };
            match doc.root {
                Err(e) => ctx.diag(e.pos, Severity::Error, e.message),
                Ok(None) => {}
                Ok(Some(root)) => read_document(&mut ctx, &root),
            }
        }
    }
    mark_duplicates(&mut out);
    let file_index = |name: &str| {
        files
            .iter()
            .position(|f| f.name == name)
            .unwrap_or(usize::MAX)
    };
    out.diagnostics
        .sort_lean_by_key(|d| (file_index(&d.file), d.line, d.col, d.severity));
    out
}

fn read_document(ctx: &mut Ctx, root: &Node) {
    if !matches!(root.value, Value::Map(_)) {
        ctx.diag(
            root.pos,
            Severity::Error,
            format!("error validating data: the document is a {}, not an object with apiVersion and kind", root.value.json_type()),
        );
        return;
    }
    if root.get("kind").and_then(Node::as_str) == Some("List") {
        match root.get("items").map(|n| &n.value) {
            Some(Value::Seq(items)) => {
                for (i, item) in items.iter().enumerate() {
                    read_object(ctx, item, &format!("items[{i}]"));
                }
            }
            Some(Value::Null) | None => {}
            Some(other) => ctx.diag(
                root.get("items").map(|n| n.pos).unwrap_or(root.pos),
                Severity::Error,
                format!("json: cannot unmarshal {} into Go struct field List.items of type []runtime.RawExtension", other.json_type()),
            ),
        }
        return;
    }
    read_object(ctx, root, "");
}

fn field(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

fn read_object(ctx: &mut Ctx, node: &Node, base: &str) {
    if !matches!(node.value, Value::Map(_)) {
        ctx.diag(
            node.pos,
            Severity::Error,
            format!(
                "error validating data: {} is a {}, not an object",
                if base.is_empty() {
                    "the document"
                } else {
                    base
                },
                node.value.json_type()
            ),
        );
        return;
    }
    let api_version = node.get("apiVersion");
    let kind = node.get("kind");
    let mut missing = Vec::new();
    if api_version.and_then(Node::as_str).is_none_or(str::is_empty) {
        missing.push(format!("{} not set", field(base, "apiVersion")));
    }
    if kind.and_then(Node::as_str).is_none_or(str::is_empty) {
        missing.push(format!("{} not set", field(base, "kind")));
    }
    if !missing.is_empty() {
        ctx.diag(
            node.pos,
            Severity::Error,
            format!("error validating data: [{}]", missing.join(", ")),
        );
        return;
    }
    let (api_version, kind_node) = (
        api_version.and_then(Node::as_str).unwrap_or_default(),
        kind.unwrap_or(node),
    );
    let kind = kind_node.as_str().unwrap_or_default();
    let info = kind_info(kind);
    let Some(info) = info.filter(|i| i.api_versions.contains(&api_version)) else {
        let mut message = format!("no matches for kind \"{kind}\" in version \"{api_version}\"");
        if let Some(i) = info {
            message.push_str(&format!(
                " (kind {kind} is served as apiVersion {})",
                i.api_versions.join(", ")
            ));
        } else if let Some(i) = KINDS.iter().find(|i| i.kind.eq_ignore_ascii_case(kind)) {
            message.push_str(&format!(" (did you mean kind {}?)", i.kind));
        }
        ctx.diag(kind_node.pos, Severity::Error, message);
        return;
    };
    let decoded = Object::decode(kind, node, base);
    let (mut object, unknown) = match decoded {
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            ctx.diag(
                e.pos.unwrap_or(node.pos),
                Severity::Error,
                format!(
                    "{kind} in version \"{}\" cannot be handled as a {kind}: {}",
                    api_version.rsplit('/').next().unwrap_or(api_version),
                    e.message
                ),
            );
            return;
        }
        None => return,
    };
    for u in unknown {
        ctx.diag(
            u.pos,
            Severity::Warning,
            format!("unknown field \"{}\"", u.path),
        );
    }
    let meta_node = node.get("metadata");
    if !check_metadata(ctx, info, &mut object, node, meta_node, base) {
        return;
    }
    let field_errors = match &object {
        Object::Service(svc) => validation::service(svc),
        Object::PersistentVolume(pv) => validation::persistent_volume(pv),
        Object::PersistentVolumeClaim(pvc) => validation::persistent_volume_claim(pvc),
        Object::StorageClass(sc) => validation::storage_class(sc),
        Object::Ingress(ing) => validation::ingress(ing),
        _ => Vec::new(),
    };
    let warnings = match &object {
        Object::PersistentVolume(pv) if field_errors.is_empty() => {
            validation::persistent_volume_warnings(pv)
        }
        _ => Vec::new(),
    };
    for (path, detail) in warnings {
        ctx.diag(
            pos_of_path(node, &path),
            Severity::Warning,
            format!("{}: {detail}", field(base, &path)),
        );
    }
    if !field_errors.is_empty() {
        let name = object.meta().name.clone();
        for (path, detail) in field_errors {
            let pos = pos_of_path(node, &path);
            ctx.diag(
                pos,
                Severity::Error,
                format!(
                    "The {kind} \"{name}\" is invalid: {}: {detail}",
                    field(base, &path)
                ),
            );
        }
        return;
    }
    ctx.out.objects.push(ParsedObject {
        object,
        file: ctx.file.to_string(),
        document: ctx.document,
        pos: node.pos,
    });
}

/// The position of a field path like `spec.ports[0].nodePort` in the document: the value
/// of the deepest part that exists (or the object itself). `spec.clusterIPs[0]` also finds
/// a singular `clusterIP`.
fn pos_of_path(root: &Node, path: &str) -> Pos {
    let mut node = root;
    for part in path.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        let next = node.get(name).or_else(|| match name {
            "clusterIPs" => node.get("clusterIP"),
            _ => None,
        });
        let Some(next) = next else { break };
        node = next;
        if let (Some(i), Value::Seq(items)) = (index, &node.value) {
            match items.get(i) {
                Some(item) => node = item,
                None => break,
            }
        }
    }
    node.pos
}

/// Validates name, namespace, labels and annotations; returns false if the object must be
/// rejected. Defaults the namespace of namespaced kinds to `default`.
fn check_metadata(
    ctx: &mut Ctx,
    info: &KindInfo,
    object: &mut Object,
    node: &Node,
    meta_node: Option<&Node>,
    base: &str,
) -> bool {
    let kind = info.kind;
    let meta = object.meta().clone();
    let name_pos = meta_node
        .and_then(|m| m.get("name"))
        .or_else(|| node.get_key("metadata"))
        .map_or(node.pos, |n| n.pos);
    let mut ok = true;
    let mut invalid = |ctx: &mut Ctx, pos: Pos, detail: String| {
        ctx.diag(
            pos,
            Severity::Error,
            format!("The {kind} \"{}\" is invalid: {detail}", meta.name),
        );
        ok = false;
    };
    if info.scope == Scope::Config {
        return true;
    }
    if meta.name.is_empty() {
        if meta.generate_name.is_empty() {
            invalid(
                ctx,
                name_pos,
                format!(
                    "{}: Required value: name or generateName is required",
                    field(base, "metadata.name")
                ),
            );
        }
    } else {
        let errs = match info.name_rule {
            NameRule::Dns1123Subdomain => validation::dns1123_subdomain(&meta.name),
            NameRule::Dns1123Label => validation::dns1123_label(&meta.name),
            NameRule::Dns1035Label => validation::dns1035_label(&meta.name),
            NameRule::None => Vec::new(),
        };
        for e in errs {
            invalid(
                ctx,
                name_pos,
                format!(
                    "{}: Invalid value: \"{}\": {e}",
                    field(base, "metadata.name"),
                    meta.name
                ),
            );
        }
    }
    if info.scope == Scope::Namespaced && !meta.namespace.is_empty() {
        let pos = meta_node
            .and_then(|m| m.get("namespace"))
            .map(|n| n.pos)
            .unwrap_or(name_pos);
        for e in validation::dns1123_label(&meta.namespace) {
            invalid(
                ctx,
                pos,
                format!(
                    "{}: Invalid value: \"{}\": {e}",
                    field(base, "metadata.namespace"),
                    meta.namespace
                ),
            );
        }
    }
    for (map_name, map, check_value) in [
        ("labels", &meta.labels, true),
        ("annotations", &meta.annotations, false),
    ] {
        let map_node = meta_node.and_then(|m| m.get(map_name));
        for (key, value) in map {
            let key_pos = map_node
                .and_then(|m| m.get_key(key))
                .map(|n| n.pos)
                .unwrap_or(name_pos);
            for e in validation::qualified_name(key) {
                invalid(
                    ctx,
                    key_pos,
                    format!(
                        "{}.{map_name}: Invalid value: \"{key}\": {e}",
                        field(base, "metadata")
                    ),
                );
            }
            if check_value {
                let value_pos = map_node
                    .and_then(|m| m.get(key))
                    .map(|n| n.pos)
                    .unwrap_or(key_pos);
                for e in validation::label_value(value) {
                    invalid(
                        ctx,
                        value_pos,
                        format!(
                            "{}.labels: Invalid value: \"{value}\": {e}",
                            field(base, "metadata")
                        ),
                    );
                }
            }
        }
    }
    let m = object.meta_mut();
    match info.scope {
        Scope::Namespaced if m.namespace.is_empty() => m.namespace = "default".to_string(),
        Scope::Cluster => m.namespace.clear(),
        _ => {}
    }
    ok
}

/// Drops objects that repeat an earlier (kind, namespace, name), reporting both places.
fn mark_duplicates(out: &mut Parsed) {
    let mut first: BTreeMap<(&'static str, String, String), usize> = BTreeMap::new();
    let mut keep = vec![true; out.objects.len()];
    let mut diags = Vec::new();
    for (i, p) in out.objects.iter().enumerate() {
        let m = p.object.meta();
        if m.name.is_empty() {
            continue;
        }
        let key = (p.object.kind(), m.namespace.clone(), m.name.clone());
        if let Some(&j) = first.get(&key) {
            keep[i] = false;
            let q = &out.objects[j];
            let what = if m.namespace.is_empty() {
                format!("{} \"{}\"", key.0, m.name)
            } else {
                format!("{} \"{}\" in namespace \"{}\"", key.0, m.name, m.namespace)
            };
            diags.push(Diagnostic {
                file: p.file.clone(),
                document: p.document,
                line: p.pos.line,
                col: p.pos.col,
                severity: Severity::Error,
                message: format!("duplicate object: {what} is already defined at {}:{}:{}; this definition is ignored", q.file, q.pos.line, q.pos.col),
            });
            diags.push(Diagnostic {
                file: q.file.clone(),
                document: q.document,
                line: q.pos.line,
                col: q.pos.col,
                severity: Severity::Warning,
                message: format!(
                    "{what} is defined again at {}:{}:{}; this first definition is the one applied",
                    p.file, p.pos.line, p.pos.col
                ),
            });
        } else {
            first.insert(key, i);
        }
    }
    let mut i = 0;
    out.objects.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    out.diagnostics.extend(diags);
}
