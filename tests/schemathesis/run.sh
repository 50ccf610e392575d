#!/usr/bin/env bash
# Fuzzes the control API against its own OpenAPI document with schemathesis: every check, a fixed
# seed, a bounded number of examples per operation and a time limit, so that two runs send the same
# requests and the run ends in a few minutes on two cores. Starts the patchbay binary that is
# already built (`cargo build -p patchbay-server`; PATCHBAY_BIN for another) on port 0 with an
# in-memory database and the demo fixtures, and stops it when done.
# Exits non-zero on any failure; prints `# pass N` and `# fail N` (test cases) for the CI tally.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
patchbay_bin="${PATCHBAY_BIN:-$repo_root/target/debug/patchbay}"
seed="${SCHEMATHESIS_SEED:-20261203}"
max_examples="${SCHEMATHESIS_MAX_EXAMPLES:-500}"
# A bound, not a budget: given `--max-time`, schemathesis would keep fuzzing until the time is
# spent, and how much it sent would depend on the machine's speed.
time_limit_secs="${SCHEMATHESIS_TIME_LIMIT:-300}"
startup_timeout_secs=10

if [[ ! -x "$patchbay_bin" ]]; then
    echo "run.sh: no patchbay binary at $patchbay_bin; run \`cargo build -p patchbay-server\` first" >&2
    exit 1
fi

cd "$here"
if [[ ! -x .venv/bin/python ]]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt

work_dir="$(mktemp -d)"
server_pid=""
stop_server() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid"
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work_dir"
}
trap stop_server EXIT

PATCHBAY__LOG__LEVEL=error "$patchbay_bin" serve --bind 127.0.0.1:0 --db :memory: \
    --fixtures "$repo_root/fixtures" >"$work_dir/banner" 2>"$work_dir/log" &
server_pid=$!

url=""
for _ in $(seq $((startup_timeout_secs * 10))); do
    url="$(sed -n 's/.*listening on \(http:\/\/[^ ]*\).*/\1/p' "$work_dir/banner" | head -n 1)"
    [[ -n "$url" ]] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
        break
    fi
    sleep 0.1
done
if [[ -z "$url" ]]; then
    echo "run.sh: patchbay did not start:" >&2
    cat "$work_dir/banner" "$work_dir/log" >&2
    exit 1
fi
echo "==> schemathesis against $url/_patchbay/openapi.json"

status=0
timeout --kill-after=10 "$time_limit_secs" \
    .venv/bin/schemathesis --no-color --config-file "$here/schemathesis.toml" run \
    "$url/_patchbay/openapi.json" \
    --checks all \
    --seed "$seed" \
    --max-examples "$max_examples" \
    --workers 1 \
    --generation-database none \
    --report junit --report-junit-path "$work_dir/junit.xml" \
    || status=$?
if (( status == 124 || status == 137 )); then
    echo "run.sh: schemathesis did not finish within ${time_limit_secs}s" >&2
fi

# One JUnit test case per operation and phase; a failed one carries <failure> or <error>.
.venv/bin/python - "$work_dir/junit.xml" <<'PY' || status=1
import sys
import xml.etree.ElementTree as ElementTree

cases = ElementTree.parse(sys.argv[1]).getroot().iter("testcase")
passed = failed = 0
for case in cases:
    if case.find("failure") is not None or case.find("error") is not None:
        failed += 1
    elif case.find("skipped") is None:
        passed += 1
print(f"# pass {passed}")
print(f"# fail {failed}")
sys.exit(1 if failed or not passed else 0)
PY

if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "run.sh: patchbay exited during the run:" >&2
    cat "$work_dir/log" >&2
    status=1
fi
exit "$status"
