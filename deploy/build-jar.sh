#!/usr/bin/env bash
# Builds target/trade-platform.jar when it is missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/trade-platform.jar
if [ ! -f "$jar" ] || [ -n "$(find src/main pom.xml -name node_modules -prune -o -newer "$jar" -type f -print -quit)" ]; then
  echo "Building $jar"
  mvn -q -B -DskipTests package
fi
