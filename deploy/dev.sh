#!/usr/bin/env bash
# Runs the whole service on 127.0.0.1:8080 with embedded PostgreSQL 15, Kafka (127.0.0.1:9092),
# the MongoDB stand-in and a private redis-server. Builds the jar first when the sources changed.
# Any config key can be overridden by an environment variable of the same name (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/ensure-tools.sh

bash deploy/build-jar.sh
jar=target/trade-platform.jar
exec java ${JAVA_OPTS:-} -jar "$jar"
