// Loads the Leptos app's wasm; its `main` mounts the UI.
import init from './pkg/kubeplay-app.js';
init({ module_or_path: new URL('./pkg/kubeplay-app_bg.wasm', import.meta.url) });

// Offline after the first visit (not for embeds, nor where there is no origin to own a
// cache: a sandboxed iframe).
if ('serviceWorker' in navigator && self.origin !== 'null' && !new URLSearchParams(location.search).has('embed')) {
  navigator.serviceWorker.register('./sw.js').catch(() => {});
}
