"""The pytest plugin every Python SDK suite loads from its conftest.py: starts one patchbay server
for the suite (port 0, a fresh database, the demo fixtures) as the `base_url` fixture, and prints a
TAP-style `# pass N` line that the CI tally counts.

Environment: PATCHBAY_BIN overrides the binary (default <repo>/target/debug/patchbay).
"""

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent.parent.parent
FIXTURES_DIR = REPO_ROOT / "fixtures"
STARTUP_TIMEOUT_S = 10


@pytest.fixture(scope="session")
def base_url(request):
    """The URL of a patchbay server started for this session."""
    binary = Path(os.environ.get("PATCHBAY_BIN", REPO_ROOT / "target" / "debug" / "patchbay"))
    if not binary.exists():
        pytest.exit(f"patchbay binary not found at {binary}: run `cargo build -p patchbay-server` first")
    temp_dir = tempfile.mkdtemp(prefix=f"patchbay-sdk-{request.config.rootpath.name}-")
    args = [str(binary), "serve", "--bind", "127.0.0.1:0", "--db", os.path.join(temp_dir, "sdk.db"),
            "--fixtures", str(FIXTURES_DIR), "--config", str(REPO_ROOT / "config" / "test.toml")]
    server = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = None
    output = []
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline and server.stdout is not None:
        line = server.stdout.readline()
        if not line:
            break
        output.append(line)
        match = re.search(r"listening on (http://\S+)", line)
        if match:
            url = match.group(1)
            break
    if url is None:
        server.kill()
        pytest.exit("patchbay did not start:\n" + "".join(output))
    try:
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(temp_dir, ignore_errors=True)


def pytest_terminal_summary(terminalreporter):
    passed = len(terminalreporter.stats.get("passed", []))
    failed = len(terminalreporter.stats.get("failed", [])) + len(terminalreporter.stats.get("error", []))
    terminalreporter.write_line(f"# pass {passed}")
    terminalreporter.write_line(f"# fail {failed}")
