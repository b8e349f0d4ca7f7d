#!/usr/bin/env bash
# A real `tandem serve` whose PostgreSQL goes away and comes back (issue 7, "Bad input and
# faults"): on a throw-away cluster of this test's own (scripts/lib.sh start_test_postgres), the
# server serves, the cluster is stopped (requests answer 503 with the reason, the server keeps
# running), started again on the same port, and the same server process answers 200 and 201
# again without a restart. Skips (77) when PostgreSQL 15 is not installed, unless
# TANDEM_TEST_PG_REQUIRED=1.
# Usage: serve_pg_restart.sh PATH/TO/tandem
set -euo pipefail
tandem=$1
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
source "$(dirname "$0")/lib.sh"
bin=/usr/lib/postgresql/15/bin
if [ ! -x "$bin/initdb" ]; then
  [ "${TANDEM_TEST_PG_REQUIRED:-}" = 1 ] && fail "PostgreSQL 15 is not installed"
  echo "SKIP: PostgreSQL 15 is not installed ($bin)"
  exit 77
fi
# shellcheck source=../../scripts/lib.sh
source "$here/../../scripts/lib.sh"

work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  stop_test_postgres
  rm -rf "$work"
}
trap cleanup EXIT
start_test_postgres 2>"$work/pg.log" || fail "cannot start a PostgreSQL cluster: $(cat "$work/pg.log")"
port=${TANDEM_TEST_PG_URL##*:}
port=${port%%/*}
as=()
[ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
pg_stop() { "${as[@]}" "$bin/pg_ctl" -D "$TANDEM_PG_DIR/data" -m fast -w stop >/dev/null; }
pg_start() {
  "${as[@]}" "$bin/pg_ctl" -D "$TANDEM_PG_DIR/data" -l "$TANDEM_PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $TANDEM_PG_DIR -c fsync=off" start >/dev/null
}

db_url=$TANDEM_TEST_PG_URL
"$tandem" migrate --db "$db_url" >/dev/null || fail "migrate failed"
printf 'restart-test-password\n' |
  "$tandem" user add --db "$db_url" --email admin@restart.example --name Admin --role admin \
    >/dev/null

start_server "$tandem" --db "$db_url" --db-pool 3 --listen 127.0.0.1:0

json=(-H 'Content-Type: application/json')
check 200 POST /api/v1/auth/login "${json[@]}" \
  -d '{"email":"admin@restart.example","password":"restart-test-password"}'
token=$(grep -o '"token":"[^"]*"' "$work/body" | cut -d'"' -f4)
auth=(-H "Authorization: Bearer $token")
check 201 POST /api/v1/contacts "${auth[@]}" "${json[@]}" -d '{"email":"before@example.com"}'
id=$(grep -o '"id":[0-9]*' "$work/body" | head -1 | cut -d: -f2)

pg_stop
check 503 GET "/api/v1/contacts/$id" "${auth[@]}"
grep -q '"code":"unavailable"' "$work/body" || fail "503 body: $(cat "$work/body")"
grep -q 'PostgreSQL\|database' "$work/body" || fail "no reason in: $(cat "$work/body")"
check 503 POST /api/v1/contacts "${auth[@]}" "${json[@]}" -d '{"email":"during@example.com"}'
check 503 GET /healthz
kill -0 "$server_pid" 2>/dev/null || fail "the server died while PostgreSQL was away: $(cat "$work/serve.err")"

pg_start
check 200 GET "/api/v1/contacts/$id" "${auth[@]}"
check 201 POST /api/v1/contacts "${auth[@]}" "${json[@]}" -d '{"email":"after@example.com"}'
check 200 GET /healthz

kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
[ "$status" -eq 0 ] || fail "the server exited with $status on SIGTERM: $(cat "$work/serve.err")"
echo "PostgreSQL stopped and started under a running server: 503 while away, served again after"
