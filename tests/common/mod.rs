//! Shared helpers for the scenario tests: a manifest plus terminal commands, run as
//! `kubeplay run --seed 1` runs them, compared with an inline snapshot.
#![allow(dead_code)]

use expect_test::Expect;
use kubeplay::engine::session::Session;
use kubeplay::engine::SourceFile;

/// What `kubeplay run --seed 1 m.yaml -c ...` prints.
pub fn session(manifest: &str, commands: &[&str]) -> String {
    let files = [SourceFile {
        name: "m.yaml".into(),
        text: manifest.into(),
    }];
    let mut s = Session::start(1, &files).expect("settles");
    assert!(!s.has_errors(), "{:?}", s.diagnostics);
    s.transcript(commands)
}

/// Runs a session and compares its output with the snapshot.
pub fn check(manifest: &str, commands: &[&str], expect: Expect) {
    expect.assert_eq(&session(manifest, commands));
}

/// Every gallery file (manifests and scenarios) as input files.
pub fn gallery_files() -> Vec<SourceFile> {
    kubeplay::GALLERY
        .iter()
        .map(|(n, t)| SourceFile {
            name: n.to_string(),
            text: t.to_string(),
        })
        .collect()
}
