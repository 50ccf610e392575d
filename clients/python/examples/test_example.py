import pytest
from nylas import Client
from nylas.models.errors import NylasApiError


def test_my_connector_sync(patchbay):  # a fresh Nylas application of its own, with demo connectors
    nylas = Client(patchbay.key("nylas"), patchbay.base_url("nylas"))
    assert len(nylas.connectors.list().data) > 0
    with patchbay.fault("nylas", kind="status", status=503), pytest.raises(NylasApiError):
        nylas.connectors.list()
    assert [entry["status"] for entry in patchbay.requests("nylas")] == [200, 503]
