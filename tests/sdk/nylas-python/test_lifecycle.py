"""The official Nylas Python SDK (pinned in requirements.txt) through the whole lifecycle of
connectors and their credentials against patchbay, with the demo fixtures: create, find, list (limit,
offset, sort), update (PATCH) and destroy, and NylasApiError with Nylas's type, message, status and
request id where Nylas refuses. Facts: LIFECYCLE.md §3.2 (routes, bodies), §3.4 (what this SDK sends
and requires), VENDORS.md §3 "SDK behaviour".
"""

import re

import pytest
from nylas import Client
from nylas.models.connectors import Connector
from nylas.models.credentials import Credential
from nylas.models.errors import NylasApiError
from nylas.models.response import DeleteResponse, ListResponse, Response

# The dev application of fixtures/nylas.json: google, microsoft, zoom and imap connectors.
DEV_KEY = "nyk_v0_Zq8Tn3RkWv5Yb2Hc7Jm4Lp9Xd6Fs1Ga0Ue3Oi8Kt2Nw5Qy7"
UNKNOWN_KEY = "nyk_v0_UnKn0wnKey000000000000000000000000000000000000"
DEV_MICROSOFT_ACTIVE = "c5f3e4d6-7d80-4b92-8c13-d4e5f6071823"
DEV_MICROSOFT_CONSENT = "d6a4f5e7-8e91-4ca3-9d24-e5f607182934"
DEV_GOOGLE_ACTIVE = "a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601"
UUID_V4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def nylas(base_url):
    return Client(DEV_KEY, base_url)


def checked(response):
    """A response whose request id is a UUID v4, in the body and in `x-request-id` alike."""
    assert UUID_V4.match(response.request_id), response.request_id
    assert response.headers["x-request-id"] == response.request_id
    return response


def assert_nylas_error(call, status_code, error_type, message):
    with pytest.raises(NylasApiError) as raised:
        call()
    error = raised.value
    assert error.status_code == status_code, str(error)
    assert error.type == error_type
    assert str(error) == message
    assert UUID_V4.match(error.request_id or ""), error.request_id
    assert error.headers["x-request-id"] == error.request_id


def test_a_connector_is_created_found_listed_updated_and_destroyed(nylas):
    created = checked(nylas.connectors.create(
        {"provider": "yahoo", "settings": {"client_id": "py-id", "client_secret": "py-secret"}, "scope": ["mail-r"]}
    ))
    assert isinstance(created, Response) and isinstance(created.data, Connector)
    assert created.data.provider == "yahoo"
    assert created.data.settings == {}
    assert created.data.scope == ["mail-r"]

    found = checked(nylas.connectors.find("yahoo"))
    assert found.data == created.data

    listed = checked(nylas.connectors.list())
    assert isinstance(listed, ListResponse)
    assert [connector.provider for connector in listed.data] == ["google", "microsoft", "zoom", "imap", "yahoo"]
    assert listed.next_cursor is None
    paged = checked(nylas.connectors.list({"limit": 2, "offset": 3}))
    assert [connector.provider for connector in paged.data] == ["imap", "yahoo"]

    updated = checked(nylas.connectors.update("yahoo", {"settings": {"client_id": "py-2", "client_secret": "s-2"}, "scope": []}))
    assert updated.data.scope == []
    assert checked(nylas.connectors.find("yahoo")).data == updated.data

    destroyed = nylas.connectors.destroy("yahoo")
    assert isinstance(destroyed, DeleteResponse)
    assert UUID_V4.match(destroyed.request_id)
    assert_nylas_error(lambda: nylas.connectors.find("yahoo"), 404, "api.not_found_error", 'Connector "yahoo" not found')
    assert_nylas_error(lambda: nylas.connectors.destroy("yahoo"), 404, "api.not_found_error", 'Connector "yahoo" not found')


