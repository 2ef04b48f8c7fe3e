#!/usr/bin/env bash
# Benchmark: federation between two Myelin servers on loopback (each with its own database, signing key and TLS
# certificate) — latency from a send on A to the /sync of a user on B, and events/s delivered from A to B — with
# the CPU floor of receiving a PDU (one Ed25519 verification, one whole PDU check) measured on the same box first.
#
#   homeserver/bench/federation-throughput.sh    # from anywhere; progress on stderr, Markdown tables on stdout
#
# Prerequisites (it builds nothing):
#   - the packaged jar: mvn -B package -DskipTests          (homeserver/target/homeserver.jar, or set MYELIN_JAR)
#   - the interop suite's npm packages: (cd homeserver/src/test/js && npm ci)
#   - Node >= 20, java (17 or later), unzip, openssl
#   - a running PostgreSQL reachable as MYELIN_TEST_DB_URL (postgresql://user:pass@host:port), default
#     postgresql://postgres@127.0.0.1:5432, whose user may CREATE DATABASE; two fresh databases are created and dropped.
#
# Runs (a few minutes, loopback only, stops by itself). Tunables: BENCH_FLOOR_SECONDS (3), BENCH_WARMUP (20),
# BENCH_LATENCY (100), BENCH_SENDERS (8), BENCH_MESSAGES (2000). Results: docs/performance.md, "Federation".
set -euo pipefail
. "$(dirname "$0")/lib/suite.sh"
bench_prerequisites node java unzip openssl
LIBS=$(mktemp -d)
trap 'rm -rf "$LIBS"' EXIT
unzip -q "$JAR" 'BOOT-INF/lib/*' -d "$LIBS"
echo "# the floor: Ed25519Floor.java on the jar's libraries" >&2
java -cp "$LIBS/BOOT-INF/lib/*" "$ROOT/homeserver/bench/Ed25519Floor.java" "${BENCH_FLOOR_SECONDS:-3}"
cd "$SUITE"
node bench/federation-throughput.mjs
