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
// Which measurements to run (all by default: loads,frames,lesson,history,soak,seek): PERF_PARTS=seek runs
// only the time-travel benchmark.
const PARTS = new Set((process.env.PERF_PARTS ?? 'loads,frames,lesson,history,soak,seek').split(','));
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
for (const f of readdirSync(DIST_DIR).filter((f) => /\.(wasm|js|css|html)$/.test(f)).sort()) {
  const raw = readFileSync(join(DIST_DIR, f));
  const gz = gzipSync(raw, { level: 9 }).length;
  sizes[f] = { raw: raw.length, gzip: gz };
  totalRaw += raw.length;
  totalGz += gz;
  console.log(`  ${f.padEnd(48)} ${kb(raw.length).padStart(10)} raw ${kb(gz).padStart(10)} gzip`);
}
console.log(`  ${'total'.padEnd(48)} ${kb(totalRaw).padStart(10)} raw ${kb(totalGz).padStart(10)} gzip (budget 320 KB: ${totalGz <= 320 * 1024 ? 'met' : 'MISSED'})`);

// --- page loads ---
const loads = [];
const browser = await launch();
try {
  for (let i = 0; i < (PARTS.has('loads') ? LOADS : 0); i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.addEventListener('TrunkApplicationStarted', () => {
        window.__logscopeStartedAt = performance.now();
      });
      // The first frame painted with the app on screen (the cluster drawn), not just the empty page.
      new MutationObserver((_, observer) => {
        if (document.querySelector('[data-testid="node-0"]')) {
          observer.disconnect();
          requestAnimationFrame(() => { window.__logscopeAppPaintAt = performance.now(); });
        }
      }).observe(document, { childList: true, subtree: true });
    });
    const app = await openApp(page, { waitFor: '[data-testid="node-0"]' });
    await page.waitForFunction(() => window.__logscopeAppPaintAt !== undefined);
    const m = await page.evaluate(() => {
      const paint = Object.fromEntries(
        performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]),
      );
      return {
        firstPaint: paint['first-paint'] ?? NaN,
        firstContentfulPaint: paint['first-contentful-paint'] ?? NaN,
        appStarted: window.__logscopeStartedAt ?? NaN,
        appPaint: window.__logscopeAppPaintAt ?? NaN,
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
  appFirstPaintMs: median(loads.map((l) => l.appPaint)),
  bundleGzipBytes: totalGz,
  bundleRawBytes: totalRaw,
  files: sizes,
};
// --- main-thread work per frame: 9 nodes, 8 clients, heavy write load ---
// Headless Chromium paces requestAnimationFrame at 16.7 ms, so frame intervals say nothing: the page
// itself records, per animation frame, the time spent advancing the simulation + computing the view
// (`sim`) and that plus Yew's render up to the DOM commit (`frame`) in window.__logscopePerf.
const FRAME_SECONDS = Number(process.env.PERF_FRAME_SECONDS ?? 10);
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))] : NaN;
};
async function measureFrames(speedIndex, label) {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const app = await openApp(page, { waitFor: '[data-testid="node-0"]' });
    const tid = (id) => `[data-testid="${id}"]`;
    await page.click(tid('tab-config'));
    for (const [field, value] of [['cfg-nodes', '9'], ['cfg-clients', '8']]) {
      await page.fill(tid(field), value);
      await page.dispatchEvent(tid(field), 'change');
    }
    await page.click(tid('apply-config'));
    await page.locator(tid('node-8')).waitFor();
    await page.click(tid('tab-clients'));
    await page.click(tid('load'));
    await page.selectOption(tid('speed'), speedIndex);
    await page.click(tid('play'));
    // Warm up (election, first snapshots), then measure a clean window.
    await page.waitForTimeout(2000);
    await page.evaluate(() => {
      window.__logscopePerf = { sim: [], check: [], frame: [] };
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    await page.waitForTimeout(FRAME_SECONDS * 1000);
    const r = await page.evaluate(() => ({
      perf: window.__logscopePerf,
      longTasks: window.__longTasks,
      view: window.__logscopeView(),
      memory: performance.memory ? performance.memory.usedJSHeapSize : null,
    }));
    app.assertNoErrors();
    const frames = r.perf.frame;
    const result = {
      label,
      frames: frames.length,
      frameP50Ms: percentile(frames, 0.5),
      frameP95Ms: percentile(frames, 0.95),
      frameMaxMs: Math.max(...frames),
      simP50Ms: percentile(r.perf.sim, 0.5),
      simP95Ms: percentile(r.perf.sim, 0.95),
      longTasks: r.longTasks.length,
      longTaskMaxMs: r.longTasks.length ? Math.max(...r.longTasks) : 0,
      virtualSeconds: r.view.time_us / 1e6,
      messagesInFlight: r.view.messages,
      commitIndex: r.view.cluster_hwm,
      violations: r.view.violations,
    };
    console.log(`frames at ${label} (9 nodes, 8 clients, write load, ${FRAME_SECONDS} s):`);
    console.log(`  frames ${result.frames}, work per frame p50 ${result.frameP50Ms.toFixed(2)} ms, p95 ${result.frameP95Ms.toFixed(2)} ms, max ${result.frameMaxMs.toFixed(1)} ms (budget p95 16.7 ms)`);
    console.log(`  of which simulation + view: p50 ${result.simP50Ms.toFixed(2)} ms, p95 ${result.simP95Ms.toFixed(2)} ms`);
    console.log(`  long tasks (>50 ms): ${result.longTasks} (max ${result.longTaskMaxMs.toFixed(0)} ms); virtual time ${result.virtualSeconds.toFixed(1)} s, commit index ${result.commitIndex}`);
    return result;
  } finally {
    await browser.close();
  }
}
if (PARTS.has('frames')) {
  report.framesAt1x = await measureFrames('6', '1x');
  report.framesAt10x = await measureFrames('9', '10x');
}

// --- the lesson view: the front door's first paint (a bare URL shows it), then frame work while a lesson plays
// with its narration bar, question, expectation marks and end screen (Figure 8: 5 nodes, at 1x; pauses are
// played through and the question skipped), from window.__logscopePerf as above.
if (PARTS.has('lesson')) {
  const browser = await launch();
  try {
    const doors = [];
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      await page.addInitScript(() => {
        new MutationObserver((_, observer) => {
          if (document.querySelector('[data-testid="front-door"]')) {
            observer.disconnect();
            requestAnimationFrame(() => { window.__frontDoorPaintAt = performance.now(); });
          }
        }).observe(document, { childList: true, subtree: true });
      });
      const app = await openApp(page, { path: '', waitFor: '[data-testid="front-door"]' });
      await page.waitForFunction(() => window.__frontDoorPaintAt !== undefined);
      doors.push(await page.evaluate(() => window.__frontDoorPaintAt));
      app.assertNoErrors();
      await context.close();
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const app = await openApp(page, { path: '#lesson=figure-8.json', waitFor: '[data-testid="lesson-title"]' });
    await page.selectOption('[data-testid="speed"]', '6');
    await page.evaluate(() => { window.__logscopePerf = { sim: [], frame: [] }; });
    for (let i = 0; i < 40 && !(await page.locator('[data-testid="end-screen"]').count()); i++) {
      if (await page.locator('[data-testid="skip-question"]').count()) await page.click('[data-testid="skip-question"]');
      else await page.click('[data-testid="play"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="play"]').getAttribute('aria-pressed') === 'false');
    }
    const perf = await page.evaluate(() => window.__logscopePerf);
    app.assertNoErrors();
    report.lesson = {
      frontDoorPaintMs: median(doors),
      frames: perf.frame.length,
      frameP50Ms: percentile(perf.frame, 0.5),
      frameP95Ms: percentile(perf.frame, 0.95),
      frameMaxMs: Math.max(...perf.frame),
    };
    console.log(`lesson view (front door, then Figure 8 at 1x to its end screen):`);
    console.log(`  front door painted      ${report.lesson.frontDoorPaintMs.toFixed(1)} ms (median of ${LOADS}; budget 500 ms: ${report.lesson.frontDoorPaintMs <= 500 ? 'met' : 'MISSED'})`);
    console.log(`  frames ${report.lesson.frames}, work per frame p50 ${report.lesson.frameP50Ms.toFixed(2)} ms, p95 ${report.lesson.frameP95Ms.toFixed(2)} ms, max ${report.lesson.frameMaxMs.toFixed(1)} ms (budget p95 16.7 ms: ${report.lesson.frameP95Ms <= 16.7 ? 'met' : 'MISSED'})`);
  } finally {
    await browser.close();
  }
}

