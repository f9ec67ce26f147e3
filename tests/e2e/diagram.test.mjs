// End-to-end: the Diagram tab — the network view with a request path, export as SVG,
// PNG and Mermaid, pan/zoom by keyboard and pointer, the storage and DNS views.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, openPage, ARTIFACTS } from './browser.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const stageTransform = (page) => page.evaluate(() => document.querySelector('.kp-diagram__stage').style.transform);

test('the network diagram draws the seed example and highlights the path of a request', async () => {
  const { page, errors, context } = await openPage(env.browser, env.base, { width: 1280, height: 900 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.waitForSelector('[data-testid=object-row]');
  await page.getByTestId('tab-diagram').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=diagram-view] .kp-d-box[data-id^="Pod/default/httpd-deployment-"]').length === 3);
  assert.equal(await page.locator('.kp-d-box[data-id="Service/default/httpd-deployment"]').count(), 1);
  assert.equal(await page.locator('.kp-d-step').count(), 0, 'no request yet');

  // Send a request from the form: it runs in the terminal and the path is numbered.
  await page.getByTestId('diagram-url').fill('http://172.18.0.2:30080/');
  await page.getByTestId('diagram-url').press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=terminal-entry]')].at(-1)?.textContent.includes('curl http://172.18.0.2:30080/'));
  await page.waitForFunction(() => document.querySelectorAll('.kp-d-step').length === 5);
  assert.ok(await page.locator('.kp-d-path').count() >= 4, 'the hops are highlighted');
  const answered = await page.evaluate(() => [...document.querySelectorAll('[data-testid=terminal-output]')].at(-1).textContent.match(/Hostname: (\S+)/)[1]);
  assert.equal(await page.locator(`.kp-d-box[data-id="Pod/default/${answered}"]`).count(), 1);
  const badge = await page.locator('.kp-d-step title').last().textContent();
  assert.match(badge, new RegExp(`5\\. pod default/${answered} on kind-worker\\d? answers`));
  await page.getByTestId('diagram-fit').click();
  await page.screenshot({ path: `${ARTIFACTS}/diagram-network-1280-light.png` });

  // SVG export: a standalone document that parses.
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('diagram-svg').click()]);
  assert.equal(svgDownload.suggestedFilename(), 'kubeplay-network.svg');
  const svg = readFileSync(await svgDownload.path(), 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { error: doc.querySelector('parsererror')?.textContent ?? null, boxes: doc.querySelectorAll('.kp-d-box').length };
  }, svg);
  assert.equal(parsed.error, null);
  assert.ok(parsed.boxes >= 8);

  // PNG export: a PNG file.
  const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('diagram-png').click()]);
  const png = readFileSync(await pngDownload.path());
  assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);

  // Mermaid: copied; a flowchart with lanes as subgraphs and the path styled.
  await page.getByTestId('diagram-mermaid').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=diagram-mermaid]').textContent.includes('Copied'));
  const mermaid = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(mermaid, /^---\ntitle: Network\n---\nflowchart LR\n/);
  assert.equal((mermaid.match(/subgraph /g) ?? []).length, (mermaid.match(/\n {2}end/g) ?? []).length);
  assert.match(mermaid, /linkStyle [\d,]+ stroke:#8250df/);

  // The text alternative.
  await page.getByTestId('diagram-text').click();
  // The table is asked for when it is opened.
  await page.waitForFunction(() => document.querySelector('[data-testid=diagram-table]')?.textContent.includes('Request: '));
  assert.match(await page.getByTestId('diagram-table').innerText(), /Request: curl 172\.18\.0\.2:30080\/ from client: answered by default\//);
  assert.deepEqual(errors, []);
});

