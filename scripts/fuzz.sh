#!/usr/bin/env bash
# Fuzzes every input reader with libFuzzer (clang, AddressSanitizer and
# UndefinedBehaviorSanitizer) for a bounded time each:
#   scripts/fuzz.sh [seconds per reader (default 30)] [reader ...]
# Installs clang and its fuzzer runtime if missing, builds the targets in
# build-fuzz/ (GASWORKS_FUZZ_BUILD_DIR), seeds each corpus from
# tests/fuzz/seeds/<reader> and the regression inputs, and runs them, as many
# at once as there are cores (GASWORKS_JOBS). A
# finding (crash, sanitizer report, uncaught exception, timeout, memory
# blow-up) is saved under build-fuzz/findings/<reader>/ and makes the
# script fail: keep it in tests/fuzz/regressions/<reader>/ once fixed, where
# the test FuzzRegressions runs it in every build.
#
# GASWORKS_FUZZ_SEED fixes libFuzzer's random seed (default 0: a new seed per
# run). CI fixes it, so a submission's fuzz stage replays the same inputs
# (those it reaches in its time) and passes or fails reproducibly; run the
# script with fresh seeds to search further.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
seed="${GASWORKS_FUZZ_SEED:-0}"
[ $# -gt 0 ] && shift
readers=("$@")
[ ${#readers[@]} -gt 0 ] || readers=(snap csv adj mtx ratings pairs uci text_corpus uai evidence mar libdai libsvm image
  regression_csv regression_mtx regression_target checkpoint_manifest checkpoint_state)

GASWORKS_EXTRA_PACKAGES="clang libclang-rt-14-dev" GASWORKS_TARGETS="" \
  GASWORKS_ONLY_PACKAGES=1 scripts/setup.sh
build="${GASWORKS_FUZZ_BUILD_DIR:-build-fuzz}"
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGASWORKS_FUZZ=ON \
  -DGASWORKS_BUILD_TESTS=OFF -DGASWORKS_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"${GASWORKS_JOBS:-$(nproc)}" --target $(printf 'fuzz_%s ' "${readers[@]}")

# One reader per core at a time: each run is a single process, so the
# readers share the machine's cores instead of queueing on one.
fuzz_reader() {
  local reader="$1" corpus="$build/corpus/$1" findings="$build/findings/$1" report
  mkdir -p "$corpus" "$findings"
  cp -n tests/fuzz/seeds/"$reader"/* "$corpus"/ 2>/dev/null || true
  cp -n tests/fuzz/regressions/"$reader"/* "$corpus"/ 2>/dev/null || true
  # 2 s per input is a hang for files this small; 512 MB of allocation is a
  # header believed without checking.
  if "$build/tests/fuzz/fuzz_$reader" "$corpus" -max_total_time="$seconds" -seed="$seed" -timeout=2 -malloc_limit_mb=512 \
      -rss_limit_mb=2048 -max_len=4096 -artifact_prefix="$findings/" -print_final_stats=1 \
      >"$build/fuzz_$reader.log" 2>&1; then
    echo "fuzz $reader: $(grep -E '^stat::number_of_executed_units' "$build/fuzz_$reader.log" | awk '{print $2}') inputs, no finding"
  else
    # One write, so that readers finishing together do not interleave.
    report="fuzz $reader: FINDING (see $build/fuzz_$reader.log and $findings/)"$'\n'"$(tail -n 30 "$build/fuzz_$reader.log")"
    echo "$report"
    return 1
  fi
}

status=0
jobs_at_once="${GASWORKS_JOBS:-$(nproc)}"
running=0
for reader in "${readers[@]}"; do
  if [ "$running" -ge "$jobs_at_once" ]; then
    wait -n || status=1
    running=$((running - 1))
  fi
  fuzz_reader "$reader" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || status=1
  running=$((running - 1))
done
exit $status
