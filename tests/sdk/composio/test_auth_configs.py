"""The official `composio-client` (pinned in requirements.txt) driven against a real patchbay server.

Expected bodies follow the Composio behaviour notes: PATCH /api/v3.1/auth_configs/{nanoid} (what
1.36 and later call), its GET read-back, and the SDK's typed errors carrying our envelope.
"""

import json
import uuid
from pathlib import Path

import pytest
from composio_client import (
    AuthenticationError,
    BadRequestError,
    Composio,
    NotFoundError,
    PermissionDeniedError,
)

# The update's 200 body: `{success, message}` as the newer docs show it (LIFECYCLE.md §2.5).
UPDATED = {"success": True, "message": "Auth config updated successfully"}

FIXTURES = json.loads((Path(__file__).resolve().parents[3] / "fixtures" / "composio.json").read_text())

# Demo keys from fixtures/composio.json.
DEMO_PROJECT_KEY = "ak_demo0Project0FullKey01"
DEMO_USER_KEY = "uak_demo0User0Key000001"
DEMO_READ_ONLY_KEY = "ak_demo0ReadOnly0Key0001"
STAGING_PROJECT_KEY = "ak_staging0Project0Key01"

GITHUB_CUSTOM = "ac_gHc7Qm2xLp9T"
SLACK_DEFAULT = "ac_sLk4Vb8nRw2E"
LINEAR_CUSTOM = "ac_lNr0Zt5yKd7U"
GMAIL_CUSTOM = "ac_gMa1Xc6vBn3Q"
NOTION_DEFAULT = "ac_nTn9Hs2jWq8F"
STAGING_GITHUB = "ac_gHs2Kp7rMz4Y"

GET_KEYS = [
    "id", "uuid", "type", "toolkit", "name", "status", "no_of_connections", "tool_access_config",
    "auth_scheme", "is_composio_managed", "credentials",
]


def fixture(nanoid):
    return next(record for record in FIXTURES["records"] if record["id"] == nanoid)


def client(base_url, api_key=DEMO_PROJECT_KEY, **options):
    # Error tests use max_retries=0: the client retries 429 and 5xx, never 4xx, but keep it exact.
    return Composio(api_key=api_key, base_url=base_url, max_retries=0, **options)


def assert_envelope(error, status, code, slug, message=None):
    body = error.body
    assert error.status_code == status
    assert isinstance(body, dict) and set(body) == {"error"}, body
    inner = body["error"]
    assert inner["code"] == code, body
    assert inner["slug"] == slug, body
    assert inner["status"] == status, body
    if message is not None:
        assert inner["message"] == message, body
    # The same request id in the body and the header, a UUID v4.
    assert inner["request_id"] == error.response.headers["x-request-id"]
    assert uuid.UUID(inner["request_id"]).version == 4
    assert f"Error code: {status}" in str(error)


def test_a_custom_update_succeeds_and_reads_back_merged(base_url):
    composio = client(base_url)
    before = composio.auth_configs.retrieve(GITHUB_CUSTOM)
    result = composio.auth_configs.update(
        GITHUB_CUSTOM,
        type="custom",
        name="GitHub (rotated)",
        credentials={"client_secret": "rotated-secret-from-the-sdk-0042"},
        tool_access_config={"tools_available_for_execution": ["GITHUB_STAR_A_REPOSITORY"]},
    )
    assert result == UPDATED
    after = composio.auth_configs.retrieve(GITHUB_CUSTOM)
    assert after.name == "GitHub (rotated)"
    assert after.type == "custom"
    # credentials merge key by key: the client id stays, the secret is redacted in reads.
    assert after.credentials["client_id"] == fixture(GITHUB_CUSTOM)["credentials"]["client_id"]
    assert after.credentials["client_secret"] == "****0042"
    assert after.credentials["scopes"] == ["repo", "read:user"]
    assert after.tool_access_config.tools_available_for_execution == ["GITHUB_STAR_A_REPOSITORY"]
    assert after.tool_access_config.tools_for_connected_account_creation == ["GITHUB_CREATE_AN_ISSUE"]
    assert after.restrict_to_following_tools == ["GITHUB_STAR_A_REPOSITORY"]
    assert after.created_at == before.created_at
    assert after.last_updated_at > before.last_updated_at


def test_a_default_update_succeeds_and_reads_back_its_scopes(base_url):
    composio = client(base_url)
    result = composio.auth_configs.update(
        SLACK_DEFAULT, type="default", scopes=["chat:write", "users:read"], is_enabled_for_tool_router=False
    )
    assert result == UPDATED
    after = composio.auth_configs.retrieve(SLACK_DEFAULT)
    assert after.type == "default"
    assert after.credentials["scopes"] == ["chat:write", "users:read"]
    assert after.credentials["user_scopes"] == ["search:read"]
    assert after.is_enabled_for_tool_router is False
    assert after.name == fixture(SLACK_DEFAULT)["name"]


def test_clearing_scopes_and_proxy_config_reads_back_cleared(base_url):
    composio = client(base_url)
    composio.auth_configs.update(NOTION_DEFAULT, type="default", scopes="")
    assert "scopes" not in (composio.auth_configs.retrieve(NOTION_DEFAULT).credentials or {})
    composio.auth_configs.update(LINEAR_CUSTOM, type="custom", proxy_config=None)
    after = composio.auth_configs.retrieve(LINEAR_CUSTOM)
    assert after.proxy_config is None
    # Shared credentials left out are kept, with secrets redacted.
    assert after.shared_credentials == {"generic_api_key": "****0001", "workspace": "patchbay-demo"}


