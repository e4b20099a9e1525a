#!/usr/bin/env bash
# (e) Voice turns: many sessions speaking at once, each reply voiced sentence by
# sentence. Per turn, from the end of the utterance (`audio_end`): the transcript, the
# first words of the reply, the first byte of reply audio.
#
# `waqup load --scenario voice` streams a WAV recorded with espeak-ng as binary frames,
# then `audio_end`, and asks for spoken replies (`speak: true`). The transcription API
# is the fake of examples/fake_providers.rs (it checks the upload is real audio, waits
# STT_DELAY_MS like a remote model, and answers with the recorded sentence). Three
# servers on the embedded defaults:
#   - templates: no LLM, template replies voiced by espeak-ng on this machine. Every
#     session says the same sentence, so after the first turns the replies come from
#     the clip cache: this is the cost of the voice loop itself;
#   - espeak: the fake LLM streams each reply a word every CHUNK_DELAY_MS, beginning with
#     a sentence no other reply has (`--numbered-replies`), voiced by espeak-ng: real
#     synthesis on this machine's two cores for every reply;
#   - api: the same replies voiced by the fake OpenAI-compatible speech API, which
#     answers each sentence after TTS_DELAY_MS (a remote voice).
# Sessions pause THINK between turns (the person listens, then speaks).
#
#   bench/voice.sh     # SESSIONS=200 DURATION=30s THINK=2s..4s STT_DELAY_MS=150
#                      # TTS_DELAY_MS=150 CHUNK_DELAY_MS=20
source "$(dirname "$0")/lib.sh"
SESSIONS=${SESSIONS:-200}
DURATION=${DURATION:-30s}
THINK=${THINK:-2s..4s}
STT_DELAY_MS=${STT_DELAY_MS:-150}
TTS_DELAY_MS=${TTS_DELAY_MS:-150}
CHUNK_DELAY_MS=${CHUNK_DELAY_MS:-20}
build
command -v espeak-ng >/dev/null || { echo "espeak-ng is needed (apt-get install espeak-ng)" >&2; exit 1; }

SAID="I want to feel calm and confident before my exams"
espeak-ng -w "$WORK/utterance.wav" "$SAID"
"$ROOT/target/release/examples/fake_providers" --stt-delay-ms "$STT_DELAY_MS" \
  --stt-text "$SAID" --tts-delay-ms "$TTS_DELAY_MS" --chunk-delay-ms "$CHUNK_DELAY_MS" \
  --numbered-replies >"$WORK/fakes.txt" &
OTHER_PIDS+=($!)
for _ in $(seq 1 50); do grep -q '^STT ' "$WORK/fakes.txt" 2>/dev/null && break; sleep 0.2; done
LLM_URL=$(awk '$1 == "LLM" {print $2}' "$WORK/fakes.txt")
TTS_URL=$(awk '$1 == "TTS" {print $2}' "$WORK/fakes.txt")
STT_URL=$(awk '$1 == "STT" {print $2}' "$WORK/fakes.txt")

server_means() { # mean of each voice histogram on the server, in ms
  curl -s "http://127.0.0.1:$1/metrics" | python3 -c '
import sys
v = {}
for line in sys.stdin:
    parts = line.split()
    if len(parts) == 2 and parts[0].startswith("voice_") and parts[0].endswith(("_sum", "_count")):
        v[parts[0]] = float(parts[1])
out = []
for name in ("transcript", "reply_text", "reply_audio"):
    s, c = v.get(f"voice_{name}_seconds_sum", 0), v.get(f"voice_{name}_seconds_count", 0)
    out.append(f"{name} {1000 * s / c:.1f}" if c else f"{name} -")
print("server mean ms: " + ", ".join(out))'
}

run_voice() { # run_voice NAME PORT
  local name=$1 port=$2
  with_env "$port" "$WAQUP" admin create-users --count "$SESSIONS" \
    --out "$WORK/tokens-$port.json" --token-ttl 4h 2>/dev/null
  with_env "$port" "$WAQUP" load --url "http://127.0.0.1:$port" --quiet \
    --scenario voice --utterance "$WORK/utterance.wav" --sessions "$SESSIONS" \
    --ramp 5s --duration "$DURATION" --think-time "$THINK" \
    --tokens "$WORK/tokens-$port.json" --report "$RESULTS/voice-$name.json" \
    >"$WORK/load-$name.txt" 2>&1 || true
  cat "$WORK/load-$name.txt"
  python3 - "$RESULTS/voice-$name.json" "$name" <<'PY' | tee -a "$RESULTS/voice-summary.txt"
import json, sys
r = json.load(open(sys.argv[1]))
l = r["latency_ms"]
cell = lambda k: f"p50 {l[k]['p50']:.0f} / p99 {l[k]['p99']:.0f}" if k in l else "-"
print(f"{sys.argv[2]:<9} {r['sessions']} sessions, {r['utterances']} utterances, "
      f"{r['reply_audio_kib']} KiB reply audio, errors {r['errors']}: "
      f"transcript {cell('transcript')} ms, first words {cell('reply_text')} ms, "
      f"first audio {cell('reply_audio')} ms, turn {cell('turn')} ms")
PY
  server_means "$port" | tee -a "$RESULTS/voice-summary.txt"
}

: >"$RESULTS/voice-summary.txt"
log "template replies, espeak-ng voice"
start_server 18480 WAQUP_TTS_PROVIDER=espeak WAQUP_STT_BASE_URL="$STT_URL" \
  WAQUP_STT_API_KEY=bench
run_voice templates 18480

LLM_ENV=(WAQUP_STT_BASE_URL="$STT_URL" WAQUP_STT_API_KEY=bench
  WAQUP_LLM_BASE_URL="$LLM_URL" WAQUP_LLM_API_KEY=bench WAQUP_LLM_TIMEOUT_SECS=60)

log "streamed replies (fake LLM), every one voiced by espeak-ng"
start_server 18481 "${LLM_ENV[@]}" WAQUP_TTS_PROVIDER=espeak
run_voice espeak 18481

log "streamed replies (fake LLM), voiced by the fake speech API"
start_server 18482 "${LLM_ENV[@]}" WAQUP_TTS_PROVIDER=openai WAQUP_TTS_BASE_URL="$TTS_URL" \
  WAQUP_TTS_API_KEY=bench WAQUP_TTS_CONCURRENCY=32
run_voice api 18482
