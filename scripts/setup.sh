#!/usr/bin/env bash
# Installs the Debian packages gasworks needs (only those missing), then
# configures gasworks and builds the gasworks command.
#   GASWORKS_BUILD_DIR   build folder (default: build)
#   GASWORKS_CMAKE_ARGS  extra arguments for cmake's configure step
#   GASWORKS_TARGETS     what to build (default: the gasworks command; "all"
#                        builds tests and benchmarks too, as scripts/test.sh does)
#   GASWORKS_EXTRA_PACKAGES  more Debian packages to install (scripts/fuzz.sh: clang)
#   GASWORKS_ONLY_PACKAGES   when set, install the packages and stop
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ make cmake pkg-config
  libboost-graph-dev libboost-mpi-dev libboost-program-options-dev
  libopenmpi-dev openmpi-bin libtbb-dev libeigen3-dev libmetis-dev libgtest-dev zlib1g-dev libpng-dev
)
# shellcheck disable=SC2206  # a list of package names
packages+=(${GASWORKS_EXTRA_PACKAGES:-})
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing missing packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ -z "${GASWORKS_ONLY_PACKAGES:-}" ] || exit 0

build_dir="${GASWORKS_BUILD_DIR:-build}"
# shellcheck disable=SC2086  # extra arguments are meant to split
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${GASWORKS_BUILD_TYPE:-Release}" ${GASWORKS_CMAKE_ARGS:-} >/dev/null
# shellcheck disable=SC2086  # a list of targets
cmake --build "$build_dir" -j"${GASWORKS_JOBS:-$(nproc)}" --target ${GASWORKS_TARGETS:-gasworks-cli}
