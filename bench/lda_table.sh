#!/bin/sh
# The LDA benchmark in full, on the corpora in ../shared/datasets: AP at
# K = 20, 100 and 1000 (100 sweeps) and 20 Newsgroups at K = 100 and 1000
# (50 sweeps), every engine setting (the synchronous engine with 1, 2, 4
# and 8 parts, the asynchronous engine) on 2 threads beside the serial dense
# reference, then the default setting on 1 thread and under mpiexec -n 2.
#   bench/lda_table.sh [build dir] [datasets dir]
set -eu
build=${1:-build}
data=${2:-../shared/datasets}
bench="$build/bench/gasworks-bench-lda"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_mpi_yield_when_idle=1 OMPI_MCA_rmaps_base_oversubscribe=1
ap="$data/corpora/ap/docword.ap.txt"
news="$data/corpora/20news/docword.20news.txt.gz"
"$bench" --corpus "$ap" --topics 20,100,1000 --sweeps 100 --reference-sweeps 100 --parts 1,2,4,8 --engines sync,async --threads 2
"$bench" --corpus "$news" --topics 100,1000 --sweeps 50 --reference-sweeps 50 --parts 1,2,4,8 --engines sync,async --threads 2
"$bench" --corpus "$ap" --topics 20,100,1000 --sweeps 100 --reference-sweeps 0 --threads 1
mpiexec -n 2 "$bench" --corpus "$ap" --topics 20,100,1000 --sweeps 100 --reference-sweeps 0 --threads 1
"$bench" --corpus "$news" --topics 100,1000 --sweeps 50 --reference-sweeps 0 --threads 1
mpiexec -n 2 "$bench" --corpus "$news" --topics 100,1000 --sweeps 50 --reference-sweeps 0 --threads 1
