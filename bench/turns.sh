#!/usr/bin/env bash
# (b) Dialogue turns per second at saturation, and latency at fixed rates.
#
# Runs `waqup load --scenario dialogue` (conversations from `start` to the summary, then
# `cancel`, again and again: every turn goes
# through the safety check, slot extraction, the dialogue machine and a stored
# snapshot, with the offline composer) against:
#   - the bare actix-ws server of examples/bare_ws.rs (no work: the reference),
#   - the engine on the embedded defaults (SQLite, in-process cache and snapshots),
#   - the engine on PostgreSQL + Redis, every snapshot written to Redis before the
#     reply (batched into pipelines);
# at 100, 1,000 and 10,000 sessions, then at fixed rates (half of the saturation
# rate) to read p99 without coordinated omission.
#
#   bench/turns.sh              # DURATION=20s SESSIONS="100 1000 10000"
source "$(dirname "$0")/lib.sh"
DURATION=${DURATION:-20s}
SESSIONS=${SESSIONS:-"100 1000 10000"}
build

run_load() { # run_load NAME PORT SESSIONS [load flags...]
  local name=$1 port=$2 sessions=$3; shift 3
  local ramp=0s
  [ "$sessions" -ge 5000 ] && ramp=10s
  with_env "$port" "$WAQUP" load --url "http://127.0.0.1:$port" --quiet \
    --scenario dialogue --sessions "$sessions" --ramp "$ramp" --duration "$DURATION" \
    --tokens "$WORK/tokens-$port.json" --report "$RESULTS/turns-$name-$sessions.json" "$@" \
    >"$WORK/load-$name-$sessions.txt" 2>&1 || true
  printf '%-10s %6s sessions: %9.0f turns/s  p50 %7.3f ms  p99 %7.3f ms  errors %s\n' \
    "$name" "$sessions" \
    "$(json "$RESULTS/turns-$name-$sessions.json" "r['turns_per_second']")" \
    "$(json "$RESULTS/turns-$name-$sessions.json" "r['latency_ms']['turn']['p50']")" \
    "$(json "$RESULTS/turns-$name-$sessions.json" "r['latency_ms']['turn']['p99']")" \
    "$(json "$RESULTS/turns-$name-$sessions.json" "r['errors']")"
}

tokens() { # tokens PORT [VAR=value ...]: 100 accounts in that node's store
  local port=$1; shift
  with_env "$port" env "$@" "$WAQUP" admin create-users --count 100 \
    --out "$WORK/tokens-$port.json" --token-ttl 4h 2>/dev/null
}

log "bare actix-ws server"
"$ROOT/target/release/examples/bare_ws" 127.0.0.1:18099 &
OTHER_PIDS+=($!)
sleep 1
mkdir -p "$WORK/node-18099"
tokens 18099
for n in $SESSIONS; do run_load bare 18099 "$n"; done

log "engine, embedded defaults"
start_server 18080
tokens 18080
for n in $SESSIONS; do run_load embedded 18080 "$n"; done
SAT_EMBEDDED=$(json "$RESULTS/turns-embedded-100.json" "r['turns_per_second']")

log "engine, PostgreSQL + Redis snapshots"
PG=$(fresh_pg_url)
start_server 18081 WAQUP_DATABASE_URL="$PG" WAQUP_REDIS_URL="$REDIS_URL" \
  WAQUP_REDIS_KEY_PREFIX="bench$$:"
tokens 18081 WAQUP_DATABASE_URL="$PG"
for n in $SESSIONS; do run_load redis 18081 "$n"; done
SAT_REDIS=$(json "$RESULTS/turns-redis-100.json" "r['turns_per_second']")

log "fixed rates: half of saturation, 1,000 sessions"
half() { python3 -c "print(int(float('$1') / 2))"; }
run_load embedded-rate 18080 1000 --rate "$(half "$SAT_EMBEDDED")"
run_load redis-rate 18081 1000 --rate "$(half "$SAT_REDIS")"
for name in embedded-rate redis-rate; do
  printf '%-14s requested %s/s, sent %s/s\n' "$name" \
    "$(json "$RESULTS/turns-$name-1000.json" "r['rate']['requested_per_second']")" \
    "$(json "$RESULTS/turns-$name-1000.json" "round(r['rate']['sent_per_second'])")"
done
