// Issue 9, "readable on a projector": a teacher's screens at 1280×720 and 1920×1080, in normal and presenter
// mode. Every log row visible, no two labels of the log panel overlapping (bounding boxes), presenter mode
// enlarging everything and using the width, the node menu as a popover that leaves the drawing alone, the
// clock in seconds and minutes. Screenshots: tests/e2e/screenshots/projector-*.png.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screenshot, withApp } from './helpers.mjs';
import {
  SPEED, box, loadLesson, logPanelOverlaps, pause, play, playUntil, rowsVisible, setNodes, tid, view, waitForView,
} from './stage.mjs';

const SMALL = { width: 1280, height: 720 };
const LARGE = { width: 1920, height: 1080 };
const FIGURE_8 = { index: 7, title: 'Raft Figure 8' };

/** Markers slide (CSS transitions); measure them where they are, not on their way. */
async function still(page) {
  await page.emulateMedia({ reducedMotion: 'reduce' });
}

async function assertRowsAndLabels(page, what, { mayScroll = false } = {}) {
  const rows = await rowsVisible(page);
  assert.ok(rows.length > 0, `${what}: no log rows`);
  const hidden = rows.filter((r) => !r.visible).map((r) => r.row);
  if (mayScroll && hidden.length > 0) {
    // The issue allows "rows scale or the panel scrolls within itself": a row below the fold must then be
    // reachable by scrolling the log body, which takes keyboard focus (axe: scrollable-region-focusable).
    const body = await page.evaluate(() => {
      const el = document.querySelector('[data-testid="log-body"]');
      return { scrolls: el.scrollHeight > el.clientHeight + 1, tabindex: el.getAttribute('tabindex') };
    });
    assert.ok(body.scrolls && body.tabindex === '0', `${what}: rows ${hidden} hidden and the log body does not scroll`);
  } else {
    assert.deepEqual(hidden, [], `${what}: rows not wholly visible: ${JSON.stringify(rows)}`);
  }
  const { overlaps, rows: measured } = await logPanelOverlaps(page);
  assert.deepEqual(overlaps, [], `${what}: overlapping labels`);
  assert.ok(measured.every((r) => r.texts >= 1), `${what}: a row without any text? ${JSON.stringify(measured)}`);
  return rows;
}

for (const presenter of [false, true]) {
  const mode = presenter ? 'presenter' : 'normal';

  test(`1280×720, ${mode}: every row of the 5-node Figure 8 lesson is visible and no labels overlap`, async () => {
    await withApp({ viewport: SMALL, waitFor: tid('node-0') }, async ({ page }) => {
      await still(page);
      if (presenter) await page.click(tid('presenter'));
      await loadLesson(page, FIGURE_8.index, FIGURE_8.title);
      await page.selectOption(tid('speed'), SPEED.x10);
      // Normal mode keeps the Configure panel the lesson came from open; presenter mode folds it, and then
      // the Clients panel is opened half-way: the smallest stage the rows must fit.
      assert.equal(await page.locator('[role="tabpanel"]').count(), presenter ? 0 : 1);
      for (const ms of [300, 800, 1500, 2500, 4000]) {
        if (ms === 1500) await page.click(tid('tab-clients'));
        await playUntil(page, ms);
        // KNOWN GAP (2026-12-02): in presenter mode at 1280×720 with the lower panel opened and the lesson
        // bar's three-line narration and checks, the five rows reach their minimum scale and the log body
        // scrolls within itself (before the lesson bar they fitted); folded, every row is wholly visible.
        const mayScroll = presenter && ms >= 1500;
        const rows = await assertRowsAndLabels(page, `${mode} at ${ms} ms`, { mayScroll });
        assert.equal(rows.length, 5);
      }
      assert.ok((await view(page)).nodes.some((n) => n.status === 'crashed'), 'the lesson crashed a node by now');
      await screenshot(page, `projector-720-${mode}-figure8`);
    });
  });

  test(`1920×1080, ${mode}: every row of 9 nodes under write load is visible and no labels overlap`, async () => {
    await withApp({ viewport: LARGE, waitFor: tid('node-0') }, async ({ page }) => {
      await still(page);
      if (presenter) await page.click(tid('presenter'));
      await setNodes(page, 9);
      await page.click(tid('tab-clients'));
      await page.selectOption(tid('speed'), SPEED.x10);
      await play(page);
      await waitForView(page, (v) => v.leader !== null && v.cluster_hwm >= 1);
      await page.click(tid('load'));
      // Snapshots every 16 entries: LWMs, snapshots and deleted segments appear, followers lag a little.
      for (const hwm of [10, 30, 60]) {
        await play(page);
        await waitForView(page, (v, h) => v.cluster_hwm >= h, hwm, 30000);
        await pause(page);
        const rows = await assertRowsAndLabels(page, `${mode} at commit ${hwm}`);
        assert.equal(rows.length, 9);
      }
      assert.ok((await view(page)).nodes.some((n) => n.lwm > 1), 'an LWM moved');
      await screenshot(page, `projector-1080-${mode}-nine-nodes`);
    });
  });
}

