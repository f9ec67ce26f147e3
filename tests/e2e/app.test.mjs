// End-to-end: what a person does on the page. Run by `node --test tests/e2e/`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, ARTIFACTS } from './browser.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const problems = (page) => page.locator('[data-testid=problem]');

test('the page opens with the seed example read by the engine worker', async () => {
  const { page, errors } = await openPage(env.browser, env.base);
  await page.waitForSelector('[data-testid=object-row]');
  const rows = await page.locator('[data-testid=object-row]').allInnerTexts();
  assert.deepEqual(rows.map((r) => r.split('\t').slice(0, 3).join(' ')), [
    'Service default httpd-deployment',
    'Deployment default httpd-deployment',
  ]);
  assert.equal(await page.getByTestId('problem-count').innerText(), '0');
  assert.match(await page.getByTestId('engine-status').innerText(), /engine ready/);
  await page.screenshot({ path: `${ARTIFACTS}/seed-1280-light.png` });
  assert.deepEqual(errors, []);
});

test('a type error shows at its line and column, and goes away when fixed', async () => {
  const { page, errors } = await openPage(env.browser, env.base, { colorScheme: 'dark' });
  await page.waitForSelector('[data-testid=object-row]');
  const editor = page.getByTestId('editor-input');
  const original = await editor.inputValue();
  await editor.fill(original.replace('replicas: 3', 'replicas: three'));
  await page.waitForSelector('[data-testid=problem]');
  const text = await problems(page).first().innerText();
  assert.match(text, /manifest\.yaml:20:13/);
  assert.match(text, /cannot unmarshal string into Go struct field \.spec\.replicas of type int32/);
  assert.equal(await page.locator('[data-testid=editor-mark][data-line="20"]').count(), 1);
  // The broken Deployment is left out; the Service, which is fine, is still read.
  assert.equal(await page.getByTestId('object-count').innerText(), '1');
  await page.screenshot({ path: `${ARTIFACTS}/type-error-1280-dark.png` });
  // The person's text is untouched.
  assert.equal(await editor.inputValue(), original.replace('replicas: 3', 'replicas: three'));

  await editor.fill(original);
  await page.waitForSelector('[data-testid=no-problems]');
  assert.equal(await page.getByTestId('object-count').innerText(), '2');
  assert.equal(await page.locator('[data-testid=editor-mark]').count(), 0);
  assert.deepEqual(errors, []);
});

test('typing a YAML syntax error and an unknown kind reports each at its line', async () => {
  const { page, errors } = await openPage(env.browser, env.base, { width: 390, height: 844 });
  await page.waitForSelector('[data-testid=object-row]');
  const editor = page.getByTestId('editor-input');
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('---\nkind: Foo\napiVersion: v1\n---\nbad: [\n');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=problem]').length === 2);
  const texts = await problems(page).allInnerTexts();
  assert.match(texts[0], /manifest\.yaml:35:7/);
  assert.match(texts[0], /no matches for kind "Foo" in version "v1"/);
  assert.match(texts[1], /manifest\.yaml:3[89]:/);
  assert.match(texts[1], /error converting YAML to JSON/);
  // Both good documents above are still read.
  assert.equal(await page.getByTestId('object-count').innerText(), '2');
  await page.screenshot({ path: `${ARTIFACTS}/typed-errors-390-light.png`, fullPage: true });

  // Clicking a problem selects its line in the editor.
  await problems(page).first().locator('button').click();
  const selected = await editor.evaluate((el) => el.value.slice(el.selectionStart, el.selectionEnd));
  assert.equal(selected, 'kind: Foo');
  assert.deepEqual(errors, []);
});

test('the terminal runs kubectl against the cluster built from the editor', async () => {
  const { page, errors } = await openPage(env.browser, env.base);
  await page.waitForSelector('[data-testid=object-row]');
  const input = page.getByTestId('terminal-input');
  await input.fill('kubectl get deploy');
  await input.press('Enter');
  const output = page.getByTestId('terminal-output').last();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=terminal-output]')].at(-1)?.textContent.includes('READY'));
  assert.match(await output.innerText(), /httpd-deployment\s+3\/3\s+3\s+3/);

  await input.fill('kubectl get pods -o wide');
  await input.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=terminal-output]').length === 2
    && !document.querySelectorAll('[data-testid=terminal-output]')[1].textContent.startsWith('…'));
  const pods = await page.getByTestId('terminal-output').last().innerText();
  assert.equal(pods.split('\n').filter((l) => l.startsWith('httpd-deployment-')).length, 3);
  assert.match(pods, /kind-worker/);
  await page.screenshot({ path: `${ARTIFACTS}/terminal-1280-light.png` });

  // History: ↑ brings back the last command.
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'kubectl get pods -o wide');
  // Tab completes commands, kinds and names.
  await input.fill('kubectl desc');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl describe ');
  await input.pressSequentially('depl');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl describe deployments ');
  await input.pressSequentially('httpd');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl describe deployments httpd-deployment ');
  await input.fill('clear');
  await input.press('Enter');
  assert.equal(await page.getByTestId('terminal-entry').count(), 0);
  assert.deepEqual(errors, []);
});

