// The engine's module Web Worker. It runs the same wasm module as the page: the page posts
// the module, already compiled, as the first message; `start_worker` installs onmessage
// and posts the ready handshake. (A failed start is rethrown as an uncaught error, so the
// page's watchdog sees it.) Inside a sandboxed iframe, src/ui/browser.js starts the same
// thing from a blob: URL instead.
import init, { start_worker } from './pkg/kubeplay-web.js';

self.onmessage = (e) => {
  self.onmessage = null;
  init({ module_or_path: e.data }).then(() => start_worker(), (err) => setTimeout(() => { throw err; }));
};