// --- the live linearizability check (issue 11): the default cluster under the mixed write load at 1x,
// with the History tab open (zoomed to 2 s, so its bars are drawn) and, for comparison, with the Clients tab;
// the check runs every frame in both (the LIN chip is always on screen). `check` is the check's share of a
// frame: its search (at most CHECK_STEPS_PER_FRAME steps and 2 ms) and, once a second, taking the history.
async function measureHistoryFrames(historyTab) {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const app = await openApp(page, { waitFor: '[data-testid="node-0"]' });
    const tid = (id) => `[data-testid="${id}"]`;
    await page.click(tid('tab-clients'));
    await page.selectOption(tid('load-mix'), 'mixed');
    await page.click(tid('load'));
    await page.selectOption(tid('speed'), '6');
    await page.click(tid('play'));
    if (historyTab) {
      await page.click(tid('tab-history'));
      await page.selectOption(tid('history-zoom'), '2');
    }
    await page.waitForTimeout(2000);
    await page.evaluate(() => { window.__logscopePerf = { sim: [], check: [], frame: [] }; });
    await page.waitForTimeout(FRAME_SECONDS * 1000);
    const r = await page.evaluate(() => ({
      perf: window.__logscopePerf,
      view: window.__logscopeView(),
      lin: document.querySelector('[data-testid="inv-LIN"]').dataset.linState,
      bars: document.querySelectorAll('.lane-track .hop').length,
    }));
    app.assertNoErrors();
    const { frame, check } = r.perf;
    const result = {
      historyTab,
      frames: frame.length,
      frameP50Ms: percentile(frame, 0.5),
      frameP95Ms: percentile(frame, 0.95),
      frameMaxMs: Math.max(...frame),
      checkP50Ms: percentile(check, 0.5),
      checkP95Ms: percentile(check, 0.95),
      checkP99Ms: percentile(check, 0.99),
      checkMaxMs: Math.max(...check),
      ops: r.view.ops.length,
      bars: r.bars,
      lin: r.lin,
      virtualSeconds: r.view.time_us / 1e6,
    };
    console.log(`frames with the live check, ${historyTab ? 'History tab open (2 s window)' : 'Clients tab'} (3 nodes, 2 clients, mixed load, 1x, ${FRAME_SECONDS} s):`);
    console.log(`  frames ${result.frames}, work per frame p50 ${result.frameP50Ms.toFixed(2)} ms, p95 ${result.frameP95Ms.toFixed(2)} ms, max ${result.frameMaxMs.toFixed(1)} ms (budget p95 8 ms)`);
    console.log(`  of which the check: p50 ${result.checkP50Ms.toFixed(2)} ms, p95 ${result.checkP95Ms.toFixed(2)} ms, p99 ${result.checkP99Ms.toFixed(2)} ms, max ${result.checkMaxMs.toFixed(2)} ms (bound p95 4 ms: ${result.checkP95Ms <= 4 ? 'met' : 'MISSED'}); LIN ${result.lin}, ${result.bars} bars drawn, virtual ${result.virtualSeconds.toFixed(1)} s`);
    return result;
  } finally {
    await browser.close();
  }
}
if (PARTS.has('history')) {
  report.historyFramesTab = await measureHistoryFrames(true);
  report.historyFramesClients = await measureHistoryFrames(false);
}

