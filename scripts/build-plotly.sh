#!/usr/bin/env bash
# Rebuild webapp/static/vendor/plotly.min.js: plotly.js with only the trace types our
# reports draw (scripts/plotly/entry.js), minified by esbuild, versions pinned by
# scripts/plotly/package-lock.json. Needs node and npm (only here: the app serves the
# committed file and never needs node). Usage: bash scripts/build-plotly.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SRC="$ROOT/scripts/plotly"
OUT="$ROOT/webapp/static/vendor"
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed to rebuild the Plotly bundle" >&2; exit 1; }
done
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp "$SRC/package.json" "$SRC/entry.js" "$SRC/build.mjs" "$WORK/"
cd "$WORK"
# The lock file carries no registry address: npm resolves names through its own configuration.
export npm_config_omit_lockfile_registry_resolved=true
if [ -f "$SRC/package-lock.json" ]; then
  cp "$SRC/package-lock.json" .
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
else
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json "$SRC/package-lock.json"
fi
traces="scatter$(grep -o "plotly.js/lib/[a-z0-9]*')" entry.js | grep -v "/core'" | sed "s|plotly.js/lib/||; s|')||" | sed 's/^/, /' | tr -d '\n')"
node build.mjs "$OUT/plotly.min.js" "$traces"
cp node_modules/plotly.js/LICENSE "$OUT/plotly.LICENSE.txt"
echo "wrote $OUT/plotly.min.js ($(wc -c < "$OUT/plotly.min.js") bytes; traces: $traces)"
