//! Determinism (STYLE.md §5): the same input and seed give byte-identical output. The
//! transcript is kept in tests/fixtures/determinism.golden; `tests/wasm.rs` checks that the
//! wasm build produces the very same bytes. `UPDATE_EXPECT=1` rewrites the file.

use kubeplay::engine::session::Session;
use kubeplay::engine::SourceFile;

pub const COMMANDS: &[&str] = &[
    "kubectl get pods -A -o wide",
    "kubectl scale deploy/web --replicas=2",
    "kubectl drain kind-worker2 --ignore-daemonsets",
    "kubectl get pods -A -o wide",
    "kubectl get events -A",
    "kubectl get pods -n default -o json",
];

fn transcript() -> String {
    let files = [SourceFile {
        name: "determinism.yaml".into(),
        text: include_str!("fixtures/determinism.yaml").into(),
    }];
    Session::start(7, &files)
        .expect("settles")
        .transcript(COMMANDS)
}

#[test]
fn determinism_same_input_and_seed_give_the_golden_transcript() {
    let got = transcript();
    assert_eq!(got, transcript(), "two runs differ");
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/determinism.golden"
    );
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, &got).expect("write golden");
    }
    let want = std::fs::read_to_string(path).expect("golden file");
    assert_eq!(
        got, want,
        "the transcript changed; review it and run with UPDATE_EXPECT=1"
    );
}
