# Shared by scripts/demo and scripts/test: install what is missing, then build.
# Sourced, not run. Quiet when nothing is missing.

DOSSIER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOSSIER_PACKAGES=(
  cmake g++ make pkg-config
  libxapian-dev xapian-tools
  libboost-program-options-dev libfmt-dev nlohmann-json3-dev
  libicu-dev libarchive-dev zlib1g-dev libgtest-dev
  gzip bzip2 xz-utils zstd python3 gnuplot-nox xapian-omega
)

# Installs the Debian packages above that are not installed yet (needs root or sudo).
dossier_install_deps() {
  local missing=() p
  for p in "${DOSSIER_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "dossier: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# dossier_build DIR BUILD_TYPE [cmake args...]: configures (once) and builds everything.
dossier_build() {
  local dir="$1" type="$2"
  shift 2
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S "$DOSSIER_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  fi
  cmake --build "$dir" -j "$(nproc)" -- --no-print-directory >"$dir.log" 2>&1 || {
    tail -50 "$dir.log" >&2
    echo "dossier: build failed (full log: $dir.log)" >&2
    return 1
  }
}
