// End-to-end tests of the LogScope UI in headless Chromium: a teacher's session, click by click.
// Each test checks what is drawn against what the core says (window.__logscopeView(), a summary of the
// view the page is drawing) and saves a screenshot in tests/e2e/screenshots/.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screenshot, withApp } from './helpers.mjs';
import { lessonValue, waitForView } from './stage.mjs';

const VIEWPORT = { width: 1280, height: 720 };
// Indexes into the speed selector (src/ui/state.rs SPEEDS).
const SPEED_1X = '6';
const SPEED_10X = '9';

const view = (page) => page.evaluate(() => window.__logscopeView());
const tid = (id) => `[data-testid="${id}"]`;

async function play(page) {
  if ((await page.getAttribute(tid('play'), 'aria-pressed')) !== 'true') await page.click(tid('play'));
}
async function pause(page) {
  if ((await page.getAttribute(tid('play'), 'aria-pressed')) === 'true') await page.click(tid('play'));
}

async function electLeader(page) {
  await page.selectOption(tid('speed'), SPEED_1X);
  await play(page);
  return waitForView(page, (v) => v.leader !== null && v.cluster_hwm >= 1);
}

test('a leader is elected, drawn, and the invariant strip stays green', async () => {
  await withApp({ viewport: VIEWPORT, waitFor: tid('node-0') }, async ({ page }) => {
    const v = await electLeader(page);
    await pause(page);
    const leader = v.leader;
    assert.equal(await page.getAttribute(tid(`node-${leader}`), 'data-role'), 'leader');
    assert.equal(await page.locator('[data-role="leader"]').count(), 1, 'exactly one node is drawn as leader');
    assert.equal(await page.getAttribute(tid('invariants'), 'data-violations'), '0');
    assert.ok((await page.locator(`${tid('invariants')} .chip.ok`).count()) >= 19);
    assert.ok((await page.locator(tid('log-entry')).count()) >= 3, 'the no-op is in every log');
    assert.ok((await page.locator(tid('segment')).count()) >= 3);
    // The page fits a 1280×720 projector without horizontal scrolling.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= VIEWPORT.width, `page is ${width}px wide`);
    await screenshot(page, 'ui-leader-elected');
  });
});

test('client writes are acknowledged, reads return them, and the markers follow the core', async () => {
  await withApp({ viewport: VIEWPORT, waitFor: tid('node-0') }, async ({ page }) => {
    await electLeader(page);
    await page.fill(tid('client-key'), 'x');
    await page.fill(tid('client-value'), '42');
    await page.click(tid('client-send'));
    await waitForView(page, (v) => v.ops.some((o) => o.op === 'put x=42' && o.status === 'ok'));
    await page.selectOption(tid('client-op'), 'get');
    await page.click(tid('client-send'));
    const v = await waitForView(page, (v) => v.ops.some((o) => o.op === 'get x' && o.status === 'ok'));
    const read = v.ops.find((o) => o.op === 'get x' && o.status === 'ok');
    assert.equal(read.value, '42', 'the read returns the acknowledged write');
    // The panels redraw a few times a second while playing: wait for the list to catch up.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="op"][data-status="ok"]').length >= 2);

    // Write load: the commit index moves; every node's HWM/LWM marker sits where the view says.
    await page.click(tid('load'));
    const before = (await view(page)).cluster_hwm;
    const after = await waitForView(page, (v, b) => v.cluster_hwm >= b + 20, before, 30000);
    await pause(page);
    const now = await view(page);
    assert.ok(after.cluster_hwm > before, 'commit index advanced');
    assert.equal(await page.getAttribute(tid('marker-commit'), 'data-index'), String(now.cluster_hwm));
    for (const node of now.nodes) {
      const hwm = page.locator(`${tid('marker-hwm')}[data-node="${node.id}"]`);
      if ((await hwm.count()) > 0) assert.equal(await hwm.getAttribute('data-index'), String(node.hwm), `n${node.id} HWM`);
      const lwm = page.locator(`${tid('marker-lwm')}[data-node="${node.id}"]`);
      if ((await lwm.count()) > 0) assert.equal(await lwm.getAttribute('data-index'), String(node.lwm), `n${node.id} LWM`);
    }
    // Snapshots happened and old segments were deleted: the LWM moved past index 1 somewhere.
    assert.ok(now.nodes.some((n) => n.lwm > 1), `no node's LWM moved: ${JSON.stringify(now.nodes.map((n) => n.lwm))}`);
    await page.click(tid('tab-state'));
    assert.ok(await page.locator(tid('kv-table')).isVisible());
    await screenshot(page, 'ui-writes-and-markers');
  });
});

