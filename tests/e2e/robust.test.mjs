// End-to-end: what must not go wrong. A worker that panics or hangs is restarted within
// 2 s with the person's text kept and the cluster rebuilt; hostile text in manifests and
// command output is shown as text, never run; the app works under its CSP without a
// single violation; the editor colours YAML without changing it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, ARTIFACTS } from './browser.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const run = async (page, command) => {
  const input = page.getByTestId('terminal-input');
  await input.fill(command);
  await input.press('Enter');
  await page.waitForFunction((c) => {
    const last = [...document.querySelectorAll('[data-testid=terminal-entry]')].at(-1);
    const out = last?.querySelector('[data-testid=terminal-output]');
    return last?.textContent.includes(c) && out && out.textContent !== '…';
  }, command);
};

for (const fault of ['panic', 'hang']) {
  test(`a worker that ${fault}s is restarted within 2 s; the text stays and the cluster is rebuilt`, async () => {
    const { page, errors, context } = await openPage(env.browser, `${env.base}?faults`, { width: 1280, height: 900 });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.waitForSelector('[data-testid=object-row]');
    const text = `# kept\n${await page.getByTestId('editor-input').inputValue()}`;
    await page.getByTestId('editor-input').fill(text);
    // The edit is applied (the Service moved down a line) before the command runs.
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=object-row]')].some((r) => /^Service\tdefault\thttpd-deployment\t3\t/.test(r.innerText)));
    await run(page, 'kubectl scale deploy/httpd-deployment --replicas=1');
    const t0 = Date.now();
    await page.evaluate((kind) => window.__kubeplayFault(kind), fault);
    await page.waitForSelector('[data-testid=engine-restarted]', { timeout: 5000 });
    const detected = Date.now() - t0;
    await page.waitForFunction(() => document.querySelector('[data-testid=engine-status]').textContent.includes('engine ready'));
    console.log(`# ${fault}: restarted after ${detected} ms, ready after ${Date.now() - t0} ms`);
    assert.ok(detected <= 2000, `detected in ${detected} ms`);
    assert.equal(await page.getByTestId('editor-input').inputValue(), text);
    // The rebuilt cluster has the scale replayed.
    await run(page, 'kubectl get deploy');
    assert.match(await page.getByTestId('terminal-output').last().innerText(), /httpd-deployment\s+1\/1/);
    await page.getByTestId('copy-report').click();
    const report = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(report, /^kubeplay \d+\.\d+\.\d+ — the engine (stopped|did not answer)/);
    assert.match(report, /It was handling: \{"type":"Fault"/);
    await page.screenshot({ path: `${ARTIFACTS}/restarted-${fault}-1280-light.png` });
    // A panic logs to the console by design (the panic hook); nothing else may.
    assert.deepEqual(errors.filter((e) => !e.includes('injected fault') && !e.includes('unreachable')), []);
    await context.close();
  });
}

test('hostile text in manifests and output is shown as text; nothing runs', async () => {
  const { page, errors, context } = await openPage(env.browser, env.base, { width: 1280, height: 900 });
  await page.addInitScript(() => { window.__xss = 0; });
  await page.reload();
  await page.waitForSelector('[data-testid=object-row]');
  const evil = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>javascript:window.__xss=3';
  const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations: {note: '${evil}'}
  labels: {app: web}
spec:
  containers: [{name: c, image: busybox, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, annotations: {why: '${evil}'}}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: '<img src=x onerror=window.__xss=4>'}
data: {k: '${evil}'}
`;
  await page.getByTestId('editor-input').fill(manifest);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=problem]').length > 0);
  await run(page, `kubectl exec web -- sh -c 'echo "${evil.replace(/"/g, '')}" > /tmp/x'`);
  await run(page, 'kubectl exec web -- cat /tmp/x');
  await run(page, 'kubectl describe pod web');
  await run(page, 'kubectl get svc web -o yaml');
  await page.getByTestId('tab-cluster').click();
  await page.getByTestId('cluster-row').filter({ hasText: 'web' }).first().click();
  await page.waitForSelector('[data-testid=cluster-detail]');
  await page.getByTestId('tab-diagram').click();
  await page.waitForSelector('.kp-d-box[data-id="Pod/default/web"]');
  await page.getByTestId('diagram-text').click();
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__xss), 0);
  assert.equal(await page.locator('main img, main script').count(), 0);
  assert.ok((await page.getByTestId('terminal-output').nth(1).innerText()).includes('<img src=x'), 'shown as text');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the app runs under its Content-Security-Policy without a violation', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const headers = [];
  page.on('response', (r) => { if (r.url() === env.base) headers.push(r.headers()['content-security-policy']); });
  await page.goto(env.base);
  await page.waitForSelector('[data-testid=object-row]');
  assert.match(headers[0], /script-src 'self' 'wasm-unsafe-eval'/);
  assert.match(await page.evaluate(() => document.querySelector('meta[http-equiv=Content-Security-Policy]').content), /script-src 'self' 'wasm-unsafe-eval'/);
  // Exercise what loads or draws things: the worker, a diagram, PNG export, a lesson.
  await page.getByTestId('tab-diagram').click();
  await page.waitForSelector('.kp-d-box');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('diagram-png').click()]);
  assert.ok(await download.path());
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=gallery] option').length > 5);
  await page.getByTestId('gallery').selectOption('ingress.scenario.yaml');
  await page.waitForSelector('[data-testid=lesson-step]');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  await context.close();
});

test('the editor colours YAML and the colouring follows typing', async () => {
  const { page, errors, context } = await openPage(env.browser, env.base, { width: 1280, height: 900, colorScheme: 'dark' });
  await page.waitForSelector('[data-testid=object-row]');
  const keys = await page.locator('.kp-editor__highlight .kp-y-key').allInnerTexts();
  assert.ok(keys.includes('apiVersion') && keys.includes('replicas'));
  assert.equal(await page.locator('.kp-editor__highlight .kp-y-doc').count(), 1);
  await page.getByTestId('editor-input').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('# a comment\n');
  await page.waitForFunction(() => [...document.querySelectorAll('.kp-editor__highlight .kp-y-com')].some((c) => c.textContent === '# a comment'));
  // The layer has the same text as the textarea.
  const same = await page.evaluate(() => document.querySelector('.kp-editor__highlight').textContent.trimEnd() === document.querySelector('[data-testid=editor-input]').value.trimEnd());
  assert.ok(same);
  await page.screenshot({ path: `${ARTIFACTS}/editor-colours-1280-dark.png` });
  assert.deepEqual(errors, []);
  await context.close();
});
