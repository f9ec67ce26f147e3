// Loads the Leptos app's wasm; its `main` mounts the UI.
import init from './pkg/kubeplay-app.js';
init({ module_or_path: new URL('./pkg/kubeplay-app_bg.wasm', import.meta.url) });