test('presenter mode at 1920×1080 enlarges the narration, the toolbar and the log, and uses the width', async () => {
  const sizes = {};
  for (const presenter of [false, true]) {
    await withApp({ viewport: LARGE, waitFor: tid('node-0') }, async ({ page }) => {
      await still(page);
      if (presenter) await page.click(tid('presenter'));
      await loadLesson(page, FIGURE_8.index, FIGURE_8.title);
      // The lesson is shown as a class sees it: in presenter mode the lower panel folded when it loaded.
      await page.selectOption(tid('speed'), SPEED.x10);
      await playUntil(page, 2500);
      const measured = await page.evaluate(() => {
        const px = (el) => parseFloat(getComputedStyle(el).fontSize);
        const narration = document.querySelector('[data-testid="narration"] span');
        const controls = [...document.querySelectorAll('.topbar button, .topbar select')];
        // An SVG text's size on screen: its font size in the row's units times the row's scale.
        const entries = [...document.querySelectorAll('.term-number')].map((t) => px(t) * t.getScreenCTM().a);
        const body = document.querySelector('[data-testid="log-body"]');
        const row = document.querySelector('svg.log-row').getBoundingClientRect();
        const stage = document.querySelector('main.stage').getBoundingClientRect();
        const events = document.querySelector('.clock .events');
        return {
          narration: px(narration),
          controlsMin: Math.min(...controls.map(px)),
          entryMin: Math.min(...entries),
          rowShare: row.width / body.clientWidth,
          stageWidth: stage.width,
          stageShare: stage.height / innerHeight,
          eventsShown: getComputedStyle(events).display !== 'none',
          tabPanel: document.querySelector('[data-testid="app"] [role="tabpanel"]') !== null,
        };
      });
      sizes[presenter ? 'presenter' : 'normal'] = measured;
      await screenshot(page, `projector-1080-${presenter ? 'presenter' : 'normal'}-figure8`);
    });
  }
  const { normal, presenter } = sizes;
  console.log(`  normal: ${JSON.stringify(normal)}\n  presenter: ${JSON.stringify(presenter)}`);
  assert.ok(presenter.narration >= 24, `presenter narration ${presenter.narration}px`);
  assert.ok(presenter.controlsMin >= 20, `presenter toolbar text ${presenter.controlsMin}px`);
  assert.ok(presenter.entryMin >= 16, `presenter log entries ${presenter.entryMin.toFixed(1)}px`);
  assert.ok(presenter.narration > normal.narration && presenter.controlsMin > normal.controlsMin);
  assert.ok(presenter.entryMin > normal.entryMin, 'the log grows with the room the folded panel leaves');
  // The width is used: the rows span the log panel, the stage the screen, and the folded panel leaves the
  // stage most of the height; the event count (a desk detail) and the folded panel's content are gone.
  for (const s of [normal, presenter]) {
    assert.ok(s.rowShare >= 0.95, `rows use ${(s.rowShare * 100).toFixed(0)}% of the log panel's width`);
    assert.equal(s.stageWidth, LARGE.width);
  }
  assert.ok(presenter.stageShare >= 0.6, `the stage has ${(presenter.stageShare * 100).toFixed(0)}% of the height`);
  assert.equal(presenter.eventsShown, false);
  assert.equal(presenter.tabPanel, false);
  assert.equal(normal.eventsShown, true);
});

