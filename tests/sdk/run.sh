#!/usr/bin/env bash
# Runs every SDK suite under tests/sdk against a patchbay binary that is already built
# (`cargo build -p patchbay-server`; set PATCHBAY_BIN to use another binary).
# Each suite starts and stops its own server on port 0 with a fresh database.
set -euo pipefail

sdk_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$sdk_dir/../.." && pwd)"
export PATCHBAY_BIN="${PATCHBAY_BIN:-$repo_root/target/debug/patchbay}"

if [[ ! -x "$PATCHBAY_BIN" ]]; then
    echo "run.sh: no patchbay binary at $PATCHBAY_BIN; run \`cargo build -p patchbay-server\` first" >&2
    exit 1
fi

failed=()

# Node suites: a directory with a package.json (and its package-lock.json).
for manifest in "$sdk_dir"/*/package.json; do
    [[ -e "$manifest" ]] || continue
    suite_dir="$(dirname "$manifest")"
    suite="$(basename "$suite_dir")"
    echo "==> $suite (node)"
    if ! (cd "$suite_dir" && npm ci --no-audit --no-fund --loglevel=error && npm test); then
        failed+=("$suite")
    fi
done

# Python suites: a directory with a pyproject.toml or requirements.txt goes here, e.g.
#   for manifest in "$sdk_dir"/*/requirements.txt; do
#       suite_dir="$(dirname "$manifest")"
#       python3 -m venv "$suite_dir/.venv"
#       "$suite_dir/.venv/bin/pip" install --quiet -r "$manifest"
#       (cd "$suite_dir" && .venv/bin/python -m pytest -q) || failed+=("$(basename "$suite_dir")")
#   done
# (add .venv/ to tests/sdk/.gitignore with it)

if (( ${#failed[@]} > 0 )); then
    echo "run.sh: failed suites: ${failed[*]}" >&2
    exit 1
fi
echo "run.sh: all SDK suites passed"
