#!/usr/bin/env bash
# The first page of the leads list the funnel explorer opens, at 1,000,000 contacts: the reach
# filter (the counts of both views) and the move filter (the period view's forward and dropped
# counts), against the unfiltered first page measured in the same run.
#
#   bench/funnel_list_bench.sh [--db FILE] [--runs R] [--tandem PATH]
#
# FILE is a demo database (default /work/benchdata-funnel/demo-1m.db, from `tandem demo
# --contacts 1000000`); it is copied to a temp dir first (the server migrates the copy). Serves
# it on a free port, signs in as the demo admin, then asks each page R times (curl
# %{time_total}) and prints the median in ms as a Markdown table for docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."

db=/work/benchdata-funnel/demo-1m.db runs=5 tandem=build/src/tandem
while [ $# -gt 0 ]; do
  case $1 in
    --db) db=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --tandem) tandem=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

out=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT
cp "$db" "$out/bench.db"

exec 3< <(exec "$tandem" serve --db "$out/bench.db" --listen 127.0.0.1:0 2>"$out/serve.err")
server_pid=$!
read -r -t 600 line <&3 || { cat "$out/serve.err" >&2; exit 1; }
url=$(grep -o 'http://[^ ]*' <<<"$line")
url=${url%/}
login=$(curl -sf -X POST "$url/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"sam.okafor@northwind-analytics.example","password":"tandem-demo"}')
token=$(grep -o '"token":"[^"]*"' <<<"$login" | cut -d'"' -f4)

# The demo's last 90 days (its history ends on the day it was made).
last=$(sqlite3 -readonly "$out/bench.db" "SELECT date(max(at) / 1000, 'unixepoch') FROM stage_history")
to=$(date -u -d "$last + 1 day" +%Y-%m-%dT00:00:00Z)
from=$(date -u -d "$last - 89 days" +%Y-%m-%dT00:00:00Z)
week_from=$(date -u -d "$last - 6 days" +%Y-%m-%dT00:00:00Z)
reach="&reached_from=$from&reached_to=$to"
moves="&moved_out_from=$from&moved_out_to=$to"

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
page() {  # page LABEL QUERY
  local label=$1 q=$2 times=() status
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url/api/v1/contacts?limit=50$q")
  [ "$status" = 200 ] || { echo "$label: HTTP $status for $q" >&2; exit 1; }
  for _ in $(seq "$runs"); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" "$url/api/v1/contacts?limit=50$q")")
  done
  printf '| %s | %s ms |\n' "$label" "$(printf '%s\n' "${times[@]}" | median | awk '{ printf "%.0f", $1 * 1000 }')"
}

echo "Period $from .. $to, $runs runs each, median of curl's time_total."
echo
echo "| first page (50, newest first) | median |"
echo "| --- | --- |"
page "no filter (reference)" ""
page "reached MQL (reference)" "&reached=mql$reach"
page "reached opportunity (reference)" "&reached=opportunity$reach"
for stage in lead mql sal sql opportunity; do
  page "moved out of $stage, forward" "&moved_out=$stage&moved=forward$moves"
  page "moved out of $stage, dropped" "&moved_out=$stage&moved=dropped$moves"
done
page "moved out of mql, any" "&moved_out=mql$moves"
page "MQL dropped, source webinar" "&moved_out=mql&moved=dropped&source=webinar$moves"
page "MQL dropped, unassigned (owner=none)" "&moved_out=mql&moved=dropped&owner=none$moves"
page "SAL forward in the last week" "&moved_out=sal&moved=forward&moved_out_from=$week_from&moved_out_to=$to"
page "SAL forward, sorted by last name" "&moved_out=sal&moved=forward&sort=last_name$moves"
