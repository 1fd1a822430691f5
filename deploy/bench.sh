#!/usr/bin/env bash
# The benchmark: every write path and the WebSocket fan-out, each against a baseline measured in the same
# run, with durable embedded PostgreSQL (fsync and synchronous_commit on) and the other servers embedded.
# The service runs as its own JVM, so its CPU and memory are read apart from the servers and the load.
# Prints a results table and writes it to BENCHMARKS.md. Takes about 25 minutes on a 2-core machine.
#   ./deploy/bench.sh                                  # everything, 3 runs of each
#   ./deploy/bench.sh -Dbench.only=TradeRestBenchmark  # one workload (then the report of all results so far)
#   sizes: -Dbench.runs=3 -Dbench.seconds=15 -Dbench.kafkaTrades=200000 -Dbench.clients=10000
#          -Dbench.readTrades=100000,1000000 -Dbench.readSeconds=10 (read paths: one run per size)
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/ensure-tools.sh --bench
# 10k WebSocket clients and the service's 10k sockets: one descriptor each, in two processes.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

only=""
args=()
for arg in "$@"; do
  case "$arg" in
    -Dbench.only=*) only="${arg#-Dbench.only=}" ;;
    *) args+=("$arg") ;;
  esac
done
workloads="${only:-TradeRestBenchmark,CountersBenchmark,AuthCostBenchmark,BusTlsCostBenchmark,TradeKafkaBenchmark,RecordsBenchmark,QuoteFanOutBenchmark,FootprintBenchmark,ReadPathsBenchmark}"
[ -n "$only" ] || rm -rf target/bench

status=0
# 8 GiB for the test JVM: it hosts the embedded Kafka broker and the in-memory MongoDB stand-in, which holds every
# audit document of the run (the audit writer keeps up now: 2.5 million documents in the Kafka workload).
mvn -B test -Dgroups=benchmark -DexcludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest="$workloads" -Dtest.pg.durable=true -Dtest.heap=8g ${args[@]+"${args[@]}"} || status=$?
mvn -B -q test -Dgroups=benchmark -DexcludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest=BenchReport ${args[@]+"${args[@]}"}
exit "$status"