test('crash the leader, a new one takes over in a higher term; restart the old one', async () => {
  await withApp({ viewport: VIEWPORT, waitFor: tid('node-0') }, async ({ page }) => {
    const first = await electLeader(page);
    await pause(page);
    const old = first.leader;
    const oldTerm = first.nodes[old].term;
    await page.click(tid(`node-${old}`));
    await page.click(tid('crash'));
    assert.equal(await page.getAttribute(tid(`node-${old}`), 'data-status'), 'crashed');
    await screenshot(page, 'ui-leader-crashed');
    await page.keyboard.press('Escape');
    await play(page);
    const next = await waitForView(page, (v, o) => v.leader !== null && v.leader !== o, old);
    assert.ok(next.nodes[next.leader].term > oldTerm, 'the new leader has a higher term');
    await pause(page);
    await page.click(tid(`node-${old}`));
    await page.click(tid('restart'));
    await play(page);
    await waitForView(page, (v, o) => v.nodes[o].status === 'up' && v.nodes[o].role === 'follower' && v.nodes[o].hwm >= 1, old);
    await pause(page);
    assert.equal(await page.getAttribute(tid('invariants'), 'data-violations'), '0');
    await screenshot(page, 'ui-leader-restarted');
  });
});

test('a server is added, catches up, and the leader removes itself and hands over', async () => {
  await withApp({ viewport: VIEWPORT, waitFor: tid('node-0') }, async ({ page }) => {
    const first = await electLeader(page);
    await page.click(tid('tab-faults'));
    await page.click(tid('add-node'));
    await page.waitForSelector(tid('node-3'));
    const joined = await waitForView(
      page,
      (v) => v.members.length === 4 && v.nodes[3].member && v.nodes[3].hwm >= v.cluster_hwm && v.cluster_hwm >= 2,
    );
    assert.deepEqual(joined.members, [0, 1, 2, 3]);
    assert.match(await page.textContent(tid('members')), /\{n0,n1,n2,n3\}/);
    await screenshot(page, 'ui-node-added');
    await pause(page);
    const old = joined.leader;
    await page.click(tid(`node-${old}`));
    await page.click(tid('remove-node'));
    await page.keyboard.press('Escape');
    await play(page);
    const after = await waitForView(
      page,
      (v, o) => v.nodes[o].status === 'removed' && v.leader !== null && v.leader !== o,
      old,
    );
    assert.ok(!after.members.includes(old), 'the removed leader is no longer a member');
    assert.equal(after.members.length, 3);
    assert.equal(await page.getAttribute(tid(`node-${old}`), 'data-status'), 'removed');
    await pause(page);
    assert.equal(await page.getAttribute(tid('invariants'), 'data-violations'), '0');
    assert.ok(first.leader !== null);
    await screenshot(page, 'ui-leader-removed');
  });
});

test('partition the leader away, a majority elects another, healing leaves one leader', async () => {
  await withApp({ viewport: VIEWPORT, waitFor: tid('node-0') }, async ({ page }) => {
    const first = await electLeader(page);
    await page.click(tid('tab-faults'));
    await page.click(tid('isolate-leader'));
    const during = await waitForView(page, (v, o) => v.nodes.some((n) => n.id !== o && n.role === 'leader'), first.leader);
    await pause(page);
    assert.match(await page.textContent(tid('link-summary')), /cut/);
    assert.ok(await page.locator('.link-dir.cut').count() > 0, 'cut links are drawn');
    await screenshot(page, 'ui-partitioned');
    await page.click(tid('heal'));
    await play(page);
    await waitForView(page, (v) => v.nodes.filter((n) => n.role === 'leader').length === 1 && v.nodes.every((n) => n.term === v.nodes[v.leader].term), null);
    await pause(page);
    assert.equal(await page.locator('.link-dir.cut').count(), 0, 'healed links are drawn up');
    assert.ok(during.leader !== null);
    assert.equal(await page.getAttribute(tid('invariants'), 'data-violations'), '0');
    await screenshot(page, 'ui-healed');
  });
});

