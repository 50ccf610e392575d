"""The package's own helpers against a real patchbay: isolated tenants, faults that end with their
`with` block, the journal, reset and seed, and attaching to a running server through PATCHBAY_URL."""

import json
import urllib.error
import urllib.request

import pytest

import patchbay as patchbay_package


def nango_integrations(tenant):
    request = urllib.request.Request(tenant.base_url("nango") + "/integrations",
                                     headers={"authorization": f"Bearer {tenant.key('nango')}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_each_test_gets_keys_of_its_own_for_every_vendor(patchbay, patchbay_server):
    other = patchbay_server.tenant()
    assert set(patchbay.keys) == set(patchbay_package.VENDORS)
    assert all(patchbay.key(vendor) != other.key(vendor) for vendor in patchbay_package.VENDORS)
    assert patchbay.base_url("puretalk") == patchbay.url + "/api"
    status, body = nango_integrations(patchbay)
    assert status == 200 and body["data"], body
    assert [entry["status"] for entry in patchbay.requests("nango")] == [200]
    assert other.requests("nango") == []


def test_a_fault_lasts_for_its_with_block_and_touches_only_its_tenant(patchbay, patchbay_server):
    bystander = patchbay_server.tenant()
    with patchbay.fault("nango", kind="status", status=503) as fault_id:
        assert fault_id.startswith("fault_")
        assert nango_integrations(patchbay)[0] == 503
        assert nango_integrations(bystander)[0] == 200
    assert nango_integrations(patchbay)[0] == 200
    assert [entry["fault"] for entry in patchbay.requests("nango")] == [fault_id, None]


def test_reset_and_seed(patchbay, patchbay_server):
    nango_integrations(patchbay)
    tenant = patchbay.requests("nango")[0]["tenant"]
    seeded = patchbay_server.seed({"nango": {"records": [
        {"tenant": tenant, "unique_key": "seeded-one", "provider": "github"}]}})
    assert seeded["seeded"]["nango"] == {"keys": 0, "records": 1}
    keys = [item["unique_key"] for item in nango_integrations(patchbay)[1]["data"]]
    assert "seeded-one" in keys
    answer = patchbay.reset("nango")
    assert answer["reset"] == {"vendor": "nango", "tenant": tenant}
    keys = [item["unique_key"] for item in nango_integrations(patchbay)[1]["data"]]
    assert "seeded-one" not in keys


def test_a_refusal_is_a_patchbay_error(patchbay_server):
    with pytest.raises(patchbay_package.PatchbayError) as raised:
        patchbay_server.add_fault(vendor="nango", kind="no-such-kind")
    assert raised.value.status == 400


def test_patchbay_url_attaches_to_a_running_server(monkeypatch, patchbay_server):
    monkeypatch.setenv("PATCHBAY_URL", patchbay_server.url)
    attached = patchbay_package.attach_or_start()
    assert attached.url == patchbay_server.url
    attached.stop()
    assert patchbay_server.health()["status"] == "ok"
