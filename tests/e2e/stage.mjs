// Helpers for specs that drive the app and measure what is drawn: the core's view, play/pause, lessons,
// cluster sizes, and the boxes of the log panel's labels (for the overlap checks of issue 9).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** `[data-testid="ID"]`. */
export const tid = (id) => `[data-testid="${id}"]`;

/** Indexes into the speed selector (src/ui/preferences.rs SPEEDS). */
export const SPEED = { x1: '6', x10: '9', x50: '10', x200: '11' };

/** The summary of the view the page draws (src/ui/page_hooks.rs). */
export const view = (page) => page.evaluate(() => window.__logscopeView());

/** Wait until `predicate(view, arg)` holds in the page, and return the view. */
export async function waitForView(page, predicate, arg, timeout = 20000) {
  await page.waitForFunction(
    ([source, a]) => {
      const v = window.__logscopeView();
      return v && new Function('v', 'a', `return (${source})(v, a)`)(v, a);
    },
    [predicate.toString(), arg],
    { timeout, polling: 50 },
  );
  return view(page);
}

export async function play(page) {
  if ((await page.getAttribute(tid('play'), 'aria-pressed')) !== 'true') await page.click(tid('play'));
}

export async function pause(page) {
  if ((await page.getAttribute(tid('play'), 'aria-pressed')) === 'true') await page.click(tid('play'));
}

/** Press Play until virtual time passes `ms` (a lesson pauses at its narrations), then pause. */
export async function playUntil(page, ms) {
  for (let i = 0; i < 40 && (await view(page)).time_us < ms * 1000; i++) {
    await play(page);
    await page.waitForFunction(
      (us) =>
        document.querySelector('[data-testid="play"]').getAttribute('aria-pressed') === 'false' ||
        window.__logscopeView().time_us > us,
      ms * 1000,
      { timeout: 30000 },
    );
  }
  await pause(page);
}

/** The picker's value of the lesson whose title contains `title` (any case): the course index is generated
 * from scenarios/ (build.rs), so lessons are found by title, not by position. */
export async function lessonValue(page, title) {
  const value = await page.evaluate((t) => {
    const options = [...document.querySelectorAll('[data-testid="lesson-picker"] option')];
    return options.find((o) => o.value !== '' && o.textContent.toLowerCase().includes(t.toLowerCase()))?.value;
  }, title);
  if (value === undefined) throw new Error(`no lesson titled like “${title}” in the picker`);
  return value;
}

/** Load the lesson titled like `title` from the Configure tab (`_index`: unused, kept for old callers). */
export async function loadLesson(page, _index, title) {
  await page.click(tid('tab-config'));
  await page.selectOption(tid('lesson-picker'), await lessonValue(page, title));
  await page.waitForFunction((t) => document.querySelector('[data-testid="narration"]')?.textContent.includes(t), title);
}

/** Rebuild the cluster with `nodes` nodes from the Configure tab. */
export async function setNodes(page, nodes) {
  await page.click(tid('tab-config'));
  await page.fill(tid('cfg-nodes'), String(nodes));
  await page.dispatchEvent(tid('cfg-nodes'), 'change');
  await page.click(tid('apply-config'));
  await page.locator(tid(`node-${nodes - 1}`)).waitFor();
}

