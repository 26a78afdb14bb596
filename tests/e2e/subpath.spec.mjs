// Issue 9, "works as a static site anywhere": the built app served from a sub-folder of a site
// (/course/logscope/, as on a course site or a project page) starts, loads a lesson and asks for nothing outside
// its folder and nothing that is missing; the offline zip (scripts/package.sh) is the same zip every time and
// works unpacked under another folder. Screenshots: tests/e2e/screenshots/subpath-*.png.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DIST_DIR, screenshot, withApp } from './helpers.mjs';
import { serveDirectory, tid } from './stage.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Open the app at `url`, check that it starts, loads a lesson, and requests only what lies under `url`. */
async function openUnder(url, shot) {
  await withApp({ path: url, viewport: { width: 1280, height: 720 }, waitFor: tid('front-door') }, async ({ page }) => {
    const requested = [];
    page.on('request', (r) => requested.push(r.url()));
    // The front door (a bare URL) opens the lesson.
    await page.click(tid('lesson-leader-crash'));
    await page.waitForFunction(() => document.querySelector('[data-testid="lesson-title"]')?.textContent === 'Leader crash');
    assert.ok(await page.locator(tid('node-4')).count(), 'the lesson (five nodes) is on');
    const outside = requested.filter((u) => !u.startsWith(url) && !u.startsWith('data:'));
    assert.deepEqual(outside, [], 'requests outside the app folder');
    assert.ok(requested.some((u) => u.startsWith(`${url}scenarios/`)), 'the lesson came from the app folder');
    await screenshot(page, shot);
  });
}

test('dist/ served under /course/logscope/ starts, loads a lesson, and nothing is missing', async () => {
  const site = mkdtempSync(join(tmpdir(), 'logscope-site-'));
  cpSync(DIST_DIR, join(site, 'course', 'logscope'), { recursive: true });
  const server = await serveDirectory(site);
  try {
    await openUnder(`${server.url}course/logscope/`, 'subpath-course');
  } finally {
    await server.stop();
    rmSync(site, { recursive: true, force: true });
  }
});

test('the offline zip is the same every time and works unpacked under another folder', async () => {
  const work = mkdtempSync(join(tmpdir(), 'logscope-zip-'));
  const [first, second] = [join(work, 'first.zip'), join(work, 'second.zip')];
  const pack = (out) =>
    execFileSync('bash', [join(ROOT, 'scripts', 'package.sh'), '--no-build', out], { cwd: ROOT, stdio: 'pipe' });
  const server = { stop: async () => {} };
  try {
    pack(first);
    pack(second);
    assert.ok(readFileSync(first).equals(readFileSync(second)), 'two runs give different zips');
    const site = join(work, 'site', 'class');
    execFileSync('python3', ['-m', 'zipfile', '-e', first, site]);
    assert.ok(existsSync(join(site, 'logscope', 'index.html')) && existsSync(join(site, 'logscope', 'README.txt')));
    Object.assign(server, await serveDirectory(join(work, 'site')));
    await openUnder(`${server.url}class/logscope/`, 'subpath-zip');
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
