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
. "$(dirname "$0")/lib/suite.sh"
bench_prerequisites node java pgbench
cd "$SUITE"
exec node bench/key-claims.mjs
