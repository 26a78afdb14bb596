// Issue 9, the course: the front door lists every lesson grouped by pattern with its length and progress; a
// lesson (opened by its deep link) is played to its end with its question answered, its claims shown ✓ at
// their times, its speaker note in presenter view and its end screen; back to the previous narration and one
// event back keep the narration in step with the clock; changing the past forks with undo; axe-core finds no
// serious violation on these screens; the end screen waits for a question the student played past. Screenshots: tests/e2e/screenshots/course-*.png.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { axeFindings } from './axe.mjs';
import { DIST_DIR, screenshot, withApp } from './helpers.mjs';
import { SPEED, pause, play, tid, view, waitForView } from './stage.mjs';

const SMALL = { width: 1280, height: 720 };
const LARGE = { width: 1920, height: 1080 };
const LESSON_FILES = readdirSync(join(DIST_DIR, 'scenarios')).filter((f) => f.endsWith('.json'));
const lessonFile = (file) => JSON.parse(readFileSync(join(DIST_DIR, 'scenarios', file), 'utf8'));
const BROKEN = 'ack-before-fsync-broken.json';

async function assertAxeClean(page, where) {
  assert.deepEqual(await axeFindings(page), [], `axe on ${where}`);
}

const text = (page, id) => page.textContent(tid(id));
const paused = (page) => page.waitForFunction(() => document.querySelector('[data-testid="play"]').getAttribute('aria-pressed') === 'false');

/** Plays the lesson on screen, answering each question with `choose(predict) -> index`, until the end screen. */
async function playToEnd(page, choose, onQuestion = async () => {}) {
  for (let i = 0; i < 60; i++) {
    if (await page.locator(tid('end-screen')).count()) return;
    const open = page.locator(`${tid('prediction')} ${tid('choice-0')}:not([disabled])`);
    if (await open.count()) {
      await onQuestion();
      await page.click(tid(`choice-${await choose()}`));
    } else {
      await play(page);
    }
    await paused(page);
  }
  throw new Error('the lesson did not reach its end screen');
}

test('the front door lists every lesson grouped by pattern, with free play and a clear error for a bad link', async () => {
  for (const [viewport, name] of [[SMALL, 'course-front-door'], [LARGE, 'course-front-door-1080']]) {
    await withApp({ path: '', viewport, waitFor: tid('front-door') }, async ({ page }) => {
      const links = page.locator(`${tid('front-door')} .lesson-link`);
      assert.equal(await links.count(), LESSON_FILES.length, 'every lesson file is listed once');
      for (const file of LESSON_FILES) {
        const lesson = lessonFile(file);
        const link = page.locator(tid(`lesson-${file.replace(/\.json$/, '')}`));
        assert.equal(await link.textContent(), lesson.name, `${file} is listed by its name`);
        const group = await link.evaluate((el) => el.closest('section.pattern').dataset.pattern);
        assert.equal(group, lesson.course?.pattern ?? '', `${file} is grouped under its pattern`);
        if (lesson.course) {
          const row = await link.evaluate((el) => el.parentElement.textContent);
          assert.ok(row.includes(`${lesson.course.minutes} min`), `${file} shows its length`);
        }
      }
      // Patterns come in the core's order (wal first), "More lessons" (lessons without a course block) last,
      // each group shown only when a lesson has it.
      const groups = await page.$$eval('section.pattern', (s) => s.map((e) => e.dataset.pattern));
      const ORDER = ['wal', 'segments', 'replication', 'hwm', 'clients', 'raft-extensions', 'history', ''];
      const present = new Set(LESSON_FILES.map((f) => lessonFile(f).course?.pattern ?? ''));
      assert.deepEqual(groups, ORDER.filter((p) => present.has(p)));
      assert.match(await text(page, 'progress'), new RegExp(`0 of ${LESSON_FILES.length} lessons finished`));
      await assertAxeClean(page, `the front door at ${viewport.width}×${viewport.height}`);
      await screenshot(page, name);
    });
  }
  // Dark presenter mode, as saved by an earlier visit (src/ui/preferences.rs).
  await withApp({ path: '', viewport: LARGE, waitFor: tid('front-door') }, async ({ page }) => {
    await page.evaluate(() => localStorage.setItem('logscope.preferences', JSON.stringify({ dark: true, presenter: true })));
    await page.reload();
    await page.locator(tid('front-door')).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.className), 'dark presenter');
    await assertAxeClean(page, 'the front door in dark presenter mode');
    await screenshot(page, 'course-front-door-dark-presenter');
  });
  await withApp({ path: '', viewport: SMALL, waitFor: tid('front-door') }, async ({ page }) => {
    await page.click(tid('free-play'));
    await page.locator(tid('front-door')).waitFor({ state: 'detached' });
    assert.equal(new URL(page.url()).hash, '#play', 'a reload comes back to free play');
    await page.click(tid('step'));
    assert.ok((await view(page)).events >= 1, 'free play runs the default cluster');
  });
  await withApp({ path: '#lesson=no-such-lesson.json', viewport: SMALL, waitFor: tid('banner-error') }, async ({ page }) => {
    assert.match(await text(page, 'banner-error'), /no-such-lesson\.json.*not in this course/);
    assert.ok(await page.locator(tid('front-door')).isVisible(), 'the front door is offered instead');
    await screenshot(page, 'course-bad-lesson-link');
  });
});

