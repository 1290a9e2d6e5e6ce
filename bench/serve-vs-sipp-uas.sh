#!/usr/bin/env bash
# CPU per call of `switchboard serve` beside SIPp's own trivial UAS
# (`sipp -sn uas`: 180, 200, wait for ACK and BYE), under the same SIPp
# caller load (issue 14's SIP goal: within 1.5x, RSS under 120 MB at 10,000
# calls). Not a ctest test: a measurement, on 127.0.0.1 only.
#
# The load: SIPp's stock UAC (INVITE, ACK, hold, BYE) at RATE calls/s, each
# call held CONCURRENT/RATE seconds, so CONCURRENT calls are in progress at
# once; 2 x CONCURRENT calls a run. The server under test is
# `switchboard serve loadgen/load-10k.yaml` (virtual agents, a 1 s prompt, a
# menu that times out into the queue; the caller hangs up) with its default
# options, or `sipp -sn uas`. The two run alternately, ROUNDS times each
# (ABBA order); for each run the script prints the server's CPU seconds
# (utime + stime from /proc/PID/stat, from the end of its start-up to the end
# of the load), CPU ms per 1,000 calls and its peak RSS (VmHWM); then the
# medians and their ratio, and the load average before and after (the
# machine may be shared: compare runs of one invocation only).
#
# BASELINE=path/to/another/switchboard adds a third server to the rotation,
# `before` (the same serve command with that build), for a before/after
# comparison in one run under the same load.
#
# Changes no system setting: no sysctl, no root. SIPp's -buff_size is capped
# by the kernel's net.core.rmem_max/wmem_max as they are.
#   usage: [SWITCHBOARD=build/switchboard] [BASELINE=...] bench/serve-vs-sipp-uas.sh [CONCURRENT] [RATE] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
concurrent=${1:-10000}
rate=${2:-500}
rounds=${3:-2}
switchboard=${SWITCHBOARD:-./build/switchboard}
baseline=${BASELINE:-}
hold_ms=$((concurrent * 1000 / rate))
calls=$((concurrent * 2))
port=27060
metrics=27464
tick=$(getconf CLK_TCK)
command -v sipp >/dev/null || { echo "serve-vs-sipp-uas: sipp is missing (scripts/install-deps)" >&2; exit 2; }
[ -x "$switchboard" ] || { echo "serve-vs-sipp-uas: $switchboard is not built" >&2; exit 2; }
[ -z "$baseline" ] || [ -x "$baseline" ] || { echo "serve-vs-sipp-uas: BASELINE $baseline is not an executable" >&2; exit 2; }
out=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$out"' EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hwm_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

# One run: starts the server ($1: serve, before or uas), waits until it answers,
# drives the load, prints one line "server calls_ok calls_failed cpu_s ms_per_1000 peak_mb".
run() {
  local kind=$1
  if [ "$kind" != uas ]; then
    local binary=$switchboard
    [ "$kind" = before ] && binary=$baseline
    "$binary" serve loadgen/load-10k.yaml --sip udp:127.0.0.1:$port --metrics 127.0.0.1:$metrics \
      --max-calls $((concurrent * 2)) --duration 900 --grace 2 2>"$out/serve.log" &
    server=$!
    for _ in $(seq 100); do curl -s --max-time 1 "127.0.0.1:$metrics/metrics" >/dev/null 2>&1 && break; sleep 0.1; done
  else
    sipp -sn uas -i 127.0.0.1 -p $port -nostdin -buff_size 8388608 >/dev/null 2>&1 &
    server=$!
    sleep 1
  fi
  kill -0 "$server" 2>/dev/null || { echo "serve-vs-sipp-uas: the $kind server did not start" >&2; exit 1; }
  local before after
  before=$(cpu_ticks "$server")
  timeout 600 sipp -sn uac -s customers 127.0.0.1:$port -i 127.0.0.1 -p $((port + 10)) -d "$hold_ms" -r "$rate" \
    -l "$concurrent" -m "$calls" -nostdin -timeout 400s -buff_size 8388608 >"$out/uac.out" 2>&1 || true
  after=$(cpu_ticks "$server")
  local peak ok failed
  peak=$(hwm_kb "$server")
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
  ok=$(awk -F'|' '/Successful call/ {gsub(/ /, "", $3); print $3}' "$out/uac.out" | tail -1)
  failed=$(awk -F'|' '/Failed call/ {gsub(/ /, "", $3); print $3}' "$out/uac.out" | tail -1)
  awk -v k="$kind" -v ok="${ok:-0}" -v f="${failed:-0}" -v t=$((after - before)) -v hz="$tick" -v hwm="$peak" \
    'BEGIN { cpu = t / hz; printf "%-6s %7d %7d %8.2f %10.1f %8.0f\n", k, ok, f, cpu, (ok > 0 ? cpu / ok * 1e6 : 0), hwm / 1024 }'
}

echo "load: $concurrent concurrent, $rate calls/s, calls held $hold_ms ms, $calls calls a run, $rounds rounds"
echo "before: $(uptime)"
printf "%-6s %7s %7s %8s %10s %8s\n" server ok failed cpu_s "ms/1000" peak_MB
kinds="serve uas"
[ -n "$baseline" ] && kinds="serve before uas"
for r in $(seq "$rounds"); do
  order=$kinds
  [ $((r % 2)) -eq 0 ] && order=$(echo "$kinds" | awk '{for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? " " : "")}')
  for kind in $order; do run "$kind" | tee -a "$out/runs"; done
done
echo "after: $(uptime)"
awk '
  { cpu[$1] = cpu[$1] " " $5; rss[$1] = ($6 > rss[$1] ? $6 : rss[$1]); bad[$1] += $3 }
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    s = median(cpu["serve"]); u = median(cpu["uas"])
    printf "median CPU per 1,000 calls: serve %.1f ms, sipp -sn uas %.1f ms; ratio %.2f (goal <= 1.5)\n", s, u, (u > 0 ? s / u : 0)
    printf "peak RSS: serve %d MB (goal < 120), sipp -sn uas %d MB; failed calls: serve %d, uas %d\n", rss["serve"], rss["uas"], bad["serve"], bad["uas"]
    if ("before" in cpu) {
      b = median(cpu["before"])
      printf "before (BASELINE): CPU per 1,000 calls %.1f ms, ratio %.2f; peak RSS %d MB; failed calls %d\n", b, (u > 0 ? b / u : 0), rss["before"], bad["before"]
    }
  }' "$out/runs"
