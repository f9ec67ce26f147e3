// A small static file server for dist/ with the headers kubeplay needs (wasm MIME type,
// the Content-Security-Policy, no caching during development). Used by `scripts/serve.sh`
// and by the end-to-end tests.
// Usage: node scripts/serve.mjs [--port 8080] [--root dist]
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors *";

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.yaml': 'text/yaml; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json', '.ico': 'image/x-icon',
};

// `network` (benchmarks only): { bytesPerSecond, latencyMs } — responses are gzipped like a
// real host's and share one link of that bandwidth, each after one round trip of latency.
export function startServer({ root = 'dist', port = 8080, host = '127.0.0.1', network = null } = {}) {
  const base = resolve(root);
  let linkFree = 0;
  const gzipped = new Map();
  const send = async (req, res, headers, body, file) => {
    if (!network) { res.writeHead(200, headers); res.end(body); return; }
    if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      if (!gzipped.has(file)) gzipped.set(file, gzipSync(body, { level: 9 }));
      body = gzipped.get(file);
      headers['Content-Encoding'] = 'gzip';
    }
    await new Promise((ok) => setTimeout(ok, network.latencyMs));
    res.writeHead(200, headers);
    for (let at = 0; at < body.length; at += 16384) {
      const chunk = body.subarray(at, at + 16384);
      linkFree = Math.max(linkFree, performance.now()) + (chunk.length / network.bytesPerSecond) * 1000;
      await new Promise((ok) => setTimeout(ok, linkFree - performance.now()));
      res.write(chunk);
    }
    res.end();
  };
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      let path = normalize(decodeURIComponent(url.pathname));
      if (path.endsWith('/')) path += 'index.html';
      const file = join(base, path);
      if (!file.startsWith(base)) { res.writeHead(403).end('forbidden'); return; }
      const info = await stat(file).catch(() => null);
      if (!info || !info.isFile()) { res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found'); return; }
      const body = await readFile(file);
      await send(req, res, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-cache',
        // Sandboxed iframes (documentation embeds) have an opaque origin: their module
        // scripts, wasm and worker are cross-origin fetches.
        'Access-Control-Allow-Origin': '*',
      }, body, file);
    } catch (e) {
      if (res.headersSent) res.destroy(); else res.writeHead(500).end(String(e));
    }
  });
  return new Promise((ok) => server.listen(port, host, () => ok(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : dflt; };
  const port = Number(arg('--port', process.env.PORT ?? 8080));
  const server = await startServer({ root: arg('--root', 'dist'), port });
  console.log(`kubeplay is served at http://127.0.0.1:${server.address().port}/  (Ctrl+C stops it)`);
}
