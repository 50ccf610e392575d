"""Faults injected through patchbay's control API, as the official `composio-client` meets them: the
client's own retry of a 429 honouring Retry-After, and its typed errors for a 429 and a 500."""

import json
import time
import urllib.request

import pytest
from composio_client import Composio, InternalServerError, RateLimitError

STAGING_KEY = "ak_staging0Project0Key01"
STAGING_GITHUB = "ac_gHs2Kp7rMz4Y"


def control(base_url, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base_url + path, data=data, method=method,
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


@pytest.fixture(autouse=True)
def clean_faults_and_journal(base_url):
    control(base_url, "DELETE", "/_patchbay/faults")
    control(base_url, "DELETE", "/_patchbay/requests")
    yield
    control(base_url, "DELETE", "/_patchbay/faults")


def statuses(base_url):
    journal = control(base_url, "GET", f"/_patchbay/requests?key={STAGING_KEY}")
    return [entry["status"] for entry in journal["requests"]]


def fault(base_url, **rule):
    control(base_url, "POST", "/_patchbay/faults", {"vendor": "composio", "key": STAGING_KEY, "times": 1, **rule})


def test_the_client_retries_an_injected_429_after_its_retry_after(base_url):
    fault(base_url, kind="rate_limit", retry_after=1)
    client = Composio(api_key=STAGING_KEY, base_url=base_url, max_retries=2)
    started = time.monotonic()
    config = client.auth_configs.retrieve(STAGING_GITHUB)
    elapsed = time.monotonic() - started
    assert config.id == STAGING_GITHUB
    assert statuses(base_url) == [429, 200]
    assert elapsed >= 1.0, f"Retry-After: 1 was honoured ({elapsed:.2f} s)"


def test_an_injected_429_is_a_rate_limit_error_with_composios_headers(base_url):
    fault(base_url, kind="rate_limit", retry_after=3)
    client = Composio(api_key=STAGING_KEY, base_url=base_url, max_retries=0)
    with pytest.raises(RateLimitError) as raised:
        client.auth_configs.update(STAGING_GITHUB, type="custom", name="never")
    error = raised.value
    assert error.status_code == 429
    assert set(error.body) == {"message"}, error.body
    assert error.body["message"].startswith("Rate limit exceeded")
    headers = error.response.headers
    assert headers["retry-after"] == "3"
    for name in ("x-ratelimit", "x-ratelimit-remaining", "x-ratelimit-window-size", "x-request-id"):
        assert name in headers, name
    # The refused update changed nothing.
    assert client.auth_configs.retrieve(STAGING_GITHUB).name != "never"


def test_an_injected_500_is_an_internal_server_error_in_composios_envelope(base_url):
    fault(base_url, kind="status", status=500)
    client = Composio(api_key=STAGING_KEY, base_url=base_url, max_retries=0)
    with pytest.raises(InternalServerError) as raised:
        client.auth_configs.retrieve(STAGING_GITHUB)
    error = raised.value
    assert error.status_code == 500
    inner = error.body["error"]
    assert inner["status"] == 500
    assert isinstance(inner["code"], int) and isinstance(inner["slug"], str)
    assert inner["request_id"] == error.response.headers["x-request-id"]


def test_the_client_retries_an_injected_500_and_then_succeeds(base_url):
    fault(base_url, kind="status", status=500)
    client = Composio(api_key=STAGING_KEY, base_url=base_url, max_retries=2)
    assert client.auth_configs.retrieve(STAGING_GITHUB).id == STAGING_GITHUB
    assert statuses(base_url) == [500, 200]
