"""The whole auth-config lifecycle through the official `composio-client` (pinned in requirements.txt):
create (managed and custom, `auth_scheme` sent as `authScheme`), retrieve, list paged with `limit` and
`next_cursor`, update, disable and enable, delete (with `revoke_on_delete`), and the typed errors after.

The suite shares one server, so each test works on configs it creates, told apart by a fresh name.
"""

import re
import uuid

import pytest
from composio_client import BadRequestError, Composio, NotFoundError

DEMO_PROJECT_KEY = "ak_demo0Project0FullKey01"
STAGING_PROJECT_KEY = "ak_staging0Project0Key01"
AUTH_CONFIG_ID = re.compile(r"^ac_[A-Za-z0-9_-]{12}$")


def client(base_url, api_key=DEMO_PROJECT_KEY):
    return Composio(api_key=api_key, base_url=base_url, max_retries=0)


def unique(label):
    return f"{label} {uuid.uuid4().hex[:8]}"


def assert_envelope(error, status, code, slug):
    body = error.body
    assert error.status_code == status
    assert body["error"]["code"] == code, body
    assert body["error"]["slug"] == slug, body
    assert body["error"]["status"] == status, body
    assert body["error"]["request_id"] == error.response.headers["x-request-id"]
    assert uuid.UUID(body["error"]["request_id"]).version == 4


def test_the_whole_lifecycle_of_a_custom_config(base_url):
    composio = client(base_url)
    name = unique("Own GitHub app")
    created = composio.auth_configs.create(
        toolkit={"slug": "github"},
        auth_config={
            "type": "use_custom_auth",
            "auth_scheme": "OAUTH2",
            "name": name,
            "credentials": {"client_id": "sdk-client", "client_secret": "sdk-client-secret-0042"},
        },
    )
    nanoid = created.auth_config.id
    assert AUTH_CONFIG_ID.match(nanoid), nanoid
    assert created.toolkit.slug == "github"
    assert created.auth_config.auth_scheme == "OAUTH2"
    assert created.auth_config.is_composio_managed is False
    assert created.auth_config.restrict_to_following_tools == []

    config = composio.auth_configs.retrieve(nanoid)
    assert (config.id, config.name, config.type, config.status) == (nanoid, name, "custom", "ENABLED")
    assert config.credentials == {"client_id": "sdk-client", "client_secret": "****0042"}
    assert config.created_at == config.last_updated_at
    listed = composio.auth_configs.list(search=name)
    assert [item.id for item in listed.items] == [nanoid]
    assert (listed.total_items, listed.total_pages, listed.current_page, listed.next_cursor) == (1, 1, 1, None)

    updated = composio.auth_configs.update(nanoid, type="custom", credentials={"client_secret": "rotated-0099"})
    assert updated == {"success": True, "message": "Auth config updated successfully"}
    config = composio.auth_configs.retrieve(nanoid)
    assert config.credentials == {"client_id": "sdk-client", "client_secret": "****0099"}

    disabled = composio.auth_configs.update_status("DISABLED", nanoid=nanoid)
    assert disabled == {"success": True, "message": "Auth config disabled successfully"}
    assert composio.auth_configs.retrieve(nanoid).status == "DISABLED"
    assert composio.auth_configs.list(search=name).items == []
    assert [item.id for item in composio.auth_configs.list(search=name, show_disabled=True).items] == [nanoid]
    enabled = composio.auth_configs.update_status("ENABLED", nanoid=nanoid)
    assert enabled == {"success": True, "message": "Auth config enabled successfully"}
    assert composio.auth_configs.retrieve(nanoid).status == "ENABLED"

    deleted = composio.auth_configs.delete(nanoid)
    assert deleted.revoke_job_id is None
    with pytest.raises(NotFoundError) as raised:
        composio.auth_configs.retrieve(nanoid)
    assert_envelope(raised.value, 404, 302, "Auth_Config_NotFound")
    assert raised.value.body["error"]["message"] == "Auth config not found"
    with pytest.raises(NotFoundError) as raised:
        composio.auth_configs.delete(nanoid)
    assert_envelope(raised.value, 404, 302, "Auth_Config_NotFound")
    assert composio.auth_configs.list(search=name, show_disabled=True).items == []


