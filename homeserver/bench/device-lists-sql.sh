#!/usr/bin/env bash
# Benchmark: the SQL behind /sync's device_lists for a user sharing a room with 5,000 users (DeviceListRepository's
# queries, run through EXPLAIN ANALYZE with the parameters a sync would bind), on a database migrated by the packaged
# jar and filled with synthetic rows: 5,000 room-mates who joined at positions 1..5,000 and changed their devices once
# each, 100,000 messages after them, and 50,000 device changes of 5,000 users in 100 rooms the viewer is not in.
#
#   homeserver/bench/device-lists-sql.sh        # prints a Markdown table on stdout
#
# Prerequisites: the packaged jar (mvn -B package -DskipTests, or set MYELIN_JAR), java, psql, and a PostgreSQL
# reachable as MYELIN_TEST_DB_URL (default postgresql://postgres@127.0.0.1:5432) whose user may CREATE DATABASE; the
# database is dropped again. Each query runs RUNS times (default 5); the table shows the median execution time.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${MYELIN_JAR:-$ROOT/homeserver/target/homeserver.jar}
SERVER=${MYELIN_TEST_DB_URL:-postgresql://postgres@127.0.0.1:5432}
RUNS=${RUNS:-5}
DB=myelin_bench_devicelists_$$
WORK=$(mktemp -d)
psql "$SERVER/postgres" -qc "CREATE DATABASE $DB"
cleanup() {
  [ -f "$WORK/pid" ] && kill "$(cat "$WORK/pid")" 2>/dev/null || true
  psql "$SERVER/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
CLIENT_PORT=$(port)
MYELIN_DB_URL="$SERVER/$DB" MYELIN_DATA_DIR="$WORK" MYELIN_PORT="$CLIENT_PORT" MYELIN_MANAGEMENT_PORT=$(port) \
  MYELIN_FEDERATION_PORT=-1 MYELIN_TURN_ENABLED=false java -jar "$JAR" > "$WORK/log" 2>&1 &
echo $! > "$WORK/pid"
for _ in $(seq 120); do
  psql "$SERVER/$DB" -Atc "SELECT 1 FROM flyway_schema_history WHERE script LIKE 'V10__%' AND success" 2>/dev/null \
    | grep -q 1 && break
  sleep 1
done
sleep 2
kill "$(cat "$WORK/pid")"; rm "$WORK/pid"; sleep 2
psql "$SERVER/$DB" -q <<'SQL'
ALTER TABLE events DISABLE TRIGGER USER;
ALTER TABLE room_memberships DISABLE TRIGGER USER;
INSERT INTO rooms VALUES ('!big:x', '12', '@v:x', true, 0);
INSERT INTO rooms SELECT '!other' || r || ':x', '12', '@o:x', true, 0 FROM generate_series(1, 100) r;
INSERT INTO room_memberships SELECT '!big:x', '@u' || i || ':x', 'join', '$m' || i, i FROM generate_series(1, 5000) i;
INSERT INTO room_memberships VALUES ('!big:x', '@v:x', 'join', '$mv', 0);
INSERT INTO room_memberships SELECT '!other' || (i % 100 + 1) || ':x', '@o' || i || ':x', 'join', '$o' || i, 10000 + i
    FROM generate_series(1, 5000) i;
INSERT INTO events (stream_ordering, event_id, room_id, type, state_key, sender, depth, topological_ordering,
    origin_server_ts, json)
SELECT i, '$m' || i, '!big:x', 'm.room.member', '@u' || i || ':x', '@u' || i || ':x', i, i, 0,
    '{"content":{"membership":"join"}}' FROM generate_series(1, 5000) i;
INSERT INTO events (stream_ordering, event_id, room_id, type, sender, depth, topological_ordering, origin_server_ts, json)
SELECT 5000 + i, '$e' || i, '!big:x', 'm.room.message', '@u' || (i % 5000 + 1) || ':x', 5000 + i, 5000 + i, 0,
    '{"content":{"body":"x"}}' FROM generate_series(1, 100000) i;
INSERT INTO device_list_changes (stream_id, user_id, device_id)
    SELECT i, '@u' || i || ':x', 'D' FROM generate_series(1, 5000) i;
INSERT INTO device_list_changes (stream_id, user_id, device_id)
    SELECT 5000 + i, '@o' || (i % 5000 + 1) || ':x', 'D' FROM generate_series(1, 50000) i;
ANALYZE;
SQL
SHARES="EXISTS (SELECT 1 FROM room_memberships a JOIN room_memberships b ON b.room_id = a.room_id WHERE a.user_id = '@v:x' AND a.membership = 'join' AND b.user_id = %s AND b.membership = 'join')"
narrow() { echo "SELECT DISTINCT c.user_id FROM device_list_changes c WHERE c.stream_id > $1 AND c.stream_id <= $2 AND (c.visible_to = '@v:x' OR (c.visible_to IS NULL AND (c.user_id = '@v:x' OR $(printf "$SHARES" c.user_id)))) ORDER BY c.user_id"; }
wide() { echo "WITH shared AS (SELECT b.user_id FROM room_memberships a JOIN room_memberships b ON b.room_id = a.room_id WHERE a.user_id = '@v:x' AND a.membership = 'join' AND b.membership = 'join') SELECT DISTINCT c.user_id FROM device_list_changes c WHERE c.stream_id > $1 AND c.stream_id <= $2 AND (c.visible_to = '@v:x' OR (c.visible_to IS NULL AND (c.user_id = '@v:x' OR c.user_id IN (SELECT user_id FROM shared)))) ORDER BY c.user_id"; }
moves() { echo "WITH mine AS (SELECT room_id FROM room_memberships WHERE user_id = '@v:x' AND (membership = 'join' OR stream_ordering > $1)), moves AS (SELECT e.room_id, e.state_key AS target, CAST(e.json AS JSONB) -> 'content' ->> 'membership' AS membership FROM mine JOIN events e ON e.room_id = mine.room_id WHERE e.type = 'm.room.member' AND e.stream_ordering > $1 AND e.stream_ordering <= $2 AND NOT e.outlier AND e.rejected_reason IS NULL), moved AS (SELECT target AS user_id, membership FROM moves WHERE target <> '@v:x' UNION SELECT r.user_id, m.membership FROM moves m JOIN room_memberships r ON r.room_id = m.room_id AND r.membership = 'join' WHERE m.target = '@v:x' AND r.user_id <> '@v:x') SELECT user_id, membership, $(printf "$SHARES" moved.user_id) AS shares FROM moved"; }
median() {
  for _ in $(seq "$RUNS"); do
    psql "$SERVER/$DB" -Atc "EXPLAIN (ANALYZE, FORMAT JSON) $1" \
      | python3 -c 'import sys, json; print(json.load(sys.stdin)[0]["Execution Time"])'
  done | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] }'
}
echo "| query | window | rows in window | median ms |"
echo "| --- | --- | ---: | ---: |"
echo "| changed, per-change EXISTS (window ≤ 1,000 positions) | one room-mate's change | 1 | $(median "$(narrow 4999 5000)") |"
echo "| changed, per-change EXISTS | all 5,000 room-mates' changes | 5,000 | $(median "$(narrow 0 5000)") |"
echo "| changed, room-mates hashed (window > 1,000 positions) | all 5,000 room-mates' changes | 5,000 | $(median "$(wide 0 5000)") |"
echo "| changed, per-change EXISTS | 50,000 changes of others | 50,000 | $(median "$(narrow 5000 55000)") |"
echo "| changed, room-mates hashed | 50,000 changes of others | 50,000 | $(median "$(wide 5000 55000)") |"
echo "| membership moves | 10 messages | 0 member events | $(median "$(moves 104990 105000)") |"
echo "| membership moves | 5,000 joins | 5,000 member events | $(median "$(moves 0 5000)") |"
