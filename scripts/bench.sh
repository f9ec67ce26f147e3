#!/usr/bin/env bash
# Prints every performance figure kubeplay tracks (benchmarks, not tests: nothing here
# fails on a number). Builds what it needs first. Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test >/dev/null
section() { printf '\n== %s\n' "$*"; }
cargo build --release --example bench --example fuzz --bin kubeplay -q
cargo build --bin kubeplay -q
section "read and check generated manifests (1k, 10k objects)"; target/release/examples/bench
section "cluster: apply + reconcile, peak memory (1k, 10k, 100k objects)"; target/release/examples/bench cluster
section "the worker's Apply of the browser bench's 10k-object manifest, natively, by phase"; target/release/examples/bench worker
section "storage: binding claims"; target/release/examples/bench storage
section "kube-proxy rules after an endpoint change"; target/release/examples/bench rules
section "dispatch: requests per second"; target/release/examples/bench dispatch 1000000
section "DNS: lookups against 10,000 Services"; target/release/examples/bench dns 10000 1000000
section "diagrams: model, layout and SVG (100, 1k, 5k objects)"; target/release/examples/bench diagram
section "hostile inputs"; target/release/examples/bench hostile
section "fuzz (short: ~200,000 inputs)"; target/release/examples/fuzz 50000
section "share links vs lz-string"; node scripts/share-ratio.mjs
scripts/build.sh | grep gzipped
section "shipped, gzipped (goal: 350 KB in total)"
total=0
for f in dist/pkg/*.wasm dist/pkg/*.js dist/app.js dist/worker.js dist/sw.js dist/index.html dist/style/*.css $(find dist/pkg/snippets -name '*.js'); do
  size=$(gzip -9c "$f" | wc -c); total=$((total + size))
  printf '%8d  %s\n' "$size" "$f"
done
printf '%8d  total\n' "$total"
section "in headless Chromium"; node scripts/bench-browser.mjs 2>&1 | grep -v '^\s*\x1b'
