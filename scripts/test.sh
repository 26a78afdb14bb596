#!/usr/bin/env bash
# Quick start 2: installs what is missing, then runs EVERY check and test; exits non-zero if any fails.
#   setup -> rustfmt -> clippy (native, wasm) -> cargo test (native) -> wasm library build
#   -> browser unit tests (wasm-bindgen-test, headless Chromium) -> trunk build --release
#   -> end-to-end specs (node --test + playwright-core against dist/ served on 127.0.0.1)
# Logs of each step: target/test-logs/<step>.log. Ends with a summary and a total of tests run.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

LOG_DIR="$ROOT/target/test-logs"
mkdir -p "$LOG_DIR"
START=$SECONDS
PASSED_STEPS=()
FAILED_STEPS=()
TESTS_PASSED=0
TESTS_FAILED=0
SERVER_PID=""

cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Add up the test counts a step's log reports (cargo/libtest, wasm-bindgen-test-runner, node --test).
count_tests() {
    local log="$1" p f
    p=$(sed -n -E 's/^test result: [A-Za-z]+\. ([0-9]+) passed; ([0-9]+) failed.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n -E 's/^test result: [A-Za-z]+\. ([0-9]+) passed; ([0-9]+) failed.*/\2/p' "$log" | awk '{s+=$1} END {print s+0}')
    p=$((p + $(sed -n -E 's/^(ℹ|#) pass ([0-9]+)$/\2/p' "$log" | awk '{s+=$1} END {print s+0}')))
    f=$((f + $(sed -n -E 's/^(ℹ|#) fail ([0-9]+)$/\2/p' "$log" | awk '{s+=$1} END {print s+0}')))
    TESTS_PASSED=$((TESTS_PASSED + p))
    TESTS_FAILED=$((TESTS_FAILED + f))
}

# step NAME CMD...: run CMD, log to target/test-logs/NAME.log, record the outcome.
step() {
    local name="$1" t0=$SECONDS rc
    shift
    say "[$name] $*"
    "$@" 2>&1 | tee "$LOG_DIR/$name.log"
    rc=${PIPESTATUS[0]}
    count_tests "$LOG_DIR/$name.log"
    if [ "$rc" = 0 ]; then
        PASSED_STEPS+=("$name")
        echo "--- [$name] ok ($((SECONDS - t0)) s)"
    else
        FAILED_STEPS+=("$name")
        echo "--- [$name] FAILED (exit $rc, $((SECONDS - t0)) s; log: $LOG_DIR/$name.log)"
    fi
    return "$rc"
}

skip() {
    FAILED_STEPS+=("$1(skipped)")
    echo "--- [$1] SKIPPED: $2"
}

summary() {
    local total=$((SECONDS - START))
    echo
    echo "================================================================"
    echo "LogScope test.sh: ${#PASSED_STEPS[@]} steps ok: ${PASSED_STEPS[*]:-none}"
    if [ "${#FAILED_STEPS[@]}" -gt 0 ]; then
        echo "LogScope test.sh: FAILED: ${FAILED_STEPS[*]}  ($((total / 60))m$((total % 60))s)"
    else
        echo "LogScope test.sh: ALL OK  ($((total / 60))m$((total % 60))s)"
    fi
    echo "================================================================"
    echo "tests: $TESTS_PASSED passed, $TESTS_FAILED failed"
}

# Serve dist/ on a free 127.0.0.1 port, run the end-to-end specs against it.
e2e() {
    local port url i
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    url="http://127.0.0.1:$port/"
    python3 -m http.server "$port" --bind 127.0.0.1 --directory "$ROOT/dist" >"$LOG_DIR/e2e-server.log" 2>&1 &
    SERVER_PID=$!
    # This function runs in a subshell (step pipes it into tee): stop the server when it ends.
    trap cleanup EXIT
    for i in $(seq 1 100); do
        if python3 -c 'import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$url" 2>/dev/null; then
            break
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null || [ "$i" = 100 ]; then
            echo "e2e: the static server on $url did not come up (log: $LOG_DIR/e2e-server.log)"
            return 1
        fi
        sleep 0.1
    done
    echo "e2e: serving dist/ at $url"
    LOGSCOPE_URL="$url" LOGSCOPE_DIST="$ROOT/dist" \
        node --test --test-reporter=spec --test-timeout=300000 "$ROOT"/tests/e2e/*.spec.mjs
    local rc=$?
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=""
    return $rc
}

if ! step setup bash scripts/setup.sh; then
    summary
    exit 1
fi

step fmt cargo fmt --all -- --check
# The perf script is not run here (it measures; scripts/perf.sh), but it must at least parse.
step perf-script-syntax node --check tests/e2e/perf.mjs
step clippy-native cargo clippy --locked --all-targets -- -D warnings
step clippy-wasm cargo clippy --locked --target wasm32-unknown-unknown --lib --bins -- -D warnings
step test-native cargo test --locked
step build-wasm-lib cargo build --locked --target wasm32-unknown-unknown --lib
# Browser unit tests: tests/web*.rs, #[wasm_bindgen_test] in headless Chromium via chromedriver.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
step test-wasm-browser cargo test --locked --target wasm32-unknown-unknown --test 'web*'
if step trunk-release web_build; then
    step e2e e2e
else
    skip e2e "trunk build failed"
fi

summary
[ "${#FAILED_STEPS[@]}" = 0 ]
