// Shared helpers for the end-to-end tests: serve dist/ and drive Debian's Chromium.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { startServer } from '../../scripts/serve.mjs';

export const ARTIFACTS = 'test-artifacts';
mkdirSync(ARTIFACTS, { recursive: true });

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts the static server on a free port and a browser; returns both and a base URL.
 * `network` (benchmarks): a simulated link, see scripts/serve.mjs. */
export async function launch({ network = null, root = 'dist' } = {}) {
  const server = await startServer({ root, port: 0, network });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const base = `http://127.0.0.1:${server.address().port}/`;
  return {
    base, browser, server,
    async close() { await browser.close(); await new Promise((ok) => server.close(ok)); },
  };
}

/** Opens a page, collecting console errors and page errors so tests can assert none happened. */
export async function openPage(browser, url, { width = 1280, height = 800, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.goto(url);
  return { page, errors, context };
}
