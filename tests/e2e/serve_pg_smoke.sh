#!/usr/bin/env bash
# End to end on PostgreSQL through the real binary: a database of its own on the test server
# (TANDEM_TEST_PG_URL), `tandem migrate` and `tandem user add` on its URL, `tandem serve --db
# postgresql://...` on a free port, sign in, create and read a contact, a duplicate refused,
# then stop on SIGTERM with exit 0. Skips (77) without TANDEM_TEST_PG_URL, fails instead with
# TANDEM_TEST_PG_REQUIRED=1 (scripts/test.sh).
# Usage: serve_pg_smoke.sh PATH/TO/tandem
set -euo pipefail
tandem=$1
fail() { echo "FAIL: $*" >&2; exit 1; }
source "$(dirname "$0")/lib.sh"
if [ -z "${TANDEM_TEST_PG_URL:-}" ]; then
  [ "${TANDEM_TEST_PG_REQUIRED:-}" = 1 ] && fail "TANDEM_TEST_PG_REQUIRED=1 but TANDEM_TEST_PG_URL is not set"
  echo "SKIP: TANDEM_TEST_PG_URL is not set: no PostgreSQL server to test against"
  exit 77
fi
command -v psql >/dev/null || fail "psql is not installed (postgresql-client)"

work=$(mktemp -d)
server_pid=""
name="tandem_e2e_$$"
admin_url=$TANDEM_TEST_PG_URL
base=${admin_url%%\?*}
db_url="${base%/*}/$name"
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  psql "$admin_url" -qAtc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

psql "$admin_url" -v ON_ERROR_STOP=1 -qAtc "CREATE DATABASE $name" >/dev/null
"$tandem" migrate --db "$db_url?pool_size=2" >"$work/migrate.out" || fail "migrate failed"
grep -q "schema version" "$work/migrate.out" || fail "migrate said: $(cat "$work/migrate.out")"
printf 'smoke-test-password\n' |
  "$tandem" user add --db "$db_url" --email admin@smoke.example --name "Smoke Admin" --role admin \
    >/dev/null

# The first line on stdout names the URL; reading it blocks until the server listens.
start_server "$tandem" --db "$db_url" --db-pool 3 --listen 127.0.0.1:0
grep -q "postgresql://" <<<"$line" || fail "the server does not say it serves PostgreSQL: $line"

check 200 GET /healthz
grep -q '"status":"ok"' "$work/body" || fail "healthz body: $(cat "$work/body")"
check 401 POST /api/v1/auth/login -H 'Content-Type: application/json' \
  -d '{"email":"admin@smoke.example","password":"wrong"}'
check 200 POST /api/v1/auth/login -H 'Content-Type: application/json' \
  -d '{"email":"admin@smoke.example","password":"smoke-test-password"}'
token=$(grep -o '"token":"[^"]*"' "$work/body" | cut -d'"' -f4)
[ -n "$token" ] || fail "no token in the login answer"
auth=(-H "Authorization: Bearer $token")
json=(-H 'Content-Type: application/json')

check 201 POST /api/v1/contacts "${auth[@]}" "${json[@]}" \
  -d '{"email":" Grace@Example.COM ","first_name":"Grace","last_name":"Hopper"}'
id=$(grep -o '"id":[0-9]*' "$work/body" | head -1 | cut -d: -f2)
check 409 POST /api/v1/contacts "${auth[@]}" "${json[@]}" -d '{"email":"grace@example.com"}'
check 200 GET "/api/v1/contacts/$id" "${auth[@]}"
grep -q '"email":"grace@example.com"' "$work/body" || fail "contact body: $(cat "$work/body")"
check 200 GET "/api/v1/contacts?q=grace" "${auth[@]}"
grep -q "\"id\":$id" "$work/body" || fail "search body: $(cat "$work/body")"
# The row is in the PostgreSQL database, not in a SQLite file somewhere.
[ "$(psql "$db_url" -qAtc "SELECT count(*) FROM contacts WHERE email = 'grace@example.com'")" = 1 ] ||
  fail "the contact is not in the PostgreSQL database"

kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
[ "$status" -eq 0 ] || fail "the server exited with $status on SIGTERM: $(cat "$work/serve.err")"
echo "serve smoke test on PostgreSQL passed"
