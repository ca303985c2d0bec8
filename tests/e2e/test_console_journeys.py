"""The console's Segments and Journeys screens in headless Chromium, on the demo workspace: segments with their
sizes, a segment built with the condition builder (and a bad condition's field error), a journey created from a
template in one click and activated, a journey's graph and funnel; screenshots and axe-core on each screen; the
read-only key sees no write control there, and another workspace's key none of the first's segments."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import httpx
import pytest

from tests.e2e.console_browser import ConsoleBrowser
from tests.e2e.console_browser import testid as css_of_testid
from tests.e2e.console_fixtures import ConsoleDemo
from tests.helpers import zone_where_it_is_midday

pytestmark = pytest.mark.kafka

TEMPLATE = "welcome_and_second_purchase"


def _api(demo: ConsoleDemo, path: str, key: str | None = None) -> Any:
    answer = httpx.get(f"{demo.gateway}{path}", headers={"Authorization": f"Bearer {key or demo.key}"}, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _texts(browser: ConsoleBrowser, css: str) -> list[str]:
    found = browser.driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map((e) => e.innerText.trim());", css
    )
    return [str(text) for text in found]


def _open(browser: ConsoleBrowser, path: str) -> None:
    """Open a console path (a full load; the key stays in sessionStorage) and wait until it has loaded."""
    browser.open(path)
    browser.heading()
    browser.wait_idle()


def _wait_heading(browser: ConsoleBrowser, text: str) -> None:
    browser.wait_until(lambda: browser.heading() == text, f"the heading {text!r}")


def _id_in_url(browser: ConsoleBrowser, section: str) -> str:
    pattern = re.compile(rf"/console/{section}/(?!new\b)([^/?#]+)$")
    found = browser.wait_until(lambda: pattern.search(browser.url()), f"the URL of a {section} page")
    assert found is not None  # wait_until returns what it waited for
    return found.group(1)


def test_segments_list_shows_sizes(console_browser: ConsoleBrowser, console_demo: ConsoleDemo) -> None:
    browser = console_browser
    browser.sign_in(console_demo.key)
    browser.click_link("Segments")
    _wait_heading(browser, "Segments")
    browser.wait_for(testid="segments-table")
    sizes = {s["name"]: s["members"] for s in _api(console_demo, "/v1/segments?limit=50")["items"]}
    browser.wait_for_text("VIP customers")
    shown = [int(text.replace(",", "")) for text in _texts(browser, css_of_testid("segment-members-count"))]
    assert sorted(shown) == sorted(sizes.values()), (shown, sizes)
    assert any(size > 0 for size in shown)
    browser.check_screen("segments")


def test_build_a_segment_and_see_its_members(console_browser: ConsoleBrowser, console_demo: ConsoleDemo) -> None:
    browser = console_browser
    browser.sign_in(console_demo.key)
    browser.click_link("Segments")
    browser.click_link("New segment")
    _wait_heading(browser, "New segment")
    name = f"Bought twice {uuid.uuid4().hex[:6]}"
    browser.fill("Name", name)
    browser.select("Field", "stats.orders")  # a field of GET /v1/segment-fields
    browser.select("Operator", "is at least")
    browser.fill("Value", "2")
    browser.click_button("Create segment")

    segment_id = _id_in_url(browser, "segments")
    _wait_heading(browser, name)
    expected = _api(console_demo, f"/v1/segments/{segment_id}")["members"]
    assert expected > 0, "the demo has customers with two orders or more"
    size = browser.wait_for(testid="segment-size")
    assert f"{expected:,}" in size.text
    members = browser.wait_for(testid="segment-members")
    first = _api(console_demo, f"/v1/segments/{segment_id}/members?limit=25")["items"][0]["customer_id"]
    browser.wait_for_text(first)
    links = members.find_elements("css selector", "a[href^='/console/customers/']")
    assert links, "each member links to the customer's 360 view"
    browser.check_screen("segment-editor")

    # A bad condition: the API's 422 names the rule, and its message shows under it and in the problem.
    browser.fill("Value", "two")
    browser.click_button("Save segment")
    error = browser.wait_for(testid="rule-error")
    assert error.text, "the rule shows the API's message"
    alert = " ".join(browser.alerts())
    assert "condition.all[0].value" in alert, alert
    assert _api(console_demo, f"/v1/segments/{segment_id}")["condition"] == {
        "all": [{"field": "stats.orders", "op": "gte", "value": 2}]
    }, "a refused change changes nothing"


def test_journey_from_a_template_activated_in_the_console(
    console_browser: ConsoleBrowser, console_demo: ConsoleDemo
) -> None:
    browser = console_browser
    browser.sign_in(console_demo.key)
    browser.click_link("Journeys")
    _wait_heading(browser, "Journeys")
    browser.wait_for(testid="journeys-table")
    browser.wait_for(testid="journey-templates")
    browser.check_screen("journeys")

    # One click with the defaults would do; the time zone makes the quiet hours (21:00-08:00) not hold it back.
    card = browser.wait_for(testid=f"template-{TEMPLATE}")
    card.find_element("css selector", "summary").click()
    zone = browser.wait_for(testid=f"template-{TEMPLATE}-timezone")
    zone.send_keys(zone_where_it_is_midday(dt.datetime.now(dt.UTC)))
    browser.wait_for(testid=f"create-{TEMPLATE}").click()

    journey_id = _id_in_url(browser, "journeys")
    journey = _api(console_demo, f"/v1/journeys/{journey_id}")
    assert journey["template"] == TEMPLATE and journey["status"] == "draft"
    _wait_heading(browser, journey["name"])
    assert browser.wait_for(testid="journey-status").text == "draft"
    steps = browser.wait_for(testid="journey-graph").find_elements("css selector", css_of_testid("journey-step"))
    assert sorted(str(step.get_attribute("data-step")) for step in steps) == sorted(journey["document"]["steps"])

    browser.click_button("Activate")
    browser.wait_until(lambda: browser.wait_for(testid="journey-status").text == "active", "the status 'active'")
    assert _api(console_demo, f"/v1/journeys/{journey_id}")["status"] == "active"
    browser.click_button("Pause")
    browser.wait_until(lambda: browser.wait_for(testid="journey-status").text == "paused", "the status 'paused'")
    assert _api(console_demo, f"/v1/journeys/{journey_id}")["status"] == "paused"
    assert not browser.alerts()


def test_a_journey_shows_its_graph_and_funnel(console_browser: ConsoleBrowser, console_demo: ConsoleDemo) -> None:
    journeys = _api(console_demo, "/v1/journeys?status=active")["items"]
    entered = {j["journey_id"]: _api(console_demo, f"/v1/journeys/{j['journey_id']}/stats") for j in journeys}
    journey_id, stats = max(entered.items(), key=lambda item: item[1]["entered"])
    assert stats["entered"] > 0, "the demo's active journeys have enrolled customers"

    browser = console_browser
    browser.sign_in(console_demo.key)
    browser.click_link("Journeys")
    name = _api(console_demo, f"/v1/journeys/{journey_id}")["name"]
    # by its address: a journey made from the same template elsewhere in the suite has the same name
    browser.wait_for(f'a[href="/console/journeys/{journey_id}"]').click()
    _wait_heading(browser, name)
    browser.wait_for(testid="journey-graph")
    browser.wait_for(testid="journey-funnel")
    assert f"{stats['entered']:,}" in browser.wait_for(testid="journey-entered").text
    browser.wait_for(testid="journey-lift")
    browser.wait_for(testid="journey-deliveries")
    browser.check_screen("journey")


def test_read_only_key_sees_no_write_control(console_browser: ConsoleBrowser, console_demo: ConsoleDemo) -> None:
    segment_id = _api(console_demo, "/v1/segments")["items"][0]["segment_id"]
    journey_id = _api(console_demo, "/v1/journeys")["items"][0]["journey_id"]
    browser = console_browser
    browser.sign_in(console_demo.read_key)
    for path in ("segments", f"segments/{segment_id}", "journeys", f"journeys/{journey_id}"):
        _open(browser, f"/console/{path}")
        assert not browser.alerts(), (path, browser.alerts())
        assert browser.write_controls() == [], (path, browser.write_controls())
        if path == f"segments/{segment_id}":
            browser.wait_for(testid="segment-condition")  # the condition in words instead of the builder


def test_another_workspace_sees_none_of_the_segments(
    console_browser: ConsoleBrowser, console_demo: ConsoleDemo
) -> None:
    segment = _api(console_demo, "/v1/segments")["items"][0]
    browser = console_browser
    browser.sign_in(console_demo.other_key)
    _open(browser, f"/console/segments/{segment['segment_id']}")
    browser.wait_until(browser.alerts, "the problem of a segment the workspace does not have")
    assert segment["name"] not in str(browser.driver.execute_script("return document.body.innerText"))
    _open(browser, "/console/segments")
    assert segment["name"] not in str(browser.driver.execute_script("return document.body.innerText"))
