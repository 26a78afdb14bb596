// The fonts a fresh Debian machine has for Chromium: fonts-dejavu-core (what fontconfig-config pulls in first),
// and which code points they draw, read from their TrueType `cmap` tables (formats 4 and 12, the ones these
// fonts carry). Chromium falls back to any installed font for a missing glyph, so a glyph these fonts have is
// never a blank box, whatever the page's first font is.
import { existsSync, readFileSync } from 'node:fs';

/** The DejaVu Sans faces of fonts-dejavu-core (regular and bold: the UI uses both). */
export const FRESH_DEBIAN_FONTS = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
];

/** The set of code points `file` (a TrueType font) maps to a glyph. */
export function codePoints(file) {
  const b = readFileSync(file);
  const tables = b.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < tables; i++) {
    const record = 12 + 16 * i;
    if (b.toString('latin1', record, record + 4) === 'cmap') cmap = b.readUInt32BE(record + 8);
  }
  if (cmap < 0) throw new Error(`${file} has no cmap table`);
  const points = new Set();
  const subtables = b.readUInt16BE(cmap + 2);
  for (let i = 0; i < subtables; i++) {
    const offset = cmap + b.readUInt32BE(cmap + 4 + 8 * i + 4);
    const format = b.readUInt16BE(offset);
    if (format === 4) {
      const segments = b.readUInt16BE(offset + 6) / 2;
      const ends = offset + 14;
      const starts = ends + 2 * segments + 2;
      const deltas = starts + 2 * segments;
      const ranges = deltas + 2 * segments;
      for (let s = 0; s < segments; s++) {
        const end = b.readUInt16BE(ends + 2 * s);
        const start = b.readUInt16BE(starts + 2 * s);
        const delta = b.readInt16BE(deltas + 2 * s);
        const range = b.readUInt16BE(ranges + 2 * s);
        for (let c = start; c <= end && c !== 0xffff; c++) {
          let glyph = 0;
          if (range === 0) glyph = (c + delta) & 0xffff;
          else {
            glyph = b.readUInt16BE(ranges + 2 * s + range + 2 * (c - start));
            if (glyph) glyph = (glyph + delta) & 0xffff;
          }
          if (glyph) points.add(c);
        }
      }
    } else if (format === 12) {
      const groups = b.readUInt32BE(offset + 12);
      for (let g = 0; g < groups; g++) {
        const group = offset + 16 + 12 * g;
        for (let c = b.readUInt32BE(group); c <= b.readUInt32BE(group + 4); c++) points.add(c);
      }
    }
  }
  return points;
}

/** The code points any of the fresh-Debian fonts draws; throws if one of them is not installed here. */
export function freshDebianCodePoints() {
  const all = new Set();
  for (const file of FRESH_DEBIAN_FONTS) {
    if (!existsSync(file)) throw new Error(`${file} is missing: apt-get install fonts-dejavu-core (Debian's chromium pulls it in through fontconfig)`);
    for (const c of codePoints(file)) all.add(c);
  }
  return all;
}
