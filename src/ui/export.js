// Browser glue for diagram export (kept in JS: a few lines here save web-sys features
// and wasm bytes). Loaded as a wasm-bindgen snippet, so it is a same-origin module that
// the Content-Security-Policy allows.

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
