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
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SUITE="$ROOT/homeserver/src/test/js"
for tool in node java cp dd; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
[ -d "$SUITE/node_modules/matrix-js-sdk" ] || { echo "run: (cd $SUITE && npm ci)" >&2; exit 1; }
JAR=${MYELIN_JAR:-$ROOT/homeserver/target/homeserver.jar}
[ -f "$JAR" ] || { echo "no jar at $JAR: mvn -B package -DskipTests (or set MYELIN_JAR)" >&2; exit 1; }
export MYELIN_JAR="$JAR"
cd "$SUITE"
exec node bench/media-throughput.mjs
