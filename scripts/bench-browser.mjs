// Browser figures, measured in headless Chromium against dist/ (run scripts/build.sh
// first): engine round trips through the Web Worker (apply the seed example, apply a
// 1,000-object manifest, lay out and draw the network diagram of 100 / 1,000 / 5,000
// objects) and the frame time while panning a 1,000-object diagram in the page; and the
// cold load: a fresh browser (empty caches) opens the page until the seed example's objects
// show, over localhost and over a simulated 10 Mbit/s, 40 ms link (gzipped responses).
// Usage: node scripts/bench-browser.mjs [cold]   (cold: only the cold-load figures; DIST=dir
// serves another build, e.g. a copy of an older dist/ to compare)
import { readFileSync } from 'node:fs';
import { launch, openPage } from '../tests/e2e/browser.mjs';

/** About `n` objects: per 10, a Deployment of 3 replicas, its Service and 4 pods. */
function manifest(n) {
  let text = '';
  for (let i = 0; i < Math.max(1, Math.floor(n / 10)); i++) {
    const ns = `ns-${i % 20}`;
    text += `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n`.repeat(i < 20 ? 1 : 0);
    text += `---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-${i}, namespace: ${ns}}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: app-${i}}}\n  template:\n    metadata: {labels: {app: app-${i}}}\n    spec:\n      containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]\n`;
    text += `---\napiVersion: v1\nkind: Service\nmetadata: {name: svc-${i}, namespace: ${ns}}\nspec:\n  type: NodePort\n  selector: {app: app-${i}}\n  ports: [{port: 80}]\n`;
    for (let j = 0; j < 4; j++) {
      text += `---\napiVersion: v1\nkind: Pod\nmetadata: {name: pod-${i}-${j}, namespace: ${ns}, labels: {app: app-${i}}}\nspec:\n  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]\n`;
    }
  }
  return text;
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const fmt = (xs) => `p50 ${pct(xs, 0.5).toFixed(1)} ms, p95 ${pct(xs, 0.95).toFixed(1)} ms (n=${xs.length})`;

/** Cold loads of `base` in fresh contexts: when the editor showed, and when the seed
 * example's objects (the engine's first answer) showed, in ms since navigation. */
async function coldLoads(browser, base, runs) {
  const ui = [];
  const result = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(() => {
      new MutationObserver((_, o) => {
        if (!window.__ui && document.querySelector('[data-testid=editor-input]')) window.__ui = performance.now();
        if (document.querySelector('[data-testid=object-row]')) { window.__result = performance.now(); o.disconnect(); }
      }).observe(document, { subtree: true, childList: true });
    });
    const page = await context.newPage();
    await page.goto(base);
    await page.waitForSelector('[data-testid=object-row]', { timeout: 120000 });
    const [a, b] = await page.evaluate(() => [window.__ui, window.__result]);
    ui.push(a);
    result.push(b);
    await context.close();
  }
  return { ui, result };
}

for (const [what, network] of [['localhost', null], ['10 Mbit/s, 40 ms', { bytesPerSecond: 1.25e6, latencyMs: 40 }]]) {
  const env = await launch({ network, root: process.env.DIST ?? 'dist' });
  try {
    const runs = await coldLoads(env.browser, env.base, 5);
    console.log(`cold load (${what}): editor shown ${fmt(runs.ui)}; seed example's result shown ${fmt(runs.result)}`);
  } finally {
    await env.close();
  }
}
if (process.argv[2] === 'cold') process.exit(0);