for (const viewport of [SMALL, LARGE]) {
  test(`${viewport.width}×${viewport.height}: the node menu is a popover that leaves the drawing alone`, async () => {
    await withApp({ viewport, waitFor: tid('node-0') }, async ({ page }) => {
      await page.selectOption(tid('speed'), SPEED.x10);
      await play(page);
      await waitForView(page, (v) => v.leader !== null);
      await pause(page);
      const before = await box(page, 'svg.cluster');
      await page.click(tid('node-1'));
      const menu = page.locator(tid('node-menu'));
      await menu.waitFor();
      await page.waitForSelector(`${tid('node-menu')}[data-placed]`);
      assert.deepEqual(await box(page, 'svg.cluster'), before, 'the drawing kept its size and place');
      const m = await box(page, tid('node-menu'));
      const node = await box(page, tid('node-1'));
      const apart = m.x >= node.x + node.width || m.x + m.width <= node.x || m.y >= node.y + node.height || m.y + m.height <= node.y;
      assert.ok(apart, `the menu ${JSON.stringify(m)} covers its node ${JSON.stringify(node)}`);
      assert.ok(m.x >= 0 && m.y >= 0 && m.x + m.width <= viewport.width && m.y + m.height <= viewport.height, 'menu on screen');
      assert.equal(await page.evaluate(() => document.activeElement.closest('[data-testid="node-menu"]') !== null), true,
        'the focus is in the menu');
      await screenshot(page, `projector-${viewport.height}-node-menu`);
      // Escape closes it and gives the focus back to the node.
      await page.keyboard.press('Escape');
      assert.equal(await menu.count(), 0);
      assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'node-1');
      // The keyboard opens it again (Enter on the focused node); Tab moves on inside it; Escape from the
      // entry field closes it too.
      await page.keyboard.press('Enter');
      await menu.waitFor();
      assert.deepEqual(await box(page, 'svg.cluster'), before);
      await page.focus(tid('bitflip-index'));
      await page.keyboard.press('Escape');
      assert.equal(await menu.count(), 0);
      assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'node-1');
      // A press outside closes it; a press on another node moves it there.
      await page.click(tid('node-1'));
      await menu.waitFor();
      await page.click(tid('node-2'));
      assert.match(await page.getAttribute(tid('node-menu'), 'aria-label'), /n2/);
      await page.mouse.click(viewport.width - 5, viewport.height / 2);
      assert.equal(await menu.count(), 0, 'a press outside closes the menu');
      // The link menu behaves the same.
      await page.dispatchEvent(`${tid('link-0-1')} .link-hit`, 'click');
      await page.waitForSelector(`${tid('link-menu')}[data-placed]`);
      assert.deepEqual(await box(page, 'svg.cluster'), before);
      await page.keyboard.press('Escape');
      assert.equal(await page.locator(tid('link-menu')).count(), 0);
    });
  });
}

test('the clock and the time slider read in seconds, then minutes', async () => {
  await withApp({ viewport: SMALL, waitFor: tid('node-0') }, async ({ page }) => {
    await page.selectOption(tid('speed'), SPEED.x10);
    await play(page);
    await waitForView(page, (v) => v.time_us > 1_300_000);
    await pause(page);
    const v = await view(page);
    const seconds = `${Math.floor(v.time_us / 1e6)}.${String(Math.floor((v.time_us % 1e6) / 1000)).padStart(3, '0')} s`;
    assert.equal((await page.textContent(tid('clock'))).split(' · ')[0], `t = ${seconds}`);
    assert.equal(await page.getAttribute(tid('time-slider'), 'aria-valuetext'), seconds);
    assert.equal(await page.textContent(tid('horizon')), `of ${seconds}`);
    // Past two minutes, then back to 2 min 03.5 s on the slider (a replay lands on the exact time).
    await page.selectOption(tid('speed'), SPEED.x200);
    await play(page);
    await waitForView(page, (v) => v.time_us > 124_000_000, null, 90000);
    await pause(page);
    await page.$eval(tid('time-slider'), (slider) => {
      slider.value = '123500';
      slider.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await waitForView(page, (v) => v.time_us === 123_500_000);
    assert.equal((await page.textContent(tid('clock'))).split(' · ')[0], 't = 2 min 03.5 s');
    assert.equal(await page.getAttribute(tid('time-slider'), 'aria-valuetext'), '2 min 03.5 s');
    assert.match(await page.textContent(tid('horizon')), /^of 2 min \d\d\.\d s$/);
    await screenshot(page, 'projector-clock-minutes');
  });
});
