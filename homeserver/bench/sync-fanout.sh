#!/usr/bin/env bash
# Benchmark: GET /_matrix/client/v3/sync on the packaged jar — long-poll fan-out (N parked polls in one room, one
# send), a large account's initial sync, and the bare HTTP floor of the same box (GET /versions), same run.
#
#   homeserver/bench/sync-fanout.sh        # from anywhere; progress on stderr, Markdown tables on stdout
#
# Prerequisites (it builds nothing):
#   - the packaged jar: mvn -B package -DskipTests          (homeserver/target/homeserver.jar, or set MYELIN_JAR)
#   - the interop suite's npm packages: (cd homeserver/src/test/js && npm ci)
#   - Node >= 20, java, jcmd (heap figures), wrk (optional: apt-get install -y wrk; the Node floor runs anyway)
#   - a running PostgreSQL reachable as MYELIN_TEST_DB_URL (postgresql://user:pass@host:port), default
#     postgresql://postgres@127.0.0.1:5432, whose user may CREATE DATABASE; a fresh database is created and dropped.
#   - an open-file limit of at least 2 × the largest N + a few hundred (the script raises the soft limit to the
#     hard one); loopback ephemeral ports for N client connections.
#
# Runs (about 11 minutes with the defaults, loopback only, stops by itself):
#   floor     5 s warm-up, then wrk -t2 -c64 and Node's http client, 64 closed loops, BENCH_FLOOR_SECONDS (20) each
#   seeding   registers max(N) users and joins them to one public room
#   fan-out   for N in BENCH_POLLS ("1,1000,5000:3", N or N:sends): N parked long-polls, BENCH_SENDS (5) sends
#             (3 at N = 5000), re-arming each poll with its next_batch
#   initial   one user in BENCH_ROOMS (1000) rooms created through the API; full initial /sync 3 times, then
#             BENCH_INCREMENTAL (20) incremental syncs, one room changed before each; figures next to their targets
# Other tunables: BENCH_FLOOR_CONNECTIONS (64), BENCH_ARM_WAVE (500 polls armed at a time), BENCH_SET_PRESENCE
# (offline; online reproduces the presence herd), BENCH_PARKED_PAUSE_S (0; hold parked polls for jcmd). Results and
# their reading: docs/performance.md, "Sync".
set -euo pipefail
. "$(dirname "$0")/lib/suite.sh"
bench_prerequisites node java jcmd
# The JVM (a child) and Node each hold one socket per parked poll.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
cd "$SUITE"
exec node bench/sync-fanout.mjs