test('the diagram pans and zooms by keyboard and pointer, and Tab reads each box', async () => {
  const { page, errors } = await openPage(env.browser, env.base, { width: 1280, height: 900 });
  await page.waitForSelector('[data-testid=object-row]');
  await page.getByTestId('tab-diagram').click();
  await page.waitForSelector('.kp-d-box');
  await page.waitForFunction(() => /scale\((?!1\))/.test(document.querySelector('.kp-diagram__stage').style.transform));
  const canvas = page.getByTestId('diagram-canvas');
  await canvas.focus();
  const before = await stageTransform(page);
  await page.keyboard.press('+');
  const zoomed = await stageTransform(page);
  assert.notEqual(zoomed, before);
  const scale = (t) => Number(t.match(/scale\(([\d.]+)\)/)[1]);
  assert.ok(scale(zoomed) > scale(before));
  await page.keyboard.press('0');
  assert.equal(await stageTransform(page), before, '0 fits again');
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + 200, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + 260, box.y + 230, { steps: 4 });
  await page.mouse.up();
  const dragged = await stageTransform(page);
  assert.notEqual(dragged, before);
  await page.mouse.wheel(0, -300);
  assert.ok(scale(await stageTransform(page)) > scale(dragged));
  // Tab from the canvas reaches the boxes; the focused box's story is shown.
  await canvas.focus();
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.getAttribute('data-id'));
  assert.ok(focused, 'a box has focus');
  assert.notEqual(await page.getByTestId('diagram-focus').innerText(), '');
  assert.doesNotMatch(await page.getByTestId('diagram-focus').innerText(), /Hover, click or Tab/);
  // Expand: the drawing takes the window; Escape gives it back.
  await page.getByTestId('diagram-expand').click();
  assert.ok((await canvas.boundingBox()).width > 1200);
  await page.screenshot({ path: `${ARTIFACTS}/diagram-expanded-1280-light.png` });
  await page.keyboard.press('Escape');
  assert.ok((await canvas.boundingBox()).width < 700);
  assert.deepEqual(errors, []);
});

test('the storage view shows a claim and its volume; the DNS view the queries of a lookup', async () => {
  const { page, errors } = await openPage(env.browser, env.base, { width: 1280, height: 900, colorScheme: 'dark' });
  await page.waitForSelector('[data-testid=object-row]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=gallery] option').length > 5);
  await page.getByTestId('gallery').selectOption('static-pv.scenario.yaml');
  await page.waitForFunction(() => document.querySelector('[data-testid=editor-input]').value.includes('PersistentVolumeClaim'));
  await page.getByTestId('tab-diagram').click();
  await page.getByTestId('diagram-view-tab').filter({ hasText: 'Storage' }).click();
  await page.waitForFunction(() => document.querySelector('.kp-d-box.kp-d-k-pvc.kp-d-s-ok') && document.querySelector('.kp-d-box.kp-d-k-pvc.kp-d-s-pending'));
  const pending = await page.locator('.kp-d-box.kp-d-k-pvc.kp-d-s-pending title').first().textContent();
  assert.match(pending, /Pending/);
  await page.getByTestId('diagram-fit').click();
  await page.screenshot({ path: `${ARTIFACTS}/diagram-storage-1280-dark.png` });

  await page.getByTestId('diagram-view-tab').filter({ hasText: 'DNS' }).click();
  await page.getByTestId('diagram-pod').fill('db');
  await page.getByTestId('diagram-name').fill('example.com');
  await page.getByTestId('diagram-name').press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=diagram-view] text')].some((t) => /^\d+\. A\? example\.com$/.test(t.textContent)));
  await page.screenshot({ path: `${ARTIFACTS}/diagram-dns-1280-dark.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('diagram-fit').click();
  await page.screenshot({ path: `${ARTIFACTS}/diagram-dns-390-dark.png`, fullPage: true });
  assert.deepEqual(errors, []);
});

test('what if: other manifests, compared with the current cluster and marked on the diagram', async () => {
  const { page, errors } = await openPage(env.browser, env.base, { width: 1280, height: 900 });
  await page.waitForSelector('[data-testid=object-row]');
  await page.getByTestId('tab-whatif').click();
  const other = page.getByTestId('whatif-text');
  await other.fill((await other.inputValue()).replace('replicas: 3', 'replicas: 1'));
  await page.getByTestId('whatif-commands').fill('kubectl get deploy');
  await page.getByTestId('whatif-compare').click();
  await page.waitForSelector('[data-testid=whatif-result]');
  const result = await page.getByTestId('whatif-result').innerText();
  assert.match(result, /~ Deployment default\/httpd-deployment/);
  assert.match(result, /\$ kubectl get deploy\n {2}- httpd-deployment {3}3\/3/);
  await page.screenshot({ path: `${ARTIFACTS}/whatif-1280-light.png` });
  await page.getByTestId('tab-diagram').click();
  await page.waitForFunction(() => document.querySelectorAll('.kp-d-box.kp-d-changed').length === 4);
  await page.screenshot({ path: `${ARTIFACTS}/whatif-diagram-1280-light.png` });
  // Unticked, the marks go.
  await page.getByTestId('tab-whatif').click();
  await page.getByTestId('whatif-mark').uncheck();
  await page.getByTestId('tab-diagram').click();
  await page.waitForFunction(() => document.querySelectorAll('.kp-d-box').length > 0 && document.querySelectorAll('.kp-d-changed').length === 0);
  assert.deepEqual(errors, []);
});
