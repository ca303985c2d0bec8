"""The console's cross-screen acceptance in headless Chromium: signing in and out, where the key lives, a refused
key, a read-only key's screens (no write control), and another workspace's key (none of the first's data)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import httpx
import pytest

from tests.e2e.conftest import RunningStack
from tests.e2e.console_browser import ConsoleBrowser
from tests.e2e.console_fixtures import ConsoleDemo

pytestmark = pytest.mark.kafka

READ_ONLY_SCREENS = (
    ("Overview", "/console/"),
    ("Customers", "/console/customers"),
    ("Segments", "/console/segments"),
    ("Journeys", "/console/journeys"),
)


def _holds_key(browser: ConsoleBrowser, key: str) -> bool:
    return any(key in value for value in browser.session_storage().values())


def _urls_seen(browser: ConsoleBrowser) -> list[str]:
    """Every URL the page loaded or fetched (navigation, scripts, API calls), and the current one."""
    seen = browser.driver.execute_script("return performance.getEntries().map((e) => e.name);")
    return [browser.url(), *map(str, seen)]


def _visit(browser: ConsoleBrowser, link: str, path: str) -> None:
    """Follow the Main nav's `link` and wait for its screen at `path` to finish loading."""
    browser.click_link(link)
    browser.wait_until(lambda: browser.url().endswith(path), f"the {link} screen at {path}")
    browser.heading()
    browser.wait_idle()


def _figures(amount: str) -> set[str]:
    """How the console (en-US) may write an amount: 9,876.5 as a number, 9,876.50 as money."""
    money = f"{Decimal(amount):,.2f}"
    return {money, money.rstrip("0").rstrip(".")}


def _revenue(gateway: str, key: str) -> str:
    overview = httpx.get(f"{gateway}/v1/reports/overview", headers={"Authorization": f"Bearer {key}"}, timeout=30)
    assert overview.status_code == 200, overview.text
    return str(overview.json()["kpis"]["revenue"]["value"])


def test_signing_in_keeps_the_key_in_session_storage_only_and_signing_out_forgets_it(
    console_browser: ConsoleBrowser, console_demo: ConsoleDemo
) -> None:
    browser = console_browser
    browser.open("/console/customers")
    browser.wait_for("#api-key")  # not signed in: the console asks for a key first
    browser.check_screen("sign-in")
    browser.sign_in(console_demo.key)
    assert _holds_key(browser, console_demo.key)
    for link, path in READ_ONLY_SCREENS:
        _visit(browser, link, path)
    leaks = [url for url in _urls_seen(browser) if console_demo.key in url]
    assert not leaks, f"the key is in URLs: {leaks}"

    browser.sign_out()
    assert not _holds_key(browser, console_demo.key)
    browser.open("/console/customers")
    browser.wait_for("#api-key")
    browser.wait_gone('nav[aria-label="Main"]')


def test_a_refused_key_shows_the_problem_in_the_sign_in_form_and_stays_signed_out(
    console_browser: ConsoleBrowser, stack: RunningStack
) -> None:
    wrong_key = f"fw_{uuid.uuid4().hex}"
    refused = httpx.get(f"{stack.gateway}/v1/customers", headers=stack.headers(wrong_key), timeout=30)
    assert refused.status_code == 401, refused.text
    title = refused.json()["title"]

    browser = console_browser
    browser.open("/console/sign-in")
    browser.fill("API key", wrong_key)
    browser.click_button("Sign in")
    browser.wait_for(".problem[role=alert]")
    assert any(title in alert for alert in browser.alerts()), browser.alerts()
    browser.check_screen("sign-in-refused")
    assert not _holds_key(browser, wrong_key)
    browser.open("/console/")
    browser.wait_for("#api-key")
    browser.wait_gone('nav[aria-label="Main"]')


def test_a_read_only_key_finds_its_way_and_sees_no_write_control(
    console_browser: ConsoleBrowser, console_demo: ConsoleDemo
) -> None:
    browser = console_browser
    browser.sign_in(console_demo.read_key)
    for link, path in READ_ONLY_SCREENS:
        _visit(browser, link, path)
        assert browser.write_controls() == [], f"write controls on {path} for a customers:read key"
        browser.check_screen(f"read-only-{link.lower()}")


def test_another_workspaces_key_never_sees_the_first_workspaces_customers_or_numbers(
    console_browser: ConsoleBrowser, console_demo: ConsoleDemo
) -> None:
    browser = console_browser
    browser.sign_in(console_demo.other_key)
    signed_in_as = browser.wait_for(testid="signed-in-as").text
    assert console_demo.workspace not in signed_in_as.split(), signed_in_as

    _visit(browser, "Customers", "/console/customers")
    browser.select("Find by", "Email")
    browser.fill("Identifier", console_demo.customer_email)
    browser.click_button("Find")
    browser.wait_for(".problem[role=alert]")  # 404: no such customer in this workspace
    assert browser.url().endswith("/console/customers"), browser.url()

    _visit(browser, "Overview", "/console/")
    own = _figures(_revenue(console_demo.gateway, console_demo.other_key))
    first = [figure for figure in _figures(_revenue(console_demo.gateway, console_demo.key)) if len(figure) >= 4]
    tile = browser.wait_for(testid="kpi-revenue")
    browser.wait_until(lambda: any(figure in tile.text for figure in own), f"the revenue tile showing {own}")
    assert not [figure for figure in first if figure in tile.text], f"the first workspace's revenue {first} shown"
