"""The console's Overview, Customers and Customer 360 screens in a browser, on the demo workspace: the overview's
KPI tiles have numbers and its charts are drawn; a customer is found through the search and their 360 view shows
what the API holds on them; erasing asks first and then erases; a read-only key sees no export or erase, and
another workspace's key sees nobody."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from selenium.webdriver.common.by import By

from tests.e2e.console_browser import ConsoleBrowser
from tests.e2e.console_browser import testid as by_testid
from tests.e2e.console_fixtures import ConsoleDemo
from tests.helpers import event

pytestmark = [pytest.mark.kafka, pytest.mark.timeout(1200)]

DASH = "\u2013"  # what the console shows for a value it does not have
TILES = (
    "revenue",
    "new-customers",
    "returning-customers",
    "repurchase-rate",
    "ltv",
    "cac",
    "ltv-to-cac",
    "referral-share",
    "nps",
)


@pytest.fixture
def api(console_demo: ConsoleDemo) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {console_demo.key}"}
    with httpx.Client(base_url=console_demo.gateway, headers=headers, timeout=30) as client:
        yield client


def _customer(api: httpx.Client, email: str) -> dict[str, Any]:
    found = api.get("/v1/customers", params={"email": email})
    assert found.status_code == 200, found.text
    view = api.get(f"/v1/customers/{found.json()['customer_id']}")
    assert view.status_code == 200, view.text
    return dict(view.json())


def _money(amount: str) -> str:
    """A decimal as the console writes money without a currency in en-US: grouped, at most 2 decimals."""
    text = f"{Decimal(amount):,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _texts(browser: ConsoleBrowser, css: str) -> list[str]:
    return [element.text.strip() for element in browser.driver.find_elements(By.CSS_SELECTOR, css)]


def _tile_value(browser: ConsoleBrowser, name: str) -> str:
    return str(browser.wait_for(testid=name).find_element(By.CSS_SELECTOR, ".kpi-value").text)


def _wait_up_to(within: float, probe: Any, what: str) -> Any:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"timed out after {within:g}s waiting for {what}")


def test_the_overview_shows_the_kpis_the_tree_and_the_charts(
    console_browser: ConsoleBrowser, console_demo: ConsoleDemo
) -> None:
    console_browser.wait_s = 60  # the overview asks every report, some of them per period of the trend
    console_browser.sign_in(console_demo.key)
    assert console_browser.heading() == "Overview"
    console_browser.wait_for(testid="kpi-tiles")
    console_browser.wait_until(
        lambda: len(_texts(console_browser, f"{by_testid('kpi-tiles')} .kpi-value")) == len(TILES),
        "the KPI tiles",
    )
    for name in TILES:
        value = console_browser.wait_for(testid=f"kpi-{name}").find_element(By.CSS_SELECTOR, ".kpi-value").text
        assert value not in ("", DASH), (name, value)
    # the KPI tree, against this quarter's targets (the demo sets them): values, targets and progress bars
    revenue = console_browser.wait_for(testid="kpi-node-revenue").text
    assert "Target" in revenue, revenue
    assert console_browser.driver.find_elements(By.CSS_SELECTOR, f"{by_testid('kpi-tree')} [role=progressbar]")
    # the charts are drawn (SVG), the retention heat map with a cell per cohort and month
    for chart in ("chart-revenue", "chart-buyers", "chart-retention", "chart-channels", "chart-nps"):
        console_browser.wait_for(f"{by_testid(chart)} svg path")
    cells = console_browser.driver.find_elements(By.CSS_SELECTOR, f"{by_testid('chart-retention')} svg path")
    assert len(cells) > 10, len(cells)
    assert "NPS" in console_browser.wait_for(testid="nps-summary").text
    console_browser.check_screen("overview")

    console_browser.select("Period", "Last 30 days")
    console_browser.wait_until(lambda: "period=30d" in console_browser.url(), "the period in the URL")
    console_browser.wait_for(testid="kpi-revenue")
    assert console_browser.heading() == "Overview"


def test_a_customer_found_through_the_search_shows_their_360_view(
    console_browser: ConsoleBrowser, console_demo: ConsoleDemo, api: httpx.Client
) -> None:
    customer = _customer(api, console_demo.customer_email)
    name = str(customer["traits"]["name"])
    timeline = api.get(f"/v1/customers/{customer['customer_id']}/timeline", params={"limit": 3}).json()["items"]

    console_browser.wait_s = 30
    console_browser.sign_in(console_demo.key)
    console_browser.click_link("Customers")
    assert console_browser.heading() == "Customers"
    console_browser.wait_for(testid="customer-results")
    console_browser.fill("Trait", "name")
    console_browser.fill("Trait value", name)
    console_browser.click_button("Search")
    console_browser.wait_until(lambda: "trait=name" in console_browser.url(), "the search in the URL")
    # the demo's names repeat: the customer is the row with their email
    console_browser.wait_until(
        lambda: (
            console_demo.customer_email
            in _texts(console_browser, f"{by_testid('customer-results')} tbody tr td:nth-child(2)")
        ),
        "the customer among those of that name",
    )
    names = _texts(console_browser, f"{by_testid('customer-results')} tbody tr td:nth-child(1)")
    assert set(names) == {name}, names
    console_browser.check_screen("customers")
    row = console_browser.driver.find_element(
        By.XPATH, f"//tbody/tr[td[2][normalize-space()='{console_demo.customer_email}']]//a"
    )
    row.click()

    console_browser.wait_until(lambda: console_browser.heading() == name, "the 360 view's heading")
    assert console_browser.wait_for(testid="customer-email").text == console_demo.customer_email
    stats = customer["stats"]
    assert _tile_value(console_browser, "stat-orders") == f"{stats['orders']:,}"
    assert _tile_value(console_browser, "stat-revenue") == _money(stats["revenue"])
    assert stats["orders"] > 0
    rfm = console_browser.wait_for(testid="score-rfm").text
    assert customer["scores"]["rfm"]["segment"] in rfm, rfm
    assert customer["scores"]["churn"]["risk"] in console_browser.wait_for(testid="score-churn").text
    assert console_browser.wait_for(testid="score-clv").text not in ("", DASH)
    console_browser.wait_for(testid="customer-timeline")
    types = _texts(console_browser, f"{by_testid('customer-timeline')} .timeline-type")
    assert types[: len(timeline)] == [item["type"] for item in timeline], (types, timeline)
    console_browser.wait_for(testid="customer-points")
    console_browser.wait_for(testid="customer-deals")
    assert console_browser.alerts() == []
    console_browser.check_screen("customer-360")

    # erasing asks first; cancelled, nothing happens
    assert console_browser.driver.find_elements(By.CSS_SELECTOR, by_testid("export-customer"))
    console_browser.click_button("Erase customer")
    console_browser.wait_for_text(f"Erase {name}?")
    console_browser.click_button("Cancel")
    console_browser.wait_gone("dialog[open]")
    assert console_browser.heading() == name
    assert api.get("/v1/customers", params={"email": console_demo.customer_email}).status_code == 200


def test_erasing_a_customer_takes_them_away(
    console_browser: ConsoleBrowser, console_demo: ConsoleDemo, api: httpx.Client
) -> None:
    email = f"throwaway-{uuid.uuid4().hex[:8]}@console.test"
    sent = api.post(
        "/v1/events",
        json=[event("identify", console_demo.workspace, {"email": email}, {"traits": {"name": "Thrown Away"}})],
    )
    assert sent.status_code == 202, sent.text
    found = _wait_up_to(60, lambda: api.get("/v1/customers", params={"email": email}).status_code == 200, email)
    assert found
    customer_id = api.get("/v1/customers", params={"email": email}).json()["customer_id"]

    console_browser.wait_s = 30
    console_browser.sign_in(console_demo.key)
    console_browser.open(f"/console/customers/{customer_id}")
    console_browser.wait_until(lambda: console_browser.heading() == "Thrown Away", "the customer's 360 view")
    console_browser.click_button("Erase customer")
    console_browser.click_button("Erase for good")
    console_browser.wait_for(testid="erased-note")
    assert customer_id in console_browser.wait_for(testid="erased-note").text
    assert console_browser.heading() == "Customers"
    _wait_up_to(60, lambda: api.get("/v1/customers", params={"email": email}).status_code == 404, "the erasure")


def test_a_read_only_key_sees_the_360_view_without_export_or_erase(
    console_browser: ConsoleBrowser, console_demo: ConsoleDemo, api: httpx.Client
) -> None:
    customer = _customer(api, console_demo.customer_email)
    name = str(customer["traits"]["name"])
    console_browser.wait_s = 30
    console_browser.sign_in(console_demo.read_key)
    console_browser.click_link("Customers")
    console_browser.fill("Identifier", console_demo.customer_email)
    console_browser.click_button("Find")
    console_browser.wait_until(lambda: console_browser.heading() == name, "the 360 view")
    console_browser.wait_for(testid="customer-timeline")
    console_browser.wait_for(testid="score-rfm")
    console_browser.wait_idle()
    assert console_browser.write_controls() == []
    assert not console_browser.driver.find_elements(By.CSS_SELECTOR, by_testid("export-customer"))
    assert not console_browser.driver.find_elements(By.CSS_SELECTOR, by_testid("erase-customer"))
    console_browser.click_link("Customers")
    console_browser.wait_for(testid="customer-results")
    assert console_browser.write_controls() == []


def test_another_workspace_key_finds_nobody_of_this_one(
    console_browser: ConsoleBrowser, console_demo: ConsoleDemo, api: httpx.Client
) -> None:
    customer_id = _customer(api, console_demo.customer_email)["customer_id"]
    console_browser.wait_s = 30
    console_browser.sign_in(console_demo.other_key)
    console_browser.open(f"/console/customers/{customer_id}")
    console_browser.wait_until(console_browser.alerts, "the problem")
    assert any("not found" in alert.lower() for alert in console_browser.alerts()), console_browser.alerts()
    assert console_browser.heading() == "Customer"
    console_browser.click_link("Customers")
    console_browser.fill("Identifier", console_demo.customer_email)
    console_browser.click_button("Find")
    console_browser.wait_until(console_browser.alerts, "the problem")
    assert console_browser.heading() == "Customers"
