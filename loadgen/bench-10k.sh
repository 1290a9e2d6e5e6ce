#!/usr/bin/env bash
# Load test of `switchboard serve` with SIPp on 127.0.0.1 (not a ctest test:
# a measurement). Holds CONCURRENT calls (default 10000) at RATE new calls/s
# (default 500) for the calls' ~21 s life, then a burst phase, and prints:
# failed calls, INVITE->200 latency percentiles (from the server's
# histogram), and the server's peak RSS.
#   usage: [SWITCHBOARD=path/to/switchboard] loadgen/bench-10k.sh [CONCURRENT] [RATE] [BURST_RATE] [BURST_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
concurrent=${1:-10000}
rate=${2:-500}
burst_rate=${3:-1000}
burst_seconds=${4:-10}
port=26060
metrics=26464
ulimit -n 65536 2>/dev/null || true
# Larger UDP buffers for SIPp's single socket and the server's (the default) where allowed.
sysctl -qw net.core.rmem_max=8388608 net.core.wmem_max=8388608 net.core.rmem_default=4194304 net.core.wmem_default=4194304 2>/dev/null || true
out=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$out"' EXIT

"${SWITCHBOARD:-./build/switchboard}" serve loadgen/load-10k.yaml --sip udp:127.0.0.1:$port --metrics 127.0.0.1:$metrics \
  --max-calls $((concurrent + burst_rate * burst_seconds + 1000)) --duration 600 --grace 5 --connect-signal reinvite 2>"$out/server.log" &
server=$!
sleep 1

run_sipp() {  # calls rate limit label
  timeout 300 sipp -sf loadgen/caller-ivr.xml -s customers -key digit 1 -d 1200 127.0.0.1:$port -i 127.0.0.1 -p $((port + 10)) \
    -m "$1" -r "$2" -l "$3" -nostdin -timeout 200s -max_socket 65000 -buff_size 8388608 -trace_err -error_file "$out/$4.err" >"$out/$4.out" 2>&1 || true
  if [ -s "$out/$4.err" ]; then
    echo "$4: SIPp error log lines (most frequent):"
    grep -E "Aborting|unexpected|Unexpected|timeout|Timeout" "$out/$4.err" | cut -c1-160 | sort | uniq -c | sort -rn | head -3 || true
  fi
  echo "$4: $(grep -E 'Successful call|Failed call' "$out/$4.out" | awk -F'|' '{gsub(/ /,"",$1); gsub(/ /,"",$3); printf "%s=%s ", $1, $3}')"
}

peak=0
watch_rss() { while kill -0 $server 2>/dev/null; do r=$(awk '/VmHWM/ {print $2}' /proc/$server/status 2>/dev/null || echo 0); echo "$r" > "$out/hwm"; sleep 1; done; }
watch_rss &
dialogs_max=0
watch_dialogs() { while kill -0 $server 2>/dev/null; do d=$(curl -s --max-time 1 127.0.0.1:$metrics/metrics | awk '/^switchboard_sip_dialogs_active/ {print $2}'); [ -n "$d" ] && echo "$d" >> "$out/dialogs"; sleep 1; done; }
watch_dialogs &

run_sipp "$((concurrent * 2))" "$rate" "$concurrent" steady
run_sipp "$((burst_rate * burst_seconds))" "$burst_rate" "$((burst_rate * burst_seconds))" burst

curl -s 127.0.0.1:$metrics/metrics > "$out/metrics.txt"
python3 - "$out/metrics.txt" <<'PY'
import re, sys
buckets = []
count = 0
for line in open(sys.argv[1]):
    m = re.match(r'switchboard_sip_invite_answer_seconds_bucket\{le="([^"]+)"\} (\S+)', line)
    if m: buckets.append((float('inf') if m.group(1) == '+Inf' else float(m.group(1)), float(m.group(2))))
    if line.startswith('switchboard_sip_invite_answer_seconds_count'): count = float(line.split()[1])
for q in (0.5, 0.99, 0.999):
    target = q * count
    le = next((b for b, c in buckets if c >= target), float('inf'))
    print(f"INVITE->200 p{q*100:g} <= {le*1000:g} ms ({int(count)} INVITEs answered)")
for name in ('switchboard_calls_handled_total{queue="service"}', 'switchboard_calls_abandoned_total{queue="service"}', 'switchboard_sip_responses_total{code="503"}'):
    for line in open(sys.argv[1]):
        if line.startswith(name): print(line.strip())
PY
echo "peak concurrent dialogs: $(sort -n "$out/dialogs" 2>/dev/null | tail -1)"
echo "server peak RSS: $(( $(cat "$out/hwm" 2>/dev/null || echo 0) / 1024 )) MB"
kill $server 2>/dev/null || true
wait $server 2>/dev/null || true
