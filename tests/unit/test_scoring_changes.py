"""Every change event scoring builds is valid under its contract (no I/O)."""

from __future__ import annotations

import datetime as dt

import orjson

from contracts.codec import Decoder
from contracts.scoring import SCORING_CHANGE_TYPES, CustomerDormantData
from contracts.topics import SCORING_CHANGES
from services.scoring.events import ScoreChanges

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def test_each_change_is_a_valid_event_keyed_by_customer() -> None:
    changes = ScoreChanges("demo", NOW)
    changes.rfm_segment("c1", None, "New", (5, 1, 1))
    changes.churn_risk("c1", "low", "high", 0.12, ["no purchase for 94 days, 3.1x their usual gap of 30 days"])
    changes.segment(True, "c1", "seg_1", "Repeat buyers")
    changes.segment(False, "c1", "seg_1", "Repeat buyers")
    since = NOW - dt.timedelta(days=3)
    changes.dormant(
        CustomerDormantData(
            customer_id="c1",
            last_purchase_at=NOW - dt.timedelta(days=93),
            days_since_last_purchase=93,
            threshold_days=90,
            rule="fixed_days",
        ),
        since,
    )
    changes.reactivated("c1", since, NOW)

    decode = Decoder(SCORING_CHANGE_TYPES)
    events = [decode(m.value) for m in changes.messages]
    assert [e.type for e in events] == [
        "rfm.segment_changed",
        "churn.risk_changed",
        "segment.entered",
        "segment.exited",
        "customer.dormant",
        "customer.reactivated",
    ]
    assert {m.topic for m in changes.messages} == {SCORING_CHANGES}
    assert {m.key for m in changes.messages} == {b"demo:c1"}
    assert all(e.workspace == "demo" and e.time == NOW for e in events)
    assert len({e.id for e in events}) == len(events)
    assert ("content-type", b"application/cloudevents+json") in changes.messages[0].headers


def test_a_dormancy_spell_has_one_id_however_often_it_is_announced() -> None:
    since = NOW - dt.timedelta(days=3)
    data = CustomerDormantData(
        customer_id="c1", last_purchase_at=since, days_since_last_purchase=93, threshold_days=90, rule="usual_gap"
    )
    first, second = ScoreChanges("demo", NOW), ScoreChanges("demo", NOW + dt.timedelta(hours=1))
    first.dormant(data, since)
    second.dormant(data, since)
    first_value, second_value = first.messages[0].value, second.messages[0].value
    assert first_value is not None and second_value is not None
    assert orjson.loads(first_value)["id"] == orjson.loads(second_value)["id"]
