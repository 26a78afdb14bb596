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

# Print a step header.
say() { printf '\n==> %s\n' "$*"; }
