#!/usr/bin/env bash
# Compiles the classes and writes their classpath, target/runtime.classpath plus the development servers in
# target/dev.classpath, when they are missing or older than the sources: what dev mode runs (deploy/dev.sh,
# deploy/cluster-local.sh; java -cp "$(bash deploy/build-dev.sh)"). The production jar, without the development
# servers, is deploy/build-jar.sh's.
set -euo pipefail
cd "$(dirname "$0")/.."
classpath=target/dev.classpath
if [ ! -f "$classpath" ] || [ ! -d target/classes ] \
    || [ -n "$(find src/main pom.xml -name node_modules -prune -o -newer "$classpath" -type f -print -quit)" ]; then
  echo "Compiling for dev mode" >&2
  mvn -q -B -DskipTests compile >&2
  touch "$classpath"
fi
echo "target/classes:$(cat target/runtime.classpath):$(cat "$classpath")"
