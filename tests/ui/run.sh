#!/usr/bin/env bash
# The browser suite: the dashboard in headless Chromium (Debian's `chromium` and `chromium-driver`)
# driven by Selenium, next to the official Composio client, and the journal stream with a viewer
# that stops reading under load. Uses the patchbay binary that is already built
# (`cargo build -p patchbay-server`; PATCHBAY_BIN for another); each test module starts its own
# server on port 0. Screenshots go to PATCHBAY_UI_SCREENSHOTS (default: a new temporary folder,
# printed). Bounded in time; prints `# pass N` and `# fail N` for the CI tally.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
export PATCHBAY_BIN="${PATCHBAY_BIN:-$repo_root/target/debug/patchbay}"
time_limit_secs="${PATCHBAY_UI_TIME_LIMIT:-600}"

if [[ ! -x "$PATCHBAY_BIN" ]]; then
    echo "run.sh: no patchbay binary at $PATCHBAY_BIN; run \`cargo build -p patchbay-server\` first" >&2
    exit 1
fi
for tool in "${CHROMIUM_BIN:-/usr/bin/chromium}" "${CHROMEDRIVER_BIN:-/usr/bin/chromedriver}"; do
    if [[ ! -x "$tool" ]]; then
        echo "run.sh: $tool is missing: apt-get install chromium chromium-driver" >&2
        exit 1
    fi
done

cd "$here"
if [[ ! -x .venv/bin/python ]]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
export PATCHBAY_UI_SCREENSHOTS="${PATCHBAY_UI_SCREENSHOTS:-$(mktemp -d -t patchbay-ui-shots-XXXXXX)}"
echo "==> screenshots in $PATCHBAY_UI_SCREENSHOTS"

status=0
timeout --kill-after=10 "$time_limit_secs" \
    .venv/bin/python -m pytest -q -s -p no:cacheprovider || status=$?
if (( status == 124 || status == 137 )); then
    echo "run.sh: the browser suite did not finish within ${time_limit_secs}s" >&2
fi
exit "$status"
