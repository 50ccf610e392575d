#!/usr/bin/env bash
# The hostile-load suite: small figures by default (a few minutes on two cores), the sizes of the
# original report with HOSTILE_SCALE=full. Loopback only. Builds the release server unless
# PATCHBAY_BIN names a binary; as root, mounts an 8 MB tmpfs for the small-disk row.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if [[ -z "${PATCHBAY_BIN:-}" ]]; then
    cargo build --release -p patchbay-server --locked
    export PATCHBAY_BIN="$PWD/target/release/patchbay"
fi
# Enough descriptors for the client side of the stalled-upload row.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
small_disk=""
cleanup() {
    if [[ -n "$small_disk" ]]; then
        umount "$small_disk" 2>/dev/null || true
        rmdir "$small_disk" 2>/dev/null || true
    fi
}
trap cleanup EXIT
if [[ "$(id -u)" == 0 ]]; then
    small_disk="$(mktemp -d)"
    if mount -t tmpfs -o size=8m tmpfs "$small_disk" 2>/dev/null; then
        export HOSTILE_TMPFS="$small_disk"
    else
        rmdir "$small_disk"
        small_disk=""
    fi
fi
# One row at a time: each measures one server's memory and descriptors.
cargo test -p patchbay-tests --test hostile --locked -- --ignored --test-threads=1 --nocapture "$@"
