# Sourced by the scripts in scripts/: repo root, PATH with the project-local tools first.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
# tools/node_modules/.bin first: trunk must find wasm-opt from npm binaryen 132, not Debian's
# binaryen (which cannot parse current rustc output).
export PATH="$ROOT/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

# The wasm-bindgen version pinned in Cargo.lock (trunk, wasm-bindgen-cli and the crate must agree).
lockfile_wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { found = 1; next }
         found && /^version = / { gsub(/"/, "", $3); print $3; exit }' "$ROOT/Cargo.lock"
}

# The web bundle is built by a pinned nightly that rebuilds the standard library for size: panics abort at
# once (no message formatting, no panic locations; on wasm32-unknown-unknown the messages went nowhere anyway)
# and std picks its small implementations (`optimize_for_size`). Measured on the same code: 361.7 -> 324.8 KB
# gzipped (docs/PERFORMANCE.md). Only `trunk` builds use it (via `web_build`); cargo test, clippy and the
# native CLI stay on the stable toolchain, and the browser unit tests too (they test the same code).
export WEB_TOOLCHAIN="nightly-2026-05-20"
web_build_env() {
    export RUSTUP_TOOLCHAIN="$WEB_TOOLCHAIN"
    export CARGO_UNSTABLE_BUILD_STD="std,panic_abort"
    export CARGO_UNSTABLE_BUILD_STD_FEATURES="optimize_for_size"
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort"
    # A separate target directory: the stable wasm builds (browser unit tests, clippy) and this one never
    # invalidate each other's artifacts.
    export CARGO_TARGET_DIR="$ROOT/target/web"
}
# `trunk build --release` with the web toolchain (in a subshell, so the caller's environment stays stable).
web_build() { ( web_build_env; trunk build --release "$@" ); }

# Print a step header.
say() { printf '\n==> %s\n' "$*"; }