// --- memory over a long run: 3 nodes at the top speed (200x) for SOAK_SECONDS real seconds, i.e. more
// than an hour of virtual time; the wasm memory (which never shrinks) must stop growing after warm-up.
const SOAK_SECONDS = Number(process.env.PERF_SOAK_SECONDS ?? 24);
if (PARTS.has('soak')) {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const app = await openApp(page, { waitFor: '[data-testid="node-0"]' });
    await page.selectOption('[data-testid="speed"]', '11');
    await page.click('[data-testid="play"]');
    const samples = [];
    for (let i = 0; i < 4; i++) {
      await page.waitForTimeout((SOAK_SECONDS * 1000) / 4);
      const v = await page.evaluate(() => window.__logscopeView());
      const heap = await page.evaluate(() => (performance.memory ? performance.memory.usedJSHeapSize : null));
      samples.push({ virtualSeconds: v.time_us / 1e6, wasmMemoryBytes: v.wasm_memory_bytes, jsHeapBytes: heap, violations: v.violations });
    }
    app.assertNoErrors();
    report.soak = samples;
    console.log(`memory at 200x (3 nodes, ${SOAK_SECONDS} s real):`);
    for (const s of samples) {
      console.log(`  virtual ${s.virtualSeconds.toFixed(0).padStart(6)} s: wasm memory ${kb(s.wasmMemoryBytes)}, JS heap ${s.jsHeapBytes ? kb(s.jsHeapBytes) : 'n/a'}, violations ${s.violations}`);
    }
  } finally {
    await browser.close();
  }
}