const env = await launch();
try {
  const { page } = await openPage(env.browser, env.base);
  await page.waitForSelector('[data-testid=object-row]');
  const seed = readFileSync('www/examples/seed.yaml', 'utf8');
  // A worker of our own, speaking the protocol: times exclude the page's debounce.
  const rounds = await page.evaluate(async ({ seed, sizes, huge }) => {
    const worker = new Worker('./worker.js', { type: 'module' });
    // Like the page: the worker's first message is the compiled wasm module.
    worker.postMessage(await WebAssembly.compileStreaming(fetch('./pkg/kubeplay-web_bg.wasm')));
    let waiting = null;
    worker.onmessage = (e) => { const f = waiting; waiting = null; f && f(e.data); };
    await new Promise((ok) => { waiting = ok; });
    let id = 0;
    const ask = (msg) => new Promise((ok) => { waiting = ok; worker.postMessage(JSON.stringify({ ...msg, id: ++id })); });
    const time = async (msg) => { const t = performance.now(); const answer = await ask(msg); return [performance.now() - t, answer]; };
    const apply = (text) => ({ type: 'Apply', seed: 1, files: [{ name: 'm.yaml', text }] });
    const out = { seed: [], big: [], diagram: {} };
    for (let i = 0; i < 40; i++) out.seed.push((await time(apply(seed.replace('replicas: 3', `replicas: ${2 + (i % 3)}`))))[0]);
    for (const [n, text] of sizes) {
      const [ms] = await time(apply(text));
      if (n === 1000) { out.big.push(ms); for (let i = 0; i < 4; i++) out.big.push((await time(apply(text)))[0]); }
      const layout = [];
      let bytes = 0;
      for (let i = 0; i < 5; i++) {
        const [t, answer] = await time({ type: 'Query', line: 'diagram network -o svg' });
        layout.push(t);
        bytes = answer.length;
      }
      out.diagram[n] = { apply: ms, layout, bytes };
    }
    out.huge = [];
    for (let i = 0; i < 3; i++) out.huge.push((await time(apply(huge)))[0]);
    out.hugeAnswer = (await ask({ type: 'Query', line: 'kubectl get pods -A --no-headers' })).length;
    worker.terminate();
    return out;
  }, { seed, sizes: [100, 1000, 5000].map((n) => [n, manifest(n)]), huge: manifest(10000) });
  console.log(`apply seed example (worker round trip): ${fmt(rounds.seed)}`);
  console.log(`apply 1,000-object manifest:            ${fmt(rounds.big)}`);
  console.log(`apply 10,000-object manifest (parse + admit + reconcile in the worker): ${fmt(rounds.huge)}`);
  for (const [n, d] of Object.entries(rounds.diagram)) {
    console.log(`network diagram of ${String(n).padStart(5)} objects: model+layout+SVG ${fmt(d.layout)}, ${(d.bytes / 1024).toFixed(0)} KiB (apply ${d.apply.toFixed(0)} ms)`);
  }

  // Edit → result in the page (debounce included): rename the Service, wait until the
  // objects list shows the new name.
  const paste = (text) => page.evaluate((text) => {
    const el = document.querySelector('[data-testid=editor-input]');
    el.value = text;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  const editToResult = async (text, expect) => page.evaluate(async ({ text, expect }) => {
    const el = document.querySelector('[data-testid=editor-input]');
    const t = performance.now();
    el.value = text;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((ok) => {
      const seen = () => [...document.querySelectorAll('[data-testid=object-row]')].some((r) => r.textContent.includes(expect));
      if (seen()) return ok();
      const o = new MutationObserver(() => { if (seen()) { o.disconnect(); ok(); } });
      o.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    return performance.now() - t;
  }, { text, expect });
  const edits = [];
  for (let i = 0; i < 30; i++) {
    const name = `web-${i}`;
    edits.push(await editToResult(seed.replace('name: httpd-deployment\nspec:\n  type', `name: ${name}\nspec:\n  type`), name));
    await page.waitForTimeout(50);
  }
  console.log(`edit → result in the page, seed example (debounce included): ${fmt(edits)}`);
  const bigEdits = [];
  const big = manifest(1000);
  for (let i = 0; i < 5; i++) {
    bigEdits.push(await editToResult(big.replace('name: svc-0,', `name: big-${i},`), `big-${i}`));
    await page.waitForTimeout(100);
  }
  console.log(`edit → result in the page, 1,000-object manifest:          ${fmt(bigEdits)}`);

  // Panning a 1,000-object diagram in the page: frame intervals while dragging.
  await paste(manifest(1000));
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=object-count]')?.textContent) > 500, null, { timeout: 60000 });
  await page.getByTestId('tab-diagram').click();
  await page.waitForFunction(() => document.querySelectorAll('.kp-d-box').length > 500, null, { timeout: 60000 });
  await page.waitForTimeout(500);
  const canvas = await page.getByTestId('diagram-canvas').boundingBox();
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (t) => { window.__frames.push(t - last); last = t; if (window.__frames.length < 100000) window.__raf = requestAnimationFrame(tick); };
    window.__raf = requestAnimationFrame(tick);
  });
  await page.mouse.move(canvas.x + 100, canvas.y + 100);
  await page.mouse.down();
  for (let i = 0; i < 120; i++) await page.mouse.move(canvas.x + 100 + (i % 60) * 4, canvas.y + 100 + (i % 30) * 3);
  await page.mouse.up();
  const frames = await page.evaluate(() => { cancelAnimationFrame(window.__raf); return window.__frames.slice(2); });
  console.log(`frame time while panning a 1,000-object diagram: ${fmt(frames)}`);
} finally {
  await env.close();
}
