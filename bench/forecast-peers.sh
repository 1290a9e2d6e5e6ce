#!/usr/bin/env bash
# Runs bench/forecast-peers.R (R's forecast package on the rolling-origin
# backtest of `switchboard forecast --backtest`). R is a bench peer only, not
# a dependency of the product, so it is installed here and not by
# scripts/install-deps.
#   bash bench/forecast-peers.sh [HISTORY.csv] [WEEKS] [HORIZONS] [ORIGIN_WEEKDAY mon..fri]
set -euo pipefail
cd "$(dirname "$0")/.."
history=${1:-data/bank_calls_train.csv}
weeks=${2:-10}
horizons=${3:-1,7,14,21,28}
origin_weekday=${4:-mon}

if ! dpkg-query -W -f='${Status}' r-cran-forecast 2>/dev/null | grep -q "install ok installed"; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends r-base-core r-cran-forecast
fi
exec Rscript bench/forecast-peers.R "$history" "$weeks" "$horizons" "$origin_weekday"
