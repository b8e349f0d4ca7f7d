#!/usr/bin/env bash
# End to end through the real binary: migrate, add an admin, serve on a free port, sign in,
# create and read a contact, check bad input is refused, then stop on SIGTERM with exit 0.
# Usage: serve_smoke.sh PATH/TO/tandem
set -euo pipefail
tandem=$1
work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
source "$(dirname "$0")/lib.sh"

db="$work/smoke.db"
"$tandem" migrate --db "$db" >/dev/null
printf 'smoke-test-password\n' |
  "$tandem" user add --db "$db" --email admin@smoke.example --name "Smoke Admin" --role admin >/dev/null

# The first line on stdout names the URL; reading it blocks until the server listens.
start_server "$tandem" --db "$db" --listen 127.0.0.1:0


check 200 GET /healthz
grep -q '"status":"ok"' "$work/body" || fail "healthz body: $(cat "$work/body")"
check 401 GET /api/v1/contacts
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
check 400 POST /api/v1/contacts "${auth[@]}" "${json[@]}" -d '{"email":'
check 415 POST /api/v1/contacts "${auth[@]}" -H 'Content-Type: text/plain' -d 'x'
check 200 GET "/api/v1/contacts/$id" "${auth[@]}"
grep -q '"email":"grace@example.com"' "$work/body" || fail "contact body: $(cat "$work/body")"
check 422 POST "/api/v1/contacts/$id/stage" "${auth[@]}" "${json[@]}" -d '{"stage":"visitor"}'
check 200 POST "/api/v1/contacts/$id/stage" "${auth[@]}" "${json[@]}" -d '{"stage":"mql"}'
check 200 GET "/api/v1/contacts/$id/timeline" "${auth[@]}"
grep -q '"to":"mql"' "$work/body" || fail "timeline body: $(cat "$work/body")"
check 200 GET "/api/v1/contacts?stage=mql" "${auth[@]}"
grep -q "\"id\":$id" "$work/body" || fail "list body: $(cat "$work/body")"
check 200 GET /api/v1/openapi.json
check 200 GET /metrics
grep -q '^tandem_http_requests_total' "$work/body" || fail "metrics lack request counts"

kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
[ "$status" -eq 0 ] || fail "the server exited with $status on SIGTERM: $(cat "$work/serve.err")"
echo "serve smoke test passed"
