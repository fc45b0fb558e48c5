#!/usr/bin/env bash
# Kills checkpointed runs at random moments and checks that resuming them
# gives the output of an uninterrupted run: byte for byte on the synchronous
# engine, within 1e-9 on the asynchronous one.
#
#   kill_and_resume.sh GASWORKS MPIEXEC GRAPH [SEED]
#
# For each case (pagerank in fixed, dynamic and asynchronous modes, als,
# sgd; one process and two ranks under mpiexec) it runs the command once
# without checkpoints for the reference output, then, per kill point:
# starts the command with a checkpoint after every step, waits for its
# first checkpoint, sleeps a seeded random part of the run's remaining time,
# sends SIGKILL (to one of the two ranks under mpiexec: the job must then end
# within 10 s), resumes with --resume and compares the outputs. A kill that
# lands after the run ended is not counted (the case tries again, up to
# three times as often as it wants kills); the script fails when fewer than
# 20 kills landed.
set -u
gasworks=$1
mpiexec=$2
graph=$3
seed=${4:-20261202}
RANDOM=$seed

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_mpi_yield_when_idle=1
export OMPI_MCA_rmaps_base_oversubscribe=1 ASAN_OPTIONS=detect_leaks=0
work=$(mktemp -d "${TMPDIR:-/tmp}/gasworks_crash.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Ratings of 400 users and 250 items from a fixed linear congruential sequence.
awk 'BEGIN { x = 12345; for (n = 0; n < 12000; ++n) {
  x = (x * 1103515245 + 12345) % 2147483648; u = x % 400
  x = (x * 1103515245 + 12345) % 2147483648; i = x % 250
  x = (x * 1103515245 + 12345) % 2147483648; r = 1 + (u * 7 + i * 3 + x % 2) % 5
  print u "\t" i "\t" r } }' > "$work/ratings.tsv"

failures=0
kills=0
resumed=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }

# launch RANKS ARGS...: starts the command in the background; sets $pid.
launch() {
  local ranks=$1
  shift
  if [ "$ranks" -eq 1 ]; then
    "$gasworks" "$@" > "$work/log" 2>&1 &
  else
    "$mpiexec" -n "$ranks" "$gasworks" "$@" > "$work/log" 2>&1 &
  fi
  pid=$!
}

# run RANKS ARGS...: runs the command to its end; fails the case on an error.
run() {
  local ranks=$1
  shift
  if [ "$ranks" -eq 1 ]; then
    timeout 300 "$gasworks" "$@" > "$work/log" 2>&1
  else
    timeout 300 "$mpiexec" -n "$ranks" "$gasworks" "$@" > "$work/log" 2>&1
  fi
}

# The processes to kill: the command itself, or one rank of the job.
victim() {
  local ranks=$1
  if [ "$ranks" -eq 1 ]; then
    echo "$pid"
  else
    # mpiexec starts the ranks as its children; kill the last one.
    pgrep -P "$pid" -x gasworks | tail -n 1
  fi
}

# Whether two 'id<TAB>value' files hold the same ids with values within 1e-9
# of each other (the asynchronous engine resumes to the same answer within
# its tolerance, not to the same bits).
close_enough() {
  paste "$1" "$2" | awk -F '\t' '$1 != $3 { bad = 1 } { d = $2 - $4; if (d < 0) d = -d; if (d > 1e-9) bad = 1 }
    END { exit bad }'
}

