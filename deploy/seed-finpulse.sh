#!/usr/bin/env bash
# Fills every FinPulse resource through its batch endpoint (parents first), for demos and benchmarks:
#   ./deploy/seed-finpulse.sh [BASE_URL, default http://127.0.0.1:8080] [ROWS per resource, default 100]
# Start the service first (./deploy/dev.sh). Runs finpulse.SeedData from the test classes; needs no internet
# once the Maven dependencies are in the local repository.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/seed.classpath > /dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/seed.classpath)" finpulse.SeedData "$@"
