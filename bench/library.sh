#!/usr/bin/env bash
# (c) Library reads: `GET /api/v1/content` (a page of the list) and
# `GET /api/v1/content/{id}` (one item), both served from the cache after the first
# read, driven by wrk (2 threads, 64 connections) on the same cores as the server.
#
#   bench/library.sh            # DURATION=20s CONNECTIONS=64; STORE=postgres for PG + Redis
source "$(dirname "$0")/lib.sh"
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-64}
STORE=${STORE:-embedded}
build
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }

PORT=18280
if [ "$STORE" = postgres ]; then
  PG=$(fresh_pg_url)
  extra=(WAQUP_DATABASE_URL="$PG" WAQUP_REDIS_URL="$REDIS_URL" WAQUP_REDIS_KEY_PREFIX="lib$$:")
else
  extra=()
fi
start_server "$PORT" "${extra[@]}"
with_env "$PORT" env "${extra[@]}" "$WAQUP" admin create-users --count 1 \
  --out "$WORK/tokens.json" --token-ttl 4h 2>/dev/null
TOKEN=$(json "$WORK/tokens.json" "r['accounts'][0]['access_token']")

log "filling one library: affirmations made through conversations"
"$WAQUP" load --url "http://127.0.0.1:$PORT" --quiet --scenario dialogue --generate \
  --content-type affirmation --sessions 4 --duration 15s --tokens "$WORK/tokens.json" \
  --report "$RESULTS/library-fill.json" >/dev/null 2>&1 || true
ITEMS=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/content?limit=20" \
  | python3 -c "import json,sys; d=json.load(sys.stdin); print(len(d['content_items']), d['content_items'][0]['id'])")
read -r COUNT ITEM <<<"$ITEMS"
echo "library holds at least $COUNT items; reading $ITEM"

cat >"$WORK/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA

bench() { # bench NAME PATH
  local name=$1 path=$2
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/auth.lua" \
    "http://127.0.0.1:$PORT$path" >"$RESULTS/library-$STORE-$name.txt"
  local rps p99 non2xx
  rps=$(awk '/^Requests\/sec/ {print $2}' "$RESULTS/library-$STORE-$name.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$RESULTS/library-$STORE-$name.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$RESULTS/library-$STORE-$name.txt")
  printf '%-8s %-6s %10s req/s  p99 %8s  non-2xx %s\n' "$STORE" "$name" "$rps" "$p99" "${non2xx:-0}"
}
bench list "/api/v1/content?limit=20"
bench item "/api/v1/content/$ITEM"