// --- time travel: the core's seek benchmark run inside the page (window.__logscopeSeekBench, the same
// workload as `cargo bench --bench seek`: 9 nodes, 8 clients, 40 writes/s, one virtual hour recorded frame
// by frame through the UI's player, then seeded random seeks timed with performance.now()).
const SEEK_MINUTES = Number(process.env.PERF_SEEK_MINUTES ?? 60);
const SEEKS = Number(process.env.PERF_SEEKS ?? 300);
if (PARTS.has('seek')) {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const app = await openApp(page, { waitFor: '[data-testid="node-0"]' });
    const r = await page.evaluate(([minutes, seeks]) => window.__logscopeSeekBench(minutes, seeks), [SEEK_MINUTES, SEEKS]);
    app.assertNoErrors();
    const seekMs = r.seek_ms;
    report.seek = {
      minutes: SEEK_MINUTES,
      events: r.events,
      recordMs: r.record_ms,
      checkpoints: r.checkpoints,
      spacingEvents: r.spacing,
      checkpointEstimateBytes: r.checkpoint_bytes,
      wasmMemoryBeforeBytes: r.wasm_memory_before,
      wasmMemoryAfterBytes: r.wasm_memory_after,
      seeks: seekMs.length,
      seekP50Ms: percentile(seekMs, 0.5),
      seekP95Ms: percentile(seekMs, 0.95),
      seekMaxMs: Math.max(...seekMs),
    };
    const mb = (n) => `${(n / 1048576).toFixed(1)} MiB`;
    console.log(`time travel (${SEEK_MINUTES} virtual min, 9 nodes, 8 clients, 40 writes/s: ${r.events} events):`);
    console.log(`  recorded in ${(r.record_ms / 1000).toFixed(1)} s; ${r.checkpoints} checkpoints, one every ${r.spacing} events, estimated ${mb(r.checkpoint_bytes)}`);
    console.log(`  wasm memory ${mb(r.wasm_memory_before)} before, ${mb(r.wasm_memory_after)} after (it only grows: an upper bound of all the run holds)`);
    console.log(`  ${seekMs.length} seeks: p50 ${report.seek.seekP50Ms.toFixed(2)} ms, p95 ${report.seek.seekP95Ms.toFixed(2)} ms, max ${report.seek.seekMaxMs.toFixed(1)} ms (budget p95 16 ms: ${report.seek.seekP95Ms <= 16 ? 'met' : 'MISSED'})`);
  } finally {
    await browser.close();
  }
}

console.log(`page loads (median of ${LOADS}, ${BASE_URL}):`);
console.log(`  first paint             ${report.firstPaintMs.toFixed(1)} ms`);
console.log(`  first contentful paint  ${report.firstContentfulPaintMs.toFixed(1)} ms`);
console.log(`  wasm app started        ${report.appStartedMs.toFixed(1)} ms`);
console.log(`  app first painted       ${report.appFirstPaintMs.toFixed(1)} ms (budget 500 ms)`);
console.log(`PERF_JSON ${JSON.stringify(report)}`);
