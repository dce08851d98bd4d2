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
  libsodium-dev nlohmann-json3-dev libsimdjson-dev libcpp-httplib-dev libbenchmark-dev libsqlite3-dev
  # candor::pg (libpq), and the PostgreSQL 15 server its tests start (tests/support/postgres_server.hpp).
  libpq-dev postgresql-15
  clang python3 python3-pandas pybind11-dev python3-dev python3-numpy python3-pytest
  chromium  # the kiosk's browser test (playwright-core, from tests/kiosk/package-lock.json)
  libqrencode-dev  # candor::serve: the table cards' QR codes (candor qr)
  # candor::interop: .xlsx read (libzip, expat), .sav (ReadStat) and .xlsx (libxlsxwriter)
  # written; openpyxl writes the XLSForm test files and reads the .xlsx exports back.
  libzip-dev libexpat1-dev libreadstat-dev libxlsxwriter-dev python3-openpyxl
  # Time zones with summer time for routing: Howard Hinnant's date/tz over the system's tzdata.
  libhowardhinnant-date-dev tzdata
  # Routing's SMTP sink (libcurl's SMTP, STARTTLS), tested against aiosmtpd on 127.0.0.1.
  libcurl4-openssl-dev python3-aiosmtpd openssl
  # pip install ./bindings/python into a venv, offline, with Debian's setuptools and wheel.
  python3-pip python3-setuptools python3-wheel python3-venv
  # R (Rscript) gives the reference values of the change tests and Benjamini-Hochberg
  # (prop.test, t.test, p.adjust) in tests/stats/reference_test.cpp; the test fails without it.
  r-base-core
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
  # Only what the demo runs; `./setup.sh test` builds everything.
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)" --target candor_cli candor-webhook-receiver
  local candor=build/release/examples/candor
  local receiver=build/release/examples/webhook-receiver/candor-webhook-receiver
  local surveys=examples/surveys org=examples/org
  local sample=examples/data/hotel-stay.sample.jsonl
  local work
  work=$(mktemp -d /tmp/candor-demo.XXXXXX)
  echo
  echo "== 1. The surveys: parsed and checked"
  "$candor" check "$surveys"/*.survey
  echo
  echo "== 2. Bad answers: each problem named at its question, nothing stored"
  "$candor" validate --survey "$surveys/hotel-stay.survey" "$surveys/hotel-stay.bad-responses.jsonl" || true
  echo
  echo "== 3. The bundled sample: $(wc -l < "$sample") hotel cards, 12 sites, six months, checked"
  "$candor" validate -q --survey "$surveys/hotel-stay.survey" "$sample"
  echo
  echo "== 4. Each kiosk seals, signs and journals its cards (fsync), and hands out receipts"
  "$candor" keys hq --out "$work/hq" >/dev/null
  local devices
  devices=$(grep -o '"device": *"[^"]*"' "$sample" | sed 's/.*"\([^"]*\)"$/\1/' | sort -u)
  for d in $devices; do
    "$candor" keys device --id "$d" --out "$work/devices/$d" >/dev/null
    cat "$work/devices/$d/$d.pub" >> "$work/hq/devices"
    grep "\"device\": *\"$d\"" "$sample" > "$work/devices/$d/cards.jsonl"
    "$candor" submit --survey "$surveys/hotel-stay.survey" --journal "$work/devices/$d/journal" \
      --device-key "$work/devices/$d/$d.key" --hq-public "$work/hq/hq.pub" "$work/devices/$d/cards.jsonl" \
      > "$work/devices/$d/receipts"
    "$candor" journal export "$work/devices/$d/journal" --after 0 --out "$work/$d.bundle" >/dev/null
    printf '  %-24s %4d cards, receipts %s ... %s\n' "$d" "$(wc -l < "$work/devices/$d/receipts")" \
      "$(head -1 "$work/devices/$d/receipts" | cut -d' ' -f1)" "$(tail -1 "$work/devices/$d/receipts" | cut -d' ' -f1)"
  done
  echo "  receipts per device in $work/devices/*/receipts"
  echo
  echo "== 5. Head office checks every bundle (signatures, chains, gaps) and stores each card once"
  "$candor" hq import --store "$work/store" --hq-key "$work/hq/hq.key" --devices "$work/hq/devices" \
    "$work"/*.bundle | tail -1
  echo
  echo "== 6. Routing: each card to the right manager, never to the staff it is about"
  # A Standard Webhooks secret (whsec_ and 24 random bytes), readable by its owner only.
  (umask 077; echo "whsec_$(head -c 24 /dev/urandom | base64)" > "$work/webhook.secret")
  "$receiver" --port 8787 --secret "$work/webhook.secret" --out "$work/webhooks.jsonl" > /dev/null &
  receiver_pid=$!
  trap 'kill $receiver_pid 2>/dev/null || true' EXIT
  sleep 0.5
  local route=("$candor" route run --org "$org/hotel-chain.org" --rules "$org/hotel-stay.rules"
               --survey "$surveys/hotel-stay.survey" --store "$work/store" --hq-key "$work/hq/hq.key"
               --webhook-secret "$work/webhook.secret")
  "${route[@]}" || echo "  (some deliveries failed: the next run retries them)"
  local cases=("$candor" cases list --store "$work/store" --site lille-04)
  echo "  lille-04's night cards name Bastien, its manager, on duty: those went over his head to" \
       "Anne, the regional director ($("${cases[@]}" --person anne | tail -1));" \
       "Bastien has its day cards ($("${cases[@]}" --person bastien | tail -1))"
  local later
  later=$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ)
  echo "  ... two days on ($later), nobody has acknowledged anything:"
  "${route[@]}" --now "$later" | sed -n 2,3p || true
  kill $receiver_pid 2>/dev/null || true
  wait $receiver_pid 2>/dev/null || true
  trap - EXIT
  echo "  e-mails for the mail server: $(ls "$work/store/mail/new" | wc -l) in $work/store/mail/new"
  echo "  webhooks taken by the receiver on 127.0.0.1:8787: $(wc -l < "$work/webhooks.jsonl") in $work/webhooks.jsonl"
  echo "  open cases: $("$candor" cases list --store "$work/store" | tail -1)" \
       "(candor cases list|show|ack|resolve --store $work/store)"
  echo
  echo "== 7. The head-office report"
  "$candor" report --store "$work/store" --hq-key "$work/hq/hq.key" --survey "$surveys/hotel-stay.survey" \
    --org "$org/hotel-chain.org" --cases "$work/store/cases" --out "$work/report.html"
  "$candor" report --store "$work/store" --hq-key "$work/hq/hq.key" --survey "$surveys/hotel-stay.survey" \
    --org "$org/hotel-chain.org" --cases "$work/store/cases" --format text --out "$work/report.txt"
  head -12 "$work/report.txt"
  echo "  the report: $work/report.html"
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
