//! kubeplay: a Kubernetes storage-and-networking playground.
//!
//! One crate, three boundaries (see ARCHITECTURE.md): the pure [`engine`], the worker
//! [`protocol`], and (on wasm32) the Leptos [`ui`].

pub mod engine;
pub mod protocol;

#[cfg(target_arch = "wasm32")]
pub mod ui;

/// The seed deck's example: the `httpd-deployment` NodePort Service and a Deployment of
/// pods labelled `app: http`. The editor opens with it.
pub const SEED_EXAMPLE: &str = include_str!("../www/examples/seed.yaml");
