#!/usr/bin/env bash
# Benchmark: a Myelin server joins a room of 30,000 members on 300 servers through a stub resident server on
# loopback (TLS, every event signed by its own server's Ed25519 key), timed from POST /join to its 200 and to the
# room in /sync, with the JVM's peak heap; baseline in the same run: the events' hashes and signatures checked once
# in one thread, and their rows inserted into PostgreSQL in bulk.
#
#   homeserver/bench/large-room-join.sh    # from anywhere; progress on stderr, Markdown tables on stdout
#
# Prerequisites (it builds nothing):
#   - the packaged jar: mvn -B package -DskipTests          (homeserver/target/homeserver.jar, or set MYELIN_JAR)
#   - the interop suite's npm packages: (cd homeserver/src/test/js && npm ci)
#   - Node >= 20, java (17 or later) with jstat, openssl
#   - a running PostgreSQL reachable as MYELIN_TEST_DB_URL (postgresql://user:pass@host:port), default
#     postgresql://postgres@127.0.0.1:5432, whose user may CREATE DATABASE; one fresh database is created and dropped.
#
# Runs about two minutes, loopback only, stops by itself. Tunables: BENCH_MEMBERS (30000), BENCH_SERVERS (300),
# BENCH_WARMUP_MEMBERS (3000; a smaller room joined first, untimed, so the JIT is warm), BENCH_HEAP (1g, the JVM's
# -Xmx), BENCH_JOIN_TIMEOUT_MS (600000). Results: docs/performance.md, "Federation: joining a 30,000-member room".
set -euo pipefail
. "$(dirname "$0")/lib/suite.sh"
bench_prerequisites node java jstat openssl
cd "$SUITE"
node bench/large-room-join.mjs
