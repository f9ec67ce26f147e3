// The engine's module Web Worker: loads the engine wasm, whose `main` installs onmessage
// and posts the ready handshake.
import init from './pkg/kubeplay-worker.js';
init({ module_or_path: './pkg/kubeplay-worker_bg.wasm' });
