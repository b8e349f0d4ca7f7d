#!/usr/bin/env bash
# Web capture through HTTP with wrk (keep-alive, 2 threads, 32 connections).
#
#   bench/capture_bench.sh [--runs R] [--seconds S] [--tandem PATH]
#
# Builds nothing: pass a Release `tandem` (default build/release/src/tandem, see
# bench/http_bench.sh). Creates a fresh database with one form and one tracker site key, serves
# it on a free port with --behind-proxy (the Lua scripts rotate X-Forwarded-For so the
# per-address rate limit sees many visitors, not one flooding address) and measures, each R
# times (median reported):
#   * GET /healthz    the server's ceiling without auth or database (reference)
#   * POST /f/{form}  form posts: a new contact each, its form_submit event, consent record,
#                     audit entry and scores, all committed before the answer
#   * POST /t/e       tracker page views of new visitors
# with the server's CPU time per request (from /proc, user + system), which does not depend
# on what else the machine runs. Prints a Markdown table ready for docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3 seconds=10 tandem=build/release/src/tandem
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --tandem) tandem=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$tandem" ] || { echo "no tandem binary at $tandem (see the header of this script)" >&2; exit 1; }

out=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT

db="$out/capture.db"
"$tandem" migrate --db "$db" >/dev/null
"$tandem" form add --db "$db" --name "Bench form" --field email:email --field first_name:first_name \
  --field last_name:last_name --field company:company --field job:title \
  --consent-text "You may contact me." --origin https://www.acme.example \
  --utm-source website --utm-campaign bench >"$out/form.txt"
export TANDEM_FORM TANDEM_SITE_KEY
TANDEM_FORM=$(grep -o 'f_[A-Za-z0-9_-]*' "$out/form.txt" | head -1)
"$tandem" site add --db "$db" --name www --origin https://www.acme.example >"$out/site.txt"
TANDEM_SITE_KEY=$(grep -o 'site_[A-Za-z0-9_-]*' "$out/site.txt" | head -1)

exec 3< <(exec "$tandem" serve --db "$db" --listen 127.0.0.1:0 --behind-proxy 2>"$out/serve.err")
server_pid=$!
read -r -t 60 line <&3 || { cat "$out/serve.err" >&2; exit 1; }
url=$(grep -o 'http://[^ ]*' <<<"$line")
url=${url%/}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
ticks_per_second=$(getconf CLK_TCK)

# wrk_run SCRIPT PATH -> "requests_per_second p50_ms p99_ms server_cpu_us_per_request"
wrk_run() {
  local script=$1 path=$2 report cpu_before cpu_after cpu_seconds
  cpu_before=$(cpu_ticks)
  report=$(wrk -t2 -c32 -d"${seconds}s" --latency ${script:+-s "bench/wrk/$script"} "$url$path")
  cpu_after=$(cpu_ticks)
  cpu_seconds=$(awk -v a="$cpu_before" -v b="$cpu_after" -v t="$ticks_per_second" 'BEGIN { print (b - a) / t }')
  if grep -q 'Non-2xx' <<<"$report"; then
    echo "non-2xx answers during $script $path:" >&2
    echo "$report" >&2
    exit 1
  fi
  awk -v cpu="$cpu_seconds" '
    function ms(v) {
      if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
      if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
      if (v ~ /s$/)  { sub(/s$/, "", v);  return v * 1000 }
      return v
    }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    $1 == "Requests/sec:" { rps = $2 }
    $2 == "requests" && $3 == "in" { n = $1 }
    END { printf "%.0f %.3f %.3f %.1f\n", rps, p50, p99, (n > 0 ? cpu * 1e6 / n : 0) }' <<<"$report"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A results
order=()
measure() {  # measure NAME SCRIPT PATH
  local name=$1 script=$2 path=$3 i file
  file="$out/measure-${#order[@]}"
  : >"$file"
  for ((i = 1; i <= runs; i++)); do
    TANDEM_RUN="$i-$$" wrk_run "$script" "$path" >>"$file"
  done
  results[$name]="$(cut -d' ' -f1 "$file" | median) $(cut -d' ' -f2 "$file" | median) $(cut -d' ' -f3 "$file" | median) $(cut -d' ' -f4 "$file" | median)"
  order+=("$name")
  echo "$name: ${results[$name]}" >&2
}

measure "GET /healthz" "" /healthz
measure "POST /f/{form}" form_post.lua /
measure "POST /t/e page_view" page_view.lua /

contacts=$(curl -s "$url/metrics" | awk '/^tandem_capture_form_posts_total\{outcome="accepted"\}/ { print $2 }')
kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=""

cores=$(nproc)
echo
echo "Machine: $(uname -sr), $cores cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg);" \
  "wrk -t2 -c32 -d${seconds}s, median of $runs runs; $contacts form posts accepted in all."
echo
echo "| measure | requests/s | p50 ms | p99 ms | server CPU µs/request |"
echo "| --- | ---: | ---: | ---: | ---: |"
for name in "${order[@]}"; do
  read -r rps p50 p99 cpu <<<"${results[$name]}"
  echo "| $name | $rps | $p50 | $p99 | $cpu |"
done
read -r hz_rps _ _ hz_cpu <<<"${results[GET /healthz]}"
read -r f_rps _ _ f_cpu <<<"${results[POST /f/{form}]}"
echo
echo "Form posts run at $(awk -v a="$f_rps" -v b="$hz_rps" 'BEGIN { printf "%.1f%%", 100 * a / b }') of the /healthz rate;" \
  "server CPU per post $f_cpu µs ($(awk -v a="$f_cpu" -v b="$hz_cpu" 'BEGIN { if (b > 0) printf "%.0f", a / b; else print "?" }')x /healthz)," \
  "i.e. $(awk -v c="$f_cpu" -v n="$cores" 'BEGIN { if (c > 0) printf "%.0f", n * 1e6 / c; else print "?" }') posts/s if the server had all $cores cores."
