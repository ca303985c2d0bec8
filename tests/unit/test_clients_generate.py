"""The clients' generator (clients/generate.py) without running the generators: what it changes in the document for
openapi-python-client, and which checked-in files `--check` reports (stale, missing, left over)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clients import generate
from runtime.generated import write_or_check


def test_the_python_generator_gets_one_content_type_for_events_and_component_titles_as_names() -> None:
    document = json.loads(generate.DOCUMENT.read_text(encoding="utf-8"))
    patched = generate.python_generator_document(document)

    content = patched["paths"]["/v1/events"]["post"]["requestBody"]["content"]
    assert list(content) == ["application/json"]
    assert (
        content["application/json"]
        == document["paths"]["/v1/events"]["post"]["requestBody"]["content"]["application/json"]
    )
    patched["paths"]["/v1/events"] = document["paths"]["/v1/events"]
    assert patched["paths"] == document["paths"], "only POST /v1/events' body may differ"
    for name, schema in patched["components"]["schemas"].items():
        assert schema.get("title", name) == name


def test_an_inline_object_named_like_a_component_is_retitled() -> None:
    """`Journey.document` inline would be the class `JourneyDocument`, the name of another component."""
    inline = {"title": "Document", "type": "object", "additionalProperties": True}
    document = {
        "paths": {"/v1/events": {"post": {"requestBody": {"content": {"application/json": {"schema": {}}}}}}},
        "components": {
            "schemas": {
                "Journey": {"title": "Journey", "type": "object", "properties": {"document": inline}},
                "JourneyDocument": {"title": "Journey", "type": "object", "properties": {}},
                "Other": {"title": "Other", "type": "object", "properties": {"settings": dict(inline)}},
            }
        },
    }

    schemas = generate.python_generator_document(document)["components"]["schemas"]

    assert schemas["Journey"]["properties"]["document"]["title"] == "Document Object"
    assert schemas["JourneyDocument"]["title"] == "JourneyDocument"
    assert schemas["Other"]["properties"]["settings"]["title"] == "Document", "no clash, kept"


def test_files_no_longer_generated_are_removed_and_tool_caches_are_left_alone(tmp_path: Path) -> None:
    tree = tmp_path / "python"
    kept, gone = tree / "pkg" / "models" / "kept.py", tree / "pkg" / "models" / "gone.py"
    cached = [tree / "pkg" / "__pycache__" / "kept.cpython-311.pyc", tree / ".ruff_cache" / "0.17.5" / "x"]
    for path in (kept, gone, *cached):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x98 not text")
    generated_dotfile = tree / ".gitignore"

    files = generate.with_leftovers({kept: "kept\n", generated_dotfile: "dist/\n"}, trees=(tree,))

    assert files == {kept: "kept\n", generated_dotfile: "dist/\n", gone: None}


def test_check_names_every_differing_file_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    same, changed, missing, leftover = (tmp_path / name for name in ("same.ts", "changed.py", "missing.py", "old.py"))
    same.write_text("a\n", encoding="utf-8")
    changed.write_text("old\n", encoding="utf-8")
    leftover.write_text("x\n", encoding="utf-8")
    files: dict[Path, str | None] = {same: "a\n", changed: "new\n", missing: "m\n", leftover: None}

    assert write_or_check(files, generate.COMMAND, ["--check"]) == 1

    reported = capsys.readouterr().err
    assert generate.COMMAND in reported
    for path in (changed, missing, leftover):
        assert str(path) in reported
    assert str(same) not in reported
    assert changed.read_text(encoding="utf-8") == "old\n" and not missing.exists() and leftover.exists()
