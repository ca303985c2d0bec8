"""The checked-in contract documents are exactly what the models generate (`python -m contracts.generate`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest
import yaml
from pydantic import BaseModel

from contracts import generate
from contracts.envelope import Envelope
from contracts.internal import DEADLETTER_HEADERS
from contracts.topics import DEADLETTER, INBOUND, TOPICS, Topic

REGENERATE = "out of date: run `python -m contracts.generate` and commit the result"


@pytest.fixture(scope="module")
def rendered() -> dict[Path, str]:
    return generate.render()


def test_checked_in_files_match_the_models(rendered: dict[Path, str]) -> None:
    stale = generate.stale_files(generate.REPO_ROOT, rendered)
    assert not stale, f"{', '.join(map(str, stale))} {REGENERATE}"


@pytest.mark.parametrize("rel", sorted(generate.render(), key=str), ids=str)
def test_each_generated_file_is_checked_in(rel: Path, rendered: dict[Path, str]) -> None:
    path = generate.REPO_ROOT / rel
    assert path.is_file(), f"{rel} is missing: {REGENERATE}"
    assert path.read_text(encoding="utf-8") == rendered[rel], f"{rel} {REGENERATE}"


def test_render_is_deterministic(rendered: dict[Path, str]) -> None:
    assert generate.render() == rendered


def test_check_mode_reports_a_stale_file(tmp_path: Path, rendered: dict[Path, str]) -> None:
    for rel, text in rendered.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    assert generate.stale_files(tmp_path, rendered) == []

    some_schema = next(rel for rel in rendered if rel.name.endswith(".schema.json"))
    (tmp_path / some_schema).write_text("{}\n", encoding="utf-8")
    leftover = some_schema.parent / "gone.schema.json"
    (tmp_path / leftover).write_text("{}\n", encoding="utf-8")
    assert generate.stale_files(tmp_path, rendered) == sorted([some_schema, leftover])


def _refs(value: Any) -> list[str]:
    if isinstance(value, dict):
        own = [value["$ref"]] if isinstance(value.get("$ref"), str) else []
        return own + [ref for item in value.values() for ref in _refs(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in _refs(item)]
    return []


def _resolve(doc: Any, ref: str) -> Any:
    assert ref.startswith("#/"), f"only local refs expected, got {ref}"
    node = doc
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


@pytest.fixture(scope="module")
def asyncapi(rendered: dict[Path, str]) -> dict[str, Any]:
    text = rendered[generate.ASYNCAPI_FILE.relative_to(generate.REPO_ROOT)]
    assert "$defs" not in text, "pydantic $defs must be lifted into components/schemas"
    doc: dict[str, Any] = yaml.safe_load(text)
    return doc


def test_every_ref_in_the_asyncapi_document_resolves(asyncapi: dict[str, Any]) -> None:
    refs = _refs(asyncapi)
    assert refs
    for ref in refs:
        assert _resolve(asyncapi, ref) is not None, ref


def test_every_topic_and_message_is_in_the_asyncapi_document(asyncapi: dict[str, Any]) -> None:
    doc = asyncapi
    assert doc["asyncapi"] == "3.0.0"
    assert doc["info"]["title"] == "Flywheel"
    assert doc["defaultContentType"] == "application/cloudevents+json"
    assert doc["servers"]["local"]["host"] == "127.0.0.1:19092"
    assert doc["servers"]["local"]["protocol"] == "kafka"

    channel_ids = {channel["address"]: cid for cid, channel in doc["channels"].items()}
    assert set(channel_ids) == {topic.name for topic in TOPICS}
    for topic in TOPICS:
        channel = doc["channels"][channel_ids[topic.name]]
        binary = 1 if topic.name == INBOUND else 0  # producers' CloudEvents binary mode (inboundBinary)
        assert len(channel["messages"]) == max(1, len(topic.messages)) + binary
        for service in (*topic.producers, *topic.consumers):
            assert service in channel["description"]
        for ref in channel["messages"].values():
            message = _resolve(doc, ref["$ref"])
            if message["name"] == "binary":
                headers = _resolve(doc, message["headers"]["$ref"])
                assert "ce_workspace" in headers["required"] and "content-type" in headers["properties"]
                continue
            assert message["bindings"]["kafka"]["key"]["type"] == "string"
            assert topic.key in message["bindings"]["kafka"]["key"]["description"]
            if topic.messages:
                assert message["contentType"] == "application/cloudevents+json"
                assert message["name"] in topic.messages
                assert _resolve(doc, message["payload"]["$ref"])["type"] == "object"

        operations = [op for op in doc["operations"].values() if _resolve(doc, op["channel"]["$ref"]) is channel]
        assert sorted(op["tags"][0]["name"] for op in operations if op["action"] == "send") == sorted(topic.producers)
        assert sorted(op["tags"][0]["name"] for op in operations if op["action"] == "receive") == sorted(
            topic.consumers
        )
        for op in operations:
            assert [m["$ref"].rsplit("/", 1)[-1] for m in op["messages"]] == list(channel["messages"])
    assert doc["operations"]["profilePublishesResolved"]["action"] == "send"
    assert doc["operations"]["profileConsumesInbound"]["action"] == "receive"


def test_deadletter_message_documents_its_headers(asyncapi: dict[str, Any]) -> None:
    dlq = next(ch for ch in asyncapi["channels"].values() if ch["address"] == DEADLETTER)
    (ref,) = dlq["messages"].values()
    headers = _resolve(asyncapi, _resolve(asyncapi, ref["$ref"])["headers"]["$ref"])
    assert set(headers["properties"]) == set(DEADLETTER_HEADERS)
    assert set(headers["required"]) == set(DEADLETTER_HEADERS)


def test_a_new_topic_and_event_type_need_no_generator_change() -> None:
    class CouponRedeemedData(BaseModel):
        coupon: str

    class CouponRedeemed(Envelope):
        """A coupon was used."""

        type: Literal["coupon.redeemed"]
        data: CouponRedeemedData

    topic = Topic(
        name="flywheel.coupons.redeemed",
        description="Redeemed coupons.",
        key="`<workspace>:<coupon>`",
        producers=("sales",),
        consumers=("scoring", "referral"),
        messages={"coupon.redeemed": CouponRedeemed},
    )
    topics = (*TOPICS, topic)
    names = [event.name for event in generate.event_schemas(topics)]
    assert "coupon.redeemed" in names

    doc = generate.asyncapi_document(topics)
    channel = doc["channels"]["couponsRedeemed"]
    assert channel["address"] == "flywheel.coupons.redeemed"
    assert list(channel["messages"]) == ["coupon.redeemed"]
    assert doc["components"]["messages"]["coupon.redeemed"]["payload"] == {
        "$ref": "#/components/schemas/CouponRedeemed"
    }
    assert "CouponRedeemedData" in doc["components"]["schemas"]
    assert doc["operations"]["salesPublishesRedeemed"]["action"] == "send"
    assert doc["operations"]["scoringConsumesRedeemed"]["action"] == "receive"
    for ref in _refs(doc):
        assert _resolve(doc, ref) is not None, ref

    files = generate.render(topics)
    assert Path("contracts/schemas/coupon.redeemed.schema.json") in files
