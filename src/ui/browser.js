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

// The engine's module worker: the one app.js started while the wasm was loading (taken
// once), or a new one (restarts).
export function kpWorker() {
  const early = self.kpEarlyWorker;
  self.kpEarlyWorker = undefined;
  if (early) {
    early.onerror = null;
    return early;
  }
  return new Worker(new URL('worker.js', new URL('./', location.href)), { type: 'module' });
}

// A sandboxed iframe (`sandbox="allow-scripts"`, an opaque origin) may not start a worker
// from the site's URL, and a blob: worker may not import from it either. So the page
// fetches the wasm-bindgen glue itself (CORS) and starts it as a blob: worker; like
// worker.js, it waits for the compiled wasm module (the page's own) as its first message.
export async function kpSandboxWorker() {
  const glue = await fetch(new URL('pkg/kubeplay-web.js', new URL('./', location.href))).then((r) => r.text());
  // Chromium refuses module workers from blob: URLs of an opaque origin, so the glue
  // becomes a classic script: no `export`, no `import.meta`, and no imports: what it
  // imports from this file is for the page only, so the worker gets functions that throw
  // (the wasm's imports must be callable to instantiate; the worker never calls them).
  const classic = 'const __kpPageOnly = new Proxy({}, { get: () => () => { throw new Error("page only"); } });\n' + glue
    .replace(/^import \* as (\w+) from [^;\n]*;?$/gm, 'const $1 = __kpPageOnly;')
    .replace(/^import \{([^}]*)\} from [^;\n]*;?$/gm, (_, names) => `const {${names.replace(/ as /g, ': ')}} = __kpPageOnly;`)
    .replace(/^export \{[^}]*\};?$/gm, '')
    .replace(/^export (?=class |function |async |const |let )/gm, '')
    .replace(/import\.meta\.url/g, 'self.location.href');
  const boot = `${classic}\nself.onmessage = (e) => { self.onmessage = null; __wbg_init({ module_or_path: e.data }).then(() => start_worker(), (err) => setTimeout(() => { throw err; })); };\n`;
  return new Worker(URL.createObjectURL(new Blob([boot], { type: 'text/javascript' })));
}

// Share links, format v1 — the same format as src/share.rs (which the CLI and the native
// tests use; tests/e2e/share.test.mjs checks that each side opens the other's links).
// `v1:` + base64url(raw deflate(payload)); payload = one line of JSON (the state without
// its files), then per file: name, byte length of the packed text, packed text (WORDS
// replaced by one control byte; other control bytes escaped with 0x00).
const WORDS = ['apiVersion: ', 'kind: ', 'metadata:', 'spec:', 'containers:', '- name: ', 'image: ',
  'selector:', 'matchLabels:', 'labels:', 'template:', 'volumeMounts:', 'mountPath: ', 'volumes:',
  'persistentVolumeClaim', 'PersistentVolume', 'storageClassName: ', 'accessModes: ', 'ReadWriteOnce',
  'resources:', 'requests:', 'storage: ', 'replicas: ', 'containerPort: ', 'Deployment', 'Service',
  'kubectl ', 'apps/v1'].map((w) => new TextEncoder().encode(w));
const WORD_BYTES = [1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31];
const MAX_LINK_CHARS = 256 * 1024;
const MAX_STATE_BYTES = 4 * 1024 * 1024;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function pack(text) {
  const bytes = new TextEncoder().encode(text);
  const out = [];
  outer: for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 13) { out.push(0, b); i++; continue; }
    for (let k = 0; k < WORDS.length; k++) {
      const w = WORDS[k];
      if (b === w[0] && i + w.length <= bytes.length && w.every((c, j) => bytes[i + j] === c)) {
        out.push(WORD_BYTES[k]); i += w.length; continue outer;
      }
    }
    out.push(b); i++;
  }
  return Uint8Array.from(out);
}

function unpack(bytes) {
  const out = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0) {
      if (i + 1 >= bytes.length) throw new Error('this link is damaged: a file ends inside an escape (was it cut short when copied?)');
      out.push(bytes[++i]);
      continue;
    }
    const k = WORD_BYTES.indexOf(b);
    if (k >= 0) out.push(...WORDS[k]); else out.push(b);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(out));
}

