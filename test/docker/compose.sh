#!/usr/bin/env bash
# Makes a Compose implementation available for the smoke-test tests, idempotently: the pinned modern Compose as the
# `docker compose` plugin (test/oracles.sh builds and caches it), which the product prefers. Only where it cannot be
# built (no Go) and nothing answers yet, Debian's docker-compose (1.29, Compose v1) from apt as a last resort.
set -euo pipefail

say() { echo "[compose.sh] $*" >&2; }
die() { echo "[compose.sh] ERROR: $*" >&2; exit 1; }

bash "$(dirname "${BASH_SOURCE[0]}")/../oracles.sh" compose || say "building the pinned Compose failed"
if docker compose version > /dev/null 2>&1 || docker-compose version > /dev/null 2>&1; then exit 0; fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo > /dev/null || die "not root and no sudo: cannot install docker-compose"
  SUDO=(sudo -n)
fi
LOG="${TMPDIR:-/tmp}/hullcheck-compose-apt.log"
say "installing docker-compose"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq > "$LOG" 2>&1 || { tail -20 "$LOG" >&2; die "apt-get update failed"; }
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends docker-compose >> "$LOG" 2>&1 \
  || { tail -20 "$LOG" >&2; die "apt-get install docker-compose failed"; }
docker-compose version > /dev/null 2>&1 || die "docker-compose was installed but does not run"
