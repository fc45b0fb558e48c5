#!/usr/bin/env bash
# Sets up and builds gasworks with its tests and benchmarks (scripts/setup.sh),
# then runs the whole test suite. Takes the same environment variables as setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
GASWORKS_TARGETS="${GASWORKS_TARGETS:-all}" scripts/setup.sh
ctest --test-dir "${GASWORKS_BUILD_DIR:-build}" --output-on-failure -j"${GASWORKS_JOBS:-$(nproc)}" ${GASWORKS_CTEST_ARGS:-}
