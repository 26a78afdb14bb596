// Issue 9, "fonts with the glyphs used (no blank boxes)": every character the UI shows — text, SVG labels,
// CSS ::before/::after content, form values, the help overlay — across the views a class sees (a lesson, every
// tab, the menus, a crash, a pause, cut links, a violation), is drawn by the fonts a fresh Debian has
// (fonts-dejavu-core, see fonts.mjs), and renders here as a glyph rather than as the blank box Chromium draws
// for a character no font has. Screenshot: tests/e2e/screenshots/glyphs.png.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshDebianCodePoints } from './fonts.mjs';
import { screenshot, withApp } from './helpers.mjs';
import { SPEED, loadLesson, pause, play, playUntil, tid, waitForView } from './stage.mjs';

/** In the page: every character on it now, with where one of them was seen. */
function charactersShown(page) {
  return page.evaluate(() => {
    const seen = {};
    const add = (text, where) => {
      for (const ch of text ?? '') if (!(ch in seen)) seen[ch] = where;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest('script, style, title, noscript')) continue;
      add(n.nodeValue, n.parentElement.className?.baseVal ?? n.parentElement.className);
    }
    for (const el of document.querySelectorAll('*')) {
      for (const pseudo of ['::before', '::after']) {
        const content = getComputedStyle(el, pseudo).content;
        if (content && content.startsWith('"')) add(JSON.parse(content), `${el.className}${pseudo}`);
      }
      if ('value' in el && typeof el.value === 'string') add(el.value, el.tagName);
      if (el.placeholder) add(el.placeholder, el.tagName);
    }
    return seen;
  });
}

/**
 * In the page: the characters of `chars` Chromium draws as the blank box of a missing glyph, in the page's own
 * font at a size where a box and a glyph differ: each is drawn on a canvas and compared with the drawing of a
 * code point no font has.
 */
function blankBoxes(page, chars) {
  return page.evaluate((chars) => {
    const font = `32px ${getComputedStyle(document.body).fontFamily}`;
    const draw = (ch) => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 48;
      const g = canvas.getContext('2d');
      g.font = font;
      g.fillText(ch, 4, 36);
      return g.getImageData(0, 0, 48, 48).data.join(',');
    };
    const missing = draw('\u{10FFFD}');
    return chars.filter((ch) => draw(ch) === missing);
  }, chars);
}

test('every character the UI shows is in the fonts a fresh Debian has, and none renders as a blank box', async () => {
  const fonts = freshDebianCodePoints();
  const seen = {};
  const collect = async (page) => Object.assign(seen, { ...(await charactersShown(page)), ...seen });
  await withApp({ viewport: { width: 1920, height: 1080 }, waitFor: tid('node-0') }, async ({ page }) => {
    await collect(page);
    // A lesson with a broken rule: narration, banners, op statuses, violation chips and their marks.
    await loadLesson(page, 2, 'ack before fsync');
    await collect(page);
    await page.selectOption(tid('speed'), SPEED.x10);
    await playUntil(page, 3000);
    for (const tab of ['clients', 'faults', 'state', 'events', 'invariants-tab', 'config']) {
      await page.click(tid(`tab-${tab}`));
      await collect(page);
    }
    await page.click(tid('presenter'));
    await page.click(tid('dark'));
    await collect(page);
    await page.click(tid('dark'));
    await page.click(tid('presenter'));
    // Crash one node, pause another, cut and slow links, open the menus, go back in time, open help.
    await play(page);
    await waitForView(page, (v) => v.leader !== null);
    await pause(page);
    await page.click(tid('node-1'));
    await page.click(tid('crash'));
    await collect(page);
    await page.keyboard.press('Escape');
    await page.click(tid('node-2'));
    await page.click(tid('pause'));
    await page.keyboard.press('Escape');
    await page.dispatchEvent(`${tid('link-0-1')} .link-hit`, 'click');
    await page.click(tid('cut-ab'));
    await page.click(tid('slow-ba'));
    await collect(page);
    await page.keyboard.press('Escape');
    await page.$eval(tid('time-slider'), (slider) => {
      slider.value = '500';
      slider.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await collect(page);
    await page.click(tid('help-button'));
    await collect(page);
    await screenshot(page, 'glyphs');
    const unusual = Object.keys(seen).filter((ch) => ch.codePointAt(0) > 0x7e).sort();
    console.log(`  characters beyond ASCII: ${unusual.join(' ')}`);
    const notInFonts = unusual.filter((ch) => !fonts.has(ch.codePointAt(0)));
    assert.deepEqual(
      notInFonts.map((ch) => `${ch} U+${ch.codePointAt(0).toString(16).toUpperCase()} (${seen[ch]})`),
      [],
      'characters no DejaVu Sans face draws',
    );
    assert.deepEqual(await blankBoxes(page, unusual), [], 'characters drawn as a blank box');
    assert.ok(unusual.includes('→') && unusual.includes('✓'), 'the collection saw the UI (arrows, ticks)');
  });
});
