#!/usr/bin/env bash
# Builds the browser app into dist/: wasm (release) → wasm-bindgen → wasm-opt -Oz → static files.
# Usage: scripts/build.sh [--dev]   (--dev: debug build, no wasm-opt; faster, larger)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build

profile=release
[ "${1:-}" = "--dev" ] && profile=dev
target_dir=target/wasm32-unknown-unknown/$([ "$profile" = dev ] && echo debug || echo release)

if [ "$profile" = release ] && [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
  # std, too, is compiled with this crate's release profile (opt-level "z", LTO into the
  # app, std's optimize_for_size code paths): 33 KB less gzipped than the prebuilt std.
  # build-std is a cargo -Z flag: RUSTC_BOOTSTRAP lets the stable toolchain take it, and
  # it needs the rust-src component. Its own target dir, so the flag's different std
  # does not invalidate the clippy and test builds.
  target_dir=target/dist/wasm32-unknown-unknown/release
  RUSTC_BOOTSTRAP=1 cargo build --profile release --target wasm32-unknown-unknown \
    --bin kubeplay-web --target-dir target/dist \
    -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
else
  cargo build --profile "$profile" --target wasm32-unknown-unknown --bin kubeplay-web
fi

# One wasm module for the page and the engine's worker (src/main.rs).
bin=kubeplay-web
wasm="$target_dir/$bin.wasm"
stamp="dist/.stamps/$bin"
sum="$profile $(sha256sum "$wasm" | cut -d' ' -f1)"
mkdir -p dist/style dist/.stamps
# wasm-bindgen + wasm-opt take seconds; skip them when the wasm did not change.
if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ] || [ ! -f "dist/pkg/${bin}_bg.wasm" ]; then
  rm -rf dist/pkg  # no files of older builds (the service worker would cache them)
  wasm-bindgen --target web --no-typescript --out-dir dist/pkg "$wasm"
  if [ "$profile" = release ]; then
    node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "dist/pkg/${bin}_bg.wasm" -o "dist/pkg/${bin}_bg.wasm"
  fi
  echo "$sum" > "$stamp"
fi

cp index.html dist/
cp style/*.css dist/style/
cp -r www/. dist/

# The service worker's asset list and version: every file it serves, and their hash.
assets=$(cd dist && find . -type f ! -name sw.js ! -path './.stamps/*' ! -name '*.map' | sed 's|^\./||' | sort)
version=$(cd dist && echo "$assets" | xargs sha256sum | sha256sum | cut -c1-12)
list=$(echo "$assets" | sed 's/.*/"&"/' | paste -sd, -)
sed -e "s|__VERSION__|$version|" -e "s|__ASSETS__|[\"./\",$list]|" www/sw.js > dist/sw.js

# Sizes, as a person downloads them.
for f in dist/pkg/kubeplay-web_bg.wasm dist/pkg/kubeplay-web.js; do
  printf 'build: %-36s %8d bytes, %7d gzipped\n' "$f" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
done
