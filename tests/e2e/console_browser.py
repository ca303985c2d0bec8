"""The console's browser tests' harness: `ConsoleBrowser`, headless Chromium (Debian's) driven by Selenium.

Use the `console_browser` fixture (one browser per test, closed after it; the running stack's gateway)::

    def test_customers(console_browser: ConsoleBrowser, console_demo: ConsoleDemo) -> None:
        console_browser.sign_in(console_demo.key)          # fills "API key", clicks "Sign in", waits for the nav
        console_browser.click_link("Customers")
        console_browser.select("Find by", "Email")
        console_browser.fill("Identifier", console_demo.customer_email)
        console_browser.click_button("Find")
        console_browser.wait_for_text(console_demo.customer_email)
        assert console_browser.heading() == ...
        console_browser.check_screen("customer-360")        # screenshots + axe-core + the browser's log

Where Chromium or its driver is missing the fixture skips the test, saying why; under `CI=true` it fails instead
(`browser_available`, session-wide; tests/e2e/browser_tools.py). Screen names are unique per screen and state.

The API (stable; everything waits by polling until `wait_s`, default 15 s, and fails naming what it waited for,
the page's URL, its <h1> and its `[role=alert]` texts):
- `open(path)`: load a path of the gateway, e.g. "/console/customers" (a full page load; sessionStorage stays).
- `sign_in(key)`, `sign_out()`: through the sign-in form ("API key", "Sign in") and the "Sign out" button.
- `wait_for_text(text)`: until the page's visible text holds `text`; `wait_for(css)` or `wait_for(testid=...)`:
  until such an element is visible, and returns it; `wait_gone(css)` / `wait_gone(testid=...)`: until none is.
- `click_button(text)`, `click_link(text)`: the visible button / link whose text (or aria-label) is `text`.
- `fill(label, value)`, `select(label, option)`: the form field labelled `label` (a <label> or aria-label).
- `heading()`: the text of the page's one <h1>; `alerts()`: the texts of the `[role=alert]` elements (a problem
  from the API renders as `<div role="alert" class="problem">` with its title and detail).
- `write_controls()`: the elements marked `[data-write]`, visible or not. Convention of every screen: each control that
  changes data (create, save, activate, pause, move, complete, approve, reject, erase, export...) carries a
  `data-write` attribute and is rendered only when the key has the scope; a read-only key sees none.
- `wait_idle()`: until nothing is loading (no `[aria-busy=true]`); `wait_until(probe, what)`: until `probe()`
  returns something truthy (which it returns).
- `session_storage()`: the page's sessionStorage, `url()`: the current URL.
- `check_screen(name)`: at 1280x800 and at 390x844, waits for loading to end (no `[aria-busy=true]`), saves a
  screenshot (the page's full height, up to 6000 px) as `.flywheel/console-screenshots/<name>-<w>x<h>.png`
  (git-ignored; CI keeps it as an artifact) and runs axe-core in the page: fails listing every serious or critical
  violation; fails too when the browser's log shows a Content-Security-Policy violation or an uncaught error since
  the previous check_screen. Leaves the window at 1280x800, the size every test starts with.
- `browser_errors()`: the CSP violations and uncaught errors logged since the previous call (or check_screen).
- `driver`: the Selenium WebDriver itself, for anything else; `testid(name)`: the CSS selector of a data-testid.

A wait that runs out also saves the window as `.flywheel/console-screenshots/failed-<test>.png`.

The browser's locale is en-US (numbers read "9,876.54"), its device scale 1, its window 1280x800.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
from selenium import webdriver
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.select import Select

from devstack.stack import REPO_ROOT
from tests.e2e.browser_tools import CHROMEDRIVER, CHROMIUM, axe_core_script, in_ci, missing_browser

if TYPE_CHECKING:
    from tests.e2e.conftest import RunningStack

T = TypeVar("T")

SCREENSHOTS = REPO_ROOT / ".flywheel" / "console-screenshots"
VIEWPORTS = ((1280, 800), (390, 844))
MAX_SCREENSHOT_HEIGHT = 6000
FAILING_IMPACTS = ("serious", "critical")
SCREEN_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
# What the browser's log says for a blocked script/style/connection and for an exception no code caught.
BROWSER_ERROR = re.compile(r"Content Security Policy|Uncaught")
NOT_YET = (StaleElementReferenceException, ElementClickInterceptedException, ElementNotInteractableException)

_VISIBLE = "const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';"
_NORMALIZE = "const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim();"
_BY_TEXT = f"""{_VISIBLE} {_NORMALIZE}
const [selector, text] = arguments;
return [...document.querySelectorAll(selector)].filter((e) => visible(e)
    && (norm(e.innerText || e.value) === text || norm(e.getAttribute('aria-label')) === text));"""
_BY_LABEL = f"""{_VISIBLE} {_NORMALIZE}
const [text] = arguments;
const own = (label) => {{
    const copy = label.cloneNode(true);
    copy.querySelectorAll('input, select, textarea').forEach((e) => e.remove());
    return norm(copy.textContent).replace(/\\s*\\*$/, '');
}};
const labelled = [...document.querySelectorAll('label')].filter((l) => own(l) === text && l.control).map(
    (l) => l.control);
