#!/usr/bin/env bash
# Start-up time and footprint of the command: the median wall time of RUNS
# runs (default 21) of commands that load neither SimGrid, CBC nor libre, and
# the shared libraries each one maps. Usage: bash bench/startup.sh [BINARY]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/switchboard}
runs=${RUNS:-21}
/usr/bin/python3 - "$bin" "$runs" "$root" <<'PY'
import statistics, subprocess, sys, time
bin, runs, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
commands = {
    "erlang c": [bin, "erlang", "c", "--arrival-rate", "360", "--aht", "240", "--agents", "27", "--answer-within", "20"],
    "simulate (event list, 1 rep)": [bin, "simulate", f"{root}/scenarios/erlang-c.yaml", "--reps", "1"],
    "--help": [bin, "--help"],
}
libs = subprocess.run(["ldd", bin], capture_output=True, text=True, check=True).stdout.count("=>")
print(f"{bin}: {libs} shared libraries at start-up")
for name, cmd in commands.items():
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    print(f"{name:<32} median {statistics.median(times) * 1000:6.1f} ms  (min {min(times) * 1000:.1f} ms, {runs} runs)")
PY
