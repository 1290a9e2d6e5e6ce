#!/usr/bin/env bash
# Issue 11's speed goal: the ticket HTTP API at >= 2,000 creates/s and
# >= 10,000 reads/s, p99 under 20 ms, while the same `switchboard serve`
# carries its 10,000-call SIP load and loses no call. Not a ctest test: a
# measurement, on 127.0.0.1 only.
#
# One serve process: loadgen/load-10k.yaml plus a ticket category and four
# ticket owners (written to a temp dir; the calls are load-10k's), with
# --tickets-db (SQLite in the temp dir, --tickets-sync SYNC) and --api. The
# SIP load is `switchboard loadtest SCENARIO --target` (SIPp: 500 calls/s
# for 40 s, about 10,000 calls at once, then a 1,000 calls/s burst). Once
# the server holds 9,000 dialogs, build/bench/ticket_api_load runs CLIENTS
# clients creating tickets for SECONDS, then CLIENTS clients reading them
# for SECONDS (both inside the 10,000-call plateau, about 19 s long). Prints
# both lines of ticket_api_load (requests/s, p50, p99, max, failed), the
# loadtest's failed calls, the verdict against the goal and the load average
# before and after (the machine may be shared).
#
# Changes no system setting, needs no root.
#   usage: [SWITCHBOARD=build/switchboard] [SYNC=normal|full] bench/tickets-beside-sip.sh [CLIENTS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-4}
seconds=${2:-8}
sync=${SYNC:-normal}
switchboard=${SWITCHBOARD:-./build/switchboard}
load=${TICKET_API_LOAD:-$(dirname "$switchboard")/bench/ticket_api_load}
sip_port=27160
metrics=27564
api=27580
token=bench-token-0123456789
command -v sipp >/dev/null || { echo "tickets-beside-sip: sipp is missing (scripts/install-deps)" >&2; exit 2; }
[ -x "$switchboard" ] || { echo "tickets-beside-sip: $switchboard is not built" >&2; exit 2; }
[ -x "$load" ] || { echo "tickets-beside-sip: $load is not built (cmake --build build --target ticket_api_load)" >&2; exit 2; }
out=$(mktemp -d)
server=""
loadtest=""
trap '[ -n "$loadtest" ] && kill "$loadtest" 2>/dev/null; [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$out"' EXIT

{
  cat loadgen/load-10k.yaml
  cat <<'EOF'
tickets:
  - {name: repair, group: agents, sla: 1d, work_time: {dist: exponential, mean: 4h}}
agent_logins:
  - {user: ann, password: ann-secret-0000, group: agents}
  - {user: ben, password: ben-secret-0000, group: agents}
  - {user: cid, password: cid-secret-0000, group: agents}
  - {user: dee, password: dee-secret-0000, group: agents}
EOF
} >"$out/scenario.yaml"
echo "app $token write" >"$out/tokens"

echo "before: $(uptime)"
"$switchboard" serve "$out/scenario.yaml" --sip udp:127.0.0.1:$sip_port --metrics 127.0.0.1:$metrics --time-scale 1 --seed 1 \
  --max-calls 40000 --grace 5 --connect-signal reinvite --clock 08:00:00 --duration 600 \
  --tickets-db "$out/tickets.db" --tickets-sync "$sync" --api 127.0.0.1:$api --api-tokens "$out/tokens" 2>"$out/serve.err" &
server=$!
for _ in $(seq 100); do curl -s --max-time 1 "127.0.0.1:$metrics/metrics" >/dev/null 2>&1 && break; sleep 0.1; done
kill -0 "$server" 2>/dev/null || { echo "tickets-beside-sip: serve did not start: $(tail -3 "$out/serve.err")" >&2; exit 1; }

"$switchboard" loadtest "$out/scenario.yaml" --target udp:127.0.0.1:$sip_port --metrics 127.0.0.1:$metrics \
  --out "$out/report" >"$out/loadtest.out" 2>&1 &
loadtest=$!

dialogs() { curl -s --max-time 1 "127.0.0.1:$metrics/metrics" | awk '/^switchboard_sip_dialogs_active / {print int($2)}'; }
for _ in $(seq 1200); do
  [ "$(dialogs || echo 0)" -ge 9000 ] 2>/dev/null && break
  kill -0 "$loadtest" 2>/dev/null || break
  sleep 0.1
done
echo "SIP dialogs when the API load starts: $(dialogs)"
"$load" create $api $token repair "$clients" "$seconds" | tee "$out/api" || true
echo "SIP dialogs between: $(dialogs)"
"$load" read $api $token repair "$clients" "$seconds" | tee -a "$out/api" || true
echo "SIP dialogs when the API load ends: $(dialogs)"

status=0
wait "$loadtest" || status=$?
loadtest=""
failed=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["sip"]["failed_calls"]))' "$out/report/report.json" 2>/dev/null || echo "?")
placed=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["sip"]["calls_created"]))' "$out/report/report.json" 2>/dev/null || echo "?")
echo "loadtest: exit $status, calls placed $placed, failed calls $failed"
kill "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true
server=""
echo "after: $(uptime)"
awk -v failed="$failed" '
  { rate[$1] = $9; p99[$1] = $13; bad[$1] = $17 }
  END {
    ok = rate["create"] >= 2000 && rate["read"] >= 10000 && p99["create"] < 20 && p99["read"] < 20 && bad["create"] == 0 && bad["read"] == 0 && failed == "0"
    printf "goal (>= 2,000 creates/s, >= 10,000 reads/s, p99 < 20 ms, no failed call): creates %.0f/s (%.0f%%) p99 %.1f ms, reads %.0f/s (%.0f%%) p99 %.1f ms, failed calls %s: %s\n",
      rate["create"], rate["create"] / 20, p99["create"], rate["read"], rate["read"] / 100, p99["read"], failed, ok ? "met" : "not met"
  }' "$out/api"
