#!/bin/sh
# Service load benchmark (benches/README.md, "Service load"): builds huren and the driver,
# then runs the driver on loopback (about 4 minutes; the revocation run needs openssl).
# Extra arguments go to the driver, e.g. `benches/load.sh --duration 5 --rounds 1`,
# `benches/load.sh --no-revocation` or `benches/load.sh --no-huren`.
set -eu
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
cargo build --release -p huren
cargo build --release -p huren-benches --example load
exec "${CARGO_TARGET_DIR:-target}/release/examples/load" --plot benches/load/load.png "$@"
