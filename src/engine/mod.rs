//! The simulated cluster. Pure, deterministic Rust: no browser, no clock, no IO, no
//! global randomness (a test in `tests/purity.rs` keeps it that way).
//!
//! Input comes in as text ([`manifest::SourceFile`]) and commands; output goes out as
//! objects, diagnostics, events and command output.

pub mod api;
pub mod de;
pub mod diag;
pub mod manifest;
pub mod validation;
pub mod yaml;

pub use diag::{Diagnostic, Severity};
pub use manifest::{parse, Object, Parsed, SourceFile};
