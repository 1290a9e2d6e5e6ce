#!/usr/bin/env bash
# The 10,000-call profile (docs/performance.md), a thin wrapper around
#   switchboard loadtest loadgen/load-10k.yaml --serve --assert failed_calls==0 --assert invite_p99_ms<50
# 500 calls/s for 40 s (about 10,000 calls at once), then 1,000 calls/s for
# 10 s, placed by SIPp on a `switchboard serve` of its own (loopback, free
# ports). Exits as loadtest does: 0 every threshold held, 1 one was missed
# (named on stderr), 2 bad input. Changes no system setting and needs no
# root: loadtest raises its own soft open-files limit up to the hard one,
# and SIPp's socket buffers are what the kernel allows
# (net.core.rmem_max/wmem_max; raising those is the administrator's call).
#   usage: [SWITCHBOARD=path/to/switchboard] loadgen/bench-10k.sh [loadtest options, e.g. --out DIR --sipp-processes 2]
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${SWITCHBOARD:-./build/switchboard}" loadtest loadgen/load-10k.yaml --serve \
  --assert failed_calls==0 --assert 'invite_p99_ms<50' "$@"
