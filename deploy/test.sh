#!/usr/bin/env bash
# Runs every test (unit and integration) against real, embedded infrastructure; no Docker needed.
# With a Docker engine present, Testcontainers supplies the same servers instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/ensure-tools.sh --browser
exec mvn -B verify "$@"
