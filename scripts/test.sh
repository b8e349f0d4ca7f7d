#!/usr/bin/env bash
# Every test suite: install what is missing, build, run, print a summary.
# Used by CI (.ci/run). Exit code 0 only when every suite passed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

install_packages
build build/test RelWithDebInfo -DTANDEM_TESTS=ON -DTANDEM_BENCH=ON

log "Running the unit, store contract, API and CLI suites"
set +e
ctest --test-dir build/test -j "$(nproc)" --output-on-failure --timeout 300 2>&1 | tee build/test/ctest.log
status=${PIPESTATUS[0]}
set -e

passed=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .* +Passed ' build/test/ctest.log || true)
failed=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .*(\*\*\*|Not Run)' build/test/ctest.log || true)
echo
echo "Tandem test summary:"
echo "$passed passed, $failed failed"
exit "$status"
