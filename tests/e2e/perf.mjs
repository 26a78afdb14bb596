// Performance report of the built web UI (run by scripts/perf.sh, which builds and serves dist/).
// Prints the gzipped sizes of dist/*.wasm, *.js, *.css and, over a few fresh page loads, the
// first paint, first contentful paint and the time until the wasm app has started.
// Note: headless Chromium paces requestAnimationFrame at 16.7 ms, so frame intervals say nothing
// about render cost; measure main-thread work per update instead.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BASE_URL, DIST_DIR, launch, openApp } from './helpers.mjs';

const LOADS = Number(process.env.PERF_LOADS ?? 5);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};

// --- bundle sizes ---
const sizes = {};
let totalRaw = 0;
let totalGz = 0;
console.log(`bundle (${DIST_DIR}):`);
for (const f of readdirSync(DIST_DIR).filter((f) => /\.(wasm|js|css)$/.test(f)).sort()) {
  const raw = readFileSync(join(DIST_DIR, f));
  const gz = gzipSync(raw, { level: 9 }).length;
  sizes[f] = { raw: raw.length, gzip: gz };
  totalRaw += raw.length;
  totalGz += gz;
  console.log(`  ${f.padEnd(48)} ${kb(raw.length).padStart(10)} raw ${kb(gz).padStart(10)} gzip`);
}
console.log(`  ${'total'.padEnd(48)} ${kb(totalRaw).padStart(10)} raw ${kb(totalGz).padStart(10)} gzip (budget 250 KB)`);

// --- page loads ---
const loads = [];
const browser = await launch();
try {
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.addEventListener('TrunkApplicationStarted', () => {
        window.__logscopeStartedAt = performance.now();
      });
    });
    const app = await openApp(page);
    const m = await page.evaluate(() => {
      const paint = Object.fromEntries(
        performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]),
      );
      return {
        firstPaint: paint['first-paint'] ?? NaN,
        firstContentfulPaint: paint['first-contentful-paint'] ?? NaN,
        appStarted: window.__logscopeStartedAt ?? NaN,
      };
    });
    app.assertNoErrors();
    loads.push(m);
    await context.close();
  }
} finally {
  await browser.close();
}

const report = {
  url: BASE_URL,
  loads: LOADS,
  firstPaintMs: median(loads.map((l) => l.firstPaint)),
  firstContentfulPaintMs: median(loads.map((l) => l.firstContentfulPaint)),
  appStartedMs: median(loads.map((l) => l.appStarted)),
  bundleGzipBytes: totalGz,
  bundleRawBytes: totalRaw,
  files: sizes,
};
console.log(`page loads (median of ${LOADS}, ${BASE_URL}):`);
console.log(`  first paint             ${report.firstPaintMs.toFixed(1)} ms`);
console.log(`  first contentful paint  ${report.firstContentfulPaintMs.toFixed(1)} ms`);
console.log(`  wasm app started        ${report.appStartedMs.toFixed(1)} ms`);
console.log(`PERF_JSON ${JSON.stringify(report)}`);
