"""The Segment-compatible API's mapping (services/gateway/segment.py): every call as a Flywheel inbound event, the
ecommerce spec's orders and refunds, and the odd inputs refused with the field named. Each mapped event is checked
by the inbound contract too (plan_batch), as the endpoint does."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime
from typing import Any

import pytest

from contracts.tracking_plan import EventType
from runtime.problems import ProblemError
from services.gateway.domain import BatchShapeError, plan_batch
from services.gateway.segment import (
    MAX_BATCH_BYTES,
    MAX_MESSAGE_BYTES,
    Mapped,
    custom_type_name,
    map_messages,
    messages_of,
    wanted_custom_types,
)
from services.gateway.segment_http import api_key_of, decoded_body

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
WS = "shop"


def mapped(*messages: Any, call: str = "batch", custom: set[str] | None = None) -> Mapped:
    return map_messages(list(messages), call, WS, custom or set(), NOW)


def one(message: dict[str, Any], custom: set[str] | None = None) -> dict[str, Any]:
    result = mapped(message, custom=custom)
    assert not result.errors, result.errors
    [(_, event)] = result.events
    tracking = {name: EventType(name, 1, {"type": "object"}, "keep") for name in custom or ()}
    plan = plan_batch([event], WS, None, tracking)  # the inbound contract accepts it, as the endpoint checks
    assert not plan.errors, plan.errors
    return event


def error_of(message: dict[str, Any], call: str = "batch") -> dict[str, Any]:
    result = mapped(message, call=call)
    assert not result.events
    [error] = result.errors
    return error


def test_identify_maps_ids_and_contact_traits_to_identifiers_and_the_rest_to_traits() -> None:
    event = one(
        {
            "type": "identify",
            "messageId": "m-1",
            "userId": "u-1",
            "anonymousId": "a-1",
            "timestamp": "2026-11-30T10:00:00.000+01:00",
            "traits": {"email": " Ada@Example.com", "phone": "+44 20 7946 0000", "name": "Ada", "plan": "pro"},
            "context": {"library": {"name": "analytics-python", "version": "2.4.0"}, "ip": "10.0.0.1"},
            "writeKey": "fw_secret_never_kept",
        }
    )
    assert event["id"] == "m-1" and event["type"] == "identify" and event["workspace"] == WS
    assert event["source"] == "segment:analytics-python"
    assert event["time"] == "2026-11-30T10:00:00+01:00"
    assert event["data"] == {
        "customer": {
            "external_id": "u-1",
            "anonymous_id": "a-1",
            "email": "Ada@Example.com",
            "phone": "+442079460000",
        },
        "traits": {"name": "Ada", "plan": "pro"},
    }
    assert "fw_secret" not in str(event) and "10.0.0.1" not in str(event)


def test_an_identify_takes_the_traits_rudderstack_puts_in_its_context() -> None:
    event = one(
        {
            "type": "identify",
            "userId": "u-1",
            "traits": {"plan": "pro"},
            "context": {"traits": {"email": "ada@example.com", "name": "Ada", "plan": "free"}},
        }
    )
    assert event["data"]["customer"] == {"external_id": "u-1", "email": "ada@example.com"}
    assert event["data"]["traits"] == {"name": "Ada", "plan": "pro"}  # the message's own traits win


def test_order_completed_is_a_purchase_with_its_products() -> None:
    event = one(
        {
            "type": "track",
            "messageId": "m-2",
            "userId": "u-1",
            "event": "Order Completed",
            "properties": {
                "order_id": "o-1",
                "total": 27.5,
                "revenue": 25.0,
                "currency": "eur",
                "coupon": "SPRING",
                "products": [
                    {"product_id": "p-1", "category": "Games", "quantity": 2, "price": 10.1},
                    {"sku": "sku-2", "price": "5.3"},
                ],
            },
            "context": {"campaign": {"source": "newsletter", "name": "spring", "medium": "email"}},
        }
    )
    assert event["type"] == "purchase"
    assert event["data"] == {
        "customer": {"external_id": "u-1"},
        "order_id": "o-1",
        "amount": "27.5",
        "currency": "EUR",
        "coupon": "SPRING",
        "items": [
            {"sku": "p-1", "quantity": 2, "unit_price": "10.1", "category": "Games"},
            {"sku": "sku-2", "quantity": 1, "unit_price": "5.3"},
        ],
        "utm_source": "newsletter",
        "utm_campaign": "spring",
    }


def test_an_order_amount_falls_back_to_revenue_then_to_the_products() -> None:
    base = {"type": "track", "userId": "u", "event": "Order Completed"}
    revenue = one({**base, "properties": {"order_id": "o", "revenue": 12}})
    assert revenue["data"]["amount"] == "12"
    products = one({**base, "properties": {"order_id": 7, "products": [{"sku": "a", "price": 2.5, "quantity": 3}]}})
    assert products["data"]["amount"] == "7.5" and products["data"]["order_id"] == "7"
    noisy = one({**base, "properties": {"order_id": "o", "total": 0.1 + 0.2}})
    assert noisy["data"]["amount"] == "0.3"  # a float's binary noise past 6 decimals is not money


def test_order_refunded_is_a_refund_and_needs_the_amount_refunded() -> None:
    event = one(
        {
            "type": "track",
            "anonymousId": "a-9",
            "event": "Order Refunded",
            "properties": {"order_id": "o-1", "total": 10, "reason": "damaged"},
        }
    )
    assert event["type"] == "refund"
    assert event["data"] == {
        "customer": {"anonymous_id": "a-9"},
        "order_id": "o-1",
        "amount": "10",
        "reason": "damaged",
    }
    by_products = one(
        {"type": "track", "userId": "u", "event": "Order Refunded", "properties": {"order_id": "o", "products": [
            {"product_id": "p", "price": 4, "quantity": 2}]}}
    )  # fmt: skip
    assert by_products["data"]["amount"] == "8"
    for properties in ({"order_id": "o-1"}, {"order_id": "o-1", "total": 0}):
        error = error_of({"type": "track", "userId": "u", "event": "Order Refunded", "properties": properties})
        assert error["field"] == "properties.total" and "amount refunded" in error["message"]


@pytest.mark.parametrize(
    ("properties", "field"),
    [
        ({"total": 5}, "properties.order_id"),
        ({"order_id": "o"}, "properties.total"),
        ({"order_id": "o", "total": -1}, "properties.total"),
        ({"order_id": "o", "total": "lots"}, "properties.total"),
        ({"order_id": "o", "total": True}, "properties.total"),
        ({"order_id": "o", "products": "p-1"}, "properties.products"),
        ({"order_id": "o", "products": [{"price": 1}]}, "properties.products.0.sku"),
        ({"order_id": "o", "products": [{"sku": "a"}]}, "properties.products.0.price"),
        ({"order_id": "o", "products": [{"sku": "a", "price": 1, "quantity": 0}]}, "properties.products.0.quantity"),
        ({"order_id": "o", "products": [{"sku": "a", "price": 1, "quantity": 1.5}]}, "properties.products.0.quantity"),
    ],
)
def test_an_order_that_cannot_be_a_purchase_is_refused_naming_the_field(properties: dict[str, Any], field: str) -> None:
    error = error_of({"type": "track", "userId": "u", "event": "Order Completed", "properties": properties})
    assert error["field"] == field


def test_a_track_of_a_declared_custom_type_is_that_type_else_a_visit() -> None:
    message = {
        "type": "track",
        "userId": "u",
        "event": "Cart Abandoned",
        "properties": {"cart_total": 12},
        "context": {"page": {"url": "https://shop.example/cart"}, "campaign": {"source": "ads"}},
    }
    custom = one(message, custom={"cart_abandoned"})
    assert custom["type"] == "cart_abandoned"
    assert custom["data"] == {"customer": {"external_id": "u"}, "cart_total": 12}
    visit = one(message)
    assert visit["type"] == "visit"
    assert visit["data"] == {
        "customer": {"external_id": "u"},
        "channel": "web",
        "url": "https://shop.example/cart",
        "utm_source": "ads",
        "properties": {"cart_total": 12},
        "event": "Cart Abandoned",
    }
    reserved = mapped({**message, "properties": {"customer": {"email": "x@y.z"}}}, custom={"cart_abandoned"})
    assert reserved.errors[0]["field"] == "properties.customer"


def test_a_tracks_channel_comes_from_its_context() -> None:
    base = {"type": "track", "userId": "u", "event": "Played"}
    assert one({**base, "context": {"app": {"name": "shop"}}})["data"]["channel"] == "app"
    assert one({**base, "channel": "server"})["data"]["channel"] == "server"
    assert one(base)["data"]["channel"] == "server"


def test_custom_type_names_are_lower_snake_case_and_never_built_in() -> None:
    assert custom_type_name("Cart Abandoned") == "cart_abandoned"
    assert custom_type_name("cartAbandoned") == "cart_abandoned"
    assert custom_type_name("  Trial-Started!! ") == "trial_started"
    assert custom_type_name("Purchase") is None  # a built-in type's name
    assert custom_type_name("1st Login") is None  # a type starts with a letter
    assert custom_type_name("!!!") is None and custom_type_name("x" * 65) is None and custom_type_name(5) is None
    messages = [{"type": "track", "event": "Cart Abandoned"}, {"type": "page", "event": "Nope"}, "junk"]
    assert wanted_custom_types(messages) == {"cart_abandoned"}


def test_page_and_screen_are_web_and_app_visits() -> None:
    page = one(
        {
            "type": "page",
            "anonymousId": "a",
            "name": "Home",
            "properties": {"url": "https://shop.example/"},
            "context": {"campaign": {"name": "spring"}},
        }
    )
    assert page["type"] == "visit"
    assert page["data"]["channel"] == "web" and page["data"]["url"] == "https://shop.example/"
    assert page["data"]["utm_campaign"] == "spring" and page["data"]["page"] == "Home"
    from_context = one({"type": "page", "anonymousId": "a", "context": {"page": {"url": "https://shop.example/x"}}})
    assert from_context["data"]["url"] == "https://shop.example/x"
    screen = one({"type": "screen", "userId": "u", "name": "Cart"})
    assert screen["data"] == {"customer": {"external_id": "u"}, "channel": "app", "screen": "Cart"}


def test_alias_is_an_identify_carrying_both_ids() -> None:
    event = one({"type": "alias", "messageId": "m", "previousId": "anon-1", "userId": "u-1"})
    assert event["type"] == "identify"
    assert event["data"] == {"customer": {"external_id": "u-1", "anonymous_id": "anon-1"}, "traits": {}}
    assert error_of({"type": "alias", "userId": "u-1"})["field"] == "previousId"
    assert error_of({"type": "alias", "previousId": "a", "anonymousId": "b"})["field"] == "userId"


def test_group_calls_are_accepted_and_ignored() -> None:
    result = mapped({"type": "group", "messageId": "g-1", "userId": "u", "groupId": "acme"})
    assert result.ignored == ["g-1"] and not result.events and not result.errors


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"type": "track", "event": "X"}, "userId"),
        ({"type": "track", "userId": "u"}, "event"),
        ({"type": "track", "userId": ["u"], "event": "X"}, "userId"),
        ({"type": "fly", "userId": "u"}, "type"),
        ({"userId": "u"}, "type"),
        ({"type": "track", "userId": "u", "event": "X", "timestamp": "yesterday"}, "timestamp"),
        ({"type": "track", "userId": "u", "event": "X", "timestamp": 1700000000}, "timestamp"),
        ({"type": "track", "userId": "u", "event": "X", "context": "web"}, "context"),
        ({"type": "track", "userId": "u", "event": "X", "properties": [1]}, "properties"),
        ({"type": "identify", "userId": "u", "traits": {"email": "not-an-email"}}, "traits.email"),
        ({"type": "identify", "userId": "u", "traits": {"phone": "020 7946 0000"}}, "traits.phone"),
        ({"type": "track", "event": "X", "context": {"traits": {"email": 5}}}, "context.traits.email"),
    ],
)
def test_odd_messages_are_refused_naming_the_field(message: dict[str, Any], field: str) -> None:
    assert error_of(message)["field"] == field


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"type": "group", "userId": "u", "groupId": "g", "context": "web"}, "context"),
        ({"type": "group", "userId": "u", "groupId": ["g"]}, "groupId"),
        ({"type": "identify", "userId": "u", "context": {"page": "home"}}, "context.page"),
        ({"type": "identify", "userId": True}, "userId"),
        ({"type": "page", "userId": "u", "name": 5}, "name"),
        ({"type": "track", "userId": "u", "event": "X", "messageId": "m" * 257}, "messageId"),
        ({"type": "group", "userId": "u" * 513}, "userId"),
    ],
)
def test_every_documented_field_has_its_type_whether_read_or_not(message: dict[str, Any], field: str) -> None:
    result = mapped(message)
    assert not result.events and not result.ignored
    assert result.errors[0]["field"] == field


def test_errors_carry_the_message_index_and_id_and_the_valid_ones_still_map() -> None:
    result = mapped(
        {"type": "track", "messageId": "ok", "userId": "u", "event": "X"},
        {"type": "track", "messageId": "bad", "event": "X"},
        "not an object",
    )
    assert [index for index, _ in result.events] == [0]
    assert [(e["index"], e["id"], e["field"]) for e in result.errors] == [
        (1, "bad", "userId"),
        (2, result.errors[1]["id"], "(message)"),
    ]
    assert result.errors[1]["id"].startswith("segment-")


def test_a_message_over_its_budget_is_refused_before_anything_encodes_it() -> None:
    deep: Any = 1
    for _ in range(300):  # deeper than orjson encodes: the budget must refuse it first
        deep = {"d": deep}
    result = mapped(
        {"type": "track", "messageId": "deep", "userId": "u", "event": "X", "properties": deep},
        {"type": "track", "userId": "u", "event": "X", "properties": {"x": "y" * MAX_MESSAGE_BYTES}},
    )
    assert not result.events
    assert [(e["id"], e["field"]) for e in result.errors] == [("deep", "(message)"), (None, "(message)")]
    assert "nested deeper than 32" in result.errors[0]["message"]
    assert "bytes as JSON" in result.errors[1]["message"]


def test_a_message_without_message_id_gets_the_same_id_on_every_retry() -> None:
    message = {"type": "track", "userId": "u", "event": "X", "timestamp": "2026-11-30T10:00:00Z"}
    first, again = one(dict(message)), one(dict(message))
    assert first["id"] == again["id"] and first["id"].startswith("segment-")
    assert one({**message, "event": "Y"})["id"] != first["id"]


def test_the_time_is_the_timestamp_else_the_original_one_else_receipt() -> None:
    base = {"type": "track", "userId": "u", "event": "X"}
    assert one({**base, "timestamp": "2026-11-30T10:00:00"})["time"] == "2026-11-30T10:00:00+00:00"
    assert one({**base, "originalTimestamp": "2026-11-29T10:00:00Z"})["time"] == "2026-11-29T10:00:00+00:00"
    assert one(base)["time"] == NOW.isoformat()


def test_the_source_names_the_library_harmlessly() -> None:
    base = {"type": "track", "userId": "u", "event": "X"}
    assert one(base)["source"] == "segment"
    odd = one({**base, "context": {"library": {"name": "my lib<script>" + "x" * 300}}})["source"]
    assert odd.startswith("segment:my-lib-script-") and len(odd) <= 108


def test_a_single_call_endpoint_takes_its_own_type_only() -> None:
    [message] = messages_of({"userId": "u", "event": "X"}, "track", 10)
    assert message["type"] == "track"
    error = error_of({"type": "identify", "userId": "u"}, call="track")
    assert error["field"] == "type" and "track" in error["message"]


def test_a_batch_shares_its_context_and_is_bounded() -> None:
    body = {
        "batch": [{"type": "track", "userId": "u", "event": "X", "context": {"page": {"url": "https://a.example"}}}],
        "context": {"library": {"name": "analytics-python"}, "page": {"url": "https://b.example"}},
        "writeKey": "ignored",
    }
    [message] = messages_of(body, "batch", 10)
    assert message["context"] == {"library": {"name": "analytics-python"}, "page": {"url": "https://a.example"}}
    for bad, status in (
        ([], 400),
        ({"batch": []}, 400),
        ({"batch": {}}, 400),
        ({"batch": [{}] * 11}, 413),
        ({"batch": [{}], "context": [1]}, 400),
    ):
        with pytest.raises(BatchShapeError) as refused:
            messages_of(bad, "batch", 10)
        assert refused.value.status == status


def test_the_write_key_is_read_from_basic_or_bearer() -> None:
    import base64

    basic = "Basic " + base64.b64encode(b"fw_12345678_secret:").decode()
    assert api_key_of(basic, basic=True) == "fw_12345678_secret"
    assert api_key_of("Basic " + base64.b64encode(b":fw_k").decode(), basic=True) == "fw_k"
    assert api_key_of(basic, basic=False) is None  # Basic only where the SDKs send it
    assert api_key_of("Bearer fw_k", basic=True) == "fw_k"
    for odd in ("Basic", "Basic !!!", "Basic " + base64.b64encode(b"\xff:").decode(), "Digest x", ""):
        assert api_key_of(odd, basic=True) is None


def test_gzip_bodies_are_inflated_within_the_budget() -> None:
    assert decoded_body(gzip.compress(b'{"a": 1}'), "gzip", 100) == b'{"a": 1}'
    assert decoded_body(gzip.compress(b"[1,") + gzip.compress(b"2]"), "gzip", 100) == b"[1,2]"  # two members
    assert decoded_body(b"{}", "", 100) == b"{}"
    bomb = gzip.compress(b" " * (50 * MAX_BATCH_BYTES))  # 25 MB of spaces in about 25 KB
    for body, encoding, status in (
        (bomb, "gzip", 413),
        (b"x" * 101, "identity", 413),
        (b"not gzip", "gzip", 400),
        (gzip.compress(b"{}" * 100, mtime=0)[:-12], "gzip", 400),
        (zlib.compress(b"{}"), "deflate", 415),
    ):
        with pytest.raises(ProblemError) as refused:
            decoded_body(body, encoding, 100 if body is not bomb else MAX_BATCH_BYTES)
        assert refused.value.status == status
