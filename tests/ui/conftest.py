"""The browser suite's fixtures: one patchbay server for the session (port 0, a fresh database, the
demo fixtures), a headless Chromium driven through chromium-driver (both from Debian's packages),
and a folder for screenshots. Prints a `# pass N` line for the CI tally.

Environment: PATCHBAY_BIN overrides the binary (default <repo>/target/debug/patchbay);
PATCHBAY_UI_SCREENSHOTS names the folder for screenshots (default: a new temporary folder);
CHROMIUM_BIN and CHROMEDRIVER_BIN override /usr/bin/chromium and /usr/bin/chromedriver.
"""

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
STARTUP_TIMEOUT_S = 10


@dataclass
class Server:
    url: str
    pid: int


@contextlib.contextmanager
def running_server(**settings):
    """A patchbay server on a fresh database; `settings` are `PATCHBAY__SECTION__KEY` values."""
    binary = Path(os.environ.get("PATCHBAY_BIN", REPO_ROOT / "target" / "debug" / "patchbay"))
    if not binary.exists():
        pytest.exit(f"patchbay binary not found at {binary}: run `cargo build -p patchbay-server` first")
    temp_dir = tempfile.mkdtemp(prefix="patchbay-ui-")
    args = [str(binary), "serve", "--db", os.path.join(temp_dir, "ui.db"),
            "--fixtures", str(REPO_ROOT / "fixtures"), "--config", str(REPO_ROOT / "config" / "test.toml")]
    environment = {**os.environ, **settings}
    log = open(os.path.join(temp_dir, "log"), "w+")
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True, env=environment)
    url = None
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline and process.stdout is not None:
        line = process.stdout.readline()
        if not line:
            break
        match = re.search(r"listening on (http://\S+)", line)
        if match:
            url = match.group(1)
            break
    if url is None:
        process.kill()
        log.seek(0)
        pytest.exit("patchbay did not start:\n" + log.read())
    # The rest of the banner is not read: it fits in the pipe.
    try:
        yield Server(url=url, pid=process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(temp_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def server():
    with running_server() as started:
        yield started


@pytest.fixture(scope="session")
def screenshots():
    folder = os.environ.get("PATCHBAY_UI_SCREENSHOTS") or tempfile.mkdtemp(prefix="patchbay-ui-shots-")
    Path(folder).mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots in {folder}")
    return Path(folder)


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1400,1000", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    service = Service(executable_path=os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def pytest_terminal_summary(terminalreporter):
    passed = len(terminalreporter.stats.get("passed", []))
    failed = len(terminalreporter.stats.get("failed", [])) + len(terminalreporter.stats.get("error", []))
    terminalreporter.write_line(f"# pass {passed}")
    terminalreporter.write_line(f"# fail {failed}")
