#!/usr/bin/env bash
# (d) Generation: engine time beyond the providers' own latency, and many
# generations at once with none lost.
#
# The fake LLM and speech servers of examples/fake_providers.rs answer after fixed
# delays (script LLM_DELAY_MS, each speech request TTS_DELAY_MS). With speech
# concurrency above the sentences of an affirmation, the providers' share of one
# generation is LLM_DELAY_MS + TTS_DELAY_MS; the server's generation_duration_seconds
# minus that is the engine's time (claiming the job, writing the script, assembling and
# encoding the audio, storing the file, charging, notifying the session).
# Then CONCURRENT sessions each confirm and wait for their item, again and again.
#
#   bench/generation.sh      # LLM_DELAY_MS=300 TTS_DELAY_MS=200 CONCURRENT=1000
source "$(dirname "$0")/lib.sh"
LLM_DELAY_MS=${LLM_DELAY_MS:-300}
TTS_DELAY_MS=${TTS_DELAY_MS:-200}
CONCURRENT=${CONCURRENT:-1000}
build

"$ROOT/target/release/examples/fake_providers" --llm-delay-ms "$LLM_DELAY_MS" \
  --tts-delay-ms "$TTS_DELAY_MS" --chunk-delay-ms 0 >"$WORK/fakes.txt" &
OTHER_PIDS+=($!)
for _ in $(seq 1 50); do grep -q '^TTS ' "$WORK/fakes.txt" 2>/dev/null && break; sleep 0.2; done
LLM_URL=$(awk '$1 == "LLM" {print $2}' "$WORK/fakes.txt")
TTS_URL=$(awk '$1 == "TTS" {print $2}' "$WORK/fakes.txt")

PORT=18380
PG=$(fresh_pg_url)
start_server "$PORT" WAQUP_DATABASE_URL="$PG" WAQUP_REDIS_URL="$REDIS_URL" \
  WAQUP_REDIS_KEY_PREFIX="gen$$:" \
  WAQUP_LLM_BASE_URL="$LLM_URL" WAQUP_LLM_API_KEY=bench WAQUP_LLM_TIMEOUT_SECS=60 \
  WAQUP_TTS_PROVIDER=openai WAQUP_TTS_BASE_URL="$TTS_URL" WAQUP_TTS_API_KEY=bench \
  WAQUP_TTS_CONCURRENCY=32 WAQUP_DB_MAX_CONNECTIONS=32
with_env "$PORT" env WAQUP_DATABASE_URL="$PG" "$WAQUP" admin create-users --count 100 \
  --out "$WORK/tokens.json" --token-ttl 4h 2>/dev/null

gen_seconds() { # mean generation_duration_seconds{outcome="ready"} on the server so far
  curl -s "http://127.0.0.1:$PORT/metrics" | python3 -c '
import sys
s = c = 0.0
for line in sys.stdin:
    if line.startswith("generation_duration_seconds_sum{outcome=\"ready\"}"): s = float(line.split()[-1])
    if line.startswith("generation_duration_seconds_count{outcome=\"ready\"}"): c = float(line.split()[-1])
print(f"{s} {c}")'
}

log "one generation at a time"
"$WAQUP" load --url "http://127.0.0.1:$PORT" --quiet --scenario dialogue --generate \
  --content-type affirmation --sessions 1 --duration 20s --tokens "$WORK/tokens.json" \
  --report "$RESULTS/generation-serial.json" >"$WORK/serial.txt" 2>&1 || true
read -r SUM COUNT <<<"$(gen_seconds)"
python3 - "$SUM" "$COUNT" "$LLM_DELAY_MS" "$TTS_DELAY_MS" "$RESULTS/generation-serial.json" <<'PY' | tee "$RESULTS/generation-summary.txt"
import json, sys
total, count, llm, tts = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
report = json.load(open(sys.argv[5]))
server_ms = 1000 * total / count
client = report["latency_ms"]["generation"]
print(f"{int(count)} generations one at a time: server {server_ms:.1f} ms each "
      f"(providers {llm + tts:.0f} ms), engine {server_ms - llm - tts:.1f} ms; "
      f"confirm -> generation_complete at the client p50 {client['p50']:.1f} ms, "
      f"p99 {client['p99']:.1f} ms; errors {report['errors']}")
PY

log "$CONCURRENT sessions generating at once"
"$WAQUP" load --url "http://127.0.0.1:$PORT" --quiet --scenario dialogue --generate \
  --content-type affirmation --sessions "$CONCURRENT" --ramp 5s --duration 40s \
  --tokens "$WORK/tokens.json" --report "$RESULTS/generation-concurrent.json" \
  >"$WORK/concurrent.txt" 2>&1 || true
python3 - "$RESULTS/generation-concurrent.json" <<'PY' | tee -a "$RESULTS/generation-summary.txt"
import json, sys
r = json.load(open(sys.argv[1]))
g = r["latency_ms"].get("generation", {})
print(f"{r['sessions']} sessions: {r['generations']} generations completed, "
      f"{r['conversations']} summaries, errors {r['errors']} {r['errors_by_code']}; "
      f"generation p50 {g.get('p50', 0):.0f} ms, p99 {g.get('p99', 0):.0f} ms")
PY
# Items confirmed near the end are still queued: wait for them (at most 10 minutes),
# then every confirmed item must have ended ready (none failed), each charged once and
# every balance the sum of its ledger.
sql() { psql -qtA "$PG" -c "$1"; }
DRAIN_START=$(date +%s)
for _ in $(seq 1 600); do
  [ "$(sql "SELECT count(*) FROM content_items WHERE status = 'generating'")" = 0 ] && break
  sleep 1
done
echo "queued items finished $(( $(date +%s) - DRAIN_START )) s after the run" \
  | tee -a "$RESULTS/generation-summary.txt"
sql "SELECT status, count(*) FROM content_items GROUP BY status ORDER BY 1" \
  | tee -a "$RESULTS/generation-summary.txt"
echo "items ready but not charged exactly once: $(sql "SELECT count(*) FROM content_items c
  WHERE status = 'ready' AND (SELECT count(*) FROM credit_transactions t
  WHERE t.content_item_id = c.id AND t.transaction_type = 'consumption') <> 1")" \
  | tee -a "$RESULTS/generation-summary.txt"
echo "balances that are not the sum of their ledger: $(sql "SELECT count(*) FROM users u
  WHERE credit_balance <> (SELECT COALESCE(SUM(amount), 0) FROM credit_transactions t
  WHERE t.user_id = u.id)")" | tee -a "$RESULTS/generation-summary.txt"
