#!/usr/bin/env bash
# Benchmark: what device-list tracking costs an incremental GET /_matrix/client/v3/sync, end to end over HTTP, for a
# viewer sharing 50 rooms with 5,000 users (100 per room), beside the same sync of a loner alone in 50 rooms (same
# server, same run), with nothing, one and all 5,000 room-mates' device changes pending since the sync's token.
#
#   homeserver/bench/device-lists-sync.sh      # from anywhere; progress on stderr, a Markdown table on stdout
#
# Prerequisites (it builds nothing):
#   - the packaged jar: mvn -B package -DskipTests          (homeserver/target/homeserver.jar, or set MYELIN_JAR)
#   - the interop suite's npm packages: (cd homeserver/src/test/js && npm ci)
#   - Node >= 20, java
#   - a running PostgreSQL reachable as MYELIN_TEST_DB_URL (postgresql://user:pass@host:port), default
#     postgresql://postgres@127.0.0.1:5432, whose user may CREATE DATABASE; a fresh database is created and dropped.
#
# Runs (5 to 8 minutes on a busy 2-core machine, most of it registering and joining the 5,000 users; loopback only;
# stops by itself). Tunables: BENCH_MATES (5000), BENCH_ROOMS (50, the rooms they are spread over), BENCH_SYNCS (200
# timed syncs per phase and user), BENCH_WARMUP (20), BENCH_PROGRESS (500), BENCH_HOLD_S (0: seconds to keep the
# seeded server up at the end, for psql). Results and their reading: docs/performance.md, "Device lists in /sync".
set -euo pipefail
. "$(dirname "$0")/lib/suite.sh"
bench_prerequisites node java
cd "$SUITE"
exec node bench/device-lists-sync.mjs
