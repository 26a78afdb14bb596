// Shared helpers for the end-to-end specs (node --test + playwright-core + Debian Chromium).
// scripts/test.sh serves dist/ and sets LOGSCOPE_URL (and LOGSCOPE_DIST) before running the specs.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Base URL of the served app (dist/ at the root), always ending in '/'. */
export const BASE_URL = (() => {
  const u = process.env.LOGSCOPE_URL ?? 'http://127.0.0.1:8080/';
  return u.endsWith('/') ? u : `${u}/`;
})();

/** The built dist/ folder (for size checks). */
export const DIST_DIR = process.env.LOGSCOPE_DIST ?? join(HERE, '..', '..', 'dist');

/** Where specs save screenshots (gitignored). */
export const SCREENSHOT_DIR = join(HERE, 'screenshots');

/** Launch the system Chromium headless (playwright-core downloads no browser). */
export function launch(options = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-dev-shm-usage',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    ...options,
  });
}

/**
 * Open the app in `page` and wait until the wasm app has started and rendered something.
 *
 * Collects page errors (uncaught exceptions), failed requests and HTTP responses >= 400 from
 * the moment it is called. Returns `{ errors, consoleErrors, assertNoErrors() }`; call
 * `assertNoErrors()` at the end of a test (or use `withApp`, which does).
 *
 * options.path       path relative to BASE_URL (default '#play' = the app in free play, past the front door
 *                    that a bare URL shows), may carry ?query/#hash
 * options.waitFor    CSS selector that must be visible before returning (default: none)
 * options.timeout    ms to wait for the app to start (default 30000)
 */
export async function openApp(page, { path = '#play', waitFor, timeout = 30000 } = {}) {
  const errors = [];
  const consoleErrors = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => {
    const why = req.failure()?.errorText ?? 'failed';
    // A navigation away aborts pending requests; that is not an app error.
    if (why !== 'net::ERR_ABORTED') errors.push(`request failed: ${req.url()} (${why})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });

  // Trunk's loader fires 'TrunkApplicationStarted' once the wasm module has been initialised.
  await page.addInitScript(() => {
    window.__logscopeStarted = false;
    window.addEventListener('TrunkApplicationStarted', () => {
      window.__logscopeStarted = true;
    });
  });
  await page.goto(new URL(path, BASE_URL).href, { waitUntil: 'load', timeout });
  await page.waitForFunction(() => window.__logscopeStarted === true, null, { timeout });
  if (waitFor) await page.locator(waitFor).first().waitFor({ state: 'visible', timeout });

  return {
    errors,
    consoleErrors,
    assertNoErrors() {
      assert.deepEqual(errors, [], `page errors or failed requests:\n${errors.join('\n')}`);
    },
  };
}

/** Save a full-page screenshot to tests/e2e/screenshots/NAME.png and return its path. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Run `fn({ browser, context, page, app })` on a fresh page with the app open, then assert that
 * no page error or failed request happened, and close everything.
 * options: as for openApp, plus `viewport` ({width, height}, default 1280x800).
 */
export async function withApp(options, fn) {
  if (typeof options === 'function') [options, fn] = [{}, options];
  const { viewport = { width: 1280, height: 800 }, ...openOptions } = options;
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const app = await openApp(page, openOptions);
    await fn({ browser, context, page, app });
    app.assertNoErrors();
  } finally {
    await browser.close();
  }
}
