#!/usr/bin/env bash
# Benchmark: Myelin's TURN relay against coturn's turnserver, same client, same loopback, same run.
#
#   voip/bench/relay-vs-coturn.sh            # from the repository root; needs coturn (apt-get install -y coturn)
#
# For each server it runs coturn's turnutils_uclient with 100 clients (-m 100), each holding an RTP and an RTCP
# allocation, sending 160-byte frames (one 20 ms G.711 frame) through a channel to turnutils_peer, which echoes
# them back. It prints echoed messages/s and bytes/s (over the client's whole run, setup included), loss, the
# server process's CPU time during that run, and allocations/s measured by voip/bench/AllocationBurst.java
# (Allocate, 401, signed Allocate, Refresh 0 on a fresh socket each, 4 threads).
# Tunables (env): MESSAGES (per client, default 500), CLIENTS (100), SIZE (160), INTERVAL_MS (20),
# BURST (allocations, 5000).
set -euo pipefail

MESSAGES=${MESSAGES:-500}
CLIENTS=${CLIENTS:-100}
SIZE=${SIZE:-160}
INTERVAL_MS=${INTERVAL_MS:-20}
BURST=${BURST:-5000}
SECRET=bench-secret
MYELIN_PORT=13478
COTURN_PORT=23478
PEER_PORT=13480
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in turnserver turnutils_uclient turnutils_peer java mvn; do
  command -v "$tool" >/dev/null || { echo "missing $tool (coturn: apt-get install -y coturn)" >&2; exit 1; }
done

(cd "$ROOT" && mvn -B -q -o -pl voip compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null)
CLASSPATH="$(cat "$WORK/cp.txt"):$ROOT/voip/target/classes"

turnutils_peer -L 127.0.0.1 -p "$PEER_PORT" >/dev/null 2>&1 &
PIDS+=($!)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

wait_for_port() {
  for _ in $(seq 1 100); do
    if timeout 1 turnutils_stunclient -p "$1" 127.0.0.1 >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "server on port $1 did not answer STUN Binding" >&2
  exit 1
}

start_myelin() {
  java -Xmx512m -cp "$CLASSPATH" org.myelin.voip.relay.RelayMain --secret="$SECRET" --realm=bench \
    --listen=127.0.0.1 --udp-port="$MYELIN_PORT" --tcp-port="$MYELIN_PORT" --tls-port=-1 \
    --relay-ports=40000-44999 --allow-peers=127.0.0.0/8 --quota=100000 --bandwidth=0 >"$WORK/myelin.log" 2>&1 &
  echo $!
}

start_coturn() {
  turnserver -n --listening-ip=127.0.0.1 --relay-ip=127.0.0.1 --listening-port="$COTURN_PORT" \
    --min-port=45000 --max-port=49999 --use-auth-secret --static-auth-secret="$SECRET" --realm=bench \
    --no-tls --no-dtls --no-cli --allow-loopback-peers --fingerprint --log-file="$WORK/coturn.log" \
    --simple-log >/dev/null 2>&1 &
  echo $!
}

# uclient PORT EXTRA... -> prints "sent received sent_bytes wall_seconds exit_code"
uclient() {
  local port=$1; shift
  local start end rc=0
  start=$(date +%s.%N)
  turnutils_uclient -p "$port" -W "$SECRET" -u bench -e 127.0.0.1 -r "$PEER_PORT" "$@" 127.0.0.1 \
    >"$WORK/uclient.log" 2>&1 || rc=$?
  end=$(date +%s.%N)
  awk -v wall="$(echo "$end - $start" | bc)" -v rc="$rc" '
    /tot_send_msgs=[0-9]+, tot_recv_msgs=[0-9]+ *$/ { gsub(/[^0-9 ]/, " "); split($0, f, " "); s = f[2]; r = f[3] }
    /tot_send_bytes ~ [0-9]+, tot_recv_bytes ~ [0-9]+ *$/ { b = $0; sub(/.*tot_send_bytes ~ /, "", b); sub(/,.*/, "", b) }
    END { printf "%d %d %d %.2f %d\n", s, r, b, wall, rc }' "$WORK/uclient.log"
}

measure() {
  local name=$1 port=$2 pid=$3
  wait_for_port "$port"
  uclient "$port" -m 10 -n 50 -l "$SIZE" -z 5 >/dev/null
  local ticks_before ticks_after
  ticks_before=$(cpu_ticks "$pid")
  read -r sent received bytes wall rc < <(uclient "$port" -m "$CLIENTS" -n "$MESSAGES" -l "$SIZE" -z "$INTERVAL_MS")
  ticks_after=$(cpu_ticks "$pid")
  java "$ROOT/voip/bench/AllocationBurst.java" "$port" "$SECRET" 500 4 >/dev/null
  read -r allocations burst_wall burst_failed < <(java "$ROOT/voip/bench/AllocationBurst.java" "$port" "$SECRET" \
    "$BURST" 4)
  local hz
  hz=$(getconf CLK_TCK)
  awk -v n="$name" -v s="$sent" -v r="$received" -v b="$bytes" -v w="$wall" -v rc="$rc" \
      -v cpu="$(( ticks_after - ticks_before ))" -v hz="$hz" -v bw="$burst_wall" -v bf="$burst_failed" \
      -v allocations="$allocations" 'BEGIN {
    loss = s > 0 ? 100 * (s - r) / s : 0
    printf "%-8s %6d %9d %9d %11.0f %13.0f %7.3f%% %9.2f %12.0f %8d\n", n, rc, s, r, r / w, b / w, loss,
      cpu / hz, allocations / bw, bf }'
}

echo "load: $CLIENTS clients x 2 allocations, $MESSAGES messages of $SIZE bytes each every ${INTERVAL_MS} ms, echoed"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(java -version 2>&1 | head -1)"
printf "%-8s %6s %9s %9s %11s %13s %8s %9s %12s %6s\n" server exit sent recvd "msgs/s" "bytes/s" loss \
  "cpu s" "allocs/s" "failed"
MYELIN_PID=$(start_myelin); PIDS+=("$MYELIN_PID")
measure myelin "$MYELIN_PORT" "$MYELIN_PID"
kill "$MYELIN_PID"
COTURN_PID=$(start_coturn); PIDS+=("$COTURN_PID")
measure coturn "$COTURN_PORT" "$COTURN_PID"
kill "$COTURN_PID"
