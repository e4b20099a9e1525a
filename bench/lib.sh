# Shared by the benchmark scripts: release builds, servers on the embedded defaults or
# on PostgreSQL + Redis, memory readings. Source it; do not run it.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
WAQUP="$ROOT/target/release/waqup"
RESULTS=${RESULTS:-"$BENCH_DIR/results"}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
# One secret for every node of a run (tokens made by one node work on all).
BENCH_JWT_SECRET=${BENCH_JWT_SECRET:-bench-secret-0123456789abcdef0123456789abcdef}
mkdir -p "$RESULTS"

SERVER_PIDS=()
OTHER_PIDS=()
WORK=$(mktemp -d /tmp/waqup-bench.XXXXXX)

cleanup() {
  for pid in "${OTHER_PIDS[@]}" "${SERVER_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

log() { printf '\n==> %s\n' "$*" >&2; }

# Always the same targets: building the examples with the binary changes the features
# the library is built with, so building a subset would rebuild the library each time.
build() {
  log "release build"
  (cd "$ROOT" && cargo build --release --quiet --bin waqup --example bare_ws --example fake_providers)
}

# A fresh database schema for PostgreSQL runs, so runs never see each other's rows.
fresh_pg_url() {
  local db="waqup_bench_$$_$RANDOM"
  psql -q "$PG_URL" -c "CREATE DATABASE $db" >/dev/null
  echo "${PG_URL%/*}/$db"
}

# start_server PORT [VAR=value ...]: a `waqup serve` in the background, on the
# embedded defaults unless the variables say otherwise; waits until it is ready.
start_server() {
  local port=$1; shift
  local data="$WORK/node-$port"
  mkdir -p "$data"
  env -i PATH="$PATH" HOME="$HOME" \
    WAQUP_BIND="127.0.0.1:$port" \
    WAQUP_DATA_DIR="$data" \
    WAQUP_LOG=warn \
    WAQUP_JWT_SECRET="$BENCH_JWT_SECRET" \
    WAQUP_RATE_LIMIT_PER_MINUTE=0 \
    WAQUP_MAX_SESSIONS_PER_USER=100000 \
    WAQUP_TTS_PROVIDER=placeholder \
    "$@" \
    "$WAQUP" serve >"$WORK/server-$port.log" 2>&1 &
  SERVER_PIDS+=($!)
  LAST_SERVER_PID=$!
  for _ in $(seq 1 120); do
    if curl -sf -o /dev/null "http://127.0.0.1:$port/readyz"; then return 0; fi
    sleep 0.5
  done
  echo "server on port $port did not become ready:" >&2
  tail -n 20 "$WORK/server-$port.log" >&2
  return 1
}

# The same configuration as a server's, for `waqup admin create-users` and `waqup load`.
with_env() {
  local port=$1; shift
  env WAQUP_DATA_DIR="$WORK/node-$port" WAQUP_JWT_SECRET="$BENCH_JWT_SECRET" "$@"
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

metric() { # metric PORT NAME: the first sample of a metric on /metrics
  curl -s "http://127.0.0.1:$1/metrics" | awk -v name="$2" '$1 == name {print $2; exit}'
}

json() { # json FILE EXPRESSION: a value from a JSON report
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$1" "$2"
}

