"""The public contracts change only by additions (issue 17's acceptance 1, and the guide's "extend them, never
break them"): contracts/compatibility.py compares them with an earlier commit."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from contracts.compatibility import REPO_ROOT, losses, losses_since, main, request_bound_grew
from contracts.compatibility_restated import restated

# The public contracts as issue 17 (one shape) found them: its refactoring may only add to them.
BEFORE_ONE_SHAPE = "1d3f6f0"


def test_additions_and_reworded_prose_keep_a_document() -> None:
    before = {"paths": {"/v1/a": {"get": {"description": "old", "tags": ["a"]}}}, "enum": ["x", "y"]}
    after = {
        "paths": {"/v1/a": {"get": {"description": "new words", "tags": ["a", "b"]}}, "/v1/b": {}},
        "enum": ["y", "x", "z"],
    }
    assert list(losses(before, after)) == []


@pytest.mark.parametrize(
    ("after", "lost"),
    [
        ({"paths": {}, "enum": ["x", "y"]}, "/paths//v1/a: removed"),
        ({"paths": {"/v1/a": {"get": {"tags": ["b"]}}}, "enum": ["x", "y"]}, "/paths//v1/a/get/tags/0"),
        ({"paths": {"/v1/a": {"get": {"tags": ["a"]}}}, "enum": ["x"]}, "/enum/1"),
        ({"paths": {"/v1/a": {"get": {"tags": ["a"]}}}, "enum": "x"}, "/enum: was a list"),
        ({"paths": {"/v1/a": {"get": {"tags": ["a"], "x": 1}}}, "enum": ["x", "y"]}, None),
    ],
)
def test_a_removed_or_changed_value_is_named(after: dict[str, object], lost: str | None) -> None:
    before = {"paths": {"/v1/a": {"get": {"tags": ["a"]}}}, "enum": ["x", "y"]}
    found = list(losses(before, after))
    if lost is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].startswith(lost), found


def test_a_changed_scalar_is_named_with_both_values() -> None:
    assert list(losses({"schema": {"maxLength": 10}}, {"schema": {"maxLength": 5}})) == [
        "/schema/maxLength: was 10, now 5"
    ]


def _has_revision(revision: str) -> bool:
    shown = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "cat-file", "-e", f"{revision}^{{commit}}"], capture_output=True, check=False
    )
    return shown.returncode == 0


def test_the_public_contracts_only_grew_since_one_shape_began() -> None:
    if not _has_revision(BEFORE_ONE_SHAPE):
        pytest.skip(f"this clone has no history back to {BEFORE_ONE_SHAPE} (a shallow clone)")
    assert losses_since(BEFORE_ONE_SHAPE) == []


def test_the_command_exits_2_for_an_unknown_revision(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--base", "no-such-revision"]) == 2
    assert "not a revision" in capsys.readouterr().err


def _document(bound: int, *, answered: bool) -> dict[str, object]:
    """An OpenAPI document whose schema `In` (with an upper bound) is a request body, and an answer too or not."""
    operation: dict[str, object] = {
        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/In"}}}},
        "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Out"}}}}},
    }
    out = {"$ref": "#/components/schemas/In"} if answered else {"type": "object"}
    return {
        "paths": {"/v1/things": {"post": operation}},
        "components": {
            "schemas": {"In": {"properties": {"tags": {"type": "array", "maxItems": bound}}}, "Out": out},
        },
    }


def test_an_upper_bound_may_grow_only_in_a_schema_requests_alone_use() -> None:
    grown = _document(12, answered=False)
    assert list(losses(_document(10, answered=False), grown, loosens=request_bound_grew(grown))) == []
    shrunk = _document(8, answered=False)
    assert list(losses(_document(10, answered=False), shrunk, loosens=request_bound_grew(shrunk))) == [
        "/components/schemas/In/properties/tags/maxItems: was 10, now 8"
    ]
    answered = _document(12, answered=True)  # an answer's bound: a client may rely on it
    assert list(losses(_document(10, answered=True), answered, loosens=request_bound_grew(answered))) == [
        "/components/schemas/In/properties/tags/maxItems: was 10, now 12"
    ]


def test_a_field_only_senders_send_may_stop_being_required() -> None:
    """CloudEvents makes `time` optional for producers: what they sent before is still accepted."""
    before = {"components": {"schemas": {"Event": {"required": ["id", "time"]}, "View": {"required": ["id", "time"]}}}}
    after = {"components": {"schemas": {"Event": {"required": ["id"]}, "View": {"required": ["id"]}}}}
    operation = {
        "requestBody": {"$ref": "#/components/schemas/Event"},
        "responses": {"$ref": "#/components/schemas/View"},
    }
    openapi = {**after, "paths": {"/v1/events": {"post": operation}}}
    assert list(losses(before, after, loosens=request_bound_grew(openapi))) == [
        '/components/schemas/View/required/1: "time" removed or changed'  # an answer's field stays required
    ]


def _openapi(operation_id: str, body: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    return {
        "paths": {"/v1/x": {"post": {"operationId": operation_id, "requestBody": {"content": {"application/json": {
            "schema": body}}}, "responses": {}}}},
        "components": {"schemas": components},
    }  # fmt: skip


_NULLABLE = {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}
_THING = {"type": "object", "properties": {"note": _NULLABLE, "n": {"type": "integer"}}, "required": ["n"]}
_THING_NOW = {
    "type": "object",
    "properties": {"note": {"anyOf": [{"type": "string"}, {"type": "null"}]}, "n": {"type": "integer"}},
    "required": ["n"],
}


def test_issue_21s_restatement_for_generators_is_not_a_loss() -> None:
    before = _openapi("make_x_v1_x_post", {"$ref": "#/components/schemas/Thing"}, {"Thing": _THING})
    after = _openapi("make_x", {"$ref": "#/components/schemas/Thing"}, {"Thing": _THING_NOW})
    assert list(losses(restated(before, after), after)) == []
    untyped = _openapi("make_x", {"type": "object", "additionalProperties": True}, {})
    typed = _openapi("make_x", {"$ref": "#/components/schemas/Doc"}, {"Doc": _THING_NOW})
    assert list(losses(restated(untyped, typed), typed)) == []


def test_what_the_restatement_does_not_cover_is_still_a_loss() -> None:
    before = _openapi("make_x_v1_x_post", {"$ref": "#/components/schemas/Thing"}, {"Thing": _THING})
    renamed = _openapi("create_x", {"$ref": "#/components/schemas/Thing"}, {"Thing": _THING_NOW})
    assert any("operationId" in line for line in losses(restated(before, renamed), renamed))
    dropped = {**_THING_NOW, "properties": {"n": {"type": "integer"}}}
    fewer = _openapi("make_x", {"$ref": "#/components/schemas/Thing"}, {"Thing": dropped})
    assert any("note" in line for line in losses(restated(before, fewer), fewer))
    inline = _openapi("make_x", {"oneOf": [{"type": "string"}, {"type": "integer"}]}, {})
    narrower = _openapi("make_x", {"$ref": "#/components/schemas/Body"}, {"Body": {"oneOf": [{"type": "string"}]}})
    assert list(losses(restated(inline, narrower), narrower))