def test_list_pages_through_with_limit_and_next_cursor(base_url):
    composio = client(base_url)
    tag = unique("paged")
    ids = [
        composio.auth_configs.create(
            toolkit={"slug": "asana"},
            auth_config={"type": "use_composio_managed_auth", "name": f"{tag} {index}"},
        ).auth_config.id
        for index in range(5)
    ]
    seen, pages, cursor = [], [], None
    while True:
        # The Python client sends a float limit as `2.0`.
        page = composio.auth_configs.list(search=tag, limit=2.0, **({"cursor": cursor} if cursor else {}))
        pages.append((page.current_page, page.total_pages, page.total_items, len(page.items)))
        seen.extend(item.id for item in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    # Newest first, each config once, over three pages of two.
    assert seen == list(reversed(ids))
    assert pages == [(1, 3, 5, 2), (2, 3, 5, 2), (3, 3, 5, 1)]
    managed = composio.auth_configs.list(search=tag, is_composio_managed=True, toolkit_slug="asana,slack")
    assert managed.total_items == 5
    assert composio.auth_configs.list(search=tag, is_composio_managed=False).total_items == 0
    # Another project never lists them.
    assert client(base_url, STAGING_PROJECT_KEY).auth_configs.list(search=tag).items == []


def test_delete_with_revoke_on_delete_names_a_revoke_job(base_url):
    composio = client(base_url)
    nanoid = composio.auth_configs.create(toolkit={"slug": "notion"}).auth_config.id
    deleted = composio.auth_configs.delete(nanoid, revoke_on_delete=True)
    assert re.match(r"^pj_[A-Za-z0-9_-]{12}$", deleted.revoke_job_id), deleted.revoke_job_id
    with pytest.raises(NotFoundError):
        composio.auth_configs.retrieve(nanoid)


def test_a_managed_config_gets_composios_defaults(base_url):
    composio = client(base_url)
    created = composio.auth_configs.create(toolkit={"slug": "slack"})
    assert created.auth_config.is_composio_managed is True
    config = composio.auth_configs.retrieve(created.auth_config.id)
    assert config.type == "default"
    assert re.match(r"^slack-[a-z]{6}$", config.name), config.name
    assert config.no_of_connections == 0
    assert config.toolkit.logo == "https://logos.composio.dev/api/slack"
    composio.auth_configs.delete(created.auth_config.id)


def test_refused_creates_and_lists_raise_typed_errors_with_composios_envelope(base_url):
    composio = client(base_url)
    with pytest.raises(NotFoundError) as raised:
        composio.auth_configs.create(toolkit={"slug": "no-such-toolkit"})
    assert_envelope(raised.value, 404, 10404, "Toolkit_NotFound")
    with pytest.raises(BadRequestError) as raised:
        composio.auth_configs.create(toolkit={"slug": "pinecone"})
    assert_envelope(raised.value, 400, 306, "Auth_Config_DefaultAuthConfigNotFound")
    with pytest.raises(BadRequestError) as raised:
        composio.auth_configs.create(
            toolkit={"slug": "shopify"}, auth_config={"type": "use_custom_auth", "auth_scheme": "OAUTH2"}
        )
    assert_envelope(raised.value, 400, 301, "Auth_Config_ValidationError")
    with pytest.raises(BadRequestError) as raised:
        composio.auth_configs.create(toolkit={"slug": "github"}, auth_config={"type": "use_custom_auth"})
    assert_envelope(raised.value, 400, 10400, "Http_ValidationError")
    assert raised.value.body["error"]["errors"] == ["Error in payload.auth_config.authScheme: Required"]
    with pytest.raises(BadRequestError) as raised:
        composio.auth_configs.list(limit=51)
    assert_envelope(raised.value, 400, 10400, "Http_ValidationError")
    with pytest.raises(BadRequestError) as raised:
        # The typed method takes only ENABLED or DISABLED; a raw call sends another value.
        composio.patch("/api/v3.1/auth_configs/ac_gHc7Qm2xLp9T/disabled", cast_to=object)
    assert_envelope(raised.value, 400, 10400, "Http_ValidationError")
