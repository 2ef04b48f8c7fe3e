#!/usr/bin/env bash
# Benchmark: Myelin's message send (PUT /rooms/{roomId}/send/m.room.message/{txnId}) against PostgreSQL's own
# commit rate for transactions of the same shape (pgbench), same PostgreSQL server, same run.
#
#   homeserver/bench/send-throughput.sh        # from anywhere; prints a Markdown table on stdout
#
# Prerequisites (it builds nothing):
#   - the packaged jar: mvn -B package -DskipTests          (homeserver/target/homeserver.jar, or set MYELIN_JAR)
#   - the interop suite's npm packages: (cd homeserver/src/test/js && npm ci)
#   - Node >= 20, java, jcmd (heap figure; optional), pgbench (apt-get install -y postgresql-contrib)
#   - a running PostgreSQL reachable as MYELIN_TEST_DB_URL (postgresql://user:pass@host:port), default
#     postgresql://postgres@127.0.0.1:5432; the user must be allowed to CREATE DATABASE, and max_connections must
#     leave room for 64 pgbench clients. Fresh databases are created and dropped again.
#
# Runs: 5 s + 5 s warm-up, then A (1 sender, 1 room, closed loop) and B (64 senders in 64 rooms, 64 concurrent closed
# loops) for BENCH_SECONDS each (default 20); Myelin is stopped; then pgbench with a one-INSERT script and a
# room-append-shaped script (row lock, 2 reads, 4 inserts, 1 update), -c 1 and -c 64, BENCH_SECONDS each.
# About 2.5 minutes in all. Tunables: BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_SENDERS (64).
set -euo pipefail
. "$(dirname "$0")/lib/suite.sh"
bench_prerequisites node java pgbench
cd "$SUITE"
exec node bench/send-throughput.mjs
