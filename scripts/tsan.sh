#!/usr/bin/env bash
# Runs the tests of the engine, the toolkits, the readers and the
# partitioners under ThreadSanitizer:
#   scripts/tsan.sh [ctest arguments]
# oneTBB's scheduler hands tasks to its workers inside libtbb; built without
# the sanitizer, that hand-over is invisible to ThreadSanitizer and every
# task would look like a race with the thread that spawned it. So the script
# first builds Debian's own oneTBB source package — the version libtbb-dev
# has installed — with TBB_SANITIZE=thread (about 15 s, kept in
# build-tsan/onetbb), and links the tests against it. A canary proves that
# races are still caught: a vertex program with a data race must be
# reported, its atomic counterpart must not (tests/tsan/race_canary.cpp).
# The tests under mpiexec are left to the other builds: Open MPI is not
# instrumented.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${GASWORKS_TSAN_BUILD_DIR:-build-tsan}"
jobs="${GASWORKS_JOBS:-$(nproc)}"

# dpkg-dev unpacks the source package and applies Debian's patches.
GASWORKS_EXTRA_PACKAGES="dpkg-dev" GASWORKS_ONLY_PACKAGES=1 scripts/setup.sh

tbb="$PWD/$build/onetbb"
if [ ! -f "$tbb/installed" ]; then
  rm -rf "$tbb" && mkdir -p "$tbb/apt/lists/partial" "$tbb/apt/sources" "$tbb/source"
  # The system's Debian sources as source-package sources, in a private apt
  # state: the machine's own configuration stays untouched.
  [ ! -f /etc/apt/sources.list.d/debian.sources ] ||
    sed 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$tbb/apt/sources/debian.sources"
  [ ! -f /etc/apt/sources.list ] || sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >"$tbb/apt/sources/debian.list"
  apt_private=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$tbb/apt/sources"
    -o Dir::State::Lists="$tbb/apt/lists")
  [ "$(id -u)" -ne 0 ] || apt_private+=(-o APT::Sandbox::User=root)
  apt-get "${apt_private[@]}" update -qq
  version="$(dpkg-query -W -f='${source:Version}' libtbb-dev)"
  (cd "$tbb/source" && apt-get "${apt_private[@]}" source -qq "onetbb=$version" >/dev/null)
  source_dir="$(find "$tbb/source" -mindepth 1 -maxdepth 1 -type d -name 'onetbb-*' | head -n 1)"
  cmake -S "$source_dir" -B "$tbb/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTBB_SANITIZE=thread \
    -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF -DTBBMALLOC_BUILD=OFF -DTBB_STRICT=OFF \
    -DCMAKE_INSTALL_PREFIX="$tbb/install" >/dev/null
  cmake --build "$tbb/build" -j"$jobs" >/dev/null
  cmake --install "$tbb/build" >/dev/null
  touch "$tbb/installed"
fi

# shellcheck disable=SC2086  # extra arguments are meant to split
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGASWORKS_THREAD_SANITIZER=ON \
  -DGASWORKS_BUILD_BENCH=OFF -DCMAKE_PREFIX_PATH="$tbb/install" ${GASWORKS_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j"$jobs" --target test_engine test_toolkits test_io test_partition gasworks-test-race-canary
# halt_on_error: a report fails its test at once, with the report in ctest's output.
# Left out: the runs on the largest inputs (the AP corpus, soc-Epinions1),
# four minutes under the sanitizer; the same code runs on smaller inputs.
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
ctest --test-dir "$build" --output-on-failure -j"$jobs" -L 'engine|toolkits|io|partition|tsan' \
  -E 'OnAp$|socEpinions1' "$@"
