#!/usr/bin/env bash
# Soak: mixed traffic against a demo server for a long while; latency, errors and memory over
# time (docs/reliability.md, "Soak").
#
#   bench/soak.sh [--minutes M | --seconds S] [--contacts N] [--connections C] [--tandem PATH] [--data DIR]
#
# Loads the demo company with N contacts (default 20000) into a fresh DIR/soak-N.db, serves it
# on a free port, signs in as the demo admin and runs wrk (2 threads, C connections, default
# 16) with bench/wrk/soak_mix.lua for M minutes (default 10): reads, event ingest and leads
# created, qualified and accepted or rejected (see the script's header). Meanwhile it samples
# the server's memory every 15 s (VmRSS, RssAnon: private memory, RssFile: mapped database
# pages, and SQLite's own heap from /metrics' tandem_sqlite_memory_bytes, so the page caches
# filling up to their caps can be told from a leak) and the machine's load average into
# DIR/soak-rss.csv. Prints wrk's report, p50/p99,
# requests and errors, the memory samples and a summary line; exits 1 on any error answer or
# socket error. Builds nothing: pass a Release or RelWithDebInfo `tandem` (default
# build/release/src/tandem).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=600 contacts=20000 connections=16 tandem=build/release/src/tandem data=build/bench-data
while [ $# -gt 0 ]; do
  case $1 in
    --minutes) seconds=$(($2 * 60)); shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --contacts) contacts=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --tandem) tandem=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$tandem" ] || { echo "no tandem binary at $tandem (see the header of this script)" >&2; exit 1; }

mkdir -p "$data"
db="$data/soak-$contacts.db"
rm -f "$db" "$db-wal" "$db-shm"
echo "loading the demo company with $contacts contacts into $db" >&2
"$tandem" demo --db "$db" --contacts "$contacts" >/dev/null

out=$(mktemp -d)
server_pid="" sampler_pid=""
cleanup() {
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT

exec 3< <(exec "$tandem" serve --db "$db" --listen 127.0.0.1:0 2>"$out/serve.err")
server_pid=$!
read -r -t 60 line <&3 || { cat "$out/serve.err" >&2; exit 1; }
url=$(grep -o 'http://[^ ]*' <<<"$line")
url=${url%/}
# The server logs to stdout: keep reading it so it never blocks on a full pipe.
cat <&3 >"$out/serve.log" &

login=$(curl -sf -X POST "$url/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"sam.okafor@northwind-analytics.example","password":"tandem-demo"}')
export TANDEM_TOKEN TANDEM_MAX_ID=$contacts TANDEM_RUN=$$
TANDEM_TOKEN=$(grep -o '"token":"[^"]*"' <<<"$login" | cut -d'"' -f4)

kib() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$server_pid/status"; }
# SQLite's own heap (its page caches fill up to their caps over a run), from /metrics, in KiB.
sqlite_kib() {
  curl -s "$url/metrics" | awk '$1 == "tandem_sqlite_memory_bytes" { printf "%d", $2 / 1024 }'
}
sample() {
  local anon sqlite
  anon=$(kib RssAnon) sqlite=$(sqlite_kib)
  echo "$1,$(kib VmRSS),$anon,$(kib RssFile),${sqlite:-0},$((anon - ${sqlite:-0})),$(cut -d' ' -f1 /proc/loadavg)"
}
csv="$data/soak-rss.csv"
echo "seconds,vmrss_kib,rss_anon_kib,rss_file_kib,sqlite_kib,anon_less_sqlite_kib,load1" >"$csv"
(
  start=$SECONDS
  while kill -0 "$server_pid" 2>/dev/null; do
    sample "$((SECONDS - start))" >>"$csv"
    sleep 15
  done
) &
sampler_pid=$!

echo "soak: $seconds s, $connections connections, against $url (server pid $server_pid)" >&2
report=$(wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s --latency -s bench/wrk/soak_mix.lua "$url")
kill "$sampler_pid" 2>/dev/null || true
sampler_pid=""
sample "$seconds" >>"$csv"
echo "$report"
echo
echo "memory samples ($csv):"
cat "$csv"

non2xx=$(awk '/Non-2xx/ { print $NF }' <<<"$report")
socket=$(awk '/Socket errors/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' <<<"$report")
awk -v non2xx="${non2xx:-0}" -v socket="${socket:-0}" '
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
  END { printf "\nsummary: %d requests, %.0f/s, p50 %.2f ms, p99 %.2f ms, errors %d (non-2xx %d, socket %d)\n",
               n, rps, p50, p99, non2xx + socket, non2xx, socket }' <<<"$report"
rss=$(awk -F, 'NR > 1 { print $3 }' "$csv")
echo "RssAnon first/last/max KiB: $(head -1 <<<"$rss") / $(tail -1 <<<"$rss") / $(sort -n <<<"$rss" | tail -1)"
rest=$(awk -F, 'NR > 1 { print $6 }' "$csv")
echo "RssAnon less SQLite's heap first/last/max KiB: $(head -1 <<<"$rest") / $(tail -1 <<<"$rest") / $(sort -n <<<"$rest" | tail -1)"
[ "${non2xx:-0}" -eq 0 ] && [ "${socket:-0}" -eq 0 ]
