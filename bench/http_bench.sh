#!/usr/bin/env bash
# Tandem through HTTP with wrk (keep-alive, 2 threads, 32 connections), on a demo database.
#
#   bench/http_bench.sh [--contacts N] [--runs R] [--seconds S] [--tandem PATH] [--data DIR]
#
# Builds nothing: pass a Release `tandem` (default build/release/src/tandem, made by
#   cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C build/release tandem).
# Loads the demo company with N contacts into DIR/demo-N.db once (kept for the next run), serves
# it on a free port, signs in as the demo admin and measures, each R times (median reported):
#   * GET /healthz                     the server's ceiling without auth or database (reference)
#   * GET /api/v1/contacts/{random id} authenticated point reads
#   * GET /api/v1/contacts?limit=50&…  one list page per filter, p50/p99 latency
#   * POST /api/v1/contacts            contact creation (durable: acknowledged = committed)
# and the server's memory: private (RssAnon) after opening and at the end, the memory-mapped
# database pages it touched (RssFile, shared page cache), and the peak (VmHWM).
# Also the server's own CPU time per request (from /proc, user + system): a cost that does not
# depend on what else the machine runs. Prints a Markdown table ready for docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."

contacts=20000 runs=3 seconds=10 tandem=build/release/src/tandem data=build/bench-data
while [ $# -gt 0 ]; do
  case $1 in
    --contacts) contacts=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --tandem) tandem=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$tandem" ] || { echo "no tandem binary at $tandem (see the header of this script)" >&2; exit 1; }

mkdir -p "$data"
db="$data/demo-$contacts.db"
if [ ! -f "$db" ]; then
  echo "loading the demo company with $contacts contacts into $db" >&2
  "$tandem" demo --db "$db" --contacts "$contacts" >/dev/null
fi

out=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT

exec 3< <(exec "$tandem" serve --db "$db" --listen 127.0.0.1:0 2>"$out/serve.err")
server_pid=$!
read -r -t 60 line <&3 || { cat "$out/serve.err" >&2; exit 1; }
url=$(grep -o 'http://[^ ]*' <<<"$line")
url=${url%/}

rss_kib() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$server_pid/status"; }

login=$(curl -sf -X POST "$url/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"sam.okafor@northwind-analytics.example","password":"tandem-demo"}')
export TANDEM_TOKEN
TANDEM_TOKEN=$(grep -o '"token":"[^"]*"' <<<"$login" | cut -d'"' -f4)
export TANDEM_MAX_ID=$contacts
rss_start=$(rss_kib RssAnon)

# The server's CPU time so far (user + system), in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
ticks_per_second=$(getconf CLK_TCK)

# wrk_run SCRIPT PATH CONNECTIONS -> "requests_per_second p50_ms p99_ms server_cpu_us_per_request"
wrk_run() {
  local script=$1 path=$2 conns=$3 threads=2 report cpu_before cpu_after
  [ "$conns" -ge 2 ] || threads=1
  cpu_before=$(cpu_ticks)
  report=$(wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency ${script:+-s "bench/wrk/$script"} "$url$path")
  cpu_after=$(cpu_ticks)
  local cpu_seconds
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
measure() {  # measure NAME SCRIPT PATH [CONNECTIONS, default 32]
  local name=$1 script=$2 path=$3 conns=${4:-32} i
  name="$name|$conns"
  : >"$out/$name"
  for ((i = 1; i <= runs; i++)); do
    TANDEM_RUN="$i-$$" wrk_run "$script" "$path" "$conns" >>"$out/$name"
  done
  results[$name]="$(cut -d' ' -f1 "$out/$name" | median) $(cut -d' ' -f2 "$out/$name" | median) $(cut -d' ' -f3 "$out/$name" | median) $(cut -d' ' -f4 "$out/$name" | median)"
  order+=("$name")
  echo "$name: ${results[$name]}" >&2
}

first_owner=$(curl -sf "$url/api/v1/users?role=sales&limit=1" -H "Authorization: Bearer $TANDEM_TOKEN" |
  grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
cursor=$(curl -sf "$url/api/v1/contacts?limit=50&stage=lead" -H "Authorization: Bearer $TANDEM_TOKEN" |
  grep -o '"next_cursor":"[^"]*"' | cut -d'"' -f4)
week_ago=$(date -u -d '7 days ago' +%Y-%m-%dT00:00:00Z)
today=$(date -u +%Y-%m-%dT00:00:00Z)

measure healthz "" /healthz
measure point_read point_read.lua /
lists=(
  "no filter|"
  "stage=lead|stage=lead"
  "stage=mql, sort by last name|stage=mql&sort=last_name"
  "owner|owner_id=$first_owner"
  "source=webinar|source=webinar"
  "created in the last week|created_from=$week_ago&created_to=$today"
  "text search (one word)|q=analytics"
  "text search (two words)|q=data+health"
  "second page (cursor), stage=lead|stage=lead&cursor=$cursor"
)
for entry in "${lists[@]}"; do
  TANDEM_QUERY=${entry#*|} measure "list: ${entry%%|*}" list_page.lua / 1
  TANDEM_QUERY=${entry#*|} measure "list: ${entry%%|*}" list_page.lua / 32
done
measure create create_contact.lua /
rss_end=$(rss_kib RssAnon)
file_end=$(rss_kib RssFile)
hwm=$(rss_kib VmHWM)

kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=""

cores=$(nproc)
echo
echo "Machine: $(uname -sr), $cores cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);" \
  "demo company with $contacts contacts; wrk -t2 (-t1 for one connection) -d${seconds}s, median of $runs runs."
echo
echo "| measure | connections | requests/s | p50 ms | p99 ms | server CPU µs/request |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for name in "${order[@]}"; do
  read -r rps p50 p99 cpu <<<"${results[$name]}"
  echo "| ${name%|*} | ${name##*|} | $rps | $p50 | $p99 | $cpu |"
done
read -r hz_rps _ <<<"${results[healthz|32]}"
read -r pr_rps _ <<<"${results[point_read|32]}"
echo
read -r _ _ _ pr_cpu <<<"${results[point_read|32]}"
echo "Server CPU per authenticated point read: $pr_cpu µs, i.e. $(awk -v c="$pr_cpu" -v n="$cores" 'BEGIN { if (c > 0) printf "%.0f", n * 1e6 / c; else print "?" }') reads/s if the server had all $cores cores."
echo "Authenticated point reads run at $(awk -v a="$pr_rps" -v b="$hz_rps" 'BEGIN { printf "%.0f%%", 100 * a / b }') of the unauthenticated /healthz rate."
echo "Server memory: $((rss_start / 1024)) MiB private (RssAnon) after opening the database and signing in," \
  "$((rss_end / 1024)) MiB at the end; $((file_end / 1024)) MiB of the memory-mapped database file" \
  "resident at the end (shared page cache, reclaimable); peak resident $((hwm / 1024)) MiB."
