"""The console's Sales board and analytics in headless Chromium, on the demo's data: the board shows the pipeline's
stages and deals; a deal moves to its next stage; a move the pipeline's rules refuse shows the API's blockers; the
analytics draw their charts; a read-only key sees no write control; another workspace's key none of the deals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from tests.e2e.console_browser import ConsoleBrowser
from tests.e2e.console_browser import testid as css_of  # not `testid`: pytest would collect it as a test
from tests.e2e.console_fixtures import ConsoleDemo

pytestmark = pytest.mark.kafka

CHARTS = ("chart-conversion", "chart-cycle", "chart-win-rate", "chart-pipeline-value", "chart-forecast")


def _api(demo: ConsoleDemo, method: str, path: str, key: str | None = None, **kwargs: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key or demo.key}"}
    return httpx.request(method, f"{demo.gateway}{path}", headers=headers, timeout=30, **kwargs)


def _deal(demo: ConsoleDemo, deal_id: str) -> dict[str, Any]:
    found = _api(demo, "GET", f"/v1/deals/{deal_id}")
    assert found.status_code == 200, found.text
    return dict(found.json())


def _stages(demo: ConsoleDemo, pipeline_id: str) -> list[dict[str, Any]]:
    found = _api(demo, "GET", f"/v1/pipelines/{pipeline_id}")
    assert found.status_code == 200, found.text
    return list(found.json()["document"]["stages"])


def _next_stage(stages: list[dict[str, Any]], current: str) -> dict[str, Any]:
    ids = [stage["id"] for stage in stages]
    return stages[ids.index(current) + 1]


def _card_in_column(deal_id: str, stage: str) -> str:
    return f"{css_of(f'column-{stage}')} {css_of(f'deal-{deal_id}')}"


def _move(browser: ConsoleBrowser, deal_id: str, stage: str) -> None:
    """Pick `stage` in the card's "Move to" select and press its Move button."""
    card = browser.wait_for(testid=f"deal-{deal_id}")
    Select(card.find_element(By.CSS_SELECTOR, css_of(f"move-{deal_id}"))).select_by_value(stage)
    card.find_element(By.CSS_SELECTOR, "form.move button[type=submit]").click()


def _drawn(browser: ConsoleBrowser, chart: str) -> Callable[[], bool]:
    return lambda: bool(browser.driver.find_elements(By.CSS_SELECTOR, f"{css_of(chart)} svg"))


def _open_board(browser: ConsoleBrowser, pipeline_id: str) -> None:
    browser.click_link("Sales")
    assert browser.heading() == "Sales board"
    browser.open(f"/console/sales?pipeline={pipeline_id}")
    browser.wait_for(testid="sales-board")


