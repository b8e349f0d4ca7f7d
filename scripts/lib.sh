# Shared steps of Tandem's two commands (sourced, not run).
# Installs only what is missing, so a second run costs a few seconds.

TANDEM_APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache git ca-certificates
  libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev
  libsqlite3-dev sqlite3 libspdlog-dev libfmt-dev libcli11-dev
  libsodium-dev libssl-dev libcurl4-openssl-dev libexpected-dev
  libhowardhinnant-date-dev tzdata libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev curl
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
