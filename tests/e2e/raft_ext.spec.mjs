// Issue 10, part 8: the Raft extensions on screen. With pre-vote, check-quorum and lease reads switched on in
// the Configure panel, pre-vote messages fly as vermillion rings, the leader wears its lease as a draining arc,
// a learner added from the Faults tab is drawn dotted and named "learner" (cluster, log panel, membership
// list), a node whose clock was set from its menu shows its rate, and "Transfer leadership here" in the node
// menu moves the leader — or, when the core refuses, shows the core's reason. Screenshots at 1280×720 and
// 1920×1080: tests/e2e/screenshots/raft-ext-*.png.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screenshot, withApp } from './helpers.mjs';
import { SPEED, loadLesson, pause, play, playUntil, tid, view, waitForView } from './stage.mjs';

/** Switch the options on in the Configure panel and rebuild the cluster. */
async function optionsOn(page) {
  await page.click(tid('tab-config'));
  await page.check(tid('cfg-pre-vote'));
  await page.check(tid('cfg-check-quorum'));
  await page.selectOption(tid('cfg-read-mode'), 'lease');
  await page.fill(tid('cfg-lease-ms'), '140');
  await page.dispatchEvent(tid('cfg-lease-ms'), 'change');
  await page.waitForFunction(() => document.querySelector('[data-testid="lease-note"]').textContent.includes('lasts'));
  assert.equal(await page.locator(tid('config-error')).count(), 0, 'the draft is valid');
  await page.click(tid('apply-config'));
}

/**
 * Play until `selector` is drawn, then pause; returns the view. The pause is pressed in the page by a
 * MutationObserver the moment the element appears, so a message that lives a few frames is still on screen.
 */
async function playUntilDrawn(page, selector) {
  const seen = page.evaluate(
    (sel) =>
      new Promise((resolve) => {
        const stop = () => {
          const button = document.querySelector('[data-testid="play"]');
          if (button.getAttribute('aria-pressed') === 'true') button.click();
          resolve(true);
        };
        if (document.querySelector(sel)) return stop();
        const observer = new MutationObserver(() => {
          if (document.querySelector(sel)) {
            observer.disconnect();
            stop();
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true });
      }),
    selector,
  );
  await play(page);
  await Promise.race([seen, page.waitForTimeout(30000).then(() => { throw new Error(`${selector} never drawn`); })]);
  await pause(page);
  return view(page);
}

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  const size = `${viewport.width}x${viewport.height}`;
  test(`options on: pre-vote rings, the lease arc, a learner, a drifting clock (${size})`, async () => {
    await withApp({ viewport, waitFor: tid('node-0') }, async ({ page }) => {
      await optionsOn(page);
      await page.selectOption(tid('speed'), '3'); // 0.1×: a hop of 10 ms takes 0.1 s on screen
      await playUntilDrawn(page, '.message.msg-prevote');
      const ring = await page.locator('.message.msg-prevote circle.ring').first().evaluate((c) => getComputedStyle(c).stroke);
      const vote = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--msg-vote').trim());
      assert.equal(ring, 'rgb(213, 94, 0)', 'pre-vote rings are vermillion');
      assert.notEqual(vote.toLowerCase(), '#d55e00', 'and votes are not');
      await screenshot(page, `raft-ext-prevote-${size}`);

      await page.selectOption(tid('speed'), SPEED.x10);
      const v = await playUntilDrawn(page, '[data-testid^="lease-"] .lease-arc');
      assert.notEqual(v.leader, null);
      const arc = page.locator(`${tid(`lease-${v.leader}`)} .lease-arc`);
      assert.ok(await arc.isVisible(), 'the lease arc is on the leader');

      await page.click(tid('tab-faults'));
      await page.click(tid('add-learner'));
      await playUntilDrawn(page, `${tid('node-3')}.learner`);
      await page.waitForFunction(() => document.querySelector('[data-testid="learners"]')?.textContent.includes('n3'));
      assert.equal(await page.locator(`${tid('log-3')} .row-role`).textContent(), 'learner');

      const follower = [0, 1, 2].find((n) => n !== v.leader);
      await page.click(tid(`node-${follower}`));
      await page.fill(tid('clock-rate'), '1.5');
      await page.click(tid('set-clock-rate'));
      await page.keyboard.press('Escape');
      await page.locator(`${tid(`node-${follower}`)} .clock-rate`).waitFor();
      assert.match(await page.locator(`${tid(`node-${follower}`)} .clock-rate`).textContent(), /1\.5×/);

      await page.selectOption(tid('speed'), SPEED.x1);
      await playUntilDrawn(page, '[data-testid^="lease-"] .lease-arc');
      // On the arc's stroke at the top, where a draining lease always still shows (it drains clockwise from there).
      const arcBox = await page.locator(`${tid(`lease-${(await view(page)).leader}`)} .lease-arc`).boundingBox();
      await page.mouse.move(arcBox.x + arcBox.width / 2, arcBox.y + 2);
      await page.locator(tid('tooltip')).waitFor();
      assert.match(await page.locator(tid('tooltip')).textContent(), /Read lease of n\d: .* left on its own clock/);
      await screenshot(page, `raft-ext-${size}`);
    });
  });
}

test('transfer leadership from the node menu; a refused transfer shows the core\'s reason', async () => {
  await withApp({ viewport: { width: 1280, height: 720 }, waitFor: tid('node-0') }, async ({ page }) => {
    await page.selectOption(tid('speed'), SPEED.x10);
    await play(page);
    const before = await waitForView(page, (v) => v.leader !== null && v.cluster_hwm >= 1);
    await pause(page);
    const target = (before.leader + 1) % 3;
    await page.click(tid(`node-${target}`));
    await page.click(tid('transfer-leadership'));
    await page.keyboard.press('Escape');
    await play(page);
    const after = await waitForView(page, (v, t) => v.leader === t, target);
    await pause(page);
    assert.equal(after.leader, target);
    assert.ok(after.nodes[target].term > before.nodes[before.leader].term, 'a new term, without an election timeout');

    await page.click(tid('tab-faults'));
    await page.click(tid('add-learner'));
    await playUntilDrawn(page, `${tid('node-3')}.learner`);
    await page.click(tid('node-3'));
    await page.click(tid('transfer-leadership'));
    const banner = page.locator(tid('banner-error'));
    await banner.waitFor();
    assert.match(await banner.textContent(), /learner/, 'the core names why: the target is a learner');
    await screenshot(page, 'raft-ext-transfer-refused-1280x720');
  });
});

test('the leadership-transfer lesson plays in the page: node 0 leads after the handover', async () => {
  await withApp({ viewport: { width: 1280, height: 720 }, waitFor: tid('node-0') }, async ({ page }) => {
    await loadLesson(page, 14, 'Leadership transfer for a planned restart');
    await page.selectOption(tid('speed'), SPEED.x10);
    await playUntil(page, 1100);
    const v = await view(page);
    assert.equal(v.leader, 0, 'node 0 took over without an election timeout');
    assert.equal(v.nodes[0].term, 2);
    await screenshot(page, 'raft-ext-lesson-transfer-1280x720');
  });
});
