//! A short fuzz run in every test run: mutated manifests, scenarios, terminal commands
//! and share links into the parsers and the whole engine — no panic, no input slower
//! than a second. The long run: `cargo run --release --example fuzz -- 1000000`.

#[test]
fn fuzz_short_run_finds_no_panic_and_no_hang() {
    let found = kubeplay::fuzz::run(42, 2_000, 20, std::time::Duration::from_secs(2));
    assert!(found.inputs >= 8_000, "{}", found.inputs);
    assert!(
        found.panics.is_empty(),
        "panics: {:#?}",
        &found.panics[..found.panics.len().min(3)]
    );
    assert!(
        found.slow.is_empty(),
        "slow: {:#?}",
        &found.slow[..found.slow.len().min(3)]
    );
}
