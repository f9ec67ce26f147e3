//! The simulated cluster. Pure, deterministic Rust: no browser, no clock, no IO, no
//! global randomness (a test in `tests/purity.rs` keeps it that way).
//!
//! Input comes in as text ([`manifest::SourceFile`]) and commands; output goes out as
//! objects, diagnostics, events and command output.

pub mod api;
pub mod apiserver;
pub mod clock;
pub mod cluster;
pub mod controllers;
pub mod coredns;
pub mod corefile;
pub mod de;
pub mod defaults;
pub mod diag;
pub mod diagram;
pub mod dispatch;
pub mod explain_zh;
pub mod ingress;
pub mod kube_proxy;
pub mod kubectl;
pub mod manifest;
pub mod resolver;
pub mod rng;
pub mod scenario;
pub mod session;
pub mod sort;
pub mod storage;
pub mod store;
pub mod validation;
pub mod whatif;
pub mod yaml;

pub use diag::{Diagnostic, Severity};
pub use manifest::{parse, Object, Parsed, SourceFile};
