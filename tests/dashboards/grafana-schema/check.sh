#!/usr/bin/env bash
# Type-checks every dashboards/grafana/*.json against Grafana's own schema
# (the Dashboard type of npm @grafana/schema): each file becomes an object
# literal typed Dashboard, so unknown fields and wrong kinds of values fail
# under `tsc --strict`. A copy with an unknown panel field must fail too, or
# the check proves nothing. node_modules lives in WORK (the build tree).
# usage: check.sh SOURCE_DIR WORK_DIR
set -euo pipefail
src=$1
work=$2
here="$src/tests/dashboards/grafana-schema"
mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/tsconfig.json" "$work/"
cd "$work"
if [ ! -x node_modules/.bin/tsc ] || ! cmp -s package-lock.json node_modules/.package-lock.stamp; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.package-lock.stamp
fi
typed() {  # JSON file -> a TypeScript module checking it
  printf "import type { Dashboard } from '@grafana/schema';\nexport const dashboard: Dashboard = "
  cat "$1"
  printf ";\n"
}
rm -rf generated && mkdir generated
count=0
for f in "$src"/dashboards/grafana/*.json; do
  typed "$f" > "generated/$(basename "$f" .json).ts"
  count=$((count + 1))
done
[ "$count" -ge 3 ] || { echo "expected at least 3 dashboards, found $count"; exit 1; }
node_modules/.bin/tsc -p .
echo "grafana schema: $count dashboards conform"

# The check must be able to fail: a panel with a field Grafana does not know.
rm -rf generated && mkdir generated
sed '0,/"gridPos"/s//"gridPosition"/' "$src/dashboards/grafana/call-center-now.json" > broken.json
typed broken.json > generated/broken.ts
if node_modules/.bin/tsc -p . > broken.log 2>&1; then
  echo "a dashboard with an unknown panel field passed the schema check"; exit 1
fi
grep -q "gridPosition" broken.log || { cat broken.log; exit 1; }
echo "grafana schema: a broken dashboard is caught"
