# Sourced by the benchmarks that run the packaged jar through the JS interop suite (it builds nothing).
#   bench_prerequisites TOOL...   checks that each TOOL is on PATH (pgbench with its Debian package named) and that
#                                 the suite's npm packages are installed; sets ROOT, SUITE and JAR (the packaged jar,
#                                 or the one MYELIN_JAR names) and exports MYELIN_JAR for the suite's harness.
bench_prerequisites() {
  ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
  SUITE="$ROOT/homeserver/src/test/js"
  local tool hint
  for tool in "$@"; do
    hint=""
    [ "$tool" = pgbench ] && hint=" (pgbench: apt-get install -y postgresql-contrib)"
    command -v "$tool" >/dev/null || { echo "missing $tool$hint" >&2; exit 1; }
  done
  [ -d "$SUITE/node_modules/matrix-js-sdk" ] && [ -d "$SUITE/node_modules/pg" ] \
    || { echo "run: (cd $SUITE && npm ci)" >&2; exit 1; }
  JAR=${MYELIN_JAR:-$ROOT/homeserver/target/homeserver.jar}
  [ -f "$JAR" ] || { echo "no jar at $JAR: mvn -B package -DskipTests (or set MYELIN_JAR)" >&2; exit 1; }
  export MYELIN_JAR="$JAR"
}
