"""Loads the shared patchbay server plugin (tests/sdk/support/patchbay_server.py), and keeps the
client's own environment variables out of the tests.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))

pytest_plugins = ["patchbay_server"]


@pytest.fixture(autouse=True)
def no_composio_environment(monkeypatch):
    """The client reads COMPOSIO_API_KEY and COMPOSIO_BASE_URL: the tests pass both explicitly."""
    for name in ("COMPOSIO_API_KEY", "COMPOSIO_BASE_URL", "COMPOSIO_CUSTOM_HEADERS"):
        monkeypatch.delenv(name, raising=False)

