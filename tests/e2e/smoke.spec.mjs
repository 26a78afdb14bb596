// Smoke test of the built web UI: it loads, starts, renders, and the bundle does not grow.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DIST_DIR, screenshot, withApp } from './helpers.mjs';

test('the app loads without page errors and renders something', async () => {
  await withApp(async ({ page }) => {
    assert.match(await page.title(), /LogScope/);
    // Yew mounts into #app if the page has one, else into <body>.
    const rendered = await page.evaluate(() => {
      const root = document.querySelector('#app') ?? document.body;
      const visible = [...root.querySelectorAll('*')].filter(
        (el) => !['SCRIPT', 'LINK', 'STYLE', 'NOSCRIPT'].includes(el.tagName),
      );
      return { elements: visible.length, text: root.innerText.trim().length };
    });
    assert.ok(
      rendered.elements > 0 && rendered.text > 0,
      `the app rendered nothing (${JSON.stringify(rendered)})`,
    );
    await screenshot(page, 'smoke');
  });
});

// The 250 KB gzipped budget is a performance target, reported (✅/❌) by scripts/perf.sh like the frame-time
// budget; it is not met yet (docs/PERFORMANCE.md). This test is a regression ceiling: the bundle must not grow
// past today's size plus a margin while the work to reach the budget goes on.
const REGRESSION_CEILING_KB = 290;

test(`the wasm + js + css bundle stays under the ${REGRESSION_CEILING_KB} KB regression ceiling`, () => {
  const files = readdirSync(DIST_DIR).filter((f) => /\.(wasm|js|css)$/.test(f));
  assert.ok(files.some((f) => f.endsWith('.wasm')), `no .wasm in ${DIST_DIR}`);
  let total = 0;
  for (const f of files) {
    const gz = gzipSync(readFileSync(join(DIST_DIR, f)), { level: 9 }).length;
    total += gz;
    console.log(`  ${f}: ${(gz / 1024).toFixed(1)} KB gzipped`);
  }
  console.log(`  total: ${(total / 1024).toFixed(1)} KB gzipped (budget 250 KB, ceiling ${REGRESSION_CEILING_KB} KB)`);
  assert.ok(
    total <= REGRESSION_CEILING_KB * 1024,
    `bundle is ${(total / 1024).toFixed(1)} KB gzipped, over the ${REGRESSION_CEILING_KB} KB regression ceiling`,
  );
});
