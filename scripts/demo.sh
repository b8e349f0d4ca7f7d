#!/usr/bin/env bash
# Quick start: install what is missing, build, load the demo company into SQLite, and serve it.
#   ./scripts/demo.sh                      # http://127.0.0.1:8080
#   TANDEM_LISTEN=0.0.0.0:9000 ./scripts/demo.sh
#   TANDEM_DEMO_CONTACTS=1000000 ./scripts/demo.sh   (a bigger company, in its own file)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

install_packages
build build/release Release -DTANDEM_TESTS=OFF -DTANDEM_BENCH=OFF
web_root=()
if build_dashboard; then
  web_root=(--web-root web/dist)
else
  log "The dashboard did not build: serving the API only"
fi

contacts=${TANDEM_DEMO_CONTACTS:-20000}
db=${TANDEM_DEMO_DB:-demo/tandem-demo-$contacts.db}
listen=${TANDEM_LISTEN:-127.0.0.1:8080}
mkdir -p "$(dirname "$db")"
if [ ! -f "$db" ]; then
  log "Loading the demo company ($contacts contacts) into $db"
  ./build/release/src/tandem demo --db "$db" --contacts "$contacts" > "$db.logins.txt"
fi
cat "$db.logins.txt"
log "Starting Tandem on $listen (Ctrl-C stops it)"
exec ./build/release/src/tandem serve --db "$db" --listen "$listen" "${web_root[@]}"
