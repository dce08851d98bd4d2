#!/usr/bin/env bash
# Candor's one setup script. On a fresh Debian machine (as root, or with sudo):
#   ./setup.sh demo   install what Candor needs, build, run the demo on the bundled example
#   ./setup.sh test   install, build (Release and ASan+UBSan) and run every test
#   ./setup.sh deps   only install the Debian packages
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libboost-dev libboost-serialization-dev libeigen3-dev libcli11-dev doctest-dev
  libsodium-dev nlohmann-json3-dev libcpp-httplib-dev libbenchmark-dev libsqlite3-dev
  clang python3 python3-pandas pybind11-dev python3-dev python3-numpy python3-pytest
  chromium  # the kiosk's browser test (playwright-core, from tests/kiosk/package-lock.json)
)
# Node from elsewhere (e.g. NodeSource) already brings npm; Debian's npm would conflict with it.
command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

build() {  # build PRESET
  cmake --preset "$1" >/dev/null
  cmake --build --preset "$1" -j "$(nproc)"
}

demo() {
  build release
  local candor=build/release/examples/candor
  local surveys=examples/surveys
  local work
  work=$(mktemp -d /tmp/candor-demo.XXXXXX)
  echo
  echo "== 1. The surveys: parsed and checked"
  "$candor" check "$surveys"/*.survey
  echo
  echo "== 2. Sample responses checked against their survey"
  for s in hotel-stay restaurant-table support-followup; do
    "$candor" validate -q --survey "$surveys/$s.survey" "$surveys/$s.responses.jsonl"
  done
  echo
  echo "== 3. Bad responses: each problem named, nothing stored"
  "$candor" validate --survey "$surveys/hotel-stay.survey" "$surveys/hotel-stay.bad-responses.jsonl" || true
  echo
  echo "== 4. The hotel cards as CSV: $work/hotel-stay.csv"
  "$candor" export --csv --survey "$surveys/hotel-stay.survey" "$surveys/hotel-stay.responses.jsonl" \
    --out "$work/hotel-stay.csv"
  head -3 "$work/hotel-stay.csv"
  echo
  echo "== 5. Sealed on each device, opened at head office"
  "$candor" keys hq --out "$work/hq" >/dev/null
  local devices
  devices=$(grep -o '"device": *"[^"]*"' "$surveys/hotel-stay.responses.jsonl" | sed 's/.*"\([^"]*\)"$/\1/'  | sort -u)
  for d in $devices; do
    "$candor" keys device --id "$d" --out "$work/devices/$d" >/dev/null
    cat "$work/devices/$d/$d.pub" >> "$work/hq/devices"
    grep "\"device\": *\"$d\"" "$surveys/hotel-stay.responses.jsonl" > "$work/devices/$d/cards.jsonl"
    echo "device $d, receipts (code, sequence):"
    "$candor" submit --survey "$surveys/hotel-stay.survey" --journal "$work/devices/$d/journal" \
      --device-key "$work/devices/$d/$d.key" --hq-public "$work/hq/hq.pub" "$work/devices/$d/cards.jsonl"
    "$candor" journal verify "$work/devices/$d/journal"
    "$candor" journal export "$work/devices/$d/journal" --after 0 --out "$work/$d.bundle"
  done
  "$candor" hq import --store "$work/store" --hq-key "$work/hq/hq.key" --devices "$work/hq/devices" \
    "$work"/*.bundle
  "$candor" hq responses --store "$work/store" --hq-key "$work/hq/hq.key" > "$work/opened.jsonl"
  echo "opened at head office: $(wc -l < "$work/opened.jsonl") responses ($work/opened.jsonl)"
  echo
  echo "== 6. What head office reads: the opened cards' figures"
  "$candor" export --csv --survey "$surveys/hotel-stay.survey" "$work/opened.jsonl" --out "$work/opened.csv"
  "$candor" stats "$work/opened.csv" --survey "$surveys/hotel-stay.survey"
  echo
  echo "Everything the demo wrote is in $work"
}

run_tests() {
  build release
  ctest --preset release
  # The same tests under AddressSanitizer and UndefinedBehaviorSanitizer.
  build asan
  ctest --preset asan
}

case "${1:-demo}" in
  deps) deps ;;
  demo) deps; demo ;;
  test) deps; run_tests ;;
  *) echo "usage: $0 demo|test|deps" >&2; exit 2 ;;
esac
