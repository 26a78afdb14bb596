#!/usr/bin/env bash
# Builds the web UI and packs it into one zip for a classroom without a network (or a course site):
#   scripts/package.sh                     -> trunk build --release, then target/logscope-offline.zip
#   scripts/package.sh --no-build [OUT]    -> zips the dist/ already built (scripts/test.sh does this)
# The zip holds one folder, logscope/, with the app, its lessons and a README.txt saying how to open it. The app
# loads everything relative to its page, so the folder works under any path of any static server.
# Idempotent: the same dist/ gives the same zip, byte for byte (sorted entries, fixed dates and modes), and the
# zip is written next to its target and renamed into place, so an interrupted run leaves no half file.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

build=1
if [ "${1:-}" = "--no-build" ]; then
    build=0
    shift
fi
out="${1:-$ROOT/target/logscope-offline.zip}"

if [ "$build" = 1 ]; then
    bash scripts/setup.sh
    say "package: trunk build --release"
    web_build
fi
if ! ls dist/*.wasm >/dev/null 2>&1 || [ ! -f dist/index.html ]; then
    echo "package: dist/ has no built app (index.html and a .wasm); run without --no-build" >&2
    exit 1
fi

mkdir -p "$(dirname "$out")"
say "package: $out"
python3 - "$ROOT/dist" "$out" <<'PY'
import os, sys, zipfile

dist, out = sys.argv[1], sys.argv[2]
FOLDER = "logscope"
# A fixed date (zip's earliest) and mode: the archive depends on the files' contents only.
DATE = (1980, 1, 1, 0, 0, 0)
README = """LogScope, for offline use
=========================

This folder is the whole LogScope web app: a simulated storage-and-replication cluster
(write-ahead log, Raft, high- and low-water marks) that runs in the browser, with its lessons.

Browsers do not run WebAssembly apps opened from a file:// address, so serve the folder with any
static web server and open it in a browser. For example, from the folder that contains logscope/:

    python3 -m http.server 8000

then open  http://localhost:8000/logscope/

Everything is loaded relative to the page, so the folder may sit under any path of a web site
(e.g. https://example.org/course/logscope/) without changes. Nothing is fetched from the Internet.
"""

def entry(name):
    info = zipfile.ZipInfo(f"{FOLDER}/{name}", date_time=DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3  # Unix, so the mode above is read as one
    return info

files = []
for parent, dirs, names in os.walk(dist):
    dirs.sort()
    for name in names:
        path = os.path.join(parent, name)
        files.append((os.path.relpath(path, dist).replace(os.sep, "/"), path))
files.sort()
tmp = out + ".partial"
with zipfile.ZipFile(tmp, "w", compresslevel=9) as archive:
    archive.writestr(entry("README.txt"), README)
    for name, path in files:
        with open(path, "rb") as f:
            archive.writestr(entry(name), f.read())
os.replace(tmp, out)
print(f"    {len(files) + 1} files, {os.path.getsize(out) / 1024:.1f} KB: unpack it and serve the folder (README.txt)")
PY
