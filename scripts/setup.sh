#!/usr/bin/env bash
# Installs everything LogScope needs to build, serve and test, at pinned versions.
# Idempotent: each step says what it does and skips what is already present at its pinned version.
# Works on a fresh Debian 12 machine with rustup (root, or sudo-less apt as root);
# a fresh install of trunk + wasm-bindgen-cli takes ~15 minutes on 2 cores, a re-run a few seconds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132 # tools/package.json pins binaryen 132.0.0; Trunk.toml pins wasm_opt = "version_132"
WBG_VERSION="$(lockfile_wasm_bindgen_version)"
[ -n "$WBG_VERSION" ] || { echo "setup: cannot read the wasm-bindgen version from Cargo.lock" >&2; exit 1; }

APT_UPDATED=0
apt_install() {
    if [ "$APT_UPDATED" = 0 ]; then
        echo "    apt-get update"
        apt-get update -qq
        APT_UPDATED=1
    fi
    echo "    apt-get install -y $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Run `npm ci` in DIR unless DIR/node_modules matches DIR/package-lock.json (stamp = lock hash).
npm_ci_if_stale() {
    local dir="$1" stamp="$1/node_modules/.logscope-lock.sha256" want have=""
    want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
    [ -f "$stamp" ] && have="$(cat "$stamp")"
    if [ "$want" = "$have" ]; then
        echo "    $dir/node_modules is up to date with package-lock.json: skip"
    else
        echo "    npm ci in $dir"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
        echo "$want" >"$stamp"
    fi
}

say "setup: base tools (cargo, rustup, python3, node, npm)"
for t in cargo rustup python3; do
    command -v "$t" >/dev/null || { echo "setup: '$t' is missing; install Rust with rustup and python3 first" >&2; exit 1; }
done
if command -v node >/dev/null && command -v npm >/dev/null; then
    echo "    node $(node --version), npm $(npm --version): present"
else
    apt_install nodejs npm
fi

say "setup: Rust target wasm32-unknown-unknown and components clippy, rustfmt"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    echo "    wasm32-unknown-unknown: present"
else
    echo "    rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
fi
for c in clippy rustfmt; do
    if rustup component list --installed | grep -q "^$c"; then
        echo "    $c: present"
    else
        echo "    rustup component add $c"
        rustup component add "$c"
    fi
done

say "setup: web toolchain $WEB_TOOLCHAIN with rust-src (the web bundle rebuilds std for size; see env.sh)"
if rustup run "$WEB_TOOLCHAIN" rustc --version >/dev/null 2>&1 \
    && rustup component list --toolchain "$WEB_TOOLCHAIN" --installed | grep -q '^rust-src'; then
    echo "    $WEB_TOOLCHAIN + rust-src: present"
else
    echo "    rustup toolchain install $WEB_TOOLCHAIN --profile minimal --component rust-src"
    rustup toolchain install "$WEB_TOOLCHAIN" --profile minimal --component rust-src
fi

say "setup: trunk $TRUNK_VERSION"
if [ "$(trunk --version 2>/dev/null || true)" = "trunk $TRUNK_VERSION" ]; then
    echo "    trunk $TRUNK_VERSION: present"
else
    echo "    cargo install --locked trunk@$TRUNK_VERSION (lighter release profile; ~10-15 min on 2 cores)"
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
        cargo install --locked "trunk@$TRUNK_VERSION"
fi

say "setup: wasm-bindgen-cli $WBG_VERSION (= Cargo.lock)"
if [ "$(wasm-bindgen --version 2>/dev/null || true)" = "wasm-bindgen $WBG_VERSION" ] &&
    [ "$(wasm-bindgen-test-runner --version 2>/dev/null || true)" = "wasm-bindgen-test-runner $WBG_VERSION" ]; then
    echo "    wasm-bindgen $WBG_VERSION and wasm-bindgen-test-runner: present"
else
    # Not --locked: the registry lacks one dependency version pinned in the cli's own lock file.
    echo "    cargo install wasm-bindgen-cli --version $WBG_VERSION (~4 min)"
    cargo install --force wasm-bindgen-cli --version "$WBG_VERSION"
fi
if ! grep -q "^wasm_bindgen = \"$WBG_VERSION\"" Trunk.toml; then
    echo "setup: Trunk.toml [tools] wasm_bindgen must equal Cargo.lock's wasm-bindgen ($WBG_VERSION)" >&2
    exit 1
fi

say "setup: wasm-opt (npm binaryen $BINARYEN_VERSION in tools/node_modules)"
npm_ci_if_stale tools
# trunk compares "version_" + the 3rd word of `wasm-opt --version` ("wasm-opt version 132 (...)").
wasm_opt_version="$(wasm-opt --version 2>/dev/null | awk '{print $3}')"
if [ "$wasm_opt_version" != "$BINARYEN_VERSION" ]; then
    echo "setup: wasm-opt on PATH is '${wasm_opt_version:-missing}', expected version_$BINARYEN_VERSION" >&2
    exit 1
fi
echo "    $(command -v wasm-opt): version $wasm_opt_version"

say "setup: Chromium and chromedriver (Debian)"
if [ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ]; then
    echo "    $CHROMIUM and $CHROMEDRIVER: present"
else
    apt_install chromium chromium-driver
fi

say "setup: end-to-end test packages (tests/e2e, playwright-core)"
npm_ci_if_stale tests/e2e

say "setup: crate sources (cargo fetch, for offline trunk builds: the project's and the standard library's)"
cargo fetch --locked --quiet
std_manifest="$(rustup run "$WEB_TOOLCHAIN" rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
rustup run "$WEB_TOOLCHAIN" cargo fetch --locked --quiet --manifest-path "$std_manifest"
echo "    done"

say "setup: complete"
