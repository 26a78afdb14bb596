// Issue 9, accessibility: axe-core (npm, injected into the page) finds no serious or critical violation in the
// default view, presenter mode, dark mode, dark presenter mode, with every tab open, with the menus and the
// help open and with a lesson on; and every text drawn in the SVG (which axe does not judge) has a contrast
// of at least 4.5:1 against what it is drawn on. Screenshots: tests/e2e/screenshots/a11y-*.png.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeFindings } from './axe.mjs';
import { screenshot, withApp } from './helpers.mjs';
import { SPEED, loadLesson, pause, play, playUntil, tid, waitForView } from './stage.mjs';

const VIEWPORT = { width: 1920, height: 1080 };
const TABS = ['clients', 'faults', 'state', 'events', 'invariants-tab', 'config', 'history'];

/**
 * In the page: every visible text of the cluster drawing and the log panel with a contrast below 4.5:1
 * against the colour it is drawn on (the entry cell, the node, the badge, or the page), opacity included.
 * Symbols that are not text (the leader's star, the crash cross, the pause bars) and what has left the
 * cluster or is fading out are not judged.
 */
function svgTextContrast(page) {
  return page.evaluate(() => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const over = (top, bottom, alpha) => ({
      r: top.r * alpha + bottom.r * (1 - alpha),
      g: top.g * alpha + bottom.g * (1 - alpha),
      b: top.b * alpha + bottom.b * (1 - alpha),
    });
    const luminance = ({ r, g, b }) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => {
      const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const opacity = (el, stop) => {
      let o = 1;
      for (let e = el; e && e !== stop; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
      return o;
    };
    const page = parse(getComputedStyle(document.body).backgroundColor);
    // What a text is drawn on: the nearest shape under it that paints, composited over the page.
    const backdrop = (text) => {
      const holder = text.closest('.entry, .node, .badge, .client');
      const shape = holder?.querySelector(':scope > rect, :scope > circle');
      if (!shape) return page;
      const style = getComputedStyle(shape);
      const fill = parse(style.fill);
      if (!fill) return page;
      return over(fill, page, fill.a * Number(style.fillOpacity) * opacity(shape, holder.parentElement));
    };
    const skip = '.leader-star, .crash-mark, .pause-mark, .node.removed text, .segment.ghost text, .lost-mark';
    const low = [];
    for (const text of document.querySelectorAll('svg.cluster text, svg.log-row text, svg.log-axis text')) {
      const b = text.getBoundingClientRect();
      if (!text.textContent.trim() || b.width === 0 || text.matches(skip)) continue;
      const style = getComputedStyle(text);
      const fill = parse(style.fill);
      const alpha = fill.a * Number(style.fillOpacity) * opacity(text, text.closest('svg'));
      const under = backdrop(text);
      const contrast = ratio(over(fill, under, alpha), under);
      if (contrast < 4.5) {
        low.push(`${text.closest('[data-testid]')?.dataset.testid ?? ''} .${text.getAttribute('class') ?? 'text'} "${text.textContent.trim().slice(0, 16)}": ${contrast.toFixed(2)}:1`);
      }
    }
    return [...new Set(low)];
  });
}

async function assertAccessible(page, what) {
  assert.deepEqual(await axeFindings(page), [], `${what}: axe`);
  assert.deepEqual(await svgTextContrast(page), [], `${what}: SVG text contrast`);
}

/** A cluster with a leader, a crashed follower and a cut link: most of what the drawing can show. */
async function busyCluster(page) {
  await page.selectOption(tid('speed'), SPEED.x10);
  await play(page);
  await waitForView(page, (v) => v.leader !== null && v.cluster_hwm >= 1);
  await pause(page);
  const leader = (await waitForView(page, (v) => v.leader !== null)).leader;
  const follower = (leader + 1) % 3;
  await page.click(tid(`node-${follower}`));
  await page.click(tid('crash'));
  await page.keyboard.press('Escape');
  await page.dispatchEvent(`${tid(`link-${Math.min(leader, (leader + 2) % 3)}-${Math.max(leader, (leader + 2) % 3)}`)} .link-hit`, 'click');
  await page.click(tid('slow-ab'));
  await page.keyboard.press('Escape');
}

for (const dark of [false, true]) {
  for (const presenter of [false, true]) {
    const mode = `${dark ? 'dark' : 'light'}${presenter ? ' presenter' : ''}`;
    test(`axe and SVG contrast, ${mode}: the view, every tab, the menus, help`, async () => {
      await withApp({ viewport: VIEWPORT, waitFor: tid('node-0') }, async ({ page }) => {
        await page.emulateMedia({ reducedMotion: 'reduce' });
        if (dark) await page.click(tid('dark'));
        if (presenter) await page.click(tid('presenter'));
        await assertAccessible(page, `${mode}, at load`);
        await busyCluster(page);
        await assertAccessible(page, `${mode}, a busy cluster`);
        for (const tab of TABS) {
          await page.click(tid(`tab-${tab}`));
          await assertAccessible(page, `${mode}, tab ${tab}`);
        }
        await page.click(tid('node-0'));
        await page.waitForSelector(`${tid('node-menu')}[data-placed]`);
        await assertAccessible(page, `${mode}, node menu`);
        await page.keyboard.press('Escape');
        await page.dispatchEvent(`${tid('link-1-2')} .link-hit`, 'click');
        await page.waitForSelector(`${tid('link-menu')}[data-placed]`);
        await assertAccessible(page, `${mode}, link menu`);
        await page.keyboard.press('Escape');
        await page.click(tid('help-button'));
        await assertAccessible(page, `${mode}, help`);
        await screenshot(page, `a11y-${mode.replace(' ', '-')}-help`);
        await page.keyboard.press('Escape');
        await screenshot(page, `a11y-${mode.replace(' ', '-')}`);
      });
    });
  }
}

test('axe and SVG contrast with a lesson on (narration, banner, a broken rule)', async () => {
  for (const dark of [false, true]) {
    await withApp({ viewport: VIEWPORT, waitFor: tid('node-0') }, async ({ page }) => {
      await page.emulateMedia({ reducedMotion: 'reduce' });
      if (dark) await page.click(tid('dark'));
      await page.click(tid('presenter'));
      await loadLesson(page, 2, 'ack before fsync');
      await assertAccessible(page, `lesson loaded${dark ? ', dark' : ''}`);
      await page.selectOption(tid('speed'), SPEED.x10);
      await playUntil(page, 3000);
      await assertAccessible(page, `lesson played${dark ? ', dark' : ''}`);
      await screenshot(page, `a11y-lesson-${dark ? 'dark' : 'light'}-presenter`);
    });
  }
});

test('axe and SVG contrast with the Raft extensions on (options, lease arc, learner, clock rate, their menus)', async () => {
  await withApp({ viewport: VIEWPORT, waitFor: tid('node-0') }, async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.click(tid('tab-config'));
    await page.check(tid('cfg-pre-vote'));
    await page.check(tid('cfg-check-quorum'));
    await page.selectOption(tid('cfg-read-mode'), 'lease');
    await page.fill(tid('cfg-lease-ms'), '400');
    await page.dispatchEvent(tid('cfg-lease-ms'), 'change');
    await page.locator(tid('config-error')).waitFor();
    await assertAccessible(page, 'Configure with an invalid lease (the core\'s message shown)');
    await page.fill(tid('cfg-lease-ms'), '140');
    await page.dispatchEvent(tid('cfg-lease-ms'), 'change');
    await page.click(tid('apply-config'));
    await page.selectOption(tid('speed'), SPEED.x10);
    await play(page);
    const leader = (await waitForView(page, (v) => v.leader !== null && v.cluster_hwm >= 1)).leader;
    await page.click(tid('tab-faults'));
    await page.click(tid('add-learner'));
    await page.locator(`${tid('node-3')}.learner`).waitFor();
    await pause(page);
    await page.click(tid(`node-${(leader + 1) % 3}`));
    await page.fill(tid('clock-rate'), '1.5');
    await page.click(tid('set-clock-rate'));
    await page.keyboard.press('Escape');
    for (const dark of [false, true]) {
      if (dark) await page.click(tid('dark'));
      const mode = dark ? 'dark' : 'light';
      await assertAccessible(page, `${mode}, learner + drifting clock + lease`);
      await page.click(tid('node-3'));
      await page.waitForSelector(`${tid('node-menu')}[data-placed]`);
      await assertAccessible(page, `${mode}, a learner's node menu`);
      await page.keyboard.press('Escape');
      await page.click(tid('help-button'));
      await assertAccessible(page, `${mode}, help with the new legend`);
      await page.keyboard.press('Escape');
    }
    await screenshot(page, 'a11y-raft-ext-dark');
  });
});
