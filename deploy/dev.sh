#!/usr/bin/env bash
# Runs the whole service on 127.0.0.1:8080 with embedded PostgreSQL 15, Kafka (127.0.0.1:9092),
# the MongoDB stand-in and a private redis-server. Builds the jar first when the sources changed.
# Any config key can be overridden by an environment variable of the same name (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/ensure-tools.sh

jar=target/trade-platform.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -type f -print -quit)" ]; then
  echo "Building $jar"
  mvn -q -B -DskipTests package
fi
exec java ${JAVA_OPTS:-} -jar "$jar"
