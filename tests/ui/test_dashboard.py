"""The dashboard in a real browser (headless Chromium), next to the official `composio-client`: an
SDK call shows up live in the journal, a 429 rule added from the page reaches the SDK, and a tenant
reset from the page puts its records back. Each test saves a screenshot."""

import json
import urllib.request

import pytest
from composio_client import Composio, RateLimitError
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as until
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

DEMO_KEY = "ak_demo0Project0FullKey01"
DEMO_GITHUB = "ac_gHc7Qm2xLp9T"
STAGING_KEY = "ak_staging0Project0Key01"
STAGING_GITHUB = "ac_gHs2Kp7rMz4Y"
STAGING_GITHUB_NAME = "GitHub (staging app)"
WAIT_S = 10


def control(server, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.url + path, data=data, method=method,
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


@pytest.fixture(autouse=True)
def clean(server):
    control(server, "DELETE", "/_patchbay/faults")
    control(server, "DELETE", "/_patchbay/requests")
    control(server, "POST", "/_patchbay/reset", {})
    yield
    control(server, "DELETE", "/_patchbay/faults")


def open_dashboard(browser, server):
    browser.get(server.url + "/_patchbay/ui")
    wait = WebDriverWait(browser, WAIT_S)
    wait.until(until.text_to_be_present_in_element((By.ID, "journal-status"), "Live"))
    return wait


def journal_row(wait, path_part, status):
    """The first journal row whose path and status cells hold these texts."""
    def find(browser):
        for row in browser.find_elements(By.CSS_SELECTOR, "#journal-rows tr"):
            cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
            if len(cells) == 9 and path_part in cells[4] and cells[5] == str(status):
                return row
        return False
    return wait.until(find)


def test_an_sdk_call_appears_live_and_opens_from_the_keyboard(browser, server, screenshots):
    wait = open_dashboard(browser, server)
    composio = Composio(api_key=DEMO_KEY, base_url=server.url, max_retries=0)
    config = composio.auth_configs.retrieve(DEMO_GITHUB)
    assert config.id == DEMO_GITHUB
    row = journal_row(wait, f"/auth_configs/{DEMO_GITHUB}", 200)
    cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
    assert cells[1:4] == ["composio", "proj_demo", "GET"], cells
    # Keyboard only: the row takes the focus and Enter opens it.
    row.send_keys(Keys.ENTER)
    detail = wait.until(until.visibility_of_element_located((By.ID, "request-detail")))
    assert browser.switch_to.active_element == detail
    assert "Response status\n200" in detail.text
    assert browser.find_element(By.ID, "journal-announcer").get_attribute("aria-live") == "polite"
    browser.save_screenshot(str(screenshots / "journal.png"))
    detail.send_keys(Keys.ESCAPE)
    wait.until(until.invisibility_of_element_located((By.ID, "request-detail")))


def test_a_masked_body_is_shown_for_a_request_that_sent_a_secret(browser, server, screenshots):
    wait = open_dashboard(browser, server)
    composio = Composio(api_key=STAGING_KEY, base_url=server.url, max_retries=0)
    composio.auth_configs.update(STAGING_GITHUB, type="custom",
                                 credentials={"client_id": "id-1", "client_secret": "a-secret-long-enough-1234"})
    row = journal_row(wait, f"/auth_configs/{STAGING_GITHUB}", 200)
    row.click()
    body = wait.until(until.visibility_of_element_located((By.ID, "detail-body"))).text
    assert '"client_secret": "****1234"' in body, body
    assert "a-secret-long-enough" not in browser.page_source


def test_a_429_added_from_the_page_reaches_the_sdk(browser, server, screenshots):
    wait = open_dashboard(browser, server)
    Select(browser.find_element(By.ID, "fault-kind")).select_by_value("rate_limit")
    Select(browser.find_element(By.ID, "fault-vendor")).select_by_visible_text("composio")
    browser.find_element(By.ID, "fault-path").send_keys("/api/v3*/auth_configs/*")
    retry_after = browser.find_element(By.ID, "fault-retry-after")
    retry_after.clear()
    retry_after.send_keys("2")
    browser.find_element(By.ID, "fault-times").send_keys("1")
    browser.find_element(By.CSS_SELECTOR, "#fault-form button[type=submit]").click()
    wait.until(until.text_to_be_present_in_element((By.ID, "faults-status"), "Added fault_"))
    wait.until(until.text_to_be_present_in_element((By.ID, "faults-rows"), "rate_limit"))
    rules = control(server, "GET", "/_patchbay/faults")["faults"]
    assert [(rule["kind"], rule["vendor"], rule["path"], rule["times"], rule["retry_after"]) for rule in rules] == [
        ("rate_limit", "composio", "/api/v3*/auth_configs/*", 1, 2)]

    composio = Composio(api_key=STAGING_KEY, base_url=server.url, max_retries=0)
    with pytest.raises(RateLimitError) as raised:
        composio.auth_configs.retrieve(STAGING_GITHUB)
    assert raised.value.status_code == 429
    assert raised.value.response.headers["retry-after"] == "2"
    row = journal_row(wait, f"/auth_configs/{STAGING_GITHUB}", 429)
    cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
    assert cells[8] == rules[0]["id"], cells
    browser.save_screenshot(str(screenshots / "fault.png"))
    # `times: 1`: the next call goes through.
    assert composio.auth_configs.retrieve(STAGING_GITHUB).id == STAGING_GITHUB
    journal_row(wait, f"/auth_configs/{STAGING_GITHUB}", 200)
    browser.execute_script("window.scrollTo(0, 0)")
    browser.save_screenshot(str(screenshots / "overview.png"))


def test_a_rule_is_removed_from_the_page(browser, server):
    control(server, "POST", "/_patchbay/faults", {"kind": "status", "status": 503, "vendor": "composio"})
    wait = open_dashboard(browser, server)
    remove = wait.until(until.element_to_be_clickable((By.XPATH, "//button[starts-with(., 'Remove fault_')]")))
    remove.click()
    wait.until(until.text_to_be_present_in_element((By.ID, "faults-rows"), "No fault rules are in force."))
    assert control(server, "GET", "/_patchbay/faults")["faults"] == []


def test_a_tenant_reset_from_the_page_puts_its_records_back(browser, server, screenshots):
    composio = Composio(api_key=STAGING_KEY, base_url=server.url, max_retries=0)
    composio.auth_configs.update(STAGING_GITHUB, type="custom", name="Renamed by the SDK")
    wait = open_dashboard(browser, server)
    Select(browser.find_element(By.ID, "state-vendor")).select_by_visible_text("composio")
    tenant = wait.until(until.presence_of_element_located((By.ID, "tenant-composio-proj_staging")))
    wait.until(until.text_to_be_present_in_element((By.ID, "state-tenants"), "Renamed by the SDK"))
    # Secrets stay masked until asked for.
    state_text = browser.find_element(By.ID, "state-tenants").text
    assert "ak_staging0Project0Key01" not in state_text
    assert "fixture tenant" in tenant.text
    browser.find_element(By.ID, "state-reveal").click()
    wait.until(until.text_to_be_present_in_element((By.ID, "state-tenants"), STAGING_KEY))
    browser.save_screenshot(str(screenshots / "state.png"))

    browser.find_element(By.XPATH, "//button[.='Reset tenant proj_staging']").click()
    wait.until(until.text_to_be_present_in_element((By.ID, "state-status"), "Reset tenant proj_staging"))
    wait.until(lambda driver: "Renamed by the SDK" not in driver.find_element(By.ID, "state-tenants").text)
    assert composio.auth_configs.retrieve(STAGING_GITHUB).name == STAGING_GITHUB_NAME


def test_the_page_loads_nothing_from_elsewhere_and_a_browser_at_the_root_lands_on_it(browser, server):
    browser.get(server.url + "/")
    WebDriverWait(browser, WAIT_S).until(until.url_contains("/_patchbay/ui"))
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map((entry) => entry.name)")
    assert resources, "the page loads its script and style"
    assert all(name.startswith(server.url + "/_patchbay/") for name in resources), resources
    with urllib.request.urlopen(server.url + "/_patchbay/ui", timeout=5) as response:
        policy = response.headers["content-security-policy"]
    assert policy.startswith("default-src 'none'"), policy
    landmarks = [browser.find_elements(By.TAG_NAME, tag) for tag in ("header", "nav", "main")]
    assert all(len(found) == 1 for found in landmarks)
    for control_id in ("filter-vendor", "filter-tenant", "filter-status", "filter-path", "fault-kind",
                       "fault-vendor", "fault-path", "fault-times", "fault-probability", "state-vendor"):
        labelled = browser.execute_script(
            "const e = document.getElementById(arguments[0]); return e.labels && e.labels.length > 0", control_id)
        assert labelled, control_id
