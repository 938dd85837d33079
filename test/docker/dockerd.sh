#!/usr/bin/env bash
# Brings up the real Docker engine the docker tests, the e2e test and the benchmarks run against, idempotently, and
# prints its DOCKER_HOST on the last line. HULLCHECK_TEST_ENGINE picks the engine:
#   debian      Debian's docker.io: dockerd 20.10 (API 1.41), the oldest engine supported, on /var/run/docker.sock
#   classic     the pinned modern dockerd (test/conformance/pins.json; test/oracles.sh builds it from its Go module)
#               with the classic image store (overlay2 graph driver)
#   containerd  the same dockerd with the containerd image store (features: containerd-snapshotter), Docker's
#               current default
# Unset, it is the engine below (DEFAULT_ENGINE). Each engine has its own socket, data root and state folder, so
# all three can run side by side; the modern one runs on Debian's containerd (as dockerd's managed containerd, one
# per engine) and runc. When the modern dockerd cannot be built (no Go, a failed build) and no engine was asked for
# by name, Debian's engine is brought up instead, with a warning: a machine is never left without an engine.
# Also installs Debian's docker.io (with containerd and runc), busybox-static and debootstrap when missing, starts
# dockerd (no bridge, no iptables) when its socket does not answer, and brings the debootstrap'd Debian base image
# into each engine once.
# Usage: dockerd.sh          start what is missing; print the engine's DOCKER_HOST
#        dockerd.sh --host   only print the DOCKER_HOST of the engine HULLCHECK_TEST_ENGINE picks
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
DEFAULT_ENGINE=containerd
ENGINE=${HULLCHECK_TEST_ENGINE:-$DEFAULT_ENGINE}
BASE_IMAGE=local/debian:bookworm-minbase

say() { echo "[dockerd.sh] $*" >&2; }
warn() { echo "[dockerd.sh] WARNING: $*" >&2; }
die() { echo "[dockerd.sh] ERROR: $*" >&2; exit 1; }
pin() { node -e 'const p=require(process.argv[1]);const v=process.argv[2].split(".").reduce((o,k)=>o&&o[k],p);process.stdout.write(v==null?"":String(v))' "$REPO/test/conformance/pins.json" "$1"; }

host_of() {
  case $1 in
    debian) echo unix:///var/run/docker.sock ;;
    classic | containerd) echo "unix:///run/hullcheck-dockerd-$1.sock" ;;
    *) die "HULLCHECK_TEST_ENGINE=$1: use debian, classic or containerd" ;;
  esac
}
# The state folder of an engine (pid file, log, daemon.json); Debian's keeps the folder it always had.
state_of() {
  local base=${HULLCHECK_DOCKERD_STATE:-${TMPDIR:-/tmp}/hullcheck-dockerd}
  if [ "$1" = debian ]; then echo "$base"; else echo "$base-$1"; fi
}
answers() { DOCKER_HOST=$(host_of "$1") docker info > /dev/null 2>&1; }

if [ "${1:-}" = --host ]; then host_of "$ENGINE"; exit 0; fi
host_of "$ENGINE" > /dev/null

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo > /dev/null || die "not root and no sudo: cannot install or start dockerd"
  SUDO=(sudo -n)
fi

# 1) Packages: one apt-get update, only when something is missing. docker.io brings containerd and runc, which the
#    modern engine runs on too.
STATE=$(state_of "$ENGINE")
mkdir -p "$STATE"
missing=()
for p in docker.io busybox-static debootstrap; do
  dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq > "$STATE/apt.log" 2>&1 || { tail -20 "$STATE/apt.log" >&2; die "apt-get update failed"; }
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >> "$STATE/apt.log" 2>&1 \
    || { tail -20 "$STATE/apt.log" >&2; die "apt-get install failed"; }
fi

# 2) The modern dockerd's binaries (built once, cached by version); without them, Debian's engine unless one was
#    asked for by name.
BIN=""
if [ "$ENGINE" != debian ] && ! answers "$ENGINE"; then
  BIN="$HOME/.cache/hullcheck-dockerd/$(pin dockerd.version)"
  [ -x "$BIN/dockerd" ] || bash "$REPO/test/oracles.sh" dockerd || true
  if ! [ -x "$BIN/dockerd" ]; then
    [ -z "${HULLCHECK_TEST_ENGINE:-}" ] || die "the pinned dockerd is not built (see bash test/oracles.sh dockerd)"
    warn "the pinned dockerd could not be built; using Debian's dockerd 20.10"
    ENGINE=debian; STATE=$(state_of debian); mkdir -p "$STATE"
  fi
