#!/usr/bin/env bash
# Every test suite: install what is missing, build, run, print a summary.
# Used by CI (.ci/run). Exit code 0 only when every suite passed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

install_packages
build build/test RelWithDebInfo -DTANDEM_TESTS=ON -DTANDEM_BENCH=ON
# The dashboard and Chromium for its browser tests (ctest's e2e.dashboard); a failure here
# shows again, with its cause, as that test's failure.
build_dashboard --with-browser || log "The dashboard did not build (see above)"

# The PostgreSQL store tests run against a throw-away cluster, stopped and removed on any exit;
# TANDEM_TEST_PG_REQUIRED makes them fail rather than skip should it be missing.
trap stop_test_postgres EXIT
start_test_postgres
export TANDEM_TEST_PG_REQUIRED=1

log "Running the unit, store contract (SQLite and PostgreSQL), API, CLI and end-to-end suites"
set +e
ctest --test-dir build/test -j "$(nproc)" --output-on-failure --timeout 300 2>&1 | tee build/test/ctest.log
status=${PIPESTATUS[0]}
set -e

passed=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .* +Passed ' build/test/ctest.log || true)
failed=$(grep -E '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .*(\*\*\*|Not Run)' build/test/ctest.log |
  grep -cv '\*\*\*Skipped' || true)
skipped=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .*\*\*\*Skipped' build/test/ctest.log || true)
echo
echo "Tandem test summary:"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