test('link menu cuts one direction, step and next-interesting advance, shortcuts work', async () => {
  await withApp({ viewport: VIEWPORT, waitFor: tid('node-0') }, async ({ page }) => {
    const t0 = (await view(page)).time_us;
    await page.click(tid('step'));
    const t1 = (await view(page)).time_us;
    assert.ok(t1 >= t0);
    await page.click(tid('next-interesting'));
    const e1 = (await view(page)).events;
    await page.keyboard.press('.');
    assert.ok((await view(page)).events > e1, '"." runs to the next interesting event');
    await page.keyboard.press('Space');
    assert.equal(await page.getAttribute(tid('play'), 'aria-pressed'), 'true');
    await page.keyboard.press('Space');
    assert.equal(await page.getAttribute(tid('play'), 'aria-pressed'), 'false');
    await page.dispatchEvent(`${tid('link-0-1')} .link-hit`, 'click');
    await page.click(tid('cut-ab'));
    assert.ok(await page.locator(`${tid('link-0-1')} .link-dir.cut`).count() === 1, 'one direction drawn cut');
    await page.keyboard.press('?');
    assert.ok(await page.locator(tid('help')).isVisible());
    await screenshot(page, 'ui-help');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator(tid('help')).count(), 0);
  });
});

test('a lesson loads from the picker and narrates; a broken share link explains itself', async () => {
  await withApp({ viewport: VIEWPORT, waitFor: tid('node-0') }, async ({ page }) => {
    await page.click(tid('tab-config'));
    await page.selectOption(tid('lesson-picker'), await lessonValue(page, 'Leader crash'));
    await page.locator(tid('narration')).waitFor();
    assert.match(await page.textContent(tid('narration')), /Leader crash/);
    assert.equal(await page.locator('[data-testid^="node-"]').count() >= 5, true, 'the lesson has five nodes');
    await page.selectOption(tid('speed'), SPEED_10X);
    const summary = await page.textContent(tid('narration'));
    // The lesson pauses at its narrations: press play until the story has moved past one second.
    for (let i = 0; i < 10 && (await view(page)).time_us < 1000000; i++) {
      await play(page);
      await page.waitForFunction(
        () => document.querySelector('[data-testid="play"]').getAttribute('aria-pressed') === 'false' || window.__logscopeView().time_us > 1000000,
        null,
        { timeout: 20000 },
      );
    }
    await pause(page);
    assert.ok((await view(page)).time_us > 1000000);
    assert.notEqual(await page.textContent(tid('narration')), summary, 'a narration replaced the summary');
    await screenshot(page, 'ui-lesson');
  });
  await withApp({ viewport: VIEWPORT, path: '#s=not*a*valid*link', waitFor: tid('banner-error') }, async ({ page }) => {
    assert.match(await page.textContent(tid('banner-error')), /share link/);
    assert.equal(await page.locator('[data-testid^="node-"][data-role]').count(), 3, 'the default cluster is shown');
    await screenshot(page, 'ui-bad-link');
  });
  // Lessons are fetched when picked (src/ui/lesson_list.rs): a lesson that cannot be fetched says so in a
  // banner naming the file, and the cluster stays on screen.
  await withApp({ viewport: VIEWPORT, waitFor: tid('node-0') }, async ({ page, app }) => {
    await page.route('**/scenarios/**', (route) => route.abort('connectionfailed'));
    await page.click(tid('tab-config'));
    await page.selectOption(tid('lesson-picker'), await lessonValue(page, 'Ack after fsync'));
    await page.locator(tid('banner-error')).waitFor();
    assert.match(
      await page.textContent(tid('banner-error')),
      /lesson “Ack after fsync” could not be loaded from scenarios\/ack-after-fsync\.json/,
    );
    assert.equal(await page.locator('[data-testid^="node-"][data-role]').count(), 3, 'the default cluster is shown');
    await screenshot(page, 'ui-lesson-fetch-failed');
    // The failed request was this test's doing.
    assert.ok(app.errors.length > 0 && app.errors.every((e) => e.includes('/scenarios/ack-after-fsync.json')), app.errors.join('\n'));
    app.errors.length = 0;
  });
});

