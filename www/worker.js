// The engine's module Web Worker: loads the engine wasm, whose `main` installs onmessage
// and posts the ready handshake. Paths are relative to this file (not the page), so the
// worker also starts from a blob: URL (sandboxed iframes, whose origin is opaque).
import init from './pkg/kubeplay-worker.js';
init({ module_or_path: new URL('./pkg/kubeplay-worker_bg.wasm', import.meta.url) });
