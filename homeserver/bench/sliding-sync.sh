#!/usr/bin/env bash
# Benchmark: simplified sliding sync (MSC4186) on the packaged jar, for one account in 1,000 rooms — the first
# response for a 20-room window with timeline_limit 1, and the live update after one message in one room.
#
#   homeserver/bench/sliding-sync.sh       # from anywhere; progress on stderr, a Markdown table on stdout
#
# Prerequisites (it builds nothing):
#   - the packaged jar: mvn -B package -DskipTests          (homeserver/target/homeserver.jar, or set MYELIN_JAR)
#   - the interop suite's npm packages: (cd homeserver/src/test/js && npm ci)
#   - Node >= 20, java
#   - a running PostgreSQL reachable as MYELIN_TEST_DB_URL (postgresql://user:pass@host:port), default
#     postgresql://postgres@127.0.0.1:5432, whose user may CREATE DATABASE; a fresh database is created and dropped.
#
# Runs (a few minutes, loopback only, stops by itself). Tunables: BENCH_ROOMS (1000), BENCH_WARMUP (30),
# BENCH_FIRST (20), BENCH_LIVE (20), BENCH_BASELINE (3). Results and their reading: docs/performance.md, "Sliding sync".
set -euo pipefail
. "$(dirname "$0")/lib/suite.sh"
bench_prerequisites node java
cd "$SUITE"
exec node bench/sliding-sync.mjs
