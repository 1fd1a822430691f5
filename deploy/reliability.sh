#!/usr/bin/env bash
# Runs the reliability (fault-injection) suite alone at full scale: 200k-revision trade streams through a
# broker restart and a PostgreSQL restart, three kill -9s of a service JVM, a 45 s broker outage for the
# outbox, Redis and MongoDB outages, poison floods and 50k fuzzed HTTP requests. The same scenarios run at
# smaller sizes in ./deploy/test.sh. Figures: target/reliability-figures.md. Replay one: -Dreliability.seed=N
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/ensure-tools.sh
exec mvn -B test -Dtest='reliability.*Test' -Dsurefire.failIfNoSpecifiedTests=false -Dreliability.scale=full \
  -Dtest.heap=6g "$@"
