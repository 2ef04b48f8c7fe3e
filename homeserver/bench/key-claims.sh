#!/usr/bin/env bash
# Benchmark: one-time key claims (POST /keys/claim) with 64 concurrent claimers against one device's pool, next to
# pgbench running Myelin's claim statement alone with as many clients, same PostgreSQL server, same run.
#
#   homeserver/bench/key-claims.sh             # from anywhere; prints a Markdown table on stdout
#
# Prerequisites (it builds nothing): the packaged jar (mvn -B package -DskipTests, or set MYELIN_JAR), the interop
# suite's npm packages ((cd homeserver/src/test/js && npm ci)), Node >= 20, java, pgbench, and a PostgreSQL reachable
# as MYELIN_TEST_DB_URL (default postgresql://postgres@127.0.0.1:5432) whose user may CREATE DATABASE; fresh
# databases are created and dropped again. Tunables: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3),
# BENCH_CLAIMERS (64), BENCH_POOL (40000 keys). About a minute in all.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SUITE="$ROOT/homeserver/src/test/js"
for tool in node java pgbench; do
  command -v "$tool" >/dev/null || { echo "missing $tool (pgbench: apt-get install -y postgresql-contrib)" >&2; exit 1; }
done
[ -d "$SUITE/node_modules/pg" ] || { echo "run: (cd $SUITE && npm ci)" >&2; exit 1; }
JAR=${MYELIN_JAR:-$ROOT/homeserver/target/homeserver.jar}
[ -f "$JAR" ] || { echo "no jar at $JAR: mvn -B package -DskipTests (or set MYELIN_JAR)" >&2; exit 1; }
export MYELIN_JAR="$JAR"
cd "$SUITE"
exec node bench/key-claims.mjs
