#!/usr/bin/env bash
# Runs Tandem's libFuzzer targets (fuzz/) over their seed corpora (docs/reliability.md).
#
#   scripts/fuzz.sh [--seconds N] [--runs N] [--build] [TARGET...]
#
# Each target runs for N seconds (default 30) or N inputs, in turn, from fuzz/corpus/<target>/
# plus the inputs it found earlier in build/sanitize/fuzz-corpus/<target>/ (where new ones are
# written: the committed seeds are never changed). A crash, leak, sanitizer report, timeout or
# 500 answer stops the target, leaves the input in build/sanitize/fuzz-artifacts/ and makes the
# script fail. --build builds the targets first (scripts/lib.sh's build_sanitized).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

dir=${TANDEM_SANITIZE_DIR:-build/sanitize}  # the build directory of build_sanitized
seconds=30
runs=-1
do_build=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --build) do_build=1; shift ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] ||
  targets=(csv_fuzz contract_toml_fuzz api_json_fuzz list_query_fuzz form_post_fuzz)

[ "$do_build" -eq 0 ] || build_sanitized "$dir" "${targets[@]}"

failed=()
for t in "${targets[@]}"; do
  [ -x "$dir/fuzz/$t" ] || { log "$dir/fuzz/$t is not built (scripts/fuzz.sh --build)"; exit 1; }
  mkdir -p "$dir/fuzz-corpus/$t" "$dir/fuzz-artifacts/$t"
  log "Fuzzing $t for ${seconds}s (runs: $runs)"
  start=$SECONDS
  if "$dir/fuzz/$t" "$dir/fuzz-corpus/$t" "fuzz/corpus/$t" -max_total_time="$seconds" \
    -runs="$runs" -timeout=20 -rss_limit_mb=3072 -print_final_stats=1 \
    -artifact_prefix="$dir/fuzz-artifacts/$t/" >"$dir/fuzz-artifacts/$t.log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$dir/fuzz-artifacts/$t.log" |
      tr '\n' ' ' >&2 || true
    echo "($((SECONDS - start))s)" >&2
  else
    tail -60 "$dir/fuzz-artifacts/$t.log" >&2
    log "$t FAILED: the input is in $dir/fuzz-artifacts/$t/"
    failed+=("$t")
  fi
done

log "Fuzz targets without a finding: $((${#targets[@]} - ${#failed[@]})) of ${#targets[@]}"
[ ${#failed[@]} -eq 0 ]
