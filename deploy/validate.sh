#!/usr/bin/env bash
# Static validation of deploy/ (Kubernetes manifests, docker-compose.yml, Dockerfile); see deploy/DEPLOY.md.
#   bash deploy/validate.sh [DEPLOY_DIR]
# Needs Node >= 18 and npm; installs the validators from the committed package-lock.json with `npm ci`
# into deploy/validate/node_modules (git-ignored) and reuses them while the lock file is unchanged.
# Exits non-zero on any failure; the last line is "deploy validation: N passed, N failed (...)".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
v="$here/validate"
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "deploy validation: 0 passed, 1 failed ($tool not found)"; exit 1; }
done
stamp="$v/node_modules/.installed-from-lock"
if ! cmp -s "$v/package-lock.json" "$stamp" 2>/dev/null; then
  (cd "$v" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$v/package-lock.json" "$stamp"
fi
exec node "$v/validate.js" "${1:-$here}"
