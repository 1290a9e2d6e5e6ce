#!/usr/bin/env bash
# Load test of `switchboard serve --media rtp` with SIPp on 127.0.0.1 (a
# measurement, not a ctest test): CALLS callers at RATE calls/s, each hearing
# a PROMPT-second welcome prompt streamed as PCMU (about RATE x PROMPT
# streams at once, 50 packets/s each), then the load-10k call center.
# Prints SIPp's result, the server's CPU while streaming and its peak RSS.
# Changes no system setting and needs no root. (Not a loadtest run: the
# load test's callers carry no RTP; this one measures the media path.)
#   usage: [SWITCHBOARD=path] loadgen/bench-media.sh [CALLS] [RATE] [PROMPT]
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-6000}
rate=${2:-200}
prompt=${3:-5}
port=27060
metrics=27464
out=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$out"' EXIT
sed "s/duration: 1s, next: menu/duration: ${prompt}s, next: menu/" loadgen/load-10k.yaml > "$out/load-media.yaml"
python3 - "$out/welcome.wav" "$prompt" <<'PY'
import struct, sys
data = bytes((i * 7) % 256 for i in range(8000 * int(sys.argv[2])))
fmt = struct.pack('<HHIIHH', 7, 1, 8000, 8000, 1, 8)  # mu-law, mono, 8 kHz
open(sys.argv[1], 'wb').write(b'RIFF' + struct.pack('<I', 20 + len(fmt) + len(data)) + b'WAVEfmt ' +
                              struct.pack('<I', len(fmt)) + fmt + b'data' + struct.pack('<I', len(data)) + data)
PY
"${SWITCHBOARD:-./build/switchboard}" serve "$out/load-media.yaml" --media rtp --prompts "$out" --sip udp:127.0.0.1:$port \
  --metrics 127.0.0.1:$metrics --max-calls 20000 --duration 600 --grace 2 --connect-signal reinvite 2>"$out/server.log" &
server=$!
sleep 1
timeout 300 sipp -sf loadgen/caller-ivr.xml -s customers -key digit 1 -d $((prompt * 1000 + 200)) 127.0.0.1:$port -i 127.0.0.1 \
  -p $((port + 10)) -m "$calls" -r "$rate" -l "$calls" -nostdin -timeout 250s -max_socket 65000 >"$out/sipp.out" 2>&1 &
sipp=$!
sleep $((prompt + 20))  # streams at their steady number
t0=$(awk '{print $14 + $15}' /proc/$server/stat)
sleep 10
t1=$(awk '{print $14 + $15}' /proc/$server/stat)
echo "server CPU while about $((rate * prompt)) prompts stream: $(( (t1 - t0) * 10 / 10 )) ms per second"
wait $sipp || true
grep -E 'Successful call|Failed call' "$out/sipp.out" | awk -F'|' '{gsub(/ /,"",$1); gsub(/ /,"",$3); printf "%s=%s ", $1, $3} END {print ""}'
echo "server peak RSS: $(( $(awk '/VmHWM/ {print $2}' /proc/$server/status) / 1024 )) MB"
