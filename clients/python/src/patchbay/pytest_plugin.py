"""pytest fixtures for patchbay, loaded through the ``pytest11`` entry point:

- ``patchbay_server`` (session): a server started from PATCHBAY_BIN or PATH on port 0 with open keys
  and a fresh database, stopped at the end; or the one at PATCHBAY_URL.
- ``patchbay`` (each test): a ``Tenant`` with a fresh open key per vendor, the base URL for each
  vendor's SDK, its journal and faults confined to its keys.
"""

import pytest

from . import attach_or_start


def pytest_addoption(parser):
    parser.addini("patchbay_args", "extra `patchbay serve` flags for the session server", type="args", default=[])
    parser.addini("patchbay_open_keys", "start the session server with open keys (the `patchbay` fixture needs them)",
                  type="bool", default=True)


@pytest.fixture(scope="session")
def patchbay_server(request):
    server = attach_or_start(args=request.config.getini("patchbay_args"),
                             open_keys=request.config.getini("patchbay_open_keys"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def patchbay(patchbay_server):
    return patchbay_server.tenant()
