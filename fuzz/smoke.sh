#!/usr/bin/env bash
# Smoke-fuzzes every target for a short time with cargo-fuzz (libFuzzer + AddressSanitizer,
# debug assertions on, so integer overflow panics too), starting from the seed corpora.
#
#   bash fuzz/smoke.sh                 # 20 s per certificate target, 15 s per trust-list target
#   bash fuzz/smoke.sh --seconds 120   # longer (every target)
#   bash fuzz/smoke.sh --seconds 5 cert_parse pem_decode   # some targets only
#
# Needs a nightly toolchain (rustup toolchain install nightly); installs cargo-fuzz when it
# is missing. Exits non-zero when any target panics, crashes, leaks past the RSS limit or
# spends more than 10 s on one input; the input is saved under fuzz/artifacts/<target>/ and
# printed as hex. Reproduce with: cargo +nightly fuzz run <target> <artifact>   (in fuzz/)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
seconds=""
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="${2:?--seconds needs a value}"; shift 2 ;;
        --seconds=*) seconds="${1#--seconds=}"; shift ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        -*) echo "smoke.sh: unknown option $1" >&2; exit 2 ;;
        *) targets+=("$1"); shift ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=(cert_parse crl_parse ocsp_parse pem_decode chain_validate tl_read tl_verify c14n)

# Extra libFuzzer flags for target $1. The trust-list corpora hold whole genuine lists (up to
# 2.6 MB, ~0.5 s a run under ASan) and trimmed copies (40-110 KB, see seed.sh): inputs are
# cut at 128 KiB, so that the run mutates the trimmed lists some hundreds of times a second.
flags() {
    case "$1" in
        tl_read|tl_verify|c14n) echo "-max_len=131072" ;;
    esac
}

# Seconds for target $1: --seconds when given, else 20 (certificates) or 15 (trust lists,
# whose inputs are larger and slower; the whole CI run has a budget).
budget() {
    if [ -n "$seconds" ]; then echo "$seconds"; return; fi
    case "$1" in
        tl_read|tl_verify|c14n) echo 15 ;;
        *) echo 20 ;;
    esac
}

toolchain="${HUREN_FUZZ_TOOLCHAIN:-nightly}"
if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
    echo "smoke.sh: no '$toolchain' toolchain (cargo-fuzz needs nightly: rustup toolchain install nightly)" >&2
    exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "smoke.sh: installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

cd "$here"
bash "$here/seed.sh"
cargo "+$toolchain" fuzz build

logs="$here/target/smoke"
mkdir -p "$logs"
failed=()
summary=()
for t in "${targets[@]}"; do
    secs="$(budget "$t")"
    mkdir -p "corpus/$t" "artifacts/$t"
    echo "== $t: ${secs}s"
    status=0
    # -timeout: one input taking 10 s is a failure (a hang), not a slow input.
    cargo "+$toolchain" fuzz run "$t" "corpus/$t" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 $(flags "$t") >"$logs/$t.log" 2>&1 || status=$?
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log" | tail -1)"
    runs="${runs:-0}"
    cov="$(grep -Eo 'cov: [0-9]+' "$logs/$t.log" | tail -1 || true)"
    rate=$((runs / (secs > 0 ? secs : 1)))
    if [ "$status" -ne 0 ]; then
        failed+=("$t")
        summary+=("$(printf '%-15s FAILED (exit %d) after %d runs' "$t" "$status" "$runs")")
        echo "-- $t FAILED (exit $status); log: $logs/$t.log"
        grep -E "panicked|ERROR: |SUMMARY|Test unit written|Failing input" "$logs/$t.log" | head -20 || true
        input="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$logs/$t.log" | tail -1)"
        if [ -n "$input" ] && [ -f "$input" ]; then
            echo "-- input ($(wc -c <"$input") bytes, hex):"
            xxd -p "$input" | tr -d '\n' | fold -w 128
            echo
        fi
    else
        summary+=("$(printf '%-15s ok  %9d runs  %7d inputs/s  %s' "$t" "$runs" "$rate" "$cov")")
    fi
done

echo
echo "== smoke summary (${seconds:-15-20}s per target, logs in fuzz/target/smoke/)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}" >&2
    exit 1
fi
