// Share-link size: kubeplay's `#v1:` links (made by the CLI's `kubeplay link`) against
// lz-string's compressToEncodedURIComponent of the same text (the file alone — for a
// scenario, the scenario and the manifests it names, which its link carries too — with
// no framing at all: lz-string's most favourable case), for each gallery example.
// Goal: ≤ 0.75×.
// Usage: cargo build --bin kubeplay && node scripts/share-ratio.mjs
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import lz from 'lz-string';

const dir = 'www/examples';
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
let ours = 0;
let theirs = 0;
console.log(`${'example'.padEnd(28)} ${'bytes'.padStart(6)} ${'#v1:'.padStart(6)} ${'lz-string'.padStart(9)} ${'ratio'.padStart(6)}`);
for (const f of files) {
  let text = readFileSync(`${dir}/${f}`, 'utf8');
  // A scenario's link carries the manifests it names (`- file: x.yaml`): so does lz-string.
  for (const m of text.matchAll(/^\s*- file: (\S+)\s*$/gm)) text += readFileSync(`${dir}/${m[1]}`, 'utf8');
  const link = execFileSync('target/debug/kubeplay', ['link', `${dir}/${f}`]).toString().trim();
  const lzLink = lz.compressToEncodedURIComponent(text);
  ours += link.length - 1;
  theirs += lzLink.length;
  console.log(`${f.padEnd(28)} ${String(text.length).padStart(6)} ${String(link.length - 1).padStart(6)} ${String(lzLink.length).padStart(9)} ${((link.length - 1) / lzLink.length).toFixed(2).padStart(6)}`);
}
console.log(`${'total'.padEnd(28)} ${''.padStart(6)} ${String(ours).padStart(6)} ${String(theirs).padStart(9)} ${(ours / theirs).toFixed(2).padStart(6)}`);
