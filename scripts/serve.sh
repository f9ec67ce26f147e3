#!/usr/bin/env bash
# Installs what is missing, builds the app and serves it at http://127.0.0.1:8080/.
# Usage: scripts/serve.sh [--dev] [--port N]
set -euo pipefail
cd "$(dirname "$0")/.."
port=8080
build_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dev) build_args+=(--dev) ;;
    --port) port=$2; shift ;;
    *) echo "usage: scripts/serve.sh [--dev] [--port N]" >&2; exit 2 ;;
  esac
  shift
done
scripts/build.sh "${build_args[@]}"
exec node scripts/serve.mjs --port "$port" --root dist
