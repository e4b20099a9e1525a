#!/usr/bin/env bash
# (a) Idle sessions held, and server memory per session.
#
# NODES `waqup serve` processes on one PostgreSQL and one Redis (one process may hold
# 20,000 open files here, so 100,000 sessions need several), each driven by its own
# `waqup load --scenario idle` process: every session opens a socket, starts a
# conversation (its session actor lives) and then only sends a heartbeat. Memory per
# session is the rise of the servers' resident memory over the baseline, divided by
# the sessions held.
#
#   bench/idle_sessions.sh                       # NODES=1 PER_NODE=10000
#   NODES=5 PER_NODE=19000 bench/idle_sessions.sh  # about 100,000 sessions
source "$(dirname "$0")/lib.sh"
NODES=${NODES:-1}
PER_NODE=${PER_NODE:-10000}
RAMP=${RAMP:-30s}
HOLD=${HOLD:-30s}
build

PG=$(fresh_pg_url)
PREFIX="idle$$:"
ports=()
for i in $(seq 1 "$NODES"); do
  port=$((18180 + i))
  start_server "$port" WAQUP_DATABASE_URL="$PG" WAQUP_REDIS_URL="$REDIS_URL" \
    WAQUP_REDIS_KEY_PREFIX="$PREFIX" WAQUP_NODE_ID="bench-node-$i"
  ports+=("$port")
done
with_env "${ports[0]}" env WAQUP_DATABASE_URL="$PG" "$WAQUP" admin create-users \
  --count 1000 --out "$WORK/tokens.json" --token-ttl 4h 2>/dev/null

declare -A base
for pid in "${SERVER_PIDS[@]}"; do
  base[$pid]=$(rss_kib "$pid")
done

log "$NODES node(s) x $PER_NODE idle sessions (ramp $RAMP, hold $HOLD)"
loads=()
i=0
for port in "${ports[@]}"; do
  i=$((i + 1))
  # Each load process connects from its own range of loopback addresses.
  first=$(( (i - 1) * 4 + 2 ))
  "$WAQUP" load --url "http://127.0.0.1:$port" --quiet --scenario idle \
    --sessions "$PER_NODE" --ramp "$RAMP" --duration "$HOLD" --heartbeat 10s \
    --tokens "$WORK/tokens.json" --source-ips "127.0.1.$first-127.0.1.$((first + 3))" \
    --report "$RESULTS/idle-node$i.json" >"$WORK/load-$i.txt" 2>&1 &
  loads+=($!)
done
# Read memory in the middle of the hold, when every session is open.
sleep "$(python3 -c "import re; f=lambda s: float(re.sub('s$','',s)); print(f('$RAMP') + f('$HOLD') / 2)")"
total_sessions=0
total_delta=0
for idx in "${!SERVER_PIDS[@]}"; do
  pid=${SERVER_PIDS[$idx]}
  port=${ports[$idx]}
  now=$(rss_kib "$pid")
  live=$(metric "$port" sessions_live)
  sockets=$(metric "$port" ws_connections)
  delta=$((now - base[$pid]))
  printf 'node %s: sessions_live %s, ws_connections %s, RSS %s KiB -> %s KiB (+%s KiB)\n' \
    "$port" "$live" "$sockets" "${base[$pid]}" "$now" "$delta"
  total_sessions=$((total_sessions + ${live%.*}))
  total_delta=$((total_delta + delta))
done
status=0
for pid in "${loads[@]}"; do wait "$pid" || status=1; done
errors=0
for i in $(seq 1 "$NODES"); do
  errors=$((errors + $(json "$RESULTS/idle-node$i.json" "r['errors']")))
done
python3 - "$total_sessions" "$total_delta" "$errors" <<'PY' | tee "$RESULTS/idle-summary.txt"
import sys
sessions, delta, errors = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
per = delta / sessions if sessions else float("nan")
print(f"{sessions} live sessions held, server memory +{delta / 1024:.1f} MiB, "
      f"{per:.1f} KiB per session, {errors} load errors")
PY
exit $status
