#!/usr/bin/env bash
# Benchmark: push rule evaluation for one event in a 5,000-member room (docs/performance.md "Push rule
# evaluation"), the worker's compiled rules against compiling every member's rules per event. CPU only: no server,
# no database, no network. Prints a Markdown table on stdout.
#
#   homeserver/bench/push-evaluation.sh                      # 5,000 members, 5 s per run
#   MEMBERS=20000 SECONDS_PER_RUN=10 homeserver/bench/push-evaluation.sh
#
# Prerequisites: the packaged jar (mvn -B package -DskipTests, or set MYELIN_JAR), whose libraries it runs on,
# Maven with the project's dependencies in the local repository (it compiles client-api's test classes offline,
# where the benchmark lives), unzip and java.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${MYELIN_JAR:-$ROOT/homeserver/target/homeserver.jar}
cd "$ROOT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mvn -B -q -o -pl client-api -am test-compile
unzip -q -o "$JAR" 'BOOT-INF/lib/*' -d "$WORK"
java -Dmembers="${MEMBERS:-5000}" -Dseconds="${SECONDS_PER_RUN:-5}" \
  -cp "client-api/target/test-classes:$WORK/BOOT-INF/lib/*" org.myelin.clientapi.push.notify.PushEvaluationBenchmark
