#!/usr/bin/env bash
# Quick start 1: install what is missing, build the web UI (trunk build --release) and serve it.
#   scripts/serve.sh            -> http://127.0.0.1:8080/
#   PORT=9000 scripts/serve.sh  -> http://127.0.0.1:9000/
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
PORT="${PORT:-8080}"

url="http://127.0.0.1:$PORT/"
if python3 - "$PORT" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)  # port busy
sys.exit(1)
PY
then
    echo "serve: port $PORT on 127.0.0.1 is already in use (an earlier serve.sh?). Stop it, or run: PORT=<other port> scripts/serve.sh" >&2
    exit 1
fi

bash scripts/setup.sh

say "serve: trunk build --release"
web_build

say "serve: LogScope is at  $url   (Ctrl-C to stop)"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
