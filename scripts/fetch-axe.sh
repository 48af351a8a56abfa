#!/usr/bin/env bash
# Refresh tests/browser/vendor/axe.min.js (the accessibility engine the browser tests
# inject) from the npm package axe-core at the version below. Needs npm; the tests
# themselves read the committed file and never touch the network.
# Usage: bash scripts/fetch-axe.sh [VERSION]
set -euo pipefail
VERSION="${1:-4.14.1}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/tests/browser/vendor"
command -v npm >/dev/null || { echo "error: npm is needed to fetch axe-core" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "axe-core@$VERSION" >/dev/null && tar -xzf axe-core-*.tgz)
mkdir -p "$OUT"
cp "$WORK/package/axe.min.js" "$OUT/axe.min.js"
cp "$WORK/package/LICENSE" "$OUT/axe.LICENSE.txt"
echo "wrote $OUT/axe.min.js (axe-core $VERSION, $(wc -c < "$OUT/axe.min.js") bytes)"