def test_a_credential_is_created_found_listed_updated_and_destroyed(nylas):
    created = []
    for name in ["Py override A", "Py override B"]:
        response = checked(nylas.connectors.credentials.create(
            "microsoft",
            {"name": name, "credential_type": "connector", "credential_data": {"client_id": f"{name} id", "client_secret": "s"}},
        ))
        assert isinstance(response.data, Credential)
        assert UUID_V4.match(response.data.id)
        assert response.data.name == name
        assert response.data.created_at == response.data.updated_at
        assert response.data.credential_type is None, "credential_type is never returned"
        created.append(response.data)

    found = checked(nylas.connectors.credentials.find("microsoft", created[0].id))
    assert found.data == created[0]

    newest = checked(nylas.connectors.credentials.list("microsoft"))
    assert [credential.id for credential in newest.data] == [
        created[1].id, created[0].id, DEV_MICROSOFT_CONSENT, DEV_MICROSOFT_ACTIVE,
    ]
    assert newest.next_cursor is None
    paged = checked(nylas.connectors.credentials.list(
        "microsoft", {"limit": 2, "offset": 1, "sort_by": "created_at", "order_by": "asc"}
    ))
    assert [credential.id for credential in paged.data] == [DEV_MICROSOFT_CONSENT, created[0].id]

    updated = checked(nylas.connectors.credentials.update("microsoft", created[0].id, {"name": "Py renamed"}))
    assert updated.data.name == "Py renamed"
    assert updated.data.updated_at > created[0].updated_at

    destroyed = nylas.connectors.credentials.destroy("microsoft", created[0].id)
    assert isinstance(destroyed, DeleteResponse)
    assert UUID_V4.match(destroyed.request_id)
    message = f'Credential "{created[0].id}" not found'
    assert_nylas_error(lambda: nylas.connectors.credentials.find("microsoft", created[0].id), 404, "api.not_found_error", message)
    assert_nylas_error(
        lambda: nylas.connectors.credentials.destroy("microsoft", created[0].id), 404, "api.not_found_error", message
    )


def test_the_lifecycle_rules_surface_as_nylas_api_errors(nylas):
    assert_nylas_error(
        lambda: nylas.connectors.create({"provider": "google", "settings": {"client_id": "a", "client_secret": "b"}}),
        400, "api.invalid_request_error", "A connector for provider google already exists",
    )
    assert_nylas_error(
        lambda: nylas.connectors.credentials.create(
            "google",
            {"name": "Google service account", "credential_type": "connector", "credential_data": {"client_id": "a", "client_secret": "b"}},
        ),
        400, "api.invalid_request_error", 'A credential named "Google service account" already exists for connector google',
    )
    assert_nylas_error(
        lambda: nylas.connectors.credentials.destroy("google", DEV_GOOGLE_ACTIVE),
        400, "api.invalid_request_error",
        f'Credential "{DEV_GOOGLE_ACTIVE}" is the active credential of connector google and cannot be deleted',
    )
    assert_nylas_error(
        lambda: nylas.connectors.credentials.list("yahoo"), 404, "api.not_found_error", 'Connector "yahoo" not found'
    )
    assert_nylas_error(
        lambda: nylas.connectors.credentials.list("google", {"order_by": "sideways"}),
        400, "api.invalid_request_error", 'Invalid query parameter "order_by": must be desc or asc',
    )
    assert_nylas_error(
        lambda: nylas.connectors.find("inbox"),
        400, "api.invalid_request_error",
        'Invalid provider "inbox": must be one of google, microsoft, imap, icloud, yahoo, ews, virtual-calendar, zoom, nylas',
    )


def test_an_unknown_key_gets_the_observed_401(base_url):
    stranger = Client(UNKNOWN_KEY, base_url)
    assert_nylas_error(lambda: stranger.connectors.list(), 401, "token.unauthorized_access", "Bearer token invalid")
    assert_nylas_error(
        lambda: stranger.connectors.credentials.create(
            "google", {"name": "x", "credential_type": "connector", "credential_data": {}}
        ),
        401, "token.unauthorized_access", "Bearer token invalid",
    )