test('a lesson played to its end: title, question answered, claims ✓ at their times, note, end screen, progress', async () => {
  const lesson = lessonFile(BROKEN);
  const predict = lesson.steps.find((s) => s.predict).predict;
  await withApp({ path: `#lesson=${BROKEN}`, viewport: LARGE, waitFor: tid('lesson-title') }, async ({ page }) => {
    assert.equal(await text(page, 'lesson-title'), lesson.name);
    assert.equal(await page.locator(tid('banner-info')).count(), 0, 'no “Loaded…” banner stays up');
    // Every claim is marked on the slider: one mark per time, holding the claims checked then.
    const expects = lesson.steps.filter((s) => s.expect);
    assert.equal(await page.locator(tid('slider-mark')).count(), new Set(expects.map((s) => s.at_ms)).size, 'a mark per time');
    const claims = await page.$$eval(tid('slider-mark'), (ms) => ms.map((m) => Number(m.dataset.claims)));
    assert.equal(claims.reduce((a, b) => a + b, 0), expects.length, `every claim is in a mark: ${claims}`);
    // Marks close in time stand side by side: no mark hides another.
    const boxes = await page.$$eval(tid('slider-mark'), (ms) => ms.map((m) => { const r = m.getBoundingClientRect(); return [r.left, r.right]; }));
    for (let i = 1; i < boxes.length; i++) {
      assert.ok(boxes[i][0] >= boxes[i - 1][1] - 0.5, `slider marks ${i - 1} and ${i} overlap: ${JSON.stringify(boxes)}`);
    }
    await page.selectOption(tid('speed'), SPEED.x1);
    await page.keyboard.press('p'); // presenter view: the speaker notes show
    let asked = false;
    await playToEnd(page, async () => predict.answer, async () => {
      asked = true;
      assert.equal(await page.textContent(`${tid('prediction')} .question`), `Predict: ${predict.question}`);
      assert.ok(await page.locator(tid('speaker-note')).isVisible(), 'the narration’s speaker note shows in presenter view');
      // The narration's focus opened the Clients tab and selected n0.
      assert.equal(await page.getAttribute(tid('tab-clients'), 'aria-selected'), 'true');
      assert.match(await page.getAttribute(tid('node-0'), 'class'), /selected/, 'the node the narration names is selected');
      assert.equal(await page.locator(tid('node-menu')).count(), 0, 'without its menu covering the story');
      const checks = await page.$$eval(tid('check'), (cs) => cs.map((c) => c.dataset.held));
      assert.ok(checks.length >= 4 && checks.every((h) => h === 'true'), `the claims at 560 ms are shown ✓: ${checks}`);
      await assertAxeClean(page, 'a question in presenter view');
      await screenshot(page, 'course-prediction-presenter');
    });
    assert.ok(asked, 'the lesson asked its question');
    assert.match(await text(page, 'verdict'), /^Right\./);
    assert.equal(await text(page, 'explanation'), predict.explain, 'the explanation shows once the run reached its reveal');
    assert.match(await text(page, 'end-screen'), /claims checked held/);
    const marks = await page.$$eval(tid('slider-mark'), (ms) => ms.map((m) => m.className));
    assert.ok(marks.every((c) => c.includes('ok')), `every mark is ✓ at the end: ${marks}`);
    await assertAxeClean(page, 'the end screen in presenter view');
    await screenshot(page, 'course-end-presenter');
    await page.keyboard.press('p');
    await page.keyboard.press('d');
    await assertAxeClean(page, 'the end screen in dark mode');
    await screenshot(page, 'course-end-dark');
    await page.keyboard.press('d');
    // Explore from here: the run goes on past the end, in free play.
    const end = (await view(page)).time_us;
    await page.click(tid('explore'));
    await waitForView(page, (v, t) => v.time_us > t, end);
    await pause(page);
    assert.equal(await page.locator(tid('end-screen')).count(), 0);
    // The front door remembers the lesson and the answer.
    await page.click(tid('open-course'));
    assert.match(await text(page, 'progress'), new RegExp(`1 of ${LESSON_FILES.length} lessons finished · 1 questions answered`));
    assert.match(await page.locator(tid(`lesson-${BROKEN.replace('.json', '')}`)).evaluate((el) => el.parentElement.textContent), /finished/);
    await screenshot(page, 'course-front-door-progress');
  });
});

