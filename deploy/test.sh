#!/usr/bin/env bash
# Runs every test (unit and integration) against real, embedded infrastructure; no Docker needed.
# With a Docker engine present, Testcontainers supplies the same servers instead.
# --fast: the unit tests only (@Tag("unit"): no server, no service), for the edit-test loop, in well under a minute.
# It needs no browser tools; the pom's fast profile skips the build steps unit tests do not need, and Maven's JVM
# runs with the quick-starting C1 compiler only (MAVEN_OPTS, unless set).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--fast" ]; then
  shift
  bash deploy/ensure-tools.sh
  export MAVEN_OPTS="${MAVEN_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
  exec mvn -B -Pfast test "$@"
fi
bash deploy/ensure-tools.sh --browser
exec mvn -B verify "$@"
