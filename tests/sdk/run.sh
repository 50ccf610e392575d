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

# Python suites: a directory with a requirements.txt (every package pinned), each in its own venv.
# pytest's summary hook in each suite prints a `# pass N` line for the CI tally.
for manifest in "$sdk_dir"/*/requirements.txt; do
    [[ -e "$manifest" ]] || continue
    suite_dir="$(dirname "$manifest")"
    suite="$(basename "$suite_dir")"
    echo "==> $suite (python)"
    if ! (cd "$suite_dir" \
        && { [[ -x .venv/bin/python ]] || python3 -m venv .venv; } \
        && .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt \
        && .venv/bin/python -m pytest -q -p no:cacheprovider); then
        failed+=("$suite")
    fi
done

# The client packages themselves (clients/python, clients/node): their own tests, the README's
# example files (checked to be in the README word for word, then run), and the Vitest and Jest
# entry points under their runners. Each installs the package as a user would.
clients_dir="$repo_root/clients"
readme_holds() { python3 -c 'import sys; sys.exit(open(sys.argv[2]).read() not in open(sys.argv[1]).read())' "$1" "$2"; }
echo "==> clients/python"
if ! (cd "$clients_dir/python/examples" \
    && readme_holds ../README.md test_example.py \
    && { [[ -x .venv/bin/python ]] || python3 -m venv .venv; } \
    && .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt \
    && cd .. && PYTHONPATH="$sdk_dir/support" examples/.venv/bin/python -m pytest -q -p no:cacheprovider -p tally tests examples); then
    failed+=("clients/python")
fi
echo "==> clients/node"
if ! (cd "$clients_dir/node" && readme_holds README.md examples/example.test.js && npm test \
    && cd examples && npm ci --no-audit --no-fund --loglevel=error && npm test \
    && cd ../runners && npm ci --no-audit --no-fund --loglevel=error && npm test); then
    failed+=("clients/node")
fi

if (( ${#failed[@]} > 0 )); then
    echo "run.sh: failed suites: ${failed[*]}" >&2
    exit 1
fi
echo "run.sh: all SDK suites passed"
