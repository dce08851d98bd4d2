#!/bin/sh
# run_smoke.sh FUZZER SEEDS WORK: five seconds of fuzzing, new inputs kept in WORK, not SEEDS.
set -eu
fuzzer=$1 seeds=$2 work=$3
mkdir -p "$work"
exec "$fuzzer" -max_total_time=5 -print_final_stats=1 "$work" "$seeds"
