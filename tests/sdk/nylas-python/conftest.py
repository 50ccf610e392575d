"""The suite runs on the patchbay-pytest package (clients/python, installed by requirements.txt as
a user would install it): its session server, here without open keys, since the suite expects a
well-formed unknown key to be refused. `tally` prints the CI's `# pass N` line.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))

pytest_plugins = ["tally"]


@pytest.fixture(scope="session")
def base_url(patchbay_server):
    return patchbay_server.base_url("nylas")
