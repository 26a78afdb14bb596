// Build hook (Trunk.toml [[hooks]], post_build; not served): gives the wasm's imports and the exports the JS
// glue uses short names (`$0`, `$1`, …) in both files. wasm-bindgen's names are long and most end in an
// incompressible 16-hex-digit hash (`__wbg_fetch_3823d5449b6751d1`, closure shims `…_invoke__h4a96…`), and each
// is written in both files: this saves ≈ 5 KB of the gzipped bundle. It fails the build if a name is not found in the
// glue or a short name is already taken, so the two files cannot get out of step.
'use strict';
const fs = require('fs'), path = require('path');
const dir = process.env.TRUNK_STAGING_DIR;
const files = fs.readdirSync(dir);
const wasmFile = path.join(dir, files.find((f) => f.endsWith('.wasm')));
const jsFile = path.join(dir, files.find((f) => f.endsWith('.js')));
const w = fs.readFileSync(wasmFile);
let js = fs.readFileSync(jsFile, 'utf8');
const leb = (b, i) => { let r = 0, s = 0, x; do { x = b[i++]; r += (x & 127) * 2 ** s; s += 7; } while (x & 128); return [r, i]; };
const enc = (n) => { const o = []; do { let x = n & 127; n = Math.floor(n / 128); if (n) x |= 128; o.push(x); } while (n); return Buffer.from(o); };
const str = (s) => Buffer.concat([enc(Buffer.byteLength(s)), Buffer.from(s)]);
const names = new Map();
// Whole identifiers only: one name may be the start of another.
const token = (name) => new RegExp(`(?<![\\w$])${name}(?![\\w$])`, 'g');
// Every import is renamed (the glue must define it); an export only if the glue uses it (not `main`, `memory`).
const rename = (name, isImport) => {
  if (name === 'memory' || (!isImport && !token(name).test(js))) return name;
  if (!names.has(name)) names.set(name, `$${names.size.toString(36)}`);
  return names.get(name);
};
const out = [w.subarray(0, 8)];
let i = 8;
while (i < w.length) {
  const id = w[i];
  const [size, start] = leb(w, i + 1);
  const end = start + size;
  if (id !== 2 && id !== 7) { out.push(w.subarray(i, end)); i = end; continue; }
  let [count, p] = leb(w, start);
  const body = [enc(count)];
  for (let k = 0; k < count; k++) {
    let parts = [];
    if (id === 2) { const [ml, q] = leb(w, p); parts.push(str(w.subarray(q, q + ml).toString())); p = q + ml; }
    const [nl, q] = leb(w, p);
    parts.push(str(rename(w.subarray(q, q + nl).toString(), id === 2)));
    p = q + nl;
    const kindStart = p;
    const kind = w[p++];
    if (id === 7 || kind === 0) { [, p] = leb(w, p); }
    else if (kind === 1) { p++; const f = w[p++]; [, p] = leb(w, p); if (f & 1) [, p] = leb(w, p); }
    else if (kind === 2) { const f = w[p++]; [, p] = leb(w, p); if (f & 1) [, p] = leb(w, p); }
    else if (kind === 3) { p += 2; }
    else throw new Error(`unknown import kind ${kind}`);
    parts.push(w.subarray(kindStart, p));
    body.push(...parts);
  }
  if (p !== end) throw new Error(`section ${id} parsed to ${p}, ends at ${end}`);
  const b = Buffer.concat(body);
  out.push(Buffer.from([id]), enc(b.length), b);
  i = end;
}
for (const [from, to] of names) {
  if (!token(from).test(js)) throw new Error(`${from} is not in the JS glue`);
  if (js.includes(to)) throw new Error(`the short name ${to} is already used in the JS glue`);
  js = js.replace(token(from), to);
}
fs.writeFileSync(wasmFile, Buffer.concat(out));
fs.writeFileSync(jsFile, js);
console.log(`short-wasm-names: short names for ${names.size} imports and exports`);