def test_retrieve_returns_the_real_get_shape(base_url):
    response = client(base_url).auth_configs.with_raw_response.retrieve(GMAIL_CUSTOM)
    assert response.headers["content-type"] == "application/json"
    assert uuid.UUID(response.headers["x-request-id"]).version == 4
    assert list(response.http_response.json())[: len(GET_KEYS)] == GET_KEYS
    config = response.parse()
    assert config.id == GMAIL_CUSTOM
    assert config.status == "DISABLED"
    assert config.toolkit.slug == "gmail"
    assert config.toolkit.logo == "https://logos.composio.dev/api/gmail"
    assert config.no_of_connections == 1
    assert config.auth_scheme == "OAUTH2"
    assert config.credentials["client_secret"] == "****et01"


def test_a_user_key_in_x_user_api_key_works(base_url):
    composio = Composio(api_key=None, base_url=base_url, max_retries=0,
                        default_headers={"x-user-api-key": DEMO_USER_KEY})
    assert composio.auth_configs.update(GMAIL_CUSTOM, type="custom", name="Gmail (user key)") == UPDATED
    assert client(base_url).auth_configs.retrieve(GMAIL_CUSTOM).name == "Gmail (user key)"


def test_the_v3_path_of_older_clients_is_served_too(base_url):
    composio = client(base_url)
    result = composio.patch(f"/api/v3/auth_configs/{GMAIL_CUSTOM}", cast_to=object,
                            body={"type": "custom", "name": "Gmail (v3)"})
    assert result == UPDATED
    assert composio.get(f"/api/v3/auth_configs/{GMAIL_CUSTOM}", cast_to=object)["name"] == "Gmail (v3)"


def test_a_wrong_key_raises_authentication_error_with_our_body(base_url):
    with pytest.raises(AuthenticationError) as raised:
        client(base_url, api_key="ak_not0a0real0keyUbOz").auth_configs.update(GITHUB_CUSTOM, type="custom", name="x")
    assert_envelope(raised.value, 401, 801, "APIKey_InvalidAPIKey", "Invalid API key: ak_**UbOz")
    assert raised.value.body["error"]["suggested_fix"] == "Please check you are using a valid key."


def test_no_key_at_all_raises_authentication_error(base_url):
    with pytest.raises(AuthenticationError) as raised:
        Composio(api_key=None, base_url=base_url, max_retries=0).auth_configs.retrieve(GITHUB_CUSTOM)
    assert_envelope(raised.value, 401, 801, "APIKey_InvalidAPIKey", "No API key provided")


def test_an_unknown_id_raises_not_found_error_with_our_body(base_url):
    with pytest.raises(NotFoundError) as raised:
        client(base_url).auth_configs.update("ac_000000000000", type="custom", name="x")
    assert_envelope(raised.value, 404, 302, "Auth_Config_NotFound", "Auth config not found")
    with pytest.raises(NotFoundError) as raised:
        client(base_url).auth_configs.retrieve("ac_000000000000")
    assert_envelope(raised.value, 404, 302, "Auth_Config_NotFound")


def test_another_projects_config_is_not_found(base_url):
    with pytest.raises(NotFoundError) as raised:
        client(base_url, api_key=STAGING_PROJECT_KEY).auth_configs.update(GITHUB_CUSTOM, type="custom", name="x")
    assert_envelope(raised.value, 404, 302, "Auth_Config_NotFound")
    assert client(base_url, api_key=STAGING_PROJECT_KEY).auth_configs.retrieve(STAGING_GITHUB).id == STAGING_GITHUB


def test_a_type_that_differs_from_the_stored_one_raises_bad_request(base_url):
    with pytest.raises(BadRequestError) as raised:
        client(base_url).auth_configs.update(SLACK_DEFAULT, type="custom", name="x")
    assert_envelope(raised.value, 400, 301, "Auth_Config_ValidationError")


def test_a_schema_failure_raises_bad_request_naming_the_payload_path(base_url):
    with pytest.raises(BadRequestError) as raised:
        client(base_url).auth_configs.update(
            GITHUB_CUSTOM, type="custom", name="x",
            extra_body={"tool_access_config": {"tools_available_for_execution": "not-a-list"}},
        )
    assert_envelope(raised.value, 400, 10400, "Http_ValidationError", "Validation error while processing request")
    assert raised.value.body["error"]["errors"] == [
        "Error in payload.tool_access_config.tools_available_for_execution: Expected array, received string"
    ]
    # Nothing was written.
    assert client(base_url).auth_configs.retrieve(GITHUB_CUSTOM).name != "x"


def test_a_read_only_key_raises_permission_denied_on_update(base_url):
    with pytest.raises(PermissionDeniedError) as raised:
        client(base_url, api_key=DEMO_READ_ONLY_KEY).auth_configs.update(GITHUB_CUSTOM, type="custom", name="x")
    assert_envelope(raised.value, 403, 802, "APIKey_InsufficientPermissions")
    assert client(base_url, api_key=DEMO_READ_ONLY_KEY).auth_configs.retrieve(GITHUB_CUSTOM).id == GITHUB_CUSTOM