test('an invalid configuration is refused with the field named; presenter and dark modes render', async () => {
  await withApp({ viewport: VIEWPORT, waitFor: tid('node-0') }, async ({ page }) => {
    await page.click(tid('tab-config'));
    await page.fill(tid('cfg-heartbeat-ms'), '500');
    await page.dispatchEvent(tid('cfg-heartbeat-ms'), 'change');
    await page.click(tid('apply-config'));
    assert.match(await page.textContent(tid('banner-error')), /heartbeat_ms/);
    assert.equal(await page.locator('[data-testid^="node-"][data-role]').count(), 3, 'the old cluster stays');
    await page.fill(tid('cfg-heartbeat-ms'), '50');
    await page.dispatchEvent(tid('cfg-heartbeat-ms'), 'change');
    await page.fill(tid('cfg-nodes'), '5');
    await page.dispatchEvent(tid('cfg-nodes'), 'change');
    await page.click(tid('apply-config'));
    await page.locator(tid('node-4')).waitFor();
    await page.click(tid('presenter'));
    await page.click(tid('dark'));
    await electLeader(page);
    await pause(page);
    assert.match(await page.evaluate(() => document.documentElement.className), /dark/);
    await screenshot(page, 'ui-presenter-dark');
  });
});

test('a scenario step the world refuses at play time is shown in a banner and the run goes on', async () => {
  await withApp({ viewport: VIEWPORT, waitFor: tid('node-0') }, async ({ page }) => {
    // At 0 ms there is no leader yet to take a membership change: the player reports the refusal.
    const scenario = {
      name: 'Refused step',
      summary: 'A removal before any leader exists.',
      seed: 1,
      config: {},
      steps: [
        { at_ms: 0, do: { action: 'remove-node', node: 1 } },
        { at_ms: 400, do: { action: 'put', client: 0, key: 'x', value: '1' } },
      ],
    };
    await page.click(tid('tab-config'));
    await page.fill(tid('import-text'), JSON.stringify(scenario));
    await page.click(tid('import'));
    await page.locator(tid('narration')).waitFor();
    await page.selectOption(tid('speed'), SPEED_1X);
    await play(page);
    await page.locator(tid('banner-error')).waitFor();
    assert.match(await page.textContent(tid('banner-error')), /steps\[0\] at 0 ms: remove-node: /);
    assert.equal(await page.getAttribute(tid('play'), 'aria-pressed'), 'true', 'the run goes on');
    const v = await waitForView(page, (v) => v.ops.some((o) => o.op === 'put x=1' && o.status === 'ok'));
    assert.deepEqual(v.members, [0, 1, 2], 'nothing was removed');
    await pause(page);
    await screenshot(page, 'ui-refused-step');
  });
});

test('preferences (theme, presenter mode, speed) survive a reload', async () => {
  await withApp({ viewport: VIEWPORT, waitFor: tid('node-0') }, async ({ page }) => {
    await page.click(tid('dark'));
    await page.click(tid('presenter'));
    await page.selectOption(tid('speed'), SPEED_10X);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('logscope.preferences')));
    assert.equal(stored.dark, true);
    assert.equal(stored.presenter, true);
    assert.equal(String(stored.speed_index), SPEED_10X);
    await page.reload();
    await page.locator(tid('node-0')).waitFor();
    assert.match(await page.evaluate(() => document.documentElement.className), /\bdark\b.*\bpresenter\b/);
    assert.equal(await page.getAttribute(tid('dark'), 'aria-pressed'), 'true');
    assert.equal(await page.inputValue(tid('speed')), SPEED_10X);
  });
});
