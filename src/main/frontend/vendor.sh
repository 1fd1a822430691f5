#!/usr/bin/env bash
# Copies the pinned chart library's standalone build into the web root of the build output (run by Maven in
# generate-resources; the argument is the target folder). npm runs only when node_modules is missing or holds
# another version than package-lock.json pins, so a build works offline once node_modules exists.
set -euo pipefail
cd "$(dirname "$0")"
out="$1"
pinned() { node -p "require('./package-lock.json').packages['node_modules/lightweight-charts'].version"; }
installed() { node -p "require('./node_modules/lightweight-charts/package.json').version" 2>/dev/null || true; }
if [ "$(installed)" != "$(pinned)" ]; then
  npm ci --prefer-offline --no-audit --no-fund --loglevel=error
fi
mkdir -p "$out"
cp node_modules/lightweight-charts/dist/lightweight-charts.standalone.production.js "$out/lightweight-charts.js"
cp node_modules/lightweight-charts/LICENSE "$out/lightweight-charts.LICENSE.txt"
