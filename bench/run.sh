#!/usr/bin/env bash
# Load benchmark: patchbay against a bare actix-web handler on the same box.
#
#   bash bench/run.sh [patchbay-bench options]     (--help lists them)
#
# Installs wrk if it is missing, builds the release binaries and runs the driver (bench/driver).
# BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_THREADS and BENCH_SCALE_RECORDS work as
# the flags of the same names. See bench/README.md for how to read the output.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk is missing: installing it with apt-get" >&2
  apt-get install -y wrk >&2 || { apt-get update >&2 && apt-get install -y wrk >&2; }
fi

echo "building release binaries" >&2
# Two builds: built together, the driver's dependencies would switch on features in the server's,
# and the binary measured would not be the one `cargo build --release` makes.
cargo build --release -p patchbay-server -p patchbay-bench-bare >&2
cargo build --release -p patchbay-bench >&2

exec target/release/patchbay-bench "$@"