test('the end screen waits for a question the student played past: it shows once the question is answered or skipped', async () => {
  await withApp({ path: `#lesson=${BROKEN}`, viewport: SMALL, waitFor: tid('lesson-title') }, async ({ page }) => {
    await page.selectOption(tid('speed'), SPEED.x1);
    // Play on at every stop, never answering, until the clock stands at the lesson's end.
    let last = -1;
    for (let i = 0; i < 60; i++) {
      const now = (await view(page)).time_us;
      if (now === last) break;
      last = now;
      await play(page);
      await paused(page);
    }
    assert.equal(await page.locator(tid('end-screen')).count(), 0, 'no end screen over the unanswered question');
    assert.ok(await page.locator(tid('prediction')).isVisible(), 'the question is still on screen');
    await screenshot(page, 'course-end-waits-for-question');
    await page.click(tid('skip-question'));
    await page.waitForSelector(tid('end-screen'));
    assert.ok(await page.locator(tid('explanation')).isVisible(), 'the skipped question shows its explanation (revealed before the end)');
    await screenshot(page, 'course-end-after-skip');
  });
});

test('back to the previous narration and one event back: the narration follows the clock', async () => {
  await withApp({ path: '#lesson=ack-after-fsync.json', viewport: SMALL, waitFor: tid('lesson-title') }, async ({ page }) => {
    await page.selectOption(tid('speed'), SPEED.x10);
    // Play to the third pause (the narration at 700 ms).
    while ((await view(page)).time_us < 700000) {
      await play(page);
      await paused(page);
    }
    const at700 = await text(page, 'narration-text');
    const time = (await view(page)).time_us;
    await page.keyboard.press('Shift+ArrowLeft');
    await page.waitForFunction((t) => window.__logscopeView().time_us < t, time);
    const back = await view(page);
    assert.equal(back.time_us, 532000, 'back to the previous narration (532 ms)');
    const at520 = await text(page, 'narration-text');
    assert.notEqual(at520, at700, 'the narration went back with the clock');
    // One event back: exactly one event fewer, and before 532 ms the narration is the one of 500 ms.
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((e) => window.__logscopeView().events < e, back.events);
    const stepped = await view(page);
    assert.equal(stepped.events, back.events - 1, 'one event back');
    assert.ok(stepped.time_us < 532000);
    assert.notEqual(await text(page, 'narration-text'), at520, 'before 532 ms the 532 ms narration is not shown');
    await screenshot(page, 'course-step-back');
    // Shift+→ goes to the next stop again; the Back button does what Shift+← does.
    await page.keyboard.press('Shift+ArrowRight');
    await waitForView(page, (v) => v.time_us === 532000);
    assert.equal(await text(page, 'narration-text'), at520);
    await page.click(tid('back'));
    await waitForView(page, (v) => v.time_us === 500000);
    await assertAxeClean(page, 'the lesson view in the past');
  });
});

