#!/usr/bin/env bash
# Stops the dockerd that test/docker/dockerd.sh started for HULLCHECK_TEST_ENGINE (by its recorded PID), and nothing
# else: an engine that was already running before the tests is left alone.
set -euo pipefail

STATE=${HULLCHECK_DOCKERD_STATE:-${TMPDIR:-/tmp}/hullcheck-dockerd}
ENGINE=${HULLCHECK_TEST_ENGINE:-$(sed -n 's/^DEFAULT_ENGINE=//p' "$(dirname "${BASH_SOURCE[0]}")/dockerd.sh")}
[ "$ENGINE" = debian ] || STATE="$STATE-$ENGINE"
PIDFILE="$STATE/dockerd.pid"
[ -s "$PIDFILE" ] || { echo "[dockerd-stop.sh] no dockerd started by dockerd.sh" >&2; exit 0; }
PID=$(cat "$PIDFILE")
if kill -0 "$PID" 2> /dev/null; then
  kill "$PID"
  # dockerd stops its containers first; give it the time it needs, then report.
  for _ in $(seq 60); do kill -0 "$PID" 2> /dev/null || break; sleep 0.5; done
  kill -0 "$PID" 2> /dev/null && { echo "[dockerd-stop.sh] dockerd $PID still running after 30 s" >&2; exit 1; }
fi
rm -f "$PIDFILE"
