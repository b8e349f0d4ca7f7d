# Shared steps of Tandem's two commands (sourced, not run).
# Installs only what is missing, so a second run costs a few seconds.

TANDEM_APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache git ca-certificates
  libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev
  libsqlite3-dev sqlite3 libspdlog-dev libfmt-dev libcli11-dev
  libsodium-dev libssl-dev libcurl4-openssl-dev libexpected-dev
  libhowardhinnant-date-dev tzdata libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev curl
  libpq-dev postgresql-15
  clang-14 libclang-rt-14-dev llvm-14
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# install_packages [extra apt packages...]
install_packages() {
  local wanted=("${TANDEM_APT_PACKAGES[@]}" "$@") missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "All system packages are present"
    return
  fi
  log "Installing ${#missing[@]} packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# build DIR BUILD_TYPE [cmake options...]
build() {
  local dir=$1 type=$2
  shift 2
  log "Building Tandem ($type) in $dir"
  # Compiler results are shared between clones of the project: paths are taken relative to the
  # checkout, and the build folder does not enter the hash.
  export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache} CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  local jobs
  jobs=$(nproc)
  ninja -C "$dir" -j "$jobs" | { grep -vE '^\[[0-9]+/[0-9]+\] ' || true; }
  return "${PIPESTATUS[0]}"
}

# build_sanitized DIR [targets...]: the sanitizer and fuzzing build (docs/reliability.md):
# clang 14, AddressSanitizer + UndefinedBehaviorSanitizer (halting on the first finding) and
# libFuzzer's coverage in every library, tests on, benchmarks off; -O1 with line tables only
# (what the sanitizers' reports need), so it compiles faster than the normal build. Builds only
# the given targets.
build_sanitized() {
  local dir=$1
  shift
  log "Building the sanitized tests and the fuzz targets (clang 14, ASan+UBSan) in $dir"
  export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache} CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DTANDEM_TESTS=ON -DTANDEM_BENCH=OFF -DTANDEM_FUZZ=ON >/dev/null
  ninja -C "$dir" -j "$(nproc)" "$@" | { grep -vE '^\[[0-9]+/[0-9]+\] ' || true; }
  return "${PIPESTATUS[0]}"
}

# What the sanitized programs do on a finding: stop at the first one with a symbolized stack.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-/usr/lib/llvm-14/bin/llvm-symbolizer}

# build_dashboard [--with-browser]: builds the web dashboard (web/ -> web/dist), installing
# Node.js when it is missing (Debian 12's nodejs 18 is enough), and Chromium for the browser
# tests with --with-browser. `npm ci` runs when web/node_modules is missing or older than the
# lockfile.
build_dashboard() {
  local missing=()
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
  if [ "${1:-}" = "--with-browser" ] && [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
  if [ ${#missing[@]} -gt 0 ]; then
    log "Installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
  log "Building the dashboard (web/dist)"
  (
    cd web
    if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
      npm ci --no-audit --no-fund --loglevel=error
    fi
    npm run --silent build
  )
}

# start_test_postgres: starts a throw-away PostgreSQL 15 cluster for the tests (initdb and
# pg_ctl as the postgres user when run as root, 127.0.0.1 on a free port, everything in a temp
# dir, durability off) and exports TANDEM_TEST_PG_URL. stop_test_postgres stops it and removes
# the dir; callers trap it so a failure stops the cluster too. With TANDEM_PG_DURABLE=1 the
# cluster keeps PostgreSQL's durable defaults (fsync, synchronous_commit, full_page_writes on):
# for benchmarks whose figures should include the disk flushes (docs/performance.md).
TANDEM_PG_DIR=""
start_test_postgres() {
  local bin=/usr/lib/postgresql/15/bin
  [ -x "$bin/initdb" ] || { log "PostgreSQL 15 is not installed ($bin)"; return 1; }
  TANDEM_PG_DIR=$(mktemp -d /tmp/tandem-pg.XXXXXX)
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$TANDEM_PG_DIR"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$TANDEM_PG_DIR/data" -A trust -U postgres -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$TANDEM_PG_DIR/initdb.log" 2>&1 ||
    { cat "$TANDEM_PG_DIR/initdb.log" >&2; return 1; }
  # A free port: a random one nothing answers on; should the server still fail to bind it (taken
  # in between), another one.
  local port tries durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${TANDEM_PG_DURABLE:-0}" = 1 ] && durability=""
  for tries in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 40000))
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
    if "${as[@]}" "$bin/pg_ctl" -D "$TANDEM_PG_DIR/data" -l "$TANDEM_PG_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $TANDEM_PG_DIR -c max_connections=300 $durability" \
      start >/dev/null; then
      break
    fi
    port=""
  done
  [ -n "$port" ] || { cat "$TANDEM_PG_DIR/server.log" >&2; return 1; }
  log "Started a throw-away PostgreSQL 15 on 127.0.0.1:$port ($TANDEM_PG_DIR${durability:+, fsync off})"
  export TANDEM_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
}

stop_test_postgres() {
  [ -n "$TANDEM_PG_DIR" ] && [ -d "$TANDEM_PG_DIR" ] || return 0
  local as=()
  [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
  "${as[@]}" /usr/lib/postgresql/15/bin/pg_ctl -D "$TANDEM_PG_DIR/data" -m immediate -w stop \
    >/dev/null 2>&1 || true
  rm -rf "$TANDEM_PG_DIR"
  TANDEM_PG_DIR=""
}
