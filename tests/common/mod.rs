//! Shared helpers for the scenario tests: a manifest plus terminal commands, run as
//! `kubeplay run --seed 1` runs them, compared with an inline snapshot.
#![allow(dead_code)]

use expect_test::Expect;
use kubeplay::engine::cluster::Cluster;
use kubeplay::engine::{kubectl, parse, SourceFile};

/// What `kubeplay run --seed 1 m.yaml -c ...` prints.
pub fn session(manifest: &str, commands: &[&str]) -> String {
    let parsed = parse(&[SourceFile {
        name: "m.yaml".into(),
        text: manifest.into(),
    }]);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let mut c = Cluster::new(1);
    c.bootstrap(&parsed.objects);
    kubectl::apply(&mut c, &parsed.objects);
    c.reconcile().expect("settles");
    let mut out = String::new();
    for cmd in commands {
        out.push_str(&format!("$ {cmd}\n{}\n", kubectl::run(&mut c, cmd)));
    }
    out
}

/// Runs a session and compares its output with the snapshot.
pub fn check(manifest: &str, commands: &[&str], expect: Expect) {
    expect.assert_eq(&session(manifest, commands));
}
