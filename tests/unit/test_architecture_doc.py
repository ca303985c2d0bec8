"""docs/architecture.md names real modules: every path it quotes exists, and every service it describes has
the skeleton's use-case, event and wiring modules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "architecture.md").read_text()
SERVICES_WITH_EVENTS = ("profile", "scoring", "journey", "referral", "sales")


def quoted_paths() -> list[str]:
    """Paths in backticks under the repository's code folders (`<name>` placeholders left out)."""
    found = re.findall(r"`((?:runtime|contracts|services|tests|docs)/[\w/.]+\.(?:py|md|yaml))", DOC)
    return sorted(set(found))


def test_the_doc_quotes_paths() -> None:
    assert "runtime/unit_of_work.py" in quoted_paths()


@pytest.mark.parametrize("path", quoted_paths())
def test_every_quoted_path_exists(path: str) -> None:
    assert (ROOT / path).exists(), f"docs/architecture.md names {path}, which does not exist"


@pytest.mark.parametrize("service", SERVICES_WITH_EVENTS)
def test_every_service_has_the_skeletons_modules(service: str) -> None:
    folder = ROOT / "services" / service
    missing = [name for name in ("service.py", "events.py", "handlers.py", "wiring.py") if not (folder / name).exists()]
    assert missing == []
