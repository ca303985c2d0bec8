"""The console's Sales tasks inbox and quotes awaiting approval in headless Chromium on the demo's data: the key's
owner completes an open task, approves a quote's discount (listed by GET /v1/quotes, then among the approved ones);
a read-only key sees both lists and no write control."""

from __future__ import annotations

import pytest

from tests.e2e.console_browser import ConsoleBrowser
from tests.e2e.console_browser import testid as by_testid
from tests.e2e.console_fixtures import ConsoleDemo

pytestmark = pytest.mark.kafka


def test_complete_an_open_task(console_browser: ConsoleBrowser, console_demo: ConsoleDemo) -> None:
    browser = console_browser
    browser.sign_in(console_demo.key)
    browser.open("/console/sales/quotes")
    browser.click_link("Tasks")  # the Sales screens' sub-nav
    browser.wait_until(lambda: browser.heading() == "Tasks", "the tasks inbox")
    browser.wait_for_text(f"Assigned to {console_demo.owner}")
    task = console_demo.open_task_id
    status = browser.wait_for(testid=f"task-status-{task}")
    assert status.text == "Open"
    browser.check_screen("sales-tasks")

    browser.wait_for(testid=f"complete-{task}").click()
    browser.wait_until(lambda: status.text == "Done", f"task {task} to show Done")
    browser.wait_gone(testid=f"complete-{task}")
    assert browser.alerts() == []

    browser.select("Show", "Done")  # read again: the task is among the done ones
    browser.wait_idle()
    assert browser.wait_for(testid=f"task-status-{task}").text == "Done"


def test_approve_a_quote_awaiting_approval(console_browser: ConsoleBrowser, console_demo: ConsoleDemo) -> None:
    browser = console_browser
    browser.sign_in(console_demo.key)
    browser.open("/console/sales/quotes")
    assert browser.heading() == "Quotes"
    quote = browser.wait_for(f"{by_testid('pending-quotes')} {by_testid('quote-id')}").text
    status = browser.wait_for(testid=f"quote-status-{quote}")
    assert status.text == "Awaiting approval"
    browser.check_screen("sales-quotes")

    browser.wait_for(testid=f"approve-{quote}").click()
    browser.wait_until(lambda: status.text == "Approved", f"quote {quote} to show Approved")
    assert f"by {console_demo.owner}" in browser.wait_for(f"{by_testid('pending-quotes')}").text
    assert browser.alerts() == []

    browser.select("Show", "Approved")  # GET /v1/quotes?status=approved: the quote is listed there now
    browser.wait_until(
        lambda: quote in browser.wait_for(by_testid("pending-quotes")).text, f"quote {quote} among the approved"
    )
    browser.wait_idle()
    assert browser.wait_for(testid=f"quote-status-{quote}").text == "Approved"
    assert browser.driver.find_elements("css selector", by_testid(f"approve-{quote}")) == []

    browser.fill("Quote id", quote)  # read again by its id: approved, nothing left to decide
    browser.click_button("Open quote")
    browser.wait_until(
        lambda: len(browser.driver.find_elements("css selector", by_testid(f"quote-status-{quote}"))) == 2,
        "the quote opened by its id",
    )
    statuses = browser.driver.find_elements("css selector", by_testid(f"quote-status-{quote}"))
    assert [s.text for s in statuses] == ["Approved", "Approved"]


def test_a_read_only_key_sees_no_write_control(console_browser: ConsoleBrowser, console_demo: ConsoleDemo) -> None:
    browser = console_browser
    browser.sign_in(console_demo.read_key)
    browser.open("/console/sales/tasks")
    assert browser.heading() == "Tasks"
    browser.wait_for(".empty")  # the read-only key acts for no one: no inbox, and it says why
    browser.wait_for_text("This key acts for no one")
    assert browser.write_controls() == []
    browser.open("/console/sales/quotes")
    browser.wait_for(f"{by_testid('pending-quotes')} {by_testid('quote-id')}")
    browser.wait_idle()
    assert browser.write_controls() == []
    assert browser.alerts() == []