test('a LoadBalancer shows the simulated-cloud note, and curl from the terminal reaches a pod', async () => {
  const { page, errors } = await openPage(env.browser, env.base, { width: 1280, height: 900, colorScheme: 'dark' });
  await page.waitForSelector('[data-testid=object-row]');
  const editor = page.getByTestId('editor-input');
  const text = await editor.inputValue();
  await editor.fill(text.replace('type: NodePort', 'type: LoadBalancer'));
  // The notes are always there (the simulated DNS upstream); wait for the LoadBalancer's.
  await page.waitForFunction(() => document.querySelector('[data-testid=simulation-notes]')?.textContent.includes('simulated load balancer'));
  assert.match(await page.getByTestId('simulation-notes').innerText(), /simulated load balancer/);
  const input = page.getByTestId('terminal-input');
  await input.fill('curl -v 172.18.255.200');
  await input.press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=terminal-output]')].at(-1)?.textContent.includes('Hostname: httpd-deployment-'));
  const out = await page.getByTestId('terminal-output').last().innerText();
  assert.match(out, /load balancer 172\.18\.255\.200:80 \(simulated cloud\) forwards to node/);
  await page.screenshot({ path: `${ARTIFACTS}/loadbalancer-curl-1280-dark.png` });
  assert.deepEqual(errors, []);
});

test('storage: a file written into a claim survives its pod, and why pvc explains a Pending claim', async () => {
  const { page, errors } = await openPage(env.browser, env.base, { width: 1280, height: 900 });
  await page.waitForSelector('[data-testid=object-row]');
  const editor = page.getByTestId('editor-input');
  await editor.fill([
    'apiVersion: v1', 'kind: PersistentVolumeClaim', 'metadata: {name: data}',
    'spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}', '---',
    'apiVersion: v1', 'kind: PersistentVolumeClaim', 'metadata: {name: nowhere}',
    'spec: {storageClassName: fast, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}', '---',
    'apiVersion: v1', 'kind: Pod', 'metadata: {name: app}', 'spec:',
    '  containers: [{name: c, image: busybox, volumeMounts: [{name: d, mountPath: /data}]}]',
    '  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]',
  ].join('\n'));
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=object-row]')].some(r => r.textContent.includes('nowhere')));
  const input = page.getByTestId('terminal-input');
  const run = async (line, expected) => {
    await input.fill(line);
    await input.press('Enter');
    await page.waitForFunction((want) => [...document.querySelectorAll('[data-testid=terminal-output]')].at(-1)?.textContent.includes(want), expected);
  };
  await run("kubectl exec app -- sh -c 'echo kept > /data/note'", '');
  await run('kubectl delete pod app', 'pod "app" deleted');
  await run('kubectl get pvc', 'Bound');
  await run('why pvc nowhere', 'StorageClass "fast" does not exist');
  // The object's buttons run (and so teach) the same commands.
  const row = page.getByTestId('object-row').filter({ hasText: 'nowhere' });
  await row.getByTestId('object-action').filter({ hasText: 'why?' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=terminal-entry]')].at(-1)?.textContent.startsWith('$ why pvc nowhere'));
  await page.screenshot({ path: `${ARTIFACTS}/storage-why-1280-light.png` });
  assert.deepEqual(errors, []);
});

