#!/usr/bin/env bash
# Runs the whole service in dev mode on 127.0.0.1:8080 with embedded PostgreSQL 15, Kafka (127.0.0.1:9092),
# the MongoDB stand-in and a private redis-server. Compiles first when the sources changed.
# Any config key can be overridden by an environment variable of the same name (see docs/configuration.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/ensure-tools.sh

classpath="$(bash deploy/build-dev.sh)"
exec env DEV_MODE=true java ${JAVA_OPTS:-} -cp "$classpath" app.Main