fi

# 3) The engine, when its socket does not answer. setsid: it must outlive the test process group that started it.
start_engine() {
  local pidfile="$STATE/dockerd.pid" log="$STATE/dockerd.log" host snapshotter=false
  host=$(host_of "$ENGINE")
  answers "$ENGINE" && return 0
  if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2> /dev/null; then
    say "dockerd $(cat "$pidfile") ($ENGINE) is running but not answering yet"
  elif [ "$ENGINE" = debian ]; then
    say "starting Debian's dockerd (log: $log)"
    "${SUDO[@]}" mkdir -p /var/run
    # Debian's docker.io also ships /usr/bin/docker; the machine's newer client stays first in PATH.
    setsid nohup "${SUDO[@]}" dockerd --host "$host" --bridge=none --iptables=false > "$log" 2>&1 < /dev/null &
    echo $! > "$pidfile"
  else
    say "starting dockerd $("$BIN/dockerd" --version | sed 's/^Docker version //; s/,.*//') with the $ENGINE image store (log: $log)"
    [ "$ENGINE" = containerd ] && snapshotter=true
    echo "{ \"features\": { \"containerd-snapshotter\": $snapshotter } }" > "$STATE/daemon.json"
    # its own data root and exec root (the managed containerd lives under them), and Debian's containerd and runc
    # from PATH; docker-proxy sits beside dockerd
    setsid nohup "${SUDO[@]}" env PATH="$BIN:$PATH" "$BIN/dockerd" --config-file "$STATE/daemon.json" --host "$host" \
      --data-root "/var/lib/hullcheck-dockerd-$ENGINE" --exec-root "/run/hullcheck-dockerd-$ENGINE" \
      --pidfile "/run/hullcheck-dockerd-$ENGINE.pid" --bridge=none --iptables=false --ip6tables=false \
      > "$log" 2>&1 < /dev/null &
    echo $! > "$pidfile"
  fi
  for _ in $(seq 120); do answers "$ENGINE" && return 0; sleep 0.5; done
  tail -20 "$log" >&2
  return 1
}
if ! start_engine; then
  [ "$ENGINE" != debian ] && [ -z "${HULLCHECK_TEST_ENGINE:-}" ] || die "dockerd ($ENGINE) did not come up within 60 s"
  warn "dockerd ($ENGINE) did not come up; using Debian's dockerd 20.10"
  ENGINE=debian; STATE=$(state_of debian); mkdir -p "$STATE"
  start_engine || die "dockerd ($ENGINE) did not come up within 60 s"
fi
HOST=$(host_of "$ENGINE")
export DOCKER_HOST=$HOST

# 4) The Debian base image: copied from another engine that has it, else debootstrap'd from the machine's apt mirror.
if ! docker image inspect "$BASE_IMAGE" > /dev/null 2>&1; then
  for other in debian classic containerd; do
    [ "$other" != "$ENGINE" ] && answers "$other" || continue
    DOCKER_HOST=$(host_of "$other") docker image inspect "$BASE_IMAGE" > /dev/null 2>&1 || continue
    say "copying $BASE_IMAGE from the $other engine"
    DOCKER_HOST=$(host_of "$other") docker save "$BASE_IMAGE" | docker load -q > /dev/null && break
  done
fi
if ! docker image inspect "$BASE_IMAGE" > /dev/null 2>&1; then
  MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2> /dev/null || true)
  [ -n "$MIRROR" ] || MIRROR=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2> /dev/null || true)
  [ -n "$MIRROR" ] || die "no apt mirror found for debootstrap"
  ROOTFS=$(mktemp -d "${TMPDIR:-/tmp}/hullcheck-minbase.XXXXXX")
  say "debootstrap bookworm minbase from $MIRROR (about 35 s)"
  "${SUDO[@]}" debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR" > "$STATE/debootstrap.log" 2>&1 \
    || { tail -20 "$STATE/debootstrap.log" >&2; "${SUDO[@]}" rm -rf "$ROOTFS"; die "debootstrap failed"; }
  "${SUDO[@]}" tar -C "$ROOTFS" -c . | docker import - "$BASE_IMAGE" > /dev/null
  "${SUDO[@]}" rm -rf "$ROOTFS"
fi

echo "$HOST"