const named = [...document.querySelectorAll('input, select, textarea')].filter(
    (e) => norm(e.getAttribute('aria-label')) === text);
return [...labelled, ...named].filter(visible);"""
_PAGE_STATE = f"""{_NORMALIZE}
return {{
    h1: [...document.querySelectorAll('h1')].map((e) => norm(e.innerText)),
    alerts: [...document.querySelectorAll('[role=alert]')].map((e) => norm(e.innerText)).filter(Boolean),
    busy: document.querySelectorAll('[aria-busy=true]').length > 0,
}};"""
_RUN_AXE = """const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(
    (result) => done(JSON.stringify(result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => n.target.join(' ')),
    })))),
    (error) => done(JSON.stringify({error: String(error)})));"""


def testid(name: str) -> str:
    """The CSS selector of the element with `data-testid` `name`."""
    return f'[data-testid="{name}"]'


testid.__test__ = False  # type: ignore[attr-defined]  # imported into a test module, it is no test for pytest


class ConsoleBrowser:
    """One headless Chromium window on the console of the gateway at `gateway` (see the module's docstring)."""

    def __init__(self, gateway: str, *, wait_s: float = 15.0, screenshots: Path = SCREENSHOTS) -> None:
        self.gateway = gateway.rstrip("/")
        self.wait_s = wait_s
        self.screenshots = screenshots
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for argument in ("--headless=new", "--force-device-scale-factor=1", "--disable-dev-shm-usage", "--lang=en-US"):
            options.add_argument(argument)
        options.add_argument(f"--window-size={VIEWPORTS[0][0]},{VIEWPORTS[0][1]}")
        if os.geteuid() == 0:
            options.add_argument("--no-sandbox")  # Chromium's sandbox refuses to run as root (CI containers)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
        self.driver.set_script_timeout(120)  # axe-core on a long page
        self._log: list[dict[str, Any]] = []
        self._log_checked = 0
        self._viewport(*VIEWPORTS[0])

    def close(self) -> None:
        self.driver.quit()

    # Navigation and signing in
    def open(self, path: str) -> None:
        """Load `path` of the gateway (e.g. "/console/customers") and wait for the document to be loaded."""
        self.driver.get(f"{self.gateway}/{path.lstrip('/')}")
        self._until(lambda: self.driver.execute_script("return document.readyState") == "complete", f"{path} to load")

    def url(self) -> str:
        return str(self.driver.current_url)

    def sign_in(self, key: str) -> None:
        """Sign in with `key` through the sign-in form (opening /console/sign-in unless the form is showing)."""
        if not self._by_label("API key"):
            self.open("/console/sign-in")
        self.fill("API key", key)
        self.click_button("Sign in")
        self.wait_for('nav[aria-label="Main"]')

    def sign_out(self) -> None:
        """Click "Sign out" and wait for the sign-in form."""
        self.click_button("Sign out")
        self.wait_for("#api-key")

    def session_storage(self) -> dict[str, str]:
        stored = self.driver.execute_script(
            "return Object.fromEntries(Object.keys(sessionStorage).map((k) => [k, sessionStorage.getItem(k)]));"
        )
        return dict(stored)

    # Waiting and reading
    def wait_for_text(self, text: str) -> None:
        """Wait until the page's visible text holds `text`."""
        self._until(lambda: text in self.driver.execute_script("return document.body.innerText"), repr(text))

    def wait_for(self, css: str | None = None, *, testid: str | None = None) -> WebElement:
        """Wait until an element matching `css` (or with data-testid `testid`) is visible; return the first."""
        selector = _selector(css, testid)
        return self._until(lambda: self._visible(selector)[:1], f"an element {selector}")[0]

    def wait_gone(self, css: str | None = None, *, testid: str | None = None) -> None:
        """Wait until no element matching `css` (or with data-testid `testid`) is visible."""
        selector = _selector(css, testid)
        self._until(lambda: not self._visible(selector), f"no visible element {selector}")

    def heading(self) -> str:
        """The text of the page's one <h1> (waits until there is exactly one)."""
        return str(self._until(self._one_heading, "exactly one <h1>"))

    def alerts(self) -> list[str]:
        """The texts of the page's `[role=alert]` elements, now."""
        return list(self._page_state()["alerts"])

    def write_controls(self) -> list[str]:
        """The `[data-write]` elements in the page now, visible or not, each as its tag and text."""
        found = self.driver.execute_script(
            "return [...document.querySelectorAll('[data-write]')].map((e) => `<${e.tagName.toLowerCase()}> `"
            " + JSON.stringify((e.innerText || e.value || e.getAttribute('aria-label') || '').trim()));"
        )
        return [str(control) for control in found]

    def wait_idle(self) -> None:
        """Wait until nothing in the page is loading (no `[aria-busy=true]`)."""
        self._until(lambda: not self._page_state()["busy"], "loading to end (no [aria-busy=true])")

    def wait_until(self, probe: Callable[[], T], what: str) -> T:
        """Poll `probe` until it returns something truthy, and return that; fail naming `what` and the page."""
        return self._until(probe, what)

    # Acting
    def click_button(self, text: str) -> None:
        """Click the visible, enabled button whose text (or aria-label) is `text`."""
        selector = "button, input[type=submit], input[type=button], [role=button]"
        self._until(lambda: self._click(selector, text), f"a button {text!r} to click")

    def click_link(self, text: str) -> None:
        """Click the visible link whose text (or aria-label) is `text`."""
        self._until(lambda: self._click("a[href], [role=link]", text), f"a link {text!r} to click")

    def fill(self, label: str, value: str) -> None:
        """Replace the value of the field labelled `label` with `value`."""
        field = self._until(lambda: self._by_label(label)[:1], f"a field labelled {label!r}")[0]
        field.clear()
        field.send_keys(value)

    def select(self, label: str, option: str) -> None:
        """Choose the option whose text is `option` in the <select> labelled `label`."""
        field = self._until(lambda: self._by_label(label)[:1], f"a select labelled {label!r}")[0]
        self._until(lambda: _select(field, option), f"option {option!r} in {label!r}")

    # Screens: screenshots, axe-core, the browser's log
    def check_screen(self, name: str) -> None:
        """Screenshots at each size in VIEWPORTS, axe-core's serious/critical violations, CSP and uncaught errors."""
        assert SCREEN_NAME.fullmatch(name), f"screen names are lowercase words with dashes, not {name!r}"
        self.screenshots.mkdir(parents=True, exist_ok=True)
        problems: list[str] = []
        try:
            for width, height in VIEWPORTS:
                self._viewport(width, height)
                self.wait_idle()
                self._screenshot(self.screenshots / f"{name}-{width}x{height}.png", width)
                problems += [f"{width}x{height}: {v}" for v in self._axe_violations()]
        finally:
            self._viewport(*VIEWPORTS[0])
        problems += [f"browser log: {entry}" for entry in self.browser_errors()]
        if problems:
            raise AssertionError(f"screen {name!r} ({self.url()}):\n  " + "\n  ".join(problems))

    def browser_errors(self) -> list[str]:
        """CSP violations and uncaught errors the browser logged since the previous call (or check_screen)."""
        self._log += self.driver.get_log("browser")  # type: ignore[no-untyped-call]  # untyped in Selenium 4.51
        fresh, self._log_checked = self._log[self._log_checked :], len(self._log)
        return [
            str(entry["message"])
            for entry in fresh
            if entry.get("level") == "SEVERE" and BROWSER_ERROR.search(str(entry.get("message", "")))
        ]

    def _viewport(self, width: int, height: int) -> None:
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)

    def _screenshot(self, path: Path, width: int) -> None:
        content = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": width, "height": min(content["height"], MAX_SCREENSHOT_HEIGHT), "scale": 1}
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
        )
        path.write_bytes(base64.b64decode(shot["data"]))

    def _axe_violations(self) -> list[str]:
        if not self.driver.execute_script("return typeof window.axe === 'object'"):
            self.driver.execute_script(axe_core_script().read_text())
        found = json.loads(self.driver.execute_async_script(_RUN_AXE))
        if isinstance(found, dict):
            raise AssertionError(f"axe-core failed in {self.url()}: {found['error']}")
        return [
            f"{v['impact']} {v['id']}: {v['help']} ({', '.join(v['nodes'][:5])})"
            for v in found
            if v["impact"] in FAILING_IMPACTS
        ]

    # Finding and waiting
    def _visible(self, selector: str) -> list[WebElement]:
        found = self.driver.execute_script(
            f"{_VISIBLE} return [...document.querySelectorAll(arguments[0])].filter(visible);", selector
        )
        return list(found)

    def _by_label(self, label: str) -> list[WebElement]:
        return list(self.driver.execute_script(_BY_LABEL, label))

    def _click(self, selector: str, text: str) -> bool:
        for element in self.driver.execute_script(_BY_TEXT, selector, text):
            if element.is_enabled() and element.get_attribute("aria-disabled") != "true":
                # out from under a sticky header or footer (a phone-sized window has little room)
                self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
                element.click()
                return True
        return False

    def _one_heading(self) -> str | None:
        headings = self._page_state()["h1"]
        return headings[0] if len(headings) == 1 else None

    def _page_state(self) -> dict[str, Any]:
        return dict(self.driver.execute_script(_PAGE_STATE))

    def _until(self, probe: Callable[[], T], what: str) -> T:
        """Poll `probe` until it returns something truthy; fail after `wait_s` describing the page."""
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                result = probe()
                if result:
                    return result
            except NOT_YET:
                pass
            if time.monotonic() > deadline:
                state = self._page_state()
                raise AssertionError(
                    f"timed out after {self.wait_s:g}s waiting for {what}\n  url: {self.url()}\n"
                    f"  h1: {state['h1']}\n  alerts: {state['alerts']}\n  loading: {state['busy']}\n"
                    f"  screenshot: {self._failure_screenshot()}"
                )
            time.sleep(0.1)

    def _failure_screenshot(self) -> Path:
        """The window as it was when a wait ran out, named after the running test."""
        test = os.environ.get("PYTEST_CURRENT_TEST", "unknown").split("::")[-1].split(" ")[0]
        path = self.screenshots / f"failed-{re.sub(r'[^a-z0-9]+', '-', test.lower()).strip('-')}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(path))
        return path


def _selector(css: str | None, test_id: str | None) -> str:
    assert (css is None) != (test_id is None), "give either a CSS selector or a testid"
    return css if css is not None else testid(str(test_id))


def _select(field: WebElement, option: str) -> bool:
    try:
        Select(field).select_by_visible_text(option)
    except NoSuchElementException:
        return False  # not (yet) among the options
    return True


@pytest.fixture(scope="session")
def browser_available() -> None:
    """Skip the console's browser tests where Chromium or its driver is missing; under CI=true fail instead."""
    reason = missing_browser()
    if reason is not None:
        if in_ci():
            pytest.fail(f"console browser tests: {reason}")
        pytest.skip(reason)


@pytest.fixture
def console_browser(browser_available: None, stack: RunningStack) -> Iterator[ConsoleBrowser]:
    """A fresh headless Chromium on the running stack's gateway, closed after the test."""
    browser = ConsoleBrowser(stack.gateway)
    try:
        yield browser
    finally:
        browser.close()
