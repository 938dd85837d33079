#!/usr/bin/env bash
# Brings up the real Docker engine the docker tests and benchmarks run against, idempotently: installs Debian's
# docker.io, busybox-static and debootstrap when missing, starts dockerd (no bridge, no iptables) when `docker info`
# fails, and imports the debootstrap'd Debian base image once. Prints the state file of the dockerd it started.
set -euo pipefail

STATE=${HULLCHECK_DOCKERD_STATE:-${TMPDIR:-/tmp}/hullcheck-dockerd}
PIDFILE="$STATE/dockerd.pid"
LOG="$STATE/dockerd.log"
BASE_IMAGE=local/debian:bookworm-minbase
mkdir -p "$STATE"

say() { echo "[dockerd.sh] $*" >&2; }
die() { echo "[dockerd.sh] ERROR: $*" >&2; exit 1; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo > /dev/null || die "not root and no sudo: cannot install or start dockerd"
  SUDO=(sudo -n)
fi

# 1) Packages: one apt-get update, only when something is missing.
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

# 2) The engine. Debian's docker.io also ships /usr/bin/docker; the machine's newer client stays first in PATH.
if ! docker info > /dev/null 2>&1; then
  if [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2> /dev/null; then
    say "dockerd $(cat "$PIDFILE") is running but not answering yet"
  else
    say "starting dockerd (log: $LOG)"
    "${SUDO[@]}" mkdir -p /var/run
    # setsid: the engine must outlive the test process group that happened to start it.
    setsid nohup "${SUDO[@]}" dockerd --host unix:///var/run/docker.sock --bridge=none --iptables=false \
      > "$LOG" 2>&1 < /dev/null &
    echo $! > "$PIDFILE"
  fi
  for _ in $(seq 120); do docker info > /dev/null 2>&1 && break; sleep 0.5; done
  docker info > /dev/null 2>&1 || { tail -20 "$LOG" >&2; die "dockerd did not come up within 60 s"; }
fi

# 3) The Debian base image, built once from the machine's own apt mirror.
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

echo "$STATE"
