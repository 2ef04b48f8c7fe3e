#!/usr/bin/env bash
# Benchmark: push rule evaluation for one event in a 5,000-member room (docs/performance.md "Push rule
# evaluation"), the worker's compiled rules against compiling every member's rules per event. CPU only: no server,
# no database, no network. Prints a Markdown table on stdout.
#
#   homeserver/bench/push-evaluation.sh                      # 5,000 members, 5 s per run
#   MEMBERS=20000 SECONDS_PER_RUN=10 homeserver/bench/push-evaluation.sh
#
# Prerequisites: Maven with the project's dependencies in the local repository (it builds offline: the
# protocol core and client-api's classes and test classes), and java.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
mvn -B -q -o -pl client-api -am test-compile -Dmaven.test.skip.exec=true
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
mvn -B -q -o -pl federation/federation-protocol dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="client-api/target/classes:client-api/target/test-classes:federation/federation-protocol/target/classes:$(cat "$CP_FILE")"
java -Dmembers="${MEMBERS:-5000}" -Dseconds="${SECONDS_PER_RUN:-5}" -cp "$CP" \
  org.myelin.clientapi.push.notify.PushEvaluationBenchmark
