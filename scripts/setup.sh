#!/usr/bin/env bash
# Installs what building and testing kubeplay need, skipping whatever is already there.
# Usage: scripts/setup.sh [build|test]   (test also installs Chromium and ChromeDriver)
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
what=${1:-build}

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

if ! command -v cargo >/dev/null; then
  echo "setup: cargo not found; install Rust with rustup first" >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for comp in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^$comp"; then
    say "adding rustup component $comp"
    rustup component add "$comp"
  fi
done
# rust-src: the release build compiles std for wasm32 from source (scripts/build.sh); without
# it, that build uses the prebuilt std (33 KB more gzipped) rather than failing.
if ! rustup component list --installed | grep -q "^rust-src"; then
  say "adding rustup component rust-src"
  rustup component add rust-src || say "no rust-src: the release build will use the prebuilt std"
fi

# wasm-bindgen-cli must match the wasm-bindgen crate pinned in Cargo.toml exactly.
# No --locked: its lockfile names a crate version the registry no longer serves.
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes a few minutes once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# npm packages: binaryen (wasm-opt; Debian's v108 miscompiles) and playwright-core.
if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "$what" = test ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  # A Chinese font, so screenshots of the Chinese UI show characters (5 MB).
  if [ ! -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] && command -v apt-get >/dev/null; then
    say "installing a Chinese font for the screenshots"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei >/dev/null; } || say "no Chinese font (screenshots of the Chinese UI will show boxes)"
  fi
fi
