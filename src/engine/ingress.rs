//! Ingress (RULES §8): the ingress-nginx controller kubeplay installs (as kind's
//! `deploy.yaml` would) when the input has an Ingress or IngressClass, the rules it serves
//! (class `nginx`, the default class, and class-less Ingresses, as its kind manifest's
//! `--watch-ingress-without-class=true`), how it matches a request (host, then the
//! longest path, Exact before Prefix, ImplementationSpecific as nginx string prefixes),
//! TLS redirects, its default backend, and the nginx configuration it would generate.
//! ingress-nginx proxies to the Service's endpoints directly (not through kube-proxy).

use crate::engine::sort::SortLean;
use std::collections::BTreeMap;

use super::api::apps::{Deployment, DeploymentSpec};
use super::api::core::{
    Container, ContainerPort, PodTemplateSpec, Service, ServicePort, ServiceSpec,
};
use super::api::meta::ObjectMeta;
use super::api::networking::{Ingress, IngressBackend, IngressClass, IngressClassSpec};
use super::api::{IntOrString, LabelSelector};
use super::cluster::{Cluster, EventType};
use super::manifest::Object;
use super::store::Key;

pub const NAMESPACE: &str = "ingress-nginx";
pub const CONTROLLER: &str = "k8s.io/ingress-nginx";
pub const CLASS: &str = "nginx";
pub const SERVICE: &str = "ingress-nginx-controller";
pub const HTTP_NODE_PORT: i32 = 30080;
pub const HTTPS_NODE_PORT: i32 = 30443;
pub const DEFAULT_CLASS_ANNOTATION: &str = "ingressclass.kubernetes.io/is-default-class";
const LEGACY_CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";
pub const FAKE_CERTIFICATE: &str = "Kubernetes Ingress Controller Fake Certificate";