def test_the_board_moves_a_deal_to_its_next_stage_and_shows_the_blockers_of_a_refused_move(
    console_browser: ConsoleBrowser, console_demo: ConsoleDemo
) -> None:
    demo, browser = console_demo, console_browser
    movable, blocked = _deal(demo, demo.movable_deal_id), _deal(demo, demo.blocked_deal_id)
    pipeline_id = str(movable["pipeline_id"])
    stages = _stages(demo, pipeline_id)
    browser.sign_in(demo.key)
    _open_board(browser, pipeline_id)
    for stage in stages:
        browser.wait_for(f"{css_of('column-' + stage['id'])} h2")
        browser.wait_for_text(stage["name"])
    browser.wait_for(_card_in_column(movable["deal_id"], movable["stage"]))
    browser.wait_for(_card_in_column(blocked["deal_id"], blocked["stage"]))
    browser.wait_for_text(movable["title"])
    browser.check_screen("sales-board")

    # A deal whose stage is done moves: its card is in the next column, and the API says so.
    target = _next_stage(stages, movable["stage"])
    _move(browser, movable["deal_id"], target["id"])
    browser.wait_for(_card_in_column(movable["deal_id"], target["id"]))
    assert _deal(demo, movable["deal_id"])["stage"] == target["id"]

    # A move the pipeline refuses shows the problem's title and each blocker the API names, next to the card.
    held = _next_stage(stages, blocked["stage"])
    refused = _api(demo, "POST", f"/v1/deals/{blocked['deal_id']}/move", json={"stage": held["id"]})
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["blockers"], problem
    _move(browser, blocked["deal_id"], held["id"])
    shown = browser.wait_for(f"{css_of('deal-' + blocked['deal_id'])} {css_of('blockers-' + blocked['deal_id'])}")
    assert shown.get_attribute("role") == "alert"
    assert problem["title"] in shown.text, shown.text
    for blocker in problem["blockers"]:
        assert blocker in shown.text, shown.text
    browser.wait_for(_card_in_column(blocked["deal_id"], blocked["stage"]))  # still where it was
    assert _deal(demo, blocked["deal_id"])["stage"] == blocked["stage"]
    browser.check_screen("sales-board-blocked")

    # The deal's panel says the same, with its stage history.
    card = browser.wait_for(testid=f"deal-{blocked['deal_id']}")
    card.find_element(By.CSS_SELECTOR, ".card-actions .link-button").click()
    panel = browser.wait_for(testid="deal-detail")
    browser.wait_for_text("Stage history")
    for blocker in problem["blockers"]:
        assert blocker in panel.text, panel.text
    browser.check_screen("sales-deal")
    browser.click_button("Close")
    browser.wait_gone(testid="deal-detail")


def test_the_analytics_draw_conversion_cycle_time_win_rate_and_forecast_charts(
    console_browser: ConsoleBrowser, console_demo: ConsoleDemo
) -> None:
    demo, browser = console_demo, console_browser
    pipeline_id = str(_deal(demo, demo.movable_deal_id)["pipeline_id"])
    analytics = _api(demo, "GET", "/v1/sales-analytics", params={"pipeline_id": pipeline_id})
    assert analytics.status_code == 200, analytics.text
    browser.sign_in(demo.key)
    browser.click_link("Sales")
    browser.click_link("Analytics")
    assert browser.heading() == "Sales analytics"
    browser.open(f"/console/sales/analytics?pipeline={pipeline_id}")
    for chart in CHARTS:
        element = browser.wait_for(testid=chart)
        assert element.get_attribute("role") == "img" and element.get_attribute("aria-label"), chart
        browser.wait_until(_drawn(browser, chart), f"{chart} drawn (its <svg>)")
    kpis = browser.wait_for(testid="sales-kpis").text
    assert f"{analytics.json()['open']} open, {analytics.json()['won']} won" in kpis, kpis
    browser.check_screen("sales-analytics")


def test_a_read_only_key_sees_the_board_and_analytics_without_write_controls(
    console_browser: ConsoleBrowser, console_demo: ConsoleDemo
) -> None:
    demo, browser = console_demo, console_browser
    deal = _deal(demo, demo.blocked_deal_id)
    browser.sign_in(demo.read_key)
    _open_board(browser, str(deal["pipeline_id"]))
    browser.wait_for(testid=f"deal-{deal['deal_id']}")
    browser.wait_idle()
    assert browser.write_controls() == [], "write controls on the board for a customers:read key"
    browser.open(f"/console/sales/analytics?pipeline={deal['pipeline_id']}")
    browser.wait_for(testid="chart-conversion")
    browser.wait_idle()
    assert browser.write_controls() == [], "write controls on the analytics for a customers:read key"


def test_another_workspaces_key_sees_none_of_the_deals(
    console_browser: ConsoleBrowser, console_demo: ConsoleDemo
) -> None:
    demo, browser = console_demo, console_browser
    deal = _deal(demo, demo.blocked_deal_id)
    browser.sign_in(demo.other_key)
    browser.open(f"/console/sales?pipeline={deal['pipeline_id']}")
    browser.wait_for(testid="sales-board")
    browser.wait_idle()
    assert not browser.driver.find_elements(By.CSS_SELECTOR, css_of(f"deal-{deal['deal_id']}"))
    assert deal["title"] not in browser.driver.execute_script("return document.body.innerText")
