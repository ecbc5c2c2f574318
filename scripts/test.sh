#!/usr/bin/env bash
# Runs every test of huren: the workspace's unit and integration tests (x509-limbo in full,
# the generated vectors, the CLI contract, OpenSSL interop), the test-vector drift check, and a
# short fuzzing smoke run. External corpora are read from ../shared/testdata (or
# $HUREN_TESTDATA); without them their tests are skipped and named at the end, except in CI
# (CI=true), where they are required.
set -euo pipefail
cd "$(dirname "$0")/.."

# Peers the tests drive: Debian's openssl and xmlsec1, chromium and chromium-driver (the
# service's pages in a real browser, api/tests/browser.rs), and lxml + signxml from PyPI (an
# independent XMLDSig/XAdES implementation that checks the lists huren signs).
need=()
command -v openssl >/dev/null || need+=(openssl)
command -v xmlsec1 >/dev/null || need+=(xmlsec1)
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
command -v python3 >/dev/null || need+=(python3 python3-pip)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]}"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}"
  else sudo apt-get update -qq && sudo apt-get install -y -qq "${need[@]}"; fi
fi
if ! python3 -c "import lxml, signxml" 2>/dev/null; then
  echo "== installing lxml and signxml (PyPI)"
  python3 -m pip install --quiet lxml signxml || python3 -m pip install --quiet --break-system-packages lxml signxml
fi

export HUREN_TESTDATA="${HUREN_TESTDATA:-$PWD/../shared/testdata}"

echo "== test vectors: regenerate and compare with the checked-in files"
cargo run -q -p huren-testvectors -- check

target_dir="${CARGO_TARGET_DIR:-target}"
summary="$target_dir/tmp/limbo-summary.txt"
differential="$target_dir/tmp/webpki-differential.txt"
skipdir="$target_dir/tmp/skipped"
rm -rf "$summary" "$differential" "$skipdir"
mkdir -p "$target_dir"
echo "== cargo test --workspace"
cargo test --workspace 2>&1 | tee "$target_dir/test-output.txt"

if [ -f fuzz/smoke.sh ]; then
  echo "== fuzzing smoke run"
  bash fuzz/smoke.sh
fi

echo "== summary"
if [ -f "$summary" ]; then
  cat "$summary"
  head -n 1 "$differential" 2>/dev/null || true
fi
# Tests that found no corpus leave one marker file each in $skipdir (and return early, so
# cargo counted them as passed).
skipped=0
if [ -d "$skipdir" ]; then
  skipped=$(find "$skipdir" -type f | wc -l)
  echo "SKIPPED (no external corpus):"
  sort -u "$skipdir"/* | sed 's/^/  /'
  echo "  Get the corpora: place the shared test data beside the clone as ../shared/testdata"
  echo "  (x509-limbo in limbo/, the genuine EU trusted lists in eu-tl/), or set HUREN_TESTDATA."
fi
# One closing line over every cargo test binary: N passed, N failed[, N skipped].
read -r passed failed < <(awk '/^test result:/ {
    for (i = 1; i <= NF; i++) { if ($i == "passed;") p += $(i-1); if ($i == "failed;") f += $(i-1) }
  } END { print p + 0, f + 0 }' "$target_dir/test-output.txt")
if [ "$skipped" -gt 0 ]; then
  echo "tests: $((passed - skipped)) passed, $failed failed, $skipped skipped"
else
  echo "tests: $passed passed, $failed failed"
fi
