//! wasm-bindgen tests, run in headless Chromium by `scripts/test.sh`: the worker protocol
//! round trip through the real serialization and through JavaScript strings, as
//! `postMessage` carries it.
#![cfg(target_arch = "wasm32")]

use kubeplay::engine::SourceFile;
use kubeplay::protocol::{decode_response, encode_request, EngineService, FromWorker, ToWorker};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn to_worker_from_worker_round_trip_in_the_browser() {
    let request = ToWorker::Apply {
        id: 42,
        seed: 1,
        files: vec![SourceFile {
            name: "seed.yaml".into(),
            text: kubeplay::SEED_EXAMPLE.into(),
        }],
    };
    // Cross the JS boundary both ways, as postMessage does.
    let sent = JsValue::from_str(&encode_request(&request))
        .as_string()
        .unwrap();
    let mut service = EngineService::default();
    let reply = JsValue::from_str(&service.handle_text(&sent))
        .as_string()
        .unwrap();
    match decode_response(&reply).unwrap() {
        FromWorker::Applied {
            id,
            objects,
            diagnostics,
            ..
        } => {
            assert_eq!(id, 42);
            assert_eq!(objects.len(), 2);
            assert!(diagnostics.is_empty());
        }
        other => panic!("expected Applied, got {other:?}"),
    }
}

#[wasm_bindgen_test]
fn diagnostics_are_identical_in_wasm_and_natively() {
    // Same input as tests/manifests.rs `unknown_kind_and_wrong_api_version`.
    let parsed = kubeplay::engine::parse(&[SourceFile {
        name: "m.yaml".into(),
        text: "apiVersion: v1\nkind: Foo\nmetadata: {name: x}\n".into(),
    }]);
    let lines: Vec<String> = parsed.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        ["m.yaml:2:7: error: no matches for kind \"Foo\" in version \"v1\""]
    );
}

#[wasm_bindgen_test]
fn determinism_wasm_gives_the_native_golden_transcript_byte_for_byte() {
    // Same input, seed and commands as tests/determinism.rs.
    let files = [SourceFile {
        name: "determinism.yaml".into(),
        text: include_str!("fixtures/determinism.yaml").into(),
    }];
    let commands = [
        "kubectl get pods -A -o wide",
        "kubectl scale deploy/web --replicas=2",
        "kubectl drain kind-worker2 --ignore-daemonsets",
        "kubectl get pods -A -o wide",
        "kubectl get events -A",
        "kubectl get pods -n default -o json",
    ];
    let got = kubeplay::engine::session::Session::start(7, &files)
        .unwrap()
        .transcript(&commands);
    assert_eq!(got, include_str!("fixtures/determinism.golden"));
}