/** The bounding box of the first element matching `selector` ({x, y, width, height}). */
export async function box(page, selector) {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} has no box`);
  return b;
}

/**
 * In the page: the boxes of everything written or marked in the log panel, per row, as the viewer sees them
 * (clipped to the row's window), and the overlaps between them. Texts must not overlap texts; stems,
 * triangles and the commit line must not cross a text. Returns { rows, overlaps } where each overlap names
 * the two things and their row.
 */
export function logPanelOverlaps(page) {
  return page.evaluate(() => {
    // A text's box is its font's full ascent and descent, rounded to whole pixels by the browser: boxes that
    // share less than a pixel of that padding never bring two glyphs into contact.
    const TOLERANCE = 1;
    const clip = (b, c) => {
      const left = Math.max(b.left, c.left), right = Math.min(b.right, c.right);
      const top = Math.max(b.top, c.top), bottom = Math.min(b.bottom, c.bottom);
      return right - left > 0 && bottom - top > 0 ? { left, right, top, bottom } : null;
    };
    // A zero-width line still crosses what it runs through.
    const lineClip = (b, c) =>
      b.left >= c.left && b.left <= c.right ? { left: b.left, right: b.right, top: Math.max(b.top, c.top), bottom: Math.min(b.bottom, c.bottom) } : null;
    const meets = (a, b) =>
      a.left < b.right - TOLERANCE && b.left < a.right - TOLERANCE && a.top < b.bottom - TOLERANCE && b.top < a.bottom - TOLERANCE;
    const crosses = (line, text) =>
      line.left >= text.left + TOLERANCE && line.left <= text.right - TOLERANCE && line.top < text.bottom - TOLERANCE && text.top < line.bottom - TOLERANCE;
    const name = (el) => `${el.closest('[data-testid]')?.dataset.testid ?? el.tagName}:"${el.textContent.trim().slice(0, 20)}"`;
    const rows = [];
    const overlaps = [];
    const areas = [...document.querySelectorAll('svg.log-row'), document.querySelector('svg.log-axis')].filter(Boolean);
    for (const area of areas) {
      const whole = area.getBoundingClientRect();
      const window = area.querySelector('svg.window')?.getBoundingClientRect() ?? whole;
      const inWindow = (el) => el.closest('svg.window') !== null;
      const texts = [];
      for (const el of area.querySelectorAll('text')) {
        const b = clip(el.getBoundingClientRect(), inWindow(el) ? window : whole);
        if (b && el.textContent.trim()) texts.push({ el, b });
      }
      const lines = [];
      for (const el of area.querySelectorAll('.marker line, .commit-line, .progress-mark path')) {
        const raw = el.getBoundingClientRect();
        const b = el.tagName === 'line' ? lineClip(raw, inWindow(el) ? window : whole) : clip(raw, inWindow(el) ? window : whole);
        if (b) lines.push({ el, b, isLine: el.tagName === 'line' });
      }
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          if (meets(texts[i].b, texts[j].b)) overlaps.push(`${area.dataset.testid ?? 'axis'}: ${name(texts[i].el)} overlaps ${name(texts[j].el)}`);
        }
        for (const line of lines) {
          const hit = line.isLine ? crosses(line.b, texts[i].b) : meets(line.b, texts[i].b);
          if (hit) overlaps.push(`${area.dataset.testid ?? 'axis'}: ${name(line.el)} crosses ${name(texts[i].el)}`);
        }
      }
      rows.push({ row: area.dataset.testid ?? 'axis', texts: texts.length, lines: lines.length });
    }
    return { rows, overlaps };
  });
}

/** Whether every log row lies wholly inside the log panel's visible area (no scrolling needed). */
export function rowsVisible(page) {
  return page.evaluate(() => {
    const body = document.querySelector('[data-testid="log-body"]').getBoundingClientRect();
    const page = { top: 0, left: 0, bottom: innerHeight, right: innerWidth };
    return [...document.querySelectorAll('svg.log-row')].map((row) => {
      const b = row.getBoundingClientRect();
      const inside = (c) => b.top >= c.top - 0.5 && b.bottom <= c.bottom + 0.5 && b.left >= c.left - 0.5 && b.right <= c.right + 0.5;
      return { row: row.dataset.testid, height: b.height, visible: inside(body) && inside(page) };
    });
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Serve `directory` with Python's static server on a free port; resolves to { url, stop() } once it answers. */
export async function serveDirectory(directory) {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', directory], {
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(url);
      if (res.status < 500) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) throw new Error(`the static server for ${directory} exited`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill();
    }),
  };
}
