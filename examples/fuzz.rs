//! The long fuzz run: `cargo run --release --example fuzz -- [ROUNDS] [SEED]`. Each round
//! feeds the manifest parser, the scenario parser, a read-only terminal command and the
//! share-link decoder one mutated input each; every 10th round also applies the mutated
//! manifest to a whole cluster and runs commands on it. Prints the counts, the slowest
//! input and any panic or hang (> 1 s) with the input that caused it; exit 1 if any.

use std::time::{Duration, Instant};

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let rounds = args.first().copied().unwrap_or(250_000);
    let seed = args.get(1).copied().unwrap_or(1);
    let t = Instant::now();
    let found = kubeplay::fuzz::run(seed, rounds, 10, Duration::from_secs(1));
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{} inputs in {:.1} s ({:.0}/s), seed {seed}: {} panics, {} slower than 1 s, slowest {:.1} ms",
        found.inputs,
        secs,
        found.inputs as f64 / secs,
        found.panics.len(),
        found.slow.len(),
        found.slowest.as_secs_f64() * 1000.0
    );
    for (target, input, message) in found.panics.iter().take(5) {
        println!("PANIC in {target}: {message}\n--- input ---\n{input}\n---");
    }
    for (target, input, took) in found.slow.iter().take(5) {
        println!(
            "SLOW {target} ({:.0} ms)\n--- input ---\n{input}\n---",
            took.as_secs_f64() * 1000.0
        );
    }
    if !found.panics.is_empty() || !found.slow.is_empty() {
        std::process::exit(1);
    }
}