# case_run NAME RANKS KILLS COMPARE OUTPUTS ARGS...: KILLS is how many kills
# should land in a running job; COMPARE is "exact" (byte for byte) or
# "close" (close_enough); OUTPUTS is a list of file suffixes that the
# command writes beside $work/out (e.g. ".users .items").
case_run() {
  local name=$1 ranks=$2 count=$3 compare=$4 outputs=$5
  shift 5
  local t0 ref_seconds
  rm -rf "$work/ref" "$work/run"
  mkdir -p "$work/ref" "$work/run"
  t0=$(now)
  if ! run "$ranks" "$@" --out "$work/ref/out" --quiet; then
    fail "$name: the uninterrupted run failed: $(cat "$work/log")"
    return
  fi
  # The checkpointed run takes longer than the plain one: time it once.
  t0=$(now)
  run "$ranks" "$@" --out "$work/run/out" --checkpoint "$work/ck" --quiet || fail "$name: checkpointed run failed"
  ref_seconds=$(seconds_since "$t0")
  rm -rf "$work/ck"
  local landed=0
  for ((k = 0; landed < count && k < 3 * count; ++k)); do
    rm -rf "$work/ck" "$work/run"
    mkdir -p "$work/run"
    launch "$ranks" "$@" --out "$work/run/out" --checkpoint "$work/ck" --quiet
    t0=$(now)
    # Wait for the first complete checkpoint, then a random part of the rest.
    while ! ls "$work"/ck/step-*/manifest > /dev/null 2>&1 && kill -0 "$pid" 2> /dev/null; do sleep 0.01; done
    local fraction=$((RANDOM % 70 + 5))
    sleep "$(awk -v s="$ref_seconds" -v t="$(seconds_since "$t0")" -v f="$fraction" \
      'BEGIN { r = (s - t) * f / 100; if (r < 0) r = 0; printf "%.3f", r }')"
    local target
    target=$(victim "$ranks")
    if [ -z "$target" ] || ! kill -9 "$target" 2> /dev/null; then
      wait "$pid" 2> /dev/null
      echo "  $name: kill point $k (at ${fraction}% of the rest) came after the run ended"
      continue
    fi
    local killed_at
    killed_at=$(now)
    # The job must end by itself (mpiexec aborts the other rank).
    local waited=0
    while kill -0 "$pid" 2> /dev/null && [ "$waited" -lt 1000 ]; do
      sleep 0.01
      waited=$((waited + 1))
    done
    if kill -0 "$pid" 2> /dev/null; then
      fail "$name: the job was still running 10 s after one rank was killed"
      kill -9 "$pid" 2> /dev/null
    fi
    wait "$pid" 2> /dev/null
    local ended
    ended=$(seconds_since "$killed_at")
    kills=$((kills + 1))
    landed=$((landed + 1))
    if ! run "$ranks" "$@" --out "$work/run/out" --checkpoint "$work/ck" --resume "$work/ck"; then
      fail "$name: the resume after kill point $k failed: $(cat "$work/log")"
      continue
    fi
    local from
    from=$(grep -o 'resuming from the checkpoint after [a-z ]*[0-9]*' "$work/log" | grep -o '[0-9]*$')
    [ -n "$from" ] && resumed=$((resumed + 1))
    local same=yes
    for suffix in $outputs; do
      if [ "$compare" = exact ]; then
        cmp -s "$work/ref/out$suffix" "$work/run/out$suffix" || same=no
      else
        close_enough "$work/ref/out$suffix" "$work/run/out$suffix" || same=no
      fi
    done
    echo "  $name: kill point $k at ${fraction}% of the rest: job ended ${ended} s after the kill, resumed after step ${from:-none}, outputs the same ($compare): $same"
    [ "$same" = yes ] || fail "$name: outputs differ after resuming at step ${from:-none}"
  done
}

echo "gasworks crash test: seed $seed"
case_run "pagerank, 1 process" 1 4 exact "" pagerank --graph "$graph" --iterations 150 --threads 2
case_run "dynamic pagerank, 1 process" 1 3 exact "" pagerank --graph "$graph" --dynamic --tol 1e-12 --threads 1
case_run "pagerank, 2 ranks" 2 4 exact "" pagerank --graph "$graph" --iterations 60 --threads 1
case_run "async pagerank, 1 process" 1 3 close "" pagerank --graph "$graph" --engine async --tol 1e-11 --threads 2
case_run "async pagerank, 2 ranks" 2 3 close "" pagerank --graph "$graph" --engine async --tol 1e-11 --threads 1
case_run "als, 1 process" 1 4 exact ".users .items .biases" als --ratings "$work/ratings.tsv" --iterations 25 --rank 8
case_run "sgd, 1 process" 1 3 exact ".users .items .biases" sgd --ratings "$work/ratings.tsv" --iterations 60 --rank 8
case_run "als, 2 ranks" 2 4 exact ".users .items .biases" als --ratings "$work/ratings.tsv" --iterations 12 --rank 8 --threads 1

echo "kills: $kills, of which $resumed resumed from a checkpoint; failures: $failures"
[ "$kills" -ge 20 ] || fail "only $kills kills landed (at least 20 wanted)"
[ "$failures" -eq 0 ] && echo "crash test passed"
exit $((failures > 0))
