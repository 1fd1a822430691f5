#!/usr/bin/env bash
# Installs what the service and its tests need on a fresh Debian machine, skipping what is present:
# a JDK 17+, Maven, Node.js and npm (the build copies the dashboard's pinned chart library from npm),
# redis-server (PostgreSQL, Kafka and the MongoDB stand-in run inside the JVM), openssl (the local cluster's and the
# tests' throwaway CA for the event bus),
# with --browser (the tests), Debian's chromium and playwright-core for the dashboard test, and
# with --bench (deploy/bench.sh), the load generators wrk and pgbench.
set -euo pipefail
browser=false
bench=false
[ "${1:-}" = "--browser" ] && browser=true
[ "${1:-}" = "--bench" ] && bench=true

missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if $bench; then
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v pgbench >/dev/null 2>&1 || missing+=(postgresql-client)
fi
if $browser; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

browser_dir="$(cd "$(dirname "$0")/.." && pwd)/src/test/browser"
if $browser && [ ! -d "$browser_dir/node_modules/playwright-core" ]; then
  (cd "$browser_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
