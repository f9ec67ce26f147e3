// Loads the wasm module (compiled while it downloads) and mounts the Leptos app. The same
// module is the engine's worker: the page posts it, compiled, to worker.js.
import init, { start_app } from './pkg/kubeplay-web.js';
init({ module_or_path: new URL('./pkg/kubeplay-web_bg.wasm', import.meta.url) }).then(() => start_app());

// The worker starts now, in parallel (src/ui/worker.rs takes it through kpWorker in
// src/ui/browser.js, then posts it the module). One that fails to load before then is left
// for a new one. Not in a sandboxed iframe (an opaque origin), which starts it otherwise.
if (self.origin !== 'null') {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onerror = () => {
    if (self.kpEarlyWorker === worker) self.kpEarlyWorker = undefined;
  };
  self.kpEarlyWorker = worker;
}

// Offline after the first visit (not for embeds, nor where there is no origin to own a
// cache: a sandboxed iframe).
if ('serviceWorker' in navigator && self.origin !== 'null' && !new URLSearchParams(location.search).has('embed')) {
  navigator.serviceWorker.register('./sw.js').catch(() => {});
}
