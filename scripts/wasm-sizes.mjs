// Which crates the wasm's bytes go to (a small twiggy): reads the code section and the
// name section of the release wasm before wasm-opt, groups function body sizes by the
// crate of each (legacy- or v0-mangled) name, and prints the largest.
// Usage: node scripts/wasm-sizes.mjs [target/dist/wasm32-unknown-unknown/release/kubeplay-web.wasm]
import { existsSync, readFileSync } from 'node:fs';

// (target/dist/: the build with std compiled from source; else the plain release build.)
const file = process.argv[2] ?? ['target/dist/wasm32-unknown-unknown/release/kubeplay-web.wasm',
  'target/wasm32-unknown-unknown/release/kubeplay-web.wasm'].find((f) => existsSync(f));
const buf = readFileSync(file);
let p = 8;
const leb = () => { let r = 0, s = 0, b; do { b = buf[p++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return r >>> 0; };
const str = () => { const n = leb(); const t = buf.toString('utf8', p, p + n); p += n; return t; };
let imports = 0;
const bodies = [];
const names = new Map();
while (p < buf.length) {
  const id = buf[p++];
  const size = leb();
  const end = p + size;
  if (id === 2) {
    for (let n = leb(); n > 0; n--) { str(); str(); const kind = buf[p++]; if (kind === 0) { leb(); imports++; } else if (kind === 1) { p++; const f = leb(); leb(); if (f & 1) leb(); } else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); } else { p += 2; } }
  } else if (id === 10) {
    for (let n = leb(); n > 0; n--) { const len = leb(); bodies.push(len); p += len; }
  } else if (id === 0 && str() === 'name') {
    while (p < end) { const sub = buf[p++]; const len = leb(); const subEnd = p + len; if (sub === 1) { for (let n = leb(); n > 0; n--) { const idx = leb(); names.set(idx, str()); } } p = subEnd; }
  }
  p = end;
}
function crate(name) {
  const m = name.match(/^_ZN(\d+)/);
  if (m) {
    const n = Number(m[1]);
    const c = name.slice(3 + m[1].length, 3 + m[1].length + n);
    if (c.includes('$LT$')) {
      // An impl: name the trait's crate when it is serde (derived code), else the type's.
      if (/serde\.\.de\.\.|serde_core\.\.de\.\./.test(c)) return 'serde derive: Deserialize impls';
      if (/serde\.\.ser\.\.|serde_core\.\.ser\.\./.test(c)) return 'serde derive: Serialize impls';
      const self = c.replace(/^_?\$LT\$/, '').split('..')[0].replace(/^&|\$RF\$/g, '');
      return `${self} (trait impls)`;
    }
    return c.split('..')[0];
  }
  if (name.startsWith('_R')) {
    // v0 mangling (what a build-std build names things with): the first crate named.
    if (/10serde_core2de/.test(name)) return 'serde derive: Deserialize impls';
    if (/10serde_core3ser/.test(name)) return 'serde derive: Serialize impls';
    const v0 = name.match(/C(?:s[0-9A-Za-z]*_)?(\d+)/);
    if (v0) return name.substr(v0.index + v0[0].length, Number(v0[1]));
  }
  if (name.startsWith('<')) { const inner = name.slice(1).split('::')[0]; return inner; }
  return name.split('::')[0].split('(')[0] || '?';
}
const byCrate = new Map();
let total = 0;
bodies.forEach((len, i) => {
  total += len;
  const c = crate(names.get(imports + i) ?? '?');
  byCrate.set(c, (byCrate.get(c) ?? 0) + len);
});
console.log(`${file}: ${bodies.length} functions, ${(total / 1024).toFixed(0)} KiB of code (before wasm-opt, not gzipped)`);
for (const [c, n] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
  console.log(`${(n / 1024).toFixed(0).padStart(6)} KiB  ${(100 * n / total).toFixed(1).padStart(5)}%  ${c}`);
}
