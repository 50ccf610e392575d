"""The suite runs on the patchbay-pytest package (clients/python, installed by requirements.txt as
a user would install it): its session server, here without open keys, since the suite expects a
well-formed unknown key to be refused. `tally` prints the CI's `# pass N` line. The client's own
environment variables are kept out of the tests.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))

pytest_plugins = ["tally"]


@pytest.fixture(scope="session")
def base_url(patchbay_server):
    return patchbay_server.base_url("composio")


@pytest.fixture(autouse=True)
def no_composio_environment(monkeypatch):
    """The client reads COMPOSIO_API_KEY and COMPOSIO_BASE_URL: the tests pass both explicitly."""
    for name in ("COMPOSIO_API_KEY", "COMPOSIO_BASE_URL", "COMPOSIO_CUSTOM_HEADERS"):
        monkeypatch.delenv(name, raising=False)
