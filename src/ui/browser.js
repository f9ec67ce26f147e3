// Browser glue (kept in JS: a few lines here save web-sys features and wasm bytes):
// diagram export, the clipboard, and starting the engine worker inside a sandboxed
// iframe. Loaded as a wasm-bindgen snippet, a same-origin module the CSP allows.

function save(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 2000);
}

export function kpDownload(name, mime, text) {
  save(name, new Blob([text], { type: mime }));
}

// Draws the SVG on a canvas at twice its size and saves it as PNG. The image is a data:
// URL (the CSP allows img-src data:), so the canvas is never tainted.
export function kpDownloadPng(name, svg, width, height) {
  const img = new Image();
  img.onload = () => {
    const canvas = document.createElement('canvas');
    canvas.width = width * 2;
    canvas.height = height * 2;
    const g = canvas.getContext('2d');
    g.scale(2, 2);
    g.drawImage(img, 0, 0, width, height);
    canvas.toBlob((blob) => blob && save(name, blob), 'image/png');
  };
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
}

export function kpCopy(text) {
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(text).catch(() => {});
    return true;
  }
  return false;
}

// A sandboxed iframe (`sandbox="allow-scripts"`, an opaque origin) may not start a worker
// from the site's URL, and a blob: worker may not import from it either. So the page
// fetches the worker's glue and wasm itself (CORS), starts the glue as a blob: worker,
// and hands it the wasm bytes as its first message.
export async function kpSandboxWorker() {
  const base = new URL('./', location.href);
  const [glue, wasm] = await Promise.all([
    fetch(new URL('pkg/kubeplay-worker.js', base)).then((r) => r.text()),
    fetch(new URL('pkg/kubeplay-worker_bg.wasm', base)).then((r) => r.arrayBuffer()),
  ]);
  // Chromium refuses module workers from blob: URLs of an opaque origin, so the glue
  // becomes a classic script: no `export`, no `import.meta`.
  const classic = glue.replace(/^export \{[^}]*\};?$/gm, '').replace(/^export (?=class |function |async |const |let )/gm, '').replace(/import\.meta\.url/g, 'self.location.href');
  const boot = `${classic}\nself.onmessage = (e) => { self.onmessage = null; __wbg_init({ module_or_path: e.data }); };\n`;
  const url = URL.createObjectURL(new Blob([boot], { type: 'text/javascript' }));
  const worker = new Worker(url);
  worker.postMessage(wasm, [wasm]);
  return worker;
}
