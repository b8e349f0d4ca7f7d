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

# The core and base unit suites, the SQLite store suite and the API suite again, built with
# AddressSanitizer and UndefinedBehaviorSanitizer (clang 14; any finding fails the test), and a
# short run of every fuzz target over its corpus (docs/reliability.md). One build directory
# serves both: the libraries carry libFuzzer's coverage, which the tests do not notice.
sanitized_suites=(tandem_core_tests tandem_base_tests tandem_store_tests tandem_api_tests)
sanitized_labels='^(core|base|store|api)$'
step=$SECONDS
san_status=0
fuzz_status=0
mkdir -p build/sanitize
: >build/sanitize/ctest.log
set +e
if build_sanitized build/sanitize "${sanitized_suites[@]}" tandem_fuzzers; then
  log "Sanitized build: $((SECONDS - step))s"
  step=$SECONDS
  log "Running the sanitized suites ($sanitized_labels)"
  ctest --test-dir build/sanitize -L "$sanitized_labels" -j "$(nproc)" \
    --output-on-failure --timeout 600 2>&1 | tee build/sanitize/ctest.log
  san_status=${PIPESTATUS[0]}
  log "Sanitized suites: $((SECONDS - step))s"
  step=$SECONDS
  bash scripts/fuzz.sh --seconds "${TANDEM_FUZZ_SECONDS:-30}"
  fuzz_status=$?
  log "Fuzzing: $((SECONDS - step))s"
else
  log "The sanitized build failed (see above)"
  san_status=1
fi
set -e

count() {  # count PATTERN: test lines of both ctest logs matching PATTERN
  cat build/test/ctest.log build/sanitize/ctest.log | grep -E "$1" || true
}
passed=$(count '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .* +Passed ' | wc -l)
failed=$(count '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .*(\*\*\*|Not Run)' | grep -cv '\*\*\*Skipped' || true)
skipped=$(count '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .*\*\*\*Skipped' | wc -l)
[ "$fuzz_status" -eq 0 ] || failed=$((failed + 1))
echo
echo "Tandem test summary (the sanitized suites counted again; a fuzz finding counts as one failure):"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$san_status" -eq 0 ] && [ "$fuzz_status" -eq 0 ]
