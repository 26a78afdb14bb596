#!/usr/bin/env bash
# Builds the web UI (trunk build --release), serves dist/ on a free 127.0.0.1 port and runs
# tests/e2e/perf.mjs against it (bundle sizes, first paint, app start, frame work, memory, seek times).
# PERF_LOADS=N page loads; PERF_PARTS=loads,frames,history,soak,seek chooses the measurements (default all).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

bash scripts/setup.sh
say "perf: trunk build --release"
web_build

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port/"
python3 -m http.server "$port" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null' EXIT
for i in $(seq 1 100); do
    python3 -c 'import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$url" 2>/dev/null && break
    [ "$i" = 100 ] && { echo "perf: server on $url did not come up" >&2; exit 1; }
    sleep 0.1
done

say "perf: node tests/e2e/perf.mjs ($url)"
LOGSCOPE_URL="$url" LOGSCOPE_DIST="$ROOT/dist" node tests/e2e/perf.mjs
