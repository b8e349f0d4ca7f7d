# Shared by the end-to-end scripts: start a real `tandem serve` and call it. The sourcing script
# defines `fail MESSAGE` and `work` (its temp dir), and stops "$server_pid" on exit.

# start_server TANDEM SERVE-ARGS...: runs `TANDEM serve SERVE-ARGS...`, stderr to $work/serve.err,
# and sets server_pid, line (the first line it prints: reading it waits until it listens) and url
# (from that line).
start_server() {
  local tandem=$1
  shift
  exec 3< <(exec "$tandem" serve "$@" 2>"$work/serve.err")
  server_pid=$!
  read -r -t 30 line <&3 || fail "the server printed no URL: $(cat "$work/serve.err")"
  url=$(grep -o 'http://[^ ]*' <<<"$line") || fail "no URL in: $line"
}

check() {  # check EXPECTED_STATUS METHOD PATH [curl args...]
  local want=$1 method=$2 path=$3
  shift 3
  local got
  got=$(curl -s -o "$work/body" -w '%{http_code}' -X "$method" "${url%/}$path" "$@")
  [ "$got" = "$want" ] || fail "$method $path answered $got, expected $want: $(cat "$work/body")"
}