test('a lesson from the gallery loads its manifests, runs its steps and checks them', async () => {
  const { page, errors } = await openPage(env.browser, env.base, { width: 1280, height: 900 });
  await page.waitForSelector('[data-testid=object-row]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=gallery] option').length > 5);
  await page.getByTestId('gallery').selectOption('emptydir.scenario.yaml');
  await page.waitForSelector('[data-testid=lesson-step]');
  await page.waitForFunction(() => document.querySelector('[data-testid=editor-input]').value.includes('# pod.yaml'));
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=object-row]')].some(r => r.textContent.includes('cache')));
  const runs = page.getByTestId('lesson-run');
  await runs.nth(0).click();
  await runs.nth(1).click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=terminal-output]')].at(-1)?.textContent.trim() === 'hello');
  await page.getByTestId('lesson-check').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=lesson-mark]')].every(m => m.textContent === '✓'));
  assert.equal(await page.getByTestId('lesson-failure').count(), 0);
  await page.screenshot({ path: `${ARTIFACTS}/lesson-1280-light.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${ARTIFACTS}/lesson-390-light.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByTestId('tab-cluster').click();
  await page.waitForSelector('[data-testid=cluster-row]');
  await page.screenshot({ path: `${ARTIFACTS}/lesson-cluster-1280-dark.png` });
  assert.deepEqual(errors, []);
});

test('the cluster view lists objects by kind and shows describe and yaml for one', async () => {
  const { page, errors } = await openPage(env.browser, env.base, { width: 1280, height: 900 });
  await page.waitForSelector('[data-testid=object-row]');
  await page.getByTestId('tab-cluster').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=cluster-row]')].filter(r => r.textContent.includes('httpd-deployment-')).length === 3);
  await page.getByTestId('cluster-row').filter({ hasText: 'httpd-deployment-' }).first().click();
  await page.waitForFunction(() => document.querySelector('[data-testid=cluster-detail]')?.textContent.includes('Successfully assigned'));
  await page.screenshot({ path: `${ARTIFACTS}/cluster-view-1280-light.png` });
  // An action runs (and shows) its terminal command; the table follows.
  await page.getByTestId('cluster-action').filter({ hasText: 'mark not ready' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=terminal-entry]')].at(-1)?.textContent.includes('kubeplay.io/ready=false'));
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=cluster-row]')].some(r => r.textContent.includes('0/1')));
  await page.getByTestId('cluster-yaml').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=cluster-detail]')?.textContent.includes('apiVersion: v1'));
  // Views are read-only: the terminal's cluster clock did not move.
  await page.getByTestId('cluster-kind').filter({ hasText: 'PVs' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=cluster-table]')?.textContent.includes('No resources found'));
  await page.getByTestId('tab-input').click();
  await page.waitForSelector('[data-testid=object-row]');
  assert.deepEqual(errors, []);
});

test('the timeline steps back to the cluster before a command and forward again', async () => {
  const { page, errors } = await openPage(env.browser, env.base, { width: 1280, height: 900 });
  await page.waitForSelector('[data-testid=object-row]');
  const input = page.getByTestId('terminal-input');
  await input.fill('kubectl scale deploy/httpd-deployment --replicas=1');
  await input.press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=terminal-output]')].at(-1)?.textContent.includes('scaled'));
  await page.getByTestId('tab-cluster').click();
  const httpdRows = () => page.evaluate(() => [...document.querySelectorAll('[data-testid=cluster-row]')].filter(r => r.textContent.includes('httpd-deployment-')).length);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=cluster-row]')].filter(r => r.textContent.includes('httpd-deployment-')).length === 1);
  assert.match(await page.getByTestId('timeline-step').innerText(), /Step 1 of 1 \(live\)/);
  await page.getByTestId('timeline-back').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=cluster-row]')].filter(r => r.textContent.includes('httpd-deployment-')).length === 3);
  assert.match(await page.getByTestId('timeline-step').innerText(), /Step 0 of 1: as applied/);
  await page.screenshot({ path: `${ARTIFACTS}/timeline-1280-light.png` });
  await page.getByTestId('timeline-forward').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=cluster-row]')].filter(r => r.textContent.includes('httpd-deployment-')).length === 1);
  assert.equal(await httpdRows(), 1);
  assert.deepEqual(errors, []);
});

test('every gallery lesson opens, and checking it shows ✓ beside every step', async () => {
  const { page, errors } = await openPage(env.browser, env.base, { width: 1280, height: 900 });
  await page.waitForSelector('[data-testid=object-row]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=gallery] option').length > 5);
  const lessons = await page.evaluate(() => [...document.querySelectorAll('[data-testid=gallery] option')].map((o) => o.value).filter((v) => v.endsWith('.scenario.yaml')));
  assert.equal(lessons.length, 13);
  for (const name of lessons) {
    await page.getByTestId('gallery').selectOption(name);
    // The new lesson is in (not yet checked) before its check starts.
    await page.waitForFunction(() => {
      const marks = [...document.querySelectorAll('[data-testid=lesson-mark]')];
      return marks.length > 0 && marks.every((m) => m.textContent === '');
    });
    await page.getByTestId('lesson-check').click();
    await page.waitForFunction(() => {
      const marks = [...document.querySelectorAll('[data-testid=lesson-mark]')];
      return marks.length > 0 && marks.every((m) => m.textContent !== '');
    }, null, { timeout: 20000 });
    const marks = await page.getByTestId('lesson-mark').allInnerTexts();
    assert.ok(marks.every((m) => m === '✓'), `${name}: ${marks.join(' ')}`);
    assert.equal(await page.getByTestId('lesson-failure').count(), 0, name);
  }
  assert.deepEqual(errors, []);
});
