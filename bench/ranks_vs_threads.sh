#!/bin/sh
# One process with 2 threads against 2 ranks with 1 thread each, same graph,
# alternating runs so that both see the same machine state. Prints each run's
# median time per superstep and the ratio of the medians of all runs.
#   bench/ranks_vs_threads.sh [build dir] [extra flags for gasworks-bench-ranks]
set -eu
build=${1:-build}
[ $# -gt 0 ] && shift
bench="$build/bench/gasworks-bench-ranks"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_mpi_yield_when_idle=1
rounds=${ROUNDS:-3}
one="" two=""
for round in $(seq "$rounds"); do
  a=$("$bench" --threads 2 "$@" | sed -n 's/.*"median_ms_per_superstep":\([0-9.]*\).*/\1/p')
  json=$(mpiexec -n 2 "$bench" --threads 1 "$@" | grep '^{')
  b=$(echo "$json" | sed -n 's/.*"median_ms_per_superstep":\([0-9.]*\).*/\1/p')
  bytes=$(echo "$json" | sed -n 's/.*"bytes_per_superstep_per_rank":\([0-9]*\).*/\1/p')
  echo "round $round: 1 process x 2 threads $a ms, 2 ranks x 1 thread $b ms ($bytes bytes sent per superstep per rank)"
  one="$one $a" two="$two $b"
done
median() { printf '%s\n' $1 | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
m1=$(median "$one") m2=$(median "$two")
echo "median: 1 process $m1 ms, 2 ranks $m2 ms, ratio $(echo "$m2 $m1" | awk '{printf "%.2f", $1/$2}')"
