// End-to-end: share links (round trip in a fresh browser, the CLI's links open in the
// page and the page's links open in the CLI), damaged links never touch the autosave,
// reload restores work, embeds (also in a sandboxed iframe) write no storage, and the
// documentation example page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { launch, openPage, ARTIFACTS } from './browser.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const editorValue = (page) => page.getByTestId('editor-input').inputValue();
const lastOutput = (page, text) => page.waitForFunction((t) => [...document.querySelectorAll('[data-testid=terminal-output]')].at(-1)?.textContent.includes(t), text);
const kubeplay = (...args) => execFileSync('target/debug/kubeplay', args).toString();

test('a shared link opens the same files, commands and view in a fresh browser', async () => {
  const { page, errors, context } = await openPage(env.browser, env.base, { width: 1280, height: 900 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.waitForSelector('[data-testid=object-row]');
  const editor = page.getByTestId('editor-input');
  const text = (await editorValue(page)).replace('replicas: 3', 'replicas: 2');
  await editor.fill(text);
  const input = page.getByTestId('terminal-input');
  await input.fill('kubectl get pods');
  await input.press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=terminal-output]')].at(-1)?.textContent.includes('httpd-deployment-'));
  await page.getByTestId('tab-diagram').click();
  await page.getByTestId('diagram-view-tab').filter({ hasText: 'Storage' }).click();
  await page.getByTestId('share').click();
  await page.waitForSelector('[data-testid=share-result]');
  const link = await page.getByTestId('share-link').inputValue();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/#v1:[A-Za-z0-9_-]+$/);
  assert.match(await page.getByTestId('share-result').innerText(), new RegExp(`Link copied · ${link.length} characters`));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  await page.screenshot({ path: `${ARTIFACTS}/share-1280-light.png` });

  // The CLI reads the browser's link.
  const opened = kubeplay('open', link);
  assert.ok(opened.includes('replicas: 2'));
  assert.ok(opened.trim().endsWith('$ kubectl get pods'));

  const fresh = await openPage(env.browser, link, { width: 1280, height: 900 });
  await fresh.page.waitForSelector('[data-testid=diagram-view]');
  assert.equal(await editorValue(fresh.page), text);
  await lastOutput(fresh.page, 'httpd-deployment-');
  assert.equal(await fresh.page.getByTestId('terminal-entry').count(), 1);
  assert.equal(await fresh.page.locator('[data-testid=diagram-view-tab][aria-selected=true]').innerText(), 'Storage');
  assert.deepEqual(errors, []);
  assert.deepEqual(fresh.errors, []);
  await fresh.context.close();
});

test('a link made by the CLI opens in the page', async () => {
  const fragment = readFileSync('tests/fixtures/share-v1.txt', 'utf8').trim();
  const { page, errors, context } = await openPage(env.browser, env.base + fragment, { width: 1280, height: 900 });
  await page.waitForFunction(() => document.querySelector('[data-testid=editor-input]').value.includes('httpd-deployment'));
  await lastOutput(page, 'Hostname: httpd-deployment-');
  const entries = await page.getByTestId('terminal-entry').allInnerTexts();
  assert.equal(entries.length, 2);
  assert.match(entries[0], /kubectl get pods/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a damaged or future link shows why, keeps the autosave, and restores it in one click', async () => {
  const { page, errors, context } = await openPage(env.browser, env.base, { width: 1280, height: 900 });
  await page.waitForSelector('[data-testid=object-row]');
  const mine = `# my work\n${await editorValue(page)}`;
  await page.getByTestId('editor-input').fill(mine);
  await page.waitForFunction(() => localStorage.getItem('kubeplay:work')?.includes('# my work'));
  // Reload: the work is back.
  await page.reload();
  await page.waitForSelector('[data-testid=object-row]');
  assert.equal(await editorValue(page), mine);

  const link = kubeplay('link', 'www/examples/efk.yaml').trim();
  await page.goto(`${env.base}${link.slice(0, link.length / 2)}`);
  await page.reload();
  await page.waitForSelector('[data-testid=link-error]');
  assert.match(await page.getByTestId('link-error').innerText(), /This link could not be opened: this link is damaged: .* \(was it cut short when copied\?\)/);
  assert.equal(await editorValue(page), readFileSync('www/examples/seed.yaml', 'utf8'), 'the example opens instead');
  await page.screenshot({ path: `${ARTIFACTS}/link-error-1280-light.png` });
  await page.waitForTimeout(800);
  assert.ok((await page.evaluate(() => localStorage.getItem('kubeplay:work'))).includes('# my work'), 'the autosave is untouched');
  await page.getByTestId('restore-work').click();
  assert.equal(await editorValue(page), mine);
  assert.equal(await page.getByTestId('link-error').count(), 0);

  await page.goto(`${env.base}#v7:AAAA`);
  await page.reload();
  await page.waitForSelector('[data-testid=link-error]');
  assert.match(await page.getByTestId('link-error').innerText(), /newer kubeplay \(v7\)/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an embed in a sandboxed iframe runs the engine and writes no storage', async () => {
  const link = kubeplay('link', 'www/examples/seed.yaml', '-c', 'curl http://172.18.0.2:30080/').trim();
  const { page, errors, context } = await openPage(env.browser, `${env.base}docs-example.html`, { width: 1000, height: 900 });
  await page.setContent(`<!doctype html><body style="margin:0"><iframe id="kp" sandbox="allow-scripts" style="width:900px;height:600px;border:0"
    src="${env.base}?embed&view=network&theme=dark${link}"></iframe></body>`);
  const frame = page.frameLocator('#kp');
  await frame.locator('[data-testid=embed]').waitFor();
  await frame.locator('.kp-d-step').first().waitFor({ timeout: 30000 });
  assert.equal(await frame.locator('[data-testid=editor-input]').count(), 0, 'only the chosen view');
  assert.match(await frame.getByTestId('open-in-kubeplay').getAttribute('href'), /^http:\/\/127\.0\.0\.1:\d+\/#v1:/);
  await page.screenshot({ path: `${ARTIFACTS}/embed-sandboxed-900-dark.png` });

  // Not sandboxed (same origin), an embed still leaves storage alone.
  const direct = await openPage(env.browser, `${env.base}?embed&view=editor&readonly${link}`, { width: 700, height: 500 });
  await direct.page.waitForFunction(() => document.querySelector('[data-testid=editor-input]')?.value.includes('httpd-deployment'));
  assert.equal(await direct.page.getByTestId('editor-input').getAttribute('readonly'), '');
  await direct.page.waitForTimeout(800);
  assert.equal(await direct.page.evaluate(() => localStorage.length), 0);
  assert.deepEqual(errors, []);
  assert.deepEqual(direct.errors, []);
  await context.close();
  await direct.context.close();
});

test('the documentation example page embeds three lessons that run and check themselves', async () => {
  const { page, errors, context } = await openPage(env.browser, `${env.base}docs-example.html`, { width: 1000, height: 2600 });
  for (const name of ['seed', 'static-pv', 'ingress']) {
    const frame = page.frameLocator(`iframe[data-example="${name}"]`);
    await frame.locator('[data-testid=engine-status]').filter({ hasText: 'engine ready' }).waitFor({ timeout: 30000 });
    await frame.locator('[data-testid=lesson-step]').first().waitFor();
  }
  const checked = page.frameLocator('iframe[data-example="static-pv"]');
  await checked.locator('[data-testid=lesson-mark]').first().filter({ hasText: '✓' }).waitFor();
  assert.equal(await checked.locator('[data-testid=lesson-failure]').count(), 0);
  await checked.locator('.kp-d-box.kp-d-k-pvc').first().waitFor();
  await page.screenshot({ path: `${ARTIFACTS}/docs-example-1000.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('after the first visit the app works offline (service worker)', async () => {
  const { page, errors, context } = await openPage(env.browser, env.base, { width: 1280, height: 900 });
  await page.waitForSelector('[data-testid=object-row]');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    // Installed and in control, with every asset cached.
    for (let i = 0; i < 100 && !navigator.serviceWorker.controller; i++) await new Promise((ok) => setTimeout(ok, 50));
  });
  assert.ok(await page.evaluate(() => caches.keys().then((k) => k.some((n) => n.startsWith('kubeplay-')))));
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('[data-testid=object-row]');
  assert.match(await page.getByTestId('engine-status').innerText(), /engine ready/);
  const input = page.getByTestId('terminal-input');
  await input.fill('kubectl get svc');
  await input.press('Enter');
  await lastOutput(page, 'httpd-deployment');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the page switches to Chinese, lessons too, and a link keeps the language', async () => {
  const { page, errors, context } = await openPage(env.browser, env.base, { width: 1280, height: 900 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.waitForSelector('[data-testid=object-row]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=gallery] option').length > 5);
  await page.getByTestId('lang').selectOption('zh');
  await page.waitForFunction(() => document.querySelector('.kp-header__tagline').textContent === 'Kubernetes 存储与网络实验场');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.equal(await page.getByTestId('tab-diagram').innerText(), '图示');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=gallery] option')].some((o) => o.textContent.includes('共享')));
  await page.getByTestId('gallery').selectOption('emptydir.scenario.yaml');
  await page.waitForSelector('[data-testid=lesson-step]');
  assert.match(await page.getByTestId('lesson-check').innerText(), /检查每一步/);
  // Back to English: the lesson's explanations follow, its manifests stay.
  const text = await editorValue(page);
  await page.getByTestId('lang').selectOption('en');
  await page.waitForFunction(() => document.querySelector('[data-testid=lesson-check]').textContent.includes('Check every step'));
  await page.waitForFunction(() => !/[\u4e00-\u9fff]/.test(document.querySelector('.kp-lesson__title').textContent));
  assert.equal(await editorValue(page), text);
  await page.getByTestId('lang').selectOption('zh');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=object-row]')].some((r) => r.textContent.includes('cache')));
  // The explainers answer in Chinese too (kubectl's own output stays as kubectl prints it).
  const input = page.getByTestId('terminal-input');
  await input.fill('why name cache kubernetes');
  await input.press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=terminal-output]')].at(-1)?.textContent.includes('次查询后解析成功'));
  assert.match(await page.getByTestId('terminal-output').last().innerText(), /参见：Service 与 Pod 的 DNS/);
  await page.screenshot({ path: `${ARTIFACTS}/chinese-1280-light.png` });
  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-link').inputValue();
  const fresh = await openPage(env.browser, link, { width: 1280, height: 900 });
  await fresh.page.waitForFunction(() => document.querySelector('.kp-header__tagline')?.textContent === 'Kubernetes 存储与网络实验场');
  await fresh.page.waitForFunction(() => /[\u4e00-\u9fff]/.test(document.querySelector('.kp-lesson__title')?.textContent ?? ''));
  assert.deepEqual(errors, []);
  assert.deepEqual(fresh.errors, []);
  await context.close();
  await fresh.context.close();
});

test('a link can carry a scenario of its own: it opens as a lesson and checks itself', async () => {
  // A scenario that is not in the gallery, with one expectation that holds and one that does not.
  const dir = (await import('node:fs')).mkdtempSync('/tmp/kp-scenario-');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${dir}/app.yaml`, readFileSync('www/examples/seed.yaml', 'utf8'));
  writeFileSync(`${dir}/mine.scenario.yaml`, `kubeplay: scenario/v1
title: {en: "My page's example", zh: 我的示例}
manifests:
  - file: app.yaml
steps:
  - run: kubectl get deploy
    say: {en: Three replicas are ready., zh: 三个副本就绪。}
    expect:
      - contains: 3/3
  - run: kubectl get deploy
    say: {en: This one is wrong on purpose., zh: 这一步故意写错。}
    expect:
      - contains: 9/9
`);
  const link = kubeplay('link', `${dir}/mine.scenario.yaml`).trim();
  const { page, errors, context } = await openPage(env.browser, `${env.base}?embed&view=network&check${link}`, { width: 1000, height: 800 });
  await page.waitForFunction(() => document.querySelector('.kp-lesson__title')?.textContent === "My page's example");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=lesson-mark]').length === 2 && [...document.querySelectorAll('[data-testid=lesson-mark]')].every((m) => m.textContent !== ''));
  const marks = await page.getByTestId('lesson-mark').allInnerTexts();
  assert.deepEqual(marks, ['✓', '✗']);
  assert.match(await page.getByTestId('lesson-failure').innerText(), /9\/9/);
  await page.screenshot({ path: `${ARTIFACTS}/scenario-link-embed-1000-light.png` });
  assert.deepEqual(errors, []);
  await context.close();
});
