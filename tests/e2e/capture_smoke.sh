#!/usr/bin/env bash
# Web capture end to end through the real binary: `tandem form add` and `tandem site add`,
# serve on a free port, check /t.js is served as JavaScript and parses (node --check when node
# is installed), post the form as a browser would (303) and as fetch would (JSON), and refuse a
# foreign origin.
# Usage: capture_smoke.sh PATH/TO/tandem
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

db="$work/capture.db"
"$tandem" migrate --db "$db" >/dev/null
"$tandem" form add --db "$db" --name "Demo request" --field email:email \
  --field name:first_name:required --origin https://www.acme.example \
  --redirect https://www.acme.example/thanks --utm-campaign smoke >"$work/form.txt"
form=$(grep -o 'f_[A-Za-z0-9_-]*' "$work/form.txt" | head -1)
[ -n "$form" ] || fail "no public id in: $(cat "$work/form.txt")"
"$tandem" form list --db "$db" | grep -q "$form" || fail "form list does not show $form"
"$tandem" site add --db "$db" --name www --origin https://www.acme.example >"$work/site.txt"
grep -q 'data-key site_' "$work/site.txt" || fail "site add: $(cat "$work/site.txt")"

start_server "$tandem" --db "$db" --listen 127.0.0.1:0
url=${url%/}

code=$(curl -s -o "$work/t.js" -w '%{http_code} %{content_type}' "$url/t.js")
[ "$code" = "200 text/javascript; charset=utf-8" ] || fail "/t.js answered $code"
if command -v node >/dev/null; then
  node --check "$work/t.js" || fail "/t.js does not parse"
fi

post() {  # post EXPECTED_STATUS [curl args...]
  local want=$1
  shift
  local got
  got=$(curl -s -o "$work/body" -D "$work/headers" -w '%{http_code}' -X POST "$url/f/$form" "$@")
  [ "$got" = "$want" ] || fail "POST /f/$form answered $got, expected $want: $(cat "$work/body")"
}
post 303 -H 'Origin: https://www.acme.example' --data 'email=ada%40example.com&name=Ada'
grep -qi '^location: https://www.acme.example/thanks' "$work/headers" || fail "no redirect"
post 200 -H 'Accept: application/json' -H 'Content-Type: application/json' \
  -d '{"email":"grace@example.com","name":"Grace"}'
grep -q '"ok":true' "$work/body" || fail "fetch answer: $(cat "$work/body")"
post 422 --data 'email=ada%40example.com'
post 403 -H 'Origin: https://evil.example' --data 'email=eve%40example.com&name=Eve'
"$tandem" form show --db "$db" "$form" | grep -q 'latest 2 submission' ||
  fail "form show: $("$tandem" form show --db "$db" "$form")"
echo "capture smoke: ok ($(wc -c <"$work/t.js") bytes of t.js)"
