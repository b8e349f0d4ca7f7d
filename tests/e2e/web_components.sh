#!/usr/bin/env bash
# The dashboard's component and unit tests (Vitest, in jsdom). Exit 77 (skipped) only when
# Node.js is not installed; scripts/test.sh installs it.
set -euo pipefail
cd "$(dirname "$0")/../../web"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIPPED: Node.js is not installed (apt-get install -y nodejs npm)"
  exit 77
fi
if [ ! -d node_modules/vitest ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
exec npx --no-install vitest run
