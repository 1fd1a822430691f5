#!/usr/bin/env bash
# A three-JVM cluster of the jar on 127.0.0.1, on one clustered event bus (Hazelcast):
#   worker   trades, audit, trade-consumer, prices, portfolio, finpulse, events, records, outbox, retention
#            (in dev mode: it starts the embedded PostgreSQL, Kafka, MongoDB stand-in and Redis the others use, makes up
#            the token secret and the ledger's keys, and prints a token)
#   consumer trade-consumer, prices, events, records, outbox, expiry
#   edge     api, push: REST on http://127.0.0.1:8080, WebSocket on 8081
# Logs in target/cluster-local/. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/ensure-tools.sh

classpath="$(bash deploy/build-dev.sh)"
logs=target/cluster-local
mkdir -p "$logs"
export CLUSTER_ENABLED=true CLUSTER_NAME="${CLUSTER_NAME:-local-$$}"
# A throwaway CA for this run, and one certificate of it for the three JVMs: the bus is mutual TLS, so a process
# without a certificate of this CA can neither send on it nor receive from it.
tls="$logs/tls"
rm -rf "$tls" && mkdir -p "$tls"
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${ec[@]}" -keyout "$tls/ca.key" -out "$tls/ca.crt" -days 2 -subj "/CN=$CLUSTER_NAME-ca" 2>/dev/null
openssl req "${ec[@]}" -keyout "$tls/node.key" -out "$tls/node.csr" -subj "/CN=$CLUSTER_NAME-node" 2>/dev/null
openssl x509 -req -in "$tls/node.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -out "$tls/node.crt" \
  -days 2 -extfile <(printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n') 2>/dev/null
export EVENTBUS_TLS_CERT_PATH="$tls/node.crt" EVENTBUS_TLS_KEY_PATH="$tls/node.key" EVENTBUS_TLS_CA_PATH="$tls/ca.crt"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM

# start NAME ROLES [KEY=VALUE...]: one JVM, its output in target/cluster-local/NAME.log, back once it is ready
start() {
  local name=$1 roles=$2
  shift 2
  env ROLES="$roles" "$@" java ${JAVA_OPTS:-} -cp "$classpath" app.Main > "$logs/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do
    grep -q "Service ready" "$logs/$name.log" && {
      grep -h -A1 "Joined cluster\|Service ready\|AUTH:" "$logs/$name.log" | grep -v '^--$'; return; }
    kill -0 "${pids[-1]}" 2>/dev/null || { echo "$name exited; see $logs/$name.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "$name not ready after 60 s; see $logs/$name.log" >&2
  exit 1
}

start worker trades,audit,trade-consumer,prices,portfolio,ledger,finpulse,events,records,outbox,retention DEV_MODE=true \
  MANAGEMENT_PORT=9191 PUSH_HTTP_PORT=0 HTTP_PORT=0
# the servers the worker started and the keys it made up, as KEY=VALUE settings for the other two
read -r -a servers <<< "$(grep -o 'Settings for other JVMs: .*' "$logs/worker.log" | sed 's/^Settings for other JVMs: //')"
start consumer trade-consumer,prices,events,records,outbox,expiry MANAGEMENT_PORT=9192 PUSH_HTTP_PORT=0 HTTP_PORT=0 \
  "${servers[@]}"
start edge api,push "${servers[@]}"
echo "Cluster ${CLUSTER_NAME} of 3 JVMs is up: http://127.0.0.1:8080 (dashboard at /), WebSocket ws://127.0.0.1:8081/ws/quotes"
wait
