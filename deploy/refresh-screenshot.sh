#!/usr/bin/env bash
# Refreshes the README's screenshot: runs the dashboard's browser test (which writes target/dashboard.png,
# never a tracked file) and copies its screenshot to docs/dashboard.png. Commit the result yourself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/ensure-tools.sh
mvn -B test -Dtest=DashboardBrowserTest -Dsurefire.failIfNoSpecifiedTests=false
cp target/dashboard.png docs/dashboard.png
echo "docs/dashboard.png refreshed from target/dashboard.png"
