"""The console's browser harness itself (tests/e2e/console_browser.py), on small pages served here with the
console's Content-Security-Policy: it drives a form, and check_screen fails on what it must (axe-core's serious and
critical violations, a CSP violation, an uncaught error); a wait that runs out describes the page."""

from __future__ import annotations

import struct
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.e2e import browser_tools
from tests.e2e.console_browser import VIEWPORTS, ConsoleBrowser, testid

CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'"
GOOD_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harness</title></head>
<body><nav aria-label="Main"><a href="/other.html">Customers</a></nav>
<main id="main" aria-busy="true"><h1>Sign in</h1>
<form><label for="api-key">API key</label><input id="api-key" type="password">
<label>Period <select><option>Last 30 days</option><option>Last 90 days</option></select></label>
<button type="button" id="go">Sign in</button></form><div id="out"></div></main>
<script src="/good.js"></script></body></html>"""
GOOD_SCRIPT = """document.getElementById('go').addEventListener('click', () => {
  sessionStorage.setItem('session', JSON.stringify({apiKey: document.getElementById('api-key').value}));
  const period = document.querySelector('select').value;
  document.getElementById('out').innerHTML =
    `<p data-testid="done">Signed in for ${period}</p><button type="button" data-write>Erase</button>`;
});
setTimeout(() => document.getElementById('main').setAttribute('aria-busy', 'false'), 300);"""
BAD_PAGE = """<!doctype html><html><body><main><h1>Broken</h1><img src="/missing.png"><button></button>
<div role="alert" class="problem"><strong>Not found</strong> no such customer</div></main>
<script>document.title = 'inline';</script><script src="/bad.js"></script></body></html>"""
BAD_SCRIPT = "null.boom();"


class _Handler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # quiet: the test says what failed
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("site")
    pages = {"good.html": GOOD_PAGE, "good.js": GOOD_SCRIPT, "bad.html": BAD_PAGE, "bad.js": BAD_SCRIPT}
    for name, text in pages.items():
        (root / name).write_text(text)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture
def browser(browser_available: None, site: str, tmp_path: Path) -> Iterator[ConsoleBrowser]:
    console = ConsoleBrowser(site, wait_s=5, screenshots=tmp_path)
    try:
        yield console
    finally:
        console.close()


def _png_width(path: Path) -> int:
    return int(struct.unpack(">I", path.read_bytes()[16:20])[0])


def test_it_fills_selects_clicks_and_checks_a_clean_screen(browser: ConsoleBrowser) -> None:
    browser.open("/good.html")
    assert browser.heading() == "Sign in"
    browser.select("Period", "Last 90 days")
    browser.fill("API key", "fw_secret")
    browser.click_button("Sign in")
    assert browser.wait_for(testid="done").text == "Signed in for Last 90 days"
    assert browser.wait_for(testid("done")).text == browser.wait_for('[data-testid="done"]').text
    assert browser.write_controls() == ['<button> "Erase"']
    assert browser.session_storage() == {"session": '{"apiKey":"fw_secret"}'}
    assert browser.alerts() == []

    browser.check_screen("clean")
    for width, height in VIEWPORTS:
        assert _png_width(browser.screenshots / f"clean-{width}x{height}.png") == width
    assert browser.driver.execute_script("return window.innerWidth") == VIEWPORTS[0][0]


def test_check_screen_lists_serious_violations_csp_violations_and_uncaught_errors(browser: ConsoleBrowser) -> None:
    browser.open("/bad.html")
    with pytest.raises(AssertionError) as failure:
        browser.check_screen("broken")
    report = str(failure.value)
    for expected in ("critical image-alt", "critical button-name", "serious html-has-lang", "Content Security Policy"):
        assert expected in report, report
    assert "Uncaught TypeError" in report, report


def test_a_wait_that_runs_out_names_what_it_waited_for_and_the_page(browser: ConsoleBrowser) -> None:
    browser.open("/bad.html")
    with pytest.raises(AssertionError) as failure:
        browser.click_link("Customers")
    report = str(failure.value)
    assert "a link 'Customers' to click" in report, report
    assert "/bad.html" in report and "['Broken']" in report and "Not found no such customer" in report, report
    assert (
        browser.screenshots / "failed-test-a-wait-that-runs-out-names-what-it-waited-for-and-the-page.png"
    ).is_file()


def test_a_machine_without_chromium_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(browser_tools, "CHROMIUM", tmp_path / "chromium")
    reason = browser_tools.missing_browser()
    assert reason is not None and "chromium" in reason, reason
