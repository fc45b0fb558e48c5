#!/bin/sh
# The BP benchmark in full: the table of every model, schedule and damping
# (TABLE_REPEATS runs each, 1 by default: the Grids runs that do not converge
# take seconds each), then the throughput part on one process and on 2 ranks
# (REPEATS runs each, 3 by default). Extra flags go to every run.
#   bench/bp_schedules.sh [build dir] [extra flags for gasworks-bench-bp]
set -eu
build=${1:-build}
[ $# -gt 0 ] && shift
bench="$build/bench/gasworks-bench-bp"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_mpi_yield_when_idle=1 OMPI_MCA_rmaps_base_oversubscribe=1
"$bench" --sections table --repeats "${TABLE_REPEATS:-1}" "$@"
"$bench" --sections throughput --repeats "${REPEATS:-3}" "$@"
mpiexec -n 2 "$bench" --sections throughput --repeats "${REPEATS:-3}" "$@"
