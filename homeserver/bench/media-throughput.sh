#!/usr/bin/env bash
# Benchmark: the content repository's upload and download throughput (1 MB and 50 MB files) against cp and dd on
# the same disk, and thumbnail generation time, on the packaged jar. Prints Markdown tables on stdout.
#
#   homeserver/bench/media-throughput.sh        # from anywhere
#
# Prerequisites (it builds nothing): the packaged jar (mvn -B package -DskipTests, or set MYELIN_JAR), the interop
# suite's npm packages ((cd homeserver/src/test/js && npm ci)), Node >= 20, java, cp, dd, and a PostgreSQL as the
# interop suite finds one (MYELIN_TEST_DB_URL, else 127.0.0.1:5432, else Myelin's embedded one). Tunables:
# BENCH_WARMUP_ROUNDS (100), BENCH_SMALL_ROUNDS (30), BENCH_LARGE_ROUNDS (5). About a minute and a half.
set -euo pipefail
. "$(dirname "$0")/lib/suite.sh"
bench_prerequisites node java cp dd
cd "$SUITE"
exec node bench/media-throughput.mjs
