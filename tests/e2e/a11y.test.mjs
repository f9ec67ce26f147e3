// End-to-end: an accessibility scan (axe-core, WCAG 2 A/AA rules) of the main views in
// light and dark, and the main flow done with the keyboard only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, ARTIFACTS } from './browser.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const AXE = 'node_modules/axe-core/axe.min.js';

async function scan(page, what) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, target: v.nodes[0]?.target.join(' ') }));
  });
  for (const v of result) console.log(`# ${what}: ${v.impact} ${v.id} ×${v.nodes} (${v.help}) e.g. ${v.target}`);
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

for (const colorScheme of ['light', 'dark']) {
  test(`no serious accessibility violations in the main views (${colorScheme})`, async () => {
    // axe is injected as a script: the test bypasses the page's CSP to do so.
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(env.base);
    await page.waitForSelector('[data-testid=object-row]');
    const found = [];
    found.push(...await scan(page, `${colorScheme} input`));
    await page.getByTestId('tab-cluster').click();
    await page.waitForSelector('[data-testid=cluster-row]');
    found.push(...await scan(page, `${colorScheme} cluster`));
    await page.getByTestId('tab-diagram').click();
    await page.waitForSelector('.kp-d-box');
    found.push(...await scan(page, `${colorScheme} diagram`));
    assert.deepEqual(found, []);
    await context.close();
  });
}

test('the main flow works with the keyboard alone', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(env.base);
  await page.waitForSelector('[data-testid=object-row]');
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);
  // Tab from the top reaches the lesson picker, then Share, then the editor.
  const seen = [];
  for (let i = 0; i < 40 && !seen.includes('terminal-input'); i++) {
    // In the editor Tab indents; Escape first lets Tab move on.
    if (seen.at(-1) === 'editor-input') await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    seen.push(await focused());
  }
  for (const id of ['gallery', 'share', 'lang', 'editor-input', 'tab-input', 'tab-diagram', 'terminal-input']) {
    assert.ok(seen.includes(id), `${id} is reachable by Tab (saw ${seen.join(', ')})`);
  }
  // A command from the keyboard, then the diagram tab by keyboard.
  await page.keyboard.type('kubectl get svc');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=terminal-output]')].at(-1)?.textContent.includes('httpd-deployment'));
  await page.getByTestId('tab-diagram').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('.kp-d-box');
  // Focus is visible: the focused element draws an outline or a ring.
  await page.getByTestId('tab-cluster').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=cluster-row]');
  await page.getByTestId('cluster-row').first().focus();
  const ring = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return s.outlineStyle !== 'none' || s.boxShadow !== 'none';
  });
  assert.ok(ring, 'the focused row shows a focus ring');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=cluster-detail]');
  await page.screenshot({ path: `${ARTIFACTS}/keyboard-1280-light.png` });
  await context.close();
});
