#!/bin/sh
# Candor against SurveyJS on the hotel-stay card, and the 5,000-question parse.
#   tests/bench/survey/run.sh [CHECK_BENCH PARSE_BENCH]
# Without arguments it builds both in ${BUILD_DIR:-build-bench} (g++ Release,
# -DCANDOR_BENCH=ON). Also run by `cmake --build build-bench --target bench_schema`.
# C++: 5 repetitions, medians. SurveyJS: `npm ci` of the pinned survey-core, then
# ${SURVEYJS_RUNS:-5} runs of surveyjs/check.js, median; skipped (not failed) when
# node, npm or the registry is unavailable.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)

if [ $# -ge 2 ]; then
  check_bench=$1 parse_bench=$2
else
  build=${BUILD_DIR:-$root/build-bench}
  [ -f "$build/CMakeCache.txt" ] ||
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCANDOR_BENCH=ON
  cmake --build "$build" --target check_bench parse_bench -j"${JOBS:-2}"
  check_bench=$build/tests/bench/survey/check_bench
  parse_bench=$build/tests/bench/survey/parse_bench
fi
command -v python3 >/dev/null || { echo "run.sh needs python3 to read the results" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/candor-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
reps="--benchmark_repetitions=5 --benchmark_report_aggregates_only=true"

# median NAME FIELD FILE: the median aggregate of one benchmark from a JSON report.
median() {
  python3 -c '
import json, sys
name, field, path = sys.argv[1:]
for b in json.load(open(path))["benchmarks"]:
    if b.get("run_name") == name and b.get("aggregate_name") == "median":
        print(b[field]); break
else:
    sys.exit("no median for " + name)' "$@"
}

echo "== Candor: response::check of hotel-stay responses"
"$check_bench" --responses_out="$work/hotel.jsonl" $reps \
  --benchmark_out="$work/check.json" --benchmark_out_format=json
cpp_per_second=$(median BM_check_hotel_card items_per_second "$work/check.json")
cpp_rejected=$(grep -vc '^accepted$' "$work/hotel.jsonl.verdicts" || true)
cpp_total=$(wc -l < "$work/hotel.jsonl")

echo "== Candor: survey::parse of a 5,000-question survey"
"$parse_bench" $reps --benchmark_out="$work/parse.json" --benchmark_out_format=json
# Wall and CPU time both: on a shared machine the wall clock also counts other jobs.
parse_ms=$(median BM_parse_5000_questions real_time "$work/parse.json")
parse_cpu_ms=$(median BM_parse_5000_questions cpu_time "$work/parse.json")
parse_check_ms=$(median BM_parse_and_check_5000_questions real_time "$work/parse.json")
parse_check_cpu_ms=$(median BM_parse_and_check_5000_questions cpu_time "$work/parse.json")

echo "== SurveyJS: survey-core under node"
peer=${PEER_DIR:-$(dirname "$check_bench")/surveyjs}
sjs_per_second="" sjs_rejected="" sjs_note=""
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  sjs_note="skipped: node or npm is not installed"
else
  mkdir -p "$peer"
  cp "$here/surveyjs/package.json" "$here/surveyjs/package-lock.json" \
     "$here/surveyjs/check.js" "$here/surveyjs/hotel-stay.json" "$peer/"
  if ! (cd "$peer" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>"$work/npm.log"); then
    sed 's/^/  npm: /' "$work/npm.log" | tail -5
    sjs_note="skipped: npm ci failed (offline, or the registry is unreachable)"
  else
    runs=${SURVEYJS_RUNS:-5}
    i=0
    : > "$work/sjs.txt"
    while [ $i -lt "$runs" ]; do
      i=$((i + 1))
      node "$peer/check.js" "$work/hotel.jsonl" | tee -a "$work/sjs.txt" | sed "s/^/  run $i: /"
    done
    sjs_per_second=$(sed -n 's/.*per_second=\([0-9]*\).*/\1/p' "$work/sjs.txt" | sort -n |
                     awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    sjs_rejected=$(sed -n 's/.*rejected=\([0-9]*\).*/\1/p' "$work/sjs.txt" | head -1)
    sjs_total=$(sed -n 's/.*responses=\([0-9]*\).*/\1/p' "$work/sjs.txt" | head -1)
    [ "$sjs_total" = "$cpp_total" ] ||
      echo "WARNING: SurveyJS checked $sjs_total responses, Candor $cpp_total" >&2
  fi
fi

echo
echo "== Summary (medians)"
printf 'Candor   response::check  %12.0f responses/s  (%s responses, %s rejected)\n' \
  "$cpp_per_second" "$cpp_total" "$cpp_rejected"
if [ -n "$sjs_per_second" ]; then
  printf 'SurveyJS validate()     %12.0f responses/s  (%s responses, %s rejected)\n' \
    "$sjs_per_second" "$sjs_total" "$sjs_rejected"
  python3 -c 'import sys; print("ratio Candor/SurveyJS     %.0fx" % (float(sys.argv[1]) / float(sys.argv[2])))' \
    "$cpp_per_second" "$sjs_per_second"
else
  echo "SurveyJS                $sjs_note"
fi
printf 'parse 5,000 questions              %6.1f ms wall, %6.1f ms CPU\n' "$parse_ms" "$parse_cpu_ms"
printf 'parse + check a full response      %6.1f ms wall, %6.1f ms CPU\n' \
  "$parse_check_ms" "$parse_check_cpu_ms"
