#!/usr/bin/env bash
# The dashboard's browser tests (web/e2e/run.mjs) against the given tandem binary. Builds the
# dashboard first when web/dist is missing or older than its sources. Exit 77 (skipped) only
# when Chromium or Node.js are missing; scripts/test.sh installs both.
# Usage: dashboard.sh PATH/TO/tandem [ARTIFACT_DIR]
set -euo pipefail
tandem=$1
artifacts=${2:-}
web="$(cd "$(dirname "$0")/../../web" && pwd)"

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "SKIPPED: Chromium is not installed (apt-get install -y --no-install-recommends chromium)"
  exit 77
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIPPED: Node.js is not installed (apt-get install -y nodejs npm)"
  exit 77
fi
cd "$web"
if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
newest_source=$(find src index.html vite.config.ts package-lock.json -newer dist/index.html -print -quit 2>/dev/null || echo missing)
if [ ! -f dist/index.html ] || [ -n "$newest_source" ]; then
  npm run build
fi
exec node e2e/run.mjs "$tandem" ${artifacts:+"$artifacts"}