test('changing the past forks visibly, and undo puts the old future back', async () => {
  await withApp({ viewport: SMALL, waitFor: tid('node-0') }, async ({ page }) => {
    await page.selectOption(tid('speed'), SPEED.x10);
    await play(page);
    await waitForView(page, (v) => v.leader !== null && v.time_us > 1500000);
    await pause(page);
    const horizon = await text(page, 'horizon');
    // Back to 0.5 s with the slider, then crash n1 from its menu: the past changes.
    await page.locator(tid('time-slider')).evaluate((el) => {
      el.value = '500';
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await waitForView(page, (v) => v.time_us === 500000);
    await page.click(tid('node-1'));
    await page.click(`${tid('node-menu')} ${tid('crash')}`);
    await page.locator(tid('banner-fork')).waitFor();
    assert.match(await text(page, 'banner-fork'), /You changed the past/);
    assert.notEqual(await text(page, 'horizon'), horizon, 'the rest of the run was replaced');
    await assertAxeClean(page, 'the fork banner');
    await screenshot(page, 'course-fork');
    await page.click(tid('undo-fork'));
    await page.locator(tid('banner-fork')).waitFor({ state: 'detached' });
    assert.equal(await text(page, 'horizon'), horizon, 'undo put the old future back');
    assert.equal(await page.getAttribute(tid('node-1'), 'data-status') ?? 'up', 'up', 'n1 was never crashed');
  });
});

test('the recorder turns a free-play session into a lesson file the parser accepts and whose claims hold', async () => {
  await withApp({ path: '', viewport: SMALL, waitFor: tid('front-door') }, async ({ page }) => {
    await page.click(tid('record-lesson'));
    await page.locator(tid('recorder')).waitFor();
    await page.selectOption(tid('speed'), SPEED.x10);
    await play(page);
    await waitForView(page, (v) => v.leader !== null && v.time_us > 800000);
    await pause(page);
    await page.fill(tid('rec-text'), 'A leader was elected.');
    await page.click(tid('rec-narrate'));
    // An expectation from the state on screen: who leads, then the leader's role and term.
    await page.selectOption(tid('rec-claim'), { index: 0 });
    await page.click(tid('rec-expect'));
    await page.selectOption(tid('rec-claim'), { index: 1 });
    await page.click(tid('rec-expect'));
    await page.fill(tid('rec-question'), 'Crash the leader: is a new one elected?');
    await page.fill(tid('rec-choices'), 'Yes | No');
    await page.fill(tid('rec-answer'), '1');
    await page.fill(tid('rec-explain'), 'A majority is still up.');
    await page.click(tid('rec-predict'));
    const leader = (await view(page)).leader;
    await page.click(tid(`node-${leader}`));
    await page.click(`${tid('node-menu')} ${tid('crash')}`);
    await play(page);
    await waitForView(page, (v, l) => v.leader !== null && v.leader !== l, leader);
    await pause(page);
    await page.selectOption(tid('rec-claim'), { index: 0 });
    await page.click(tid('rec-expect'));
    assert.match(await text(page, 'recorder'), /5 steps added/);
    await page.fill(tid('rec-name'), 'My recorded lesson');
    await screenshot(page, 'course-recorder');
    await assertAxeClean(page, 'the recorder');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(tid('rec-export'))]);
    const json = readFileSync(await download.path(), 'utf8');
    const lesson = JSON.parse(json);
    assert.equal(lesson.name, 'My recorded lesson');
    assert.equal(lesson.steps.filter((s) => s.expect).length, 3);
    assert.ok(lesson.steps.some((s) => s.predict) && lesson.steps.some((s) => s.narrate));
    assert.ok(lesson.steps.some((s) => s.do?.action === 'crash'), 'the click is a step');
    // The parser accepts it (the UI's import) and plays it as a lesson with its claims ✓.
    await page.click(tid('tab-config'));
    await page.fill(tid('import-text'), json);
    await page.click(tid('import'));
    await page.waitForFunction(() => document.querySelector('[data-testid="lesson-title"]')?.textContent === 'My recorded lesson');
    await page.click(tid('record'));
    await playToEnd(page, async () => 0);
    const held = await page.$$eval(tid('slider-mark'), (ms) => ms.map((m) => [m.className, Number(m.dataset.claims)]));
    assert.ok(held.every(([c]) => c === 'mark ok'), `every recorded claim holds when the lesson is played: ${held}`);
    assert.equal(held.reduce((n, [, k]) => n + k, 0), 3, `the three recorded claims are marked: ${held}`);
  });
});