fn labels() -> BTreeMap<String, String> {
    [
        ("app.kubernetes.io/component", "controller"),
        ("app.kubernetes.io/instance", "ingress-nginx"),
        ("app.kubernetes.io/name", "ingress-nginx"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn meta(name: &str, namespace: &str) -> ObjectMeta {
    ObjectMeta {
        name: name.into(),
        namespace: namespace.into(),
        labels: labels(),
        ..ObjectMeta::default()
    }
}

/// Whether ingress-nginx is installed.
pub fn installed(c: &Cluster) -> bool {
    c.store
        .get(&Key::new("Deployment", NAMESPACE, SERVICE))
        .is_some()
}

/// Installs ingress-nginx (kind's manifest, reduced to what routing needs): its namespace,
/// the default IngressClass `nginx`, the controller Deployment and its NodePort Service
/// (80 → 30080, 443 → 30443, unless taken). Objects the input already has are kept.
/// `apply` calls it before the input's objects (so Ingresses get the default class) and
/// again after them with the Service (so node ports the input asks for stay theirs).
pub fn install(c: &mut Cluster, with_service: bool) {
    if installed(c)
        && (!with_service
            || c.store
                .get(&Key::new("Service", NAMESPACE, SERVICE))
                .is_some())
    {
        return;
    }
    let mut ns = super::api::core::Namespace {
        api_version: "v1".into(),
        kind: "Namespace".into(),
        ..Default::default()
    };
    ns.metadata.name = NAMESPACE.into();
    ns.metadata
        .labels
        .insert("kubernetes.io/metadata.name".into(), NAMESPACE.into());
    let mut class = IngressClass {
        api_version: "networking.k8s.io/v1".into(),
        kind: "IngressClass".into(),
        metadata: meta(CLASS, ""),
        spec: IngressClassSpec {
            controller: CONTROLLER.into(),
            ..IngressClassSpec::default()
        },
    };
    class
        .metadata
        .annotations
        .insert(DEFAULT_CLASS_ANNOTATION.into(), "true".into());
    let mut template = PodTemplateSpec::default();
    template.metadata.labels = labels();
    template.spec.containers = vec![Container {
        name: "controller".into(),
        image: "registry.k8s.io/ingress-nginx/controller:v1.15.0".into(),
        args: vec![
            "/nginx-ingress-controller".into(),
            "--election-id=ingress-nginx-leader".into(),
            "--controller-class=k8s.io/ingress-nginx".into(),
            "--ingress-class=nginx".into(),
            "--watch-ingress-without-class=true".into(),
        ],
        ports: vec![
            ContainerPort {
                name: "http".into(),
                container_port: 80,
                protocol: "TCP".into(),
                ..ContainerPort::default()
            },
            ContainerPort {
                name: "https".into(),
                container_port: 443,
                protocol: "TCP".into(),
                ..ContainerPort::default()
            },
        ],
        ..Container::default()
    }];
    let deployment = Deployment {
        api_version: "apps/v1".into(),
        kind: "Deployment".into(),
        metadata: meta(SERVICE, NAMESPACE),
        spec: DeploymentSpec {
            replicas: Some(1),
            selector: LabelSelector {
                match_labels: labels(),
                ..LabelSelector::default()
            },
            template,
            ..DeploymentSpec::default()
        },
        status: None,
    };
    // The usual node ports, unless something has them already (then allocated).
    let taken: Vec<i32> = c
        .store
        .list("Service", None)
        .filter_map(|o| match o {
            Object::Service(s) => {
                Some(s.spec.ports.iter().map(|p| p.node_port).collect::<Vec<_>>())
            }
            _ => None,
        })
        .flatten()
        .collect();
    let free = |p: i32| if taken.contains(&p) { 0 } else { p };
    let port = |name: &str, port: i32, node_port: i32| ServicePort {
        name: name.into(),
        port,
        protocol: "TCP".into(),
        app_protocol: Some(name.into()),
        target_port: Some(IntOrString::String(name.into())),
        node_port,
    };
    let service = Service {
        api_version: "v1".into(),
        kind: "Service".into(),
        metadata: meta(SERVICE, NAMESPACE),
        spec: ServiceSpec {
            r#type: Some("NodePort".into()),
            selector: Some(labels()),
            ports: vec![
                port("http", 80, free(HTTP_NODE_PORT)),
                port("https", 443, free(HTTPS_NODE_PORT)),
            ],
            ..ServiceSpec::default()
        },
        status: None,
    };
    let objects = [
        Object::Namespace(Box::new(ns)),
        Object::IngressClass(Box::new(class)),
        Object::Deployment(Box::new(deployment)),
        Object::Service(Box::new(service)),
    ];
    for o in objects {
        if c.store.get(&Key::of(&o)).is_some() || (!with_service && o.kind() == "Service") {
            continue;
        }
        match super::apiserver::admit(c, o) {
            Ok(o) => {
                c.put(o);
            }
            Err(_) => continue,
        }
    }
}

/// The controller Service's node ports (http, https), as allocated.
pub fn node_ports(c: &Cluster) -> (i32, i32) {
    match c.store.get(&Key::new("Service", NAMESPACE, SERVICE)) {
        Some(Object::Service(s)) => {
            let of = |name: &str| {
                s.spec
                    .ports
                    .iter()
                    .find(|p| p.name == name)
                    .map_or(0, |p| p.node_port)
            };
            (of("http"), of("https"))
        }
        _ => (0, 0),
    }
}

/// The class an Ingress names (field, else the legacy annotation).
pub fn class_of(ing: &Ingress) -> Option<String> {
    ing.spec.ingress_class_name.clone().or_else(|| {
        ing.metadata
            .annotations
            .get(LEGACY_CLASS_ANNOTATION)
            .cloned()
    })
}

/// The default IngressClass (newest wins), for the DefaultIngressClass admission plugin.
pub fn default_class(c: &Cluster) -> Option<String> {
    c.newest_default("IngressClass", DEFAULT_CLASS_ANNOTATION)
        .map(|o| o.meta().name.clone())
}

/// The addresses in an Ingress's status.
pub fn addresses(ing: &Ingress) -> Vec<String> {
    ing.status
        .as_ref()
        .map(|s| {
            s.load_balancer
                .ingress
                .iter()
                .map(|i| i.ip.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Which controller serves an Ingress: `Ok(())` for ingress-nginx, or why not.
pub fn served(c: &Cluster, ing: &Ingress) -> Result<(), String> {
    if !installed(c) {
        return Err("no ingress controller is installed".into());
    }
    match class_of(ing) {
        // `--watch-ingress-without-class=true` (kind's manifest).
        None => Ok(()),
        Some(class) => match c.store.get(&Key::new("IngressClass", "", &class)) {
            Some(Object::IngressClass(ic)) if ic.spec.controller == CONTROLLER => Ok(()),
            Some(Object::IngressClass(ic)) => Err(format!(
                "IngressClass \"{class}\" belongs to controller {}, which this cluster does not run: no controller serves it",
                ic.spec.controller
            )),
            _ => Err(format!(
                "IngressClass \"{class}\" does not exist: no controller serves it"
            )),
        },
    }
}

/// Ingresses ingress-nginx serves, in namespace/name order.
pub fn served_ingresses(c: &Cluster) -> Vec<Ingress> {
    c.store
        .list("Ingress", None)
        .filter_map(|o| match o {
            Object::Ingress(i)
                if i.metadata.deletion_timestamp.is_none() && served(c, i).is_ok() =>
            {
                Some((**i).clone())
            }
            _ => None,
        })
        .collect()
}

/// The controller's pod (the first running one).
pub fn controller_pod(c: &Cluster) -> Option<super::api::core::Pod> {
    c.store.list("Pod", Some(NAMESPACE)).find_map(|o| match o {
        Object::Pod(p)
            if p.metadata
                .labels
                .get("app.kubernetes.io/component")
                .map(String::as_str)
                == Some("controller")
                && p.status.as_ref().is_some_and(|s| s.phase == "Running") =>
        {
            Some((**p).clone())
        }
        _ => None,
    })
}

/// The ingress-nginx controller's sync: every served Ingress gets the controller's address
/// in `status.loadBalancer.ingress` (the Service's load-balancer address if it has one,
/// else the node address of the controller's pod) and a `Sync` event.
pub fn reconcile(c: &mut Cluster) -> bool {
    if !installed(c) {
        return false;
    }
    let lb = match c.store.get(&Key::new("Service", NAMESPACE, SERVICE)) {
        Some(Object::Service(s)) => s
            .status
            .as_ref()
            .and_then(|st| st.load_balancer.ingress.first())
            .map(|i| i.ip.clone()),
        _ => None,
    };
    let address = lb.or_else(|| {
        controller_pod(c)
            .and_then(|p| p.status.map(|s| s.host_ip))
            .filter(|ip| !ip.is_empty())
    });
    let mut changed = false;
    for ing in served_ingresses(c) {
        let want: Vec<String> = address.iter().cloned().collect();
        let have = addresses(&ing);
        if want == have {
            continue;
        }
        let key = Key::new("Ingress", &ing.metadata.namespace, &ing.metadata.name);
        let mut ing = ing;
        let status = ing.status.get_or_insert_with(Default::default);
        status.load_balancer.ingress = want
            .iter()
            .map(|ip| super::api::networking::IngressLoadBalancerIngress {
                ip: ip.clone(),
                ..Default::default()
            })
            .collect();
        changed |= c.put_status(Object::Ingress(Box::new(ing)));
        c.event(
            EventType::Normal,
            key,
            "Sync",
            "nginx-ingress-controller",
            "Scheduled for sync".into(),
        );
    }
    changed
}

/// How ingress-nginx matches a path (a location in its nginx config).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PathKind {
    ImplementationSpecific,
    Prefix,
    Exact,
}

/// One path of one rule, as the controller sees it after merging Ingresses.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub namespace: String,
    pub ingress: String,
    /// `""`: any host.
    pub host: String,
    pub path: String,
    pub kind: PathKind,
    pub backend: IngressBackend,
    pub annotations: BTreeMap<String, String>,
}

/// Whether a rule's host applies to a request's host: exact, or a wildcard that covers
/// exactly one more label.
pub fn host_matches(rule: &str, host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    match rule.strip_prefix("*.") {
        Some(suffix) => host
            .strip_suffix(&format!(".{}", suffix.to_ascii_lowercase()))
            .is_some_and(|label| !label.is_empty() && !label.contains('.')),
        None => rule.eq_ignore_ascii_case(&host),
    }
}

/// Whether a path rule matches a request path, and how long the match is.
pub fn path_matches(kind: PathKind, rule: &str, path: &str) -> Option<usize> {
    match kind {
        PathKind::Exact => (rule == path).then_some(rule.len()),
        PathKind::Prefix => {
            let trimmed = rule.trim_end_matches('/');
            if trimmed.is_empty() {
                return Some(1);
            }
            let ok = path == trimmed
                || path
                    .strip_prefix(trimmed)
                    .is_some_and(|rest| rest.starts_with('/'));
            ok.then_some(trimmed.len())
        }
        // A plain nginx string prefix: `/foo` also takes `/foobar`.
        PathKind::ImplementationSpecific => path.starts_with(rule).then_some(rule.len()),
    }
}

fn kind_of(path_type: Option<&str>) -> PathKind {
    match path_type {
        Some("Exact") => PathKind::Exact,
        Some("Prefix") => PathKind::Prefix,
        _ => PathKind::ImplementationSpecific,
    }
}

/// Every path of these (served) Ingresses.
pub fn routes(ingresses: &[Ingress]) -> Vec<Route> {
    let mut out = Vec::new();
    for ing in ingresses {
        for rule in &ing.spec.rules {
            for p in rule.http.iter().flat_map(|h| &h.paths) {
                out.push(Route {
                    namespace: ing.metadata.namespace.clone(),
                    ingress: ing.metadata.name.clone(),
                    host: rule.host.to_ascii_lowercase(),
                    path: if p.path.is_empty() {
                        "/".into()
                    } else {
                        p.path.clone()
                    },
                    kind: kind_of(p.path_type.as_deref()),
                    backend: p.backend.clone(),
                    annotations: ing.metadata.annotations.clone(),
                });
            }
        }
    }
    out
}

/// What the controller does with a request.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// Proxy to a Service port of an Ingress (namespace, service, port), path after rewrite.
    Proxy {
        namespace: String,
        ingress: String,
        service: String,
        port: super::api::networking::ServiceBackendPort,
        upstream_path: String,
        matched: String,
    },
    /// `308 Permanent Redirect` to HTTPS.
    Redirect(String),
    /// The controller's default backend: 404.
    NotFound(String),
    /// A resource backend, which kubeplay cannot send traffic to.
    Resource(String),
}

/// One row of the explanation: a path rule and why it did or did not take the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub ingress: String,
    pub host: String,
    pub path: String,
    pub kind: PathKind,
    pub backend: String,
    pub result: Result<(), String>,
}

pub fn backend_text(b: &IngressBackend) -> String {
    match (&b.service, &b.resource) {
        (Some(s), _) => {
            let port = if s.port.name.is_empty() {
                s.port.number.to_string()
            } else {
                s.port.name.clone()
            };
            format!("{}:{port}", s.name)
        }
        (None, Some(r)) => format!("{}/{} (resource)", r.kind, r.name),
        _ => "<none>".into(),
    }
}

/// Routes a request the way ingress-nginx does and explains every rule's verdict.
pub fn route(c: &Cluster, host: &str, path: &str, https: bool) -> (Decision, Vec<Verdict>) {
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    let ingresses = served_ingresses(c);
    let all = routes(&ingresses);
    // The server block: an exact host, else a wildcard, else the catch-all.
    let server_host = all
        .iter()
        .find(|r| !r.host.starts_with('*') && !r.host.is_empty() && r.host == host)
        .or_else(|| {
            all.iter()
                .find(|r| r.host.starts_with('*') && host_matches(&r.host, &host))
        })
        .map(|r| r.host.clone())
        .unwrap_or_default();
    let mut verdicts = Vec::new();
    let mut best: Option<(usize, PathKind, &Route)> = None;
    for r in &all {
        let result = if r.host != server_host {
            if r.host.is_empty() {
                Err(format!(
                    "the request has host {host}, which has its own rules"
                ))
            } else if r.host.starts_with('*') && host_matches(&r.host, &host) {
                Err(format!(
                    "an exact rule for {host} takes precedence over {}",
                    r.host
                ))
            } else {
                Err(format!("host {} does not match {host}", r.host))
            }
        } else {
            match path_matches(r.kind, &r.path, path) {
                None => Err(match r.kind {
                    PathKind::Exact => format!("Exact {} is not {path}", r.path),
                    PathKind::Prefix => format!(
                        "Prefix {} does not cover {path} (elements compare whole, split on /)",
                        r.path
                    ),
                    PathKind::ImplementationSpecific => {
                        format!("{path} does not start with {}", r.path)
                    }
                }),
                Some(len) => {
                    if best.is_none_or(|(l, k, _)| (len, r.kind) > (l, k)) {
                        best = Some((len, r.kind, r));
                    }
                    Ok(())
                }
            }
        };
        verdicts.push(Verdict {
            ingress: format!("{}/{}", r.namespace, r.ingress),
            host: if r.host.is_empty() {
                "*".into()
            } else {
                r.host.clone()
            },
            path: r.path.clone(),
            kind: r.kind,
            backend: backend_text(&r.backend),
            result,
        });
    }
    // Only the winner keeps Ok; the others lost to a longer or exact match.
    if let Some((len, kind, winner)) = best {
        for v in verdicts.iter_mut() {
            if v.result.is_ok()
                && !(v.ingress == format!("{}/{}", winner.namespace, winner.ingress)
                    && v.path == winner.path
                    && v.kind == winner.kind)
            {
                v.result = Err(format!(
                    "matches too, but {} {} is {} (longest path wins, Exact before Prefix)",
                    match kind {
                        PathKind::Exact => "Exact",
                        PathKind::Prefix => "Prefix",
                        PathKind::ImplementationSpecific => "ImplementationSpecific",
                    },
                    winner.path,
                    if len > v.path.trim_end_matches('/').len() {
                        "longer"
                    } else {
                        "preferred"
                    }
                ));
            }
        }
    }
    // TLS: plain HTTP to a TLS host is redirected (ssl-redirect, on by default).
    let tls_host = ingresses.iter().any(|i| {
        i.spec
            .tls
            .iter()
            .any(|t| t.hosts.iter().any(|h| host_matches(h, &host)))
            && i.metadata
                .annotations
                .get("nginx.ingress.kubernetes.io/ssl-redirect")
                .is_none_or(|v| v != "false")
    });
    let forced = best.is_some_and(|(_, _, r)| {
        r.annotations
            .get("nginx.ingress.kubernetes.io/force-ssl-redirect")
            .is_some_and(|v| v == "true")
    });
    if !https && (tls_host || forced) {
        return (
            Decision::Redirect(format!("https://{host}{path}")),
            verdicts,
        );
    }
    let backend =
        best.map(|(_, _, r)| (r.namespace.clone(), r.ingress.clone(), r.backend.clone(), r));
    let decision = match backend {
        Some((ns, ing, b, r)) => backend_decision(&ns, &ing, &b, path, Some(r)),
        None => {
            // No path: the defaultBackend of an Ingress defining this host (or any, for
            // the catch-all server), then the controller's default backend.
            let fallback = ingresses.iter().find(|i| {
                i.spec.default_backend.is_some()
                    && (server_host.is_empty()
                        || i.spec
                            .rules
                            .iter()
                            .any(|r| r.host.to_ascii_lowercase() == server_host))
            });
            match fallback {
                Some(i) => backend_decision(
                    &i.metadata.namespace,
                    &i.metadata.name,
                    i.spec.default_backend.as_ref().expect("checked"),
                    path,
                    None,
                ),
                None => Decision::NotFound(if all.is_empty() {
                    "no Ingress is served by ingress-nginx".into()
                } else {
                    format!("no rule matches host {host} path {path} and no defaultBackend applies")
                }),
            }
        }
    };
    (decision, verdicts)
}

fn backend_decision(
    ns: &str,
    ing: &str,
    b: &IngressBackend,
    path: &str,
    route: Option<&Route>,
) -> Decision {
    match (&b.service, &b.resource) {
        (Some(s), _) => {
            let upstream_path = route
                .and_then(|r| {
                    r.annotations
                        .get("nginx.ingress.kubernetes.io/rewrite-target")
                })
                .filter(|t| !t.contains('$'))
                .cloned()
                .unwrap_or_else(|| path.to_string());
            Decision::Proxy {
                namespace: ns.into(),
                ingress: ing.into(),
                service: s.name.clone(),
                port: s.port.clone(),
                upstream_path,
                matched: route.map_or("defaultBackend".into(), |r| {
                    format!(
                        "{} {} {}",
                        if r.host.is_empty() {
                            "*"
                        } else {
                            r.host.as_str()
                        },
                        match r.kind {
                            PathKind::Exact => "Exact",
                            PathKind::Prefix => "Prefix",
                            PathKind::ImplementationSpecific => "ImplementationSpecific",
                        },
                        r.path
                    )
                }),
            }
        }
        (None, Some(r)) => Decision::Resource(format!("{}/{}", r.kind, r.name)),
        _ => Decision::NotFound("the backend names nothing".into()),
    }
}

/// Annotations kubeplay does not simulate on a served Ingress, as warnings.
pub fn annotation_warnings(c: &Cluster) -> Vec<String> {
    let mut out = Vec::new();
    for ing in served_ingresses(c) {
        for (k, v) in &ing.metadata.annotations {
            let Some(name) = k.strip_prefix("nginx.ingress.kubernetes.io/") else {
                continue;
            };
            let supported = match name {
                "ssl-redirect" | "force-ssl-redirect" => true,
                "rewrite-target" => !v.contains('$'),
                _ => false,
            };
            if !supported {
                out.push(format!(
                    "Ingress {}/{}: annotation {k}: \"{v}\" is not simulated by kubeplay ({}); routing ignores it",
                    ing.metadata.namespace,
                    ing.metadata.name,
                    match name {
                        "use-regex" => "paths are matched as plain prefixes, not regular expressions",
                        "rewrite-target" => "capture groups need regular expressions",
                        _ => "only ssl-redirect, force-ssl-redirect and a plain rewrite-target are",
                    }
                ));
            }
        }
    }
    out
}

/// The generated nginx configuration, reduced to server and location blocks (what
/// `cat /etc/nginx/nginx.conf` in the controller pod shows, abridged).
pub fn nginx_conf(c: &Cluster) -> String {
    let ingresses = served_ingresses(c);
    let all = routes(&ingresses);
    let mut hosts: Vec<String> = all.iter().map(|r| r.host.clone()).collect();
    hosts.sort_lean();
    hosts.dedup();
    hosts.retain(|h| !h.is_empty());
    let mut out = String::from(
        "# Configuration generated by kubeplay's ingress-nginx (abridged: server and location blocks)\n\nhttp {\n",
    );
    let server = |out: &mut String, name: &str, host: &str| {
        let tls = ingresses.iter().any(|i| {
            i.spec
                .tls
                .iter()
                .any(|t| t.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)))
        });
        out.push_str(&format!("\t## start server {name}\n\tserver {{\n\t\tserver_name {name} ;\n\t\tlisten 80 ;\n\t\tlisten 443 ssl ;\n"));
        if tls {
            out.push_str("\t\t# TLS: plain HTTP is redirected with 308 (ssl-redirect)\n");
        }
        let mut locations: Vec<&Route> = all.iter().filter(|r| r.host == host).collect();
        locations.sort_lean_by(|a, b| {
            b.path
                .len()
                .cmp(&a.path.len())
                .then(b.kind.cmp(&a.kind))
                .then(a.path.cmp(&b.path))
        });
        for r in &locations {
            let (ns, ing) = (&r.namespace, &r.ingress);
            let svc = backend_text(&r.backend);
            let body = format!(
                "\t\t\tset $namespace      \"{ns}\";\n\t\t\tset $ingress_name   \"{ing}\";\n\t\t\tset $service_name   \"{svc}\";\n\t\t\tset $location_path  \"{}\";\n\t\t\tproxy_pass http://upstream_balancer;\n",
                r.path
            );
            match r.kind {
                PathKind::Exact => {
                    out.push_str(&format!("\t\tlocation = {} {{\n{body}\t\t}}\n", r.path))
                }
                PathKind::Prefix => {
                    let p = r.path.trim_end_matches('/');
                    if p.is_empty() {
                        out.push_str(&format!("\t\tlocation / {{\n{body}\t\t}}\n"));
                    } else {
                        out.push_str(&format!("\t\tlocation {p}/ {{\n{body}\t\t}}\n"));
                        // An Exact path of the same name owns `location = p`.
                        let exact_taken = locations
                            .iter()
                            .any(|o| o.kind == PathKind::Exact && o.path == p);
                        if !exact_taken {
                            out.push_str(&format!("\t\tlocation = {p} {{\n{body}\t\t}}\n"));
                        }
                    }
                }
                PathKind::ImplementationSpecific => {
                    out.push_str(&format!("\t\tlocation {} {{\n{body}\t\t}}\n", r.path))
                }
            }
        }
        if !locations
            .iter()
            .any(|r| r.path == "/" && r.kind != PathKind::Exact)
        {
            out.push_str("\t\tlocation / {\n\t\t\t# no rule: the default backend (404)\n\t\t\tproxy_pass http://upstream_balancer;\n\t\t}\n");
        }
        out.push_str(&format!("\t}}\n\t## end server {name}\n\n"));
    };
    for h in &hosts {
        server(&mut out, h, h);
    }
    server(&mut out, "_", "");
    out.push_str("}\n");
    out
}
