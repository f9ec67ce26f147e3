//! kubeplay: a Kubernetes storage-and-networking playground.
//!
//! One crate, three boundaries (see ARCHITECTURE.md): the pure [`engine`], the worker
//! [`protocol`], and (on wasm32) the Leptos [`ui`].

pub mod engine;
pub mod fuzz;
pub mod highlight;
pub mod protocol;
pub mod share;

#[cfg(target_arch = "wasm32")]
pub mod ui;

/// The seed deck's example: the `httpd-deployment` NodePort Service and a Deployment of
/// pods labelled `app: http`. The editor opens with it.
pub const SEED_EXAMPLE: &str = include_str!("../www/examples/seed.yaml");

/// The example gallery: scenario files (`*.scenario.yaml`, one per lesson) and the
/// manifests they name, by file name. `kubeplay test www/examples` runs the same files.
pub const GALLERY: &[(&str, &str)] = &[
    (
        "seed.scenario.yaml",
        include_str!("../www/examples/seed.scenario.yaml"),
    ),
    (
        "emptydir.scenario.yaml",
        include_str!("../www/examples/emptydir.scenario.yaml"),
    ),
    (
        "efk.scenario.yaml",
        include_str!("../www/examples/efk.scenario.yaml"),
    ),
    (
        "static-pv.scenario.yaml",
        include_str!("../www/examples/static-pv.scenario.yaml"),
    ),
    (
        "dynamic.scenario.yaml",
        include_str!("../www/examples/dynamic.scenario.yaml"),
    ),
    (
        "ingress.scenario.yaml",
        include_str!("../www/examples/ingress.scenario.yaml"),
    ),
    (
        "statefulset.scenario.yaml",
        include_str!("../www/examples/statefulset.scenario.yaml"),
    ),
    (
        "nfs.scenario.yaml",
        include_str!("../www/examples/nfs.scenario.yaml"),
    ),
    (
        "reclaim.scenario.yaml",
        include_str!("../www/examples/reclaim.scenario.yaml"),
    ),
    (
        "multi-attach.scenario.yaml",
        include_str!("../www/examples/multi-attach.scenario.yaml"),
    ),
    (
        "loadbalancer.scenario.yaml",
        include_str!("../www/examples/loadbalancer.scenario.yaml"),
    ),
    (
        "kube-proxy.scenario.yaml",
        include_str!("../www/examples/kube-proxy.scenario.yaml"),
    ),
    (
        "discovery.scenario.yaml",
        include_str!("../www/examples/discovery.scenario.yaml"),
    ),
    ("seed.yaml", include_str!("../www/examples/seed.yaml")),
    ("efk.yaml", include_str!("../www/examples/efk.yaml")),
    ("ingress.yaml", include_str!("../www/examples/ingress.yaml")),
    (
        "dynamic-pod.yaml",
        include_str!("../www/examples/dynamic-pod.yaml"),
    ),
];
