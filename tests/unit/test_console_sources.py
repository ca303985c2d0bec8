"""The console's sources keep the promises of issue 22 that a reader could break without noticing:
it calls only the public /v1 API, through one client, with the key in sessionStorage (never localStorage,
never a URL), renders no raw HTML, and loads nothing from another host."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CONSOLE = Path(__file__).resolve().parents[2] / "console"
SOURCES = sorted(p for p in (CONSOLE / "src").rglob("*") if p.suffix in {".ts", ".tsx", ".css"})
BUILT = Path(__file__).resolve().parents[2] / "services" / "gateway" / "static" / "console"


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_there_are_sources() -> None:
    assert any(p.name == "main.tsx" for p in SOURCES)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(CONSOLE)))
def test_no_call_beside_the_generated_client(path: Path) -> None:
    text = _text(path)
    if path.name != "api.ts":
        assert not re.search(r"\bfetch\s*\(", text), "call the API through api.ts (the generated client)"
        assert "XMLHttpRequest" not in text and "EventSource" not in text and "WebSocket" not in text


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(CONSOLE)))
def test_api_paths_are_public_v1_paths(path: Path) -> None:
    for literal in re.findall(r"""["'`](/(?!console\b|docs\b)[a-z][^"'`\s]*)["'`]""", _text(path)):
        if literal.startswith(("/customers", "/segments", "/journeys", "/referral", "/sales", "/sign-in")):
            continue  # console routes (router.tsx adds /console)
        assert literal.startswith("/v1/"), f"{literal!r}: the console calls only the public /v1 API"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(CONSOLE)))
def test_the_key_stays_in_session_storage(path: Path) -> None:
    text = _text(path)
    assert "localStorage" not in text, "the API key lives in sessionStorage only"
    assert "document.cookie" not in text
    assert not re.search(r"[?&](api_?key|key|token)=", text), "never put the key in a URL"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(CONSOLE)))
def test_no_raw_html(path: Path) -> None:
    text = _text(path)
    assert "dangerouslySetInnerHTML" not in text and "innerHTML" not in text and "eval(" not in text


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(CONSOLE)))
def test_nothing_from_another_host(path: Path) -> None:
    for url in re.findall(r"https?://[^\s\"'`)]+", _text(path)):
        pytest.fail(f"{url}: the console loads nothing from another host (air-gapped clusters)")


def test_the_built_page_loads_only_its_own_assets() -> None:
    html = _text(BUILT / "index.html")
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    referenced = re.findall(r"/console/assets/([\w.-]+)", html)
    assert len(referenced) == 2
    for name in referenced:
        assert (BUILT / "assets" / name).is_file()
    assert "<script>" not in html and "style=" not in html, "the CSP allows no inline script or style"
