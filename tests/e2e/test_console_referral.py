"""The console's Referral screens in headless Chromium on the demo's data: a held reward approved from the reviews
list, a program's funnel and K-factor, and a read-only key that sees the numbers but no write control."""

from __future__ import annotations

import pytest

from tests.e2e.console_browser import ConsoleBrowser
from tests.e2e.console_browser import testid as by_testid
from tests.e2e.console_fixtures import ConsoleDemo

pytestmark = pytest.mark.kafka


def test_approve_a_held_reward_from_the_reviews(console_browser: ConsoleBrowser, console_demo: ConsoleDemo) -> None:
    browser = console_browser
    browser.sign_in(console_demo.key)
    browser.click_link("Referral")
    assert browser.heading() == "Referral"
    reward = console_demo.pending_reward_id
    status = browser.wait_for(testid=f"reward-status-{reward}")
    assert status.text == "Held"
    browser.wait_for(testid="program")  # the demo's program, with its numbers
    browser.check_screen("referral")

    browser.wait_for(testid=f"approve-{reward}").click()
    browser.wait_until(lambda: status.text == "Approved", f"reward {reward} to show Approved")
    browser.wait_gone(testid=f"approve-{reward}")
    assert browser.alerts() == []

    browser.open("/console/referral")  # read again: the approved reward no longer waits for review
    browser.wait_for(testid="program")
    browser.wait_idle()
    browser.wait_gone(testid=f"reward-status-{reward}")


def test_a_programs_funnel_and_k_factor(console_browser: ConsoleBrowser, console_demo: ConsoleDemo) -> None:
    browser = console_browser
    browser.sign_in(console_demo.key)
    browser.open("/console/referral")
    program = browser.wait_for(f"{by_testid('program')} h3 a")
    name = program.text
    program.click()
    browser.wait_until(lambda: browser.heading() == name, f"the program's page, headed {name!r}")
    funnel = browser.wait_for(testid="referral-funnel")
    label = str(funnel.get_attribute("aria-label"))
    for step in ("Invites", "Clicks", "Sign-ups", "First purchases"):
        assert step in label, label
    browser.wait_until(lambda: funnel.find_elements("css selector", "svg path"), "the funnel's bars to be drawn")
    k_factor = browser.wait_for(testid="k-factor")
    assert "K-factor" in k_factor.text
    assert "Referrer reward" in browser.wait_for(testid="program-settings").text
    browser.wait_for(testid="referral-months")
    browser.check_screen("referral-program")

    browser.select("Period", "Last 12 months")
    browser.wait_idle()
    browser.wait_for(testid="k-factor")


def test_a_read_only_key_sees_no_write_control(console_browser: ConsoleBrowser, console_demo: ConsoleDemo) -> None:
    browser = console_browser
    browser.sign_in(console_demo.read_key)
    browser.open("/console/referral")
    assert browser.heading() == "Referral"
    browser.wait_for(testid="reviews")
    program = browser.wait_for(f"{by_testid('program')} h3 a")
    browser.wait_idle()
    assert browser.write_controls() == []
    program.click()
    browser.wait_for(testid="referral-funnel")
    browser.wait_idle()
    assert browser.write_controls() == []
    assert browser.alerts() == []
