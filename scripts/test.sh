#!/usr/bin/env bash
# Runs every check and test: installs what is missing first (rustup target, wasm-bindgen-cli,
# npm packages, Debian chromium + chromium-driver), then fmt, clippy (host and wasm32),
# native tests, wasm-bindgen tests in headless Chromium, the release build and the
# Playwright end-to-end tests. Every step runs; the script exits 1 if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh test || { echo "test.sh: setup failed" >&2; exit 1; }

failed=()
passed=()
step() {
  local name=$1; shift
  printf '\n\033[1m== %s\033[0m\n' "$name"
  local t0=$SECONDS
  if "$@"; then
    passed+=("$name ($((SECONDS - t0))s)")
  else
    failed+=("$name")
    printf '\033[31m== %s FAILED\033[0m\n' "$name"
  fi
}

export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-120}

step "cargo fmt --check" cargo fmt --check
step "clippy (host)" cargo clippy --all-targets --locked -- -D warnings
step "clippy (wasm32)" cargo clippy --all-targets --locked --target wasm32-unknown-unknown -- -D warnings
step "native tests" cargo test --locked
mkdir -p test-artifacts
step "gallery scenarios (kubeplay test)" cargo run --locked --quiet --bin kubeplay -- test --format junit -o test-artifacts/gallery.xml www/examples
step "wasm-bindgen tests (headless Chromium)" cargo test --locked --target wasm32-unknown-unknown --test wasm
step "release build of the app" scripts/build.sh
step "end-to-end tests (Playwright, Chromium)" node --test tests/e2e/

printf '\n\033[1m== summary\033[0m\n'
for p in "${passed[@]}"; do echo "ok     $p"; done
for f in "${failed[@]}"; do echo "FAILED $f"; done
if [ ${#failed[@]} -gt 0 ]; then
  echo "test.sh: ${#failed[@]} of $(( ${#passed[@]} + ${#failed[@]} )) steps failed"
  exit 1
fi
echo "test.sh: all ${#passed[@]} steps passed (screenshots in test-artifacts/)"
