#!/usr/bin/env bash
# Runs every test of huren: the workspace's unit and integration tests (x509-limbo in full,
# the generated vectors, the CLI contract, OpenSSL interop), the test-vector drift check, and a
# short fuzzing smoke run. External corpora are read from ../shared/testdata (or
# $HUREN_TESTDATA); without them their tests are skipped and named at the end, except in CI
# (CI=true), where they are required.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests drive as peers.
need=()
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]}"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}"
  else sudo apt-get update -qq && sudo apt-get install -y -qq "${need[@]}"; fi
fi

export HUREN_TESTDATA="${HUREN_TESTDATA:-$PWD/../shared/testdata}"

echo "== test vectors: regenerate and compare with the checked-in files"
cargo run -q -p huren-testvectors -- check

target_dir="${CARGO_TARGET_DIR:-target}"
summary="$target_dir/tmp/limbo-summary.txt"
differential="$target_dir/tmp/webpki-differential.txt"
rm -f "$summary" "$differential"
mkdir -p "$target_dir"
echo "== cargo test --workspace"
cargo test --workspace 2>&1 | tee "$target_dir/test-output.txt"

if [ -f fuzz/smoke.sh ]; then
  echo "== fuzzing smoke run"
  bash fuzz/smoke.sh
fi

echo "== summary"
skipped=0
if [ -f "$HUREN_TESTDATA/limbo/limbo.json.gz" ] && [ -f "$summary" ]; then
  cat "$summary"
  head -n 1 "$differential" 2>/dev/null || true
else
  skipped=2
  echo "SKIPPED: x509-limbo conformance and the rustls-webpki differential on it"
  echo "  ($HUREN_TESTDATA/limbo/limbo.json.gz not found)."
  echo "  Get the corpora: place the shared test data beside the clone as ../shared/testdata,"
  echo "  or set HUREN_TESTDATA to a directory holding limbo/limbo.json.gz (x509-limbo, C2SP)."
fi
# One closing line over every cargo test binary: N passed, N failed[, N skipped].
read -r passed failed < <(awk '/^test result:/ {
    for (i = 1; i <= NF; i++) { if ($i == "passed;") p += $(i-1); if ($i == "failed;") f += $(i-1) }
  } END { print p + 0, f + 0 }' "$target_dir/test-output.txt")
if [ "$skipped" -gt 0 ]; then
  # The skipped corpus tests returned early and were counted as passed by cargo.
  echo "tests: $((passed - skipped)) passed, $failed failed, $skipped skipped"
else
  echo "tests: $passed passed, $failed failed"
fi
