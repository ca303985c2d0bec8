"""docs/loyalty.md shows the program document as it is: its example is EXAMPLE_PROGRAM, every field of the
document is described, and every loyalty event type is listed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel

from contracts.http.loyalty import EXAMPLE_PROGRAM, LoyaltyProgramIn
from contracts.loyalty import LOYALTY_EVENT_TYPES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "loyalty.md").read_text(encoding="utf-8")


def test_the_example_is_the_contracts_example() -> None:
    block = re.search(r"```json\n(.*?)```", DOC, re.S)
    assert block is not None
    assert json.loads(block.group(1)) == EXAMPLE_PROGRAM


def _fields(model: type[BaseModel], prefix: str = "") -> list[str]:
    names = []
    for name, field in model.model_fields.items():
        names.append(prefix + name)
        annotation = field.annotation
        inner = [arg for arg in getattr(annotation, "__args__", ()) if isinstance(arg, type)]
        for candidate in [annotation, *inner]:
            if isinstance(candidate, type) and issubclass(candidate, BaseModel) and prefix == "":
                names += _fields(candidate, f"{name}.")
    return names


def test_every_field_of_the_program_is_described() -> None:
    names = _fields(LoyaltyProgramIn)
    for name in names:
        if any(other.startswith(f"{name}.") for other in names):
            continue  # a section: its fields are described
        top, _, leaf = name.partition(".")
        assert f"`{name}`" in DOC or (f"`{top}`" in DOC and f"`{leaf or top}`" in DOC), name


def test_every_event_type_is_listed() -> None:
    for event_type in LOYALTY_EVENT_TYPES:
        assert f"| `{event_type}` |" in DOC, event_type