function base64url(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const k = Math.min(3, bytes.length - i);
    for (let j = 0; j <= k; j++) out += B64[(n >> (18 - 6 * j)) & 63];
  }
  return out;
}

function unbase64url(text) {
  const out = [];
  let acc = 0;
  let bits = 0;
  for (const ch of text.replace(/=/g, '')) {
    let v = B64.indexOf(ch === '+' ? '-' : ch === '/' ? '_' : ch);
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) { bits -= 8; out.push((acc >> bits) & 255); acc &= (1 << bits) - 1; }
  }
  return Uint8Array.from(out);
}

async function pipe(bytes, stream, limit) {
  const reader = new Blob([bytes]).stream().pipeThrough(stream).getReader();
  const parts = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (limit && total > limit) { reader.cancel(); throw new Error(`this link is damaged: it would expand past ${limit / 1048576} MB (was it cut short when copied?)`); }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

// The link fragment (without #) for a state given as JSON (SharedState's serde form).
export async function kpEncodeLink(stateJson) {
  const state = JSON.parse(stateJson);
  const files = state.f ?? [];
  delete state.f;
  const enc = new TextEncoder();
  const parts = [enc.encode(JSON.stringify(state) + '\n')];
  for (const [name, text] of files) {
    const packed = pack(text);
    parts.push(enc.encode(`${name.replace(/\n/g, ' ')}\n${packed.length}\n`), packed);
  }
  const payload = await new Blob(parts).arrayBuffer();
  return 'v1:' + base64url(await pipe(new Uint8Array(payload), new CompressionStream('deflate-raw')));
}

// The state (SharedState's serde JSON) a fragment holds; throws an Error saying why not.
export async function kpDecodeLink(fragment) {
  fragment = fragment.replace(/^#/, '').trim();
  if (fragment.length > MAX_LINK_CHARS) throw new Error(`this link is too long (${fragment.length} characters; at most ${MAX_LINK_CHARS})`);
  const colon = fragment.indexOf(':');
  const version = colon < 0 ? '' : fragment.slice(0, colon);
  if (version !== 'v1') {
    if (/^v\d+$/.test(version) && Number(version.slice(1)) > 1) throw new Error(`this link comes from a newer kubeplay (${version}); reload to get the newest version`);
    throw new Error('this link is not a kubeplay link (it should start with #v1:)');
  }
  const packed = unbase64url(fragment.slice(colon + 1));
  if (!packed) throw new Error('this link is damaged: it has characters a link never contains (was it cut short when copied?)');
  let payload;
  try {
    payload = await pipe(packed, new DecompressionStream('deflate-raw'), MAX_STATE_BYTES);
  } catch (e) {
    if (e.message.startsWith('this link')) throw e;
    throw new Error('this link is damaged: its compressed data does not inflate (was it cut short when copied?)');
  }
  const damaged = (what) => new Error(`this link is damaged: ${what} (was it cut short when copied?)`);
  const line = (from) => { const end = payload.indexOf(10, from); if (end < 0) throw damaged('it ends in the middle'); return [payload.subarray(from, end), end + 1]; };
  const dec = new TextDecoder('utf-8', { fatal: true });
  let [meta, at] = line(0);
  let state;
  try { state = JSON.parse(dec.decode(meta)); } catch { throw damaged('its settings do not read'); }
  state.f = [];
  while (at < payload.length) {
    const [name, n1] = line(at);
    const [len, n2] = line(n1);
    const size = Number(dec.decode(len));
    if (!Number.isInteger(size) || n2 + size > payload.length) throw damaged('a file is cut short');
    let text;
    try { text = unpack(payload.subarray(n2, n2 + size)); } catch (e) { throw e.message.startsWith('this link') ? e : damaged('a file is not UTF-8 text'); }
    state.f.push([dec.decode(name), text]);
    at = n2 + size;
  }
  return JSON.stringify(state);
}
