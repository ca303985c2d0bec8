"""The bench's pure parts: percentiles, event generation, metrics parsing, ratios and targets. No I/O,
and never a timing assertion."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import orjson
import pytest

from bench import cpu, gateway_api_load, loyalty, metrics
from bench.events import (
    SENT_AT_FIELD,
    batches,
    distinct_customers,
    encoded,
    generate,
    key_of,
    stamped,
    timeline_record,
)
from bench.http_load import Requests
from bench.report import (
    Measurement,
    build_report,
    latency_summary,
    percentile,
    render_table,
    steady_rate,
    targets,
)
from contracts.codec import decode_inbound
from contracts.inbound import PurchaseEvent


def test_percentile_interpolates_like_numpy() -> None:
    values = [1.0, 2.0, 3.0, 4.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 4.0
    assert percentile(values, 50) == 2.5
    assert percentile(list(range(101)), 99) == 99.0
    assert percentile([5.0], 99) == 5.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0  # unsorted input
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError):
        percentile(values, 101)


def test_latency_summary() -> None:
    summary = latency_summary([float(v) for v in range(1, 101)])
    assert summary["count"] == 100
    assert summary["p50"] == 50.5
    assert summary["p99"] == 99.01
    assert summary["max"] == 100.0
    assert summary["min"] == 1.0
    assert latency_summary([]) == {"count": 0}


def test_steady_rate_ignores_start_and_tail() -> None:
    samples = [(0.0, 0), (1.0, 0), (2.0, 100), (3.0, 600), (4.0, 950), (5.0, 1000)]
    assert steady_rate(samples, 1000) == pytest.approx((950 - 100) / 2)
    assert steady_rate([(0.0, 0), (1.0, 1000)], 1000) is None


def test_generated_events_are_valid_purchases_with_about_ten_percent_repeats() -> None:
    docs = generate("bench-x", 5000)
    assert [d["id"] for d in docs[:2]] == ["e-0", "e-1"]
    assert len({d["id"] for d in docs}) == 5000
    assert len({d["data"]["order_id"] for d in docs}) == 5000
    repeats = 1 - distinct_customers(docs) / len(docs)
    assert 0.08 < repeats < 0.12
    for doc in docs[:50]:
        event = decode_inbound(orjson.dumps(doc))
        assert isinstance(event, PurchaseEvent)
        assert event.workspace == "bench-x"
    assert generate("bench-x", 100) == generate("bench-x", 100)  # deterministic
    assert [d["data"] for d in generate("other", 10)] == [d["data"] for d in docs[:10]]  # same events everywhere


def test_keys_encoding_and_stamping() -> None:
    doc = generate("bench-x", 1)[0]
    assert key_of(doc) == b"bench-x:u0"
    assert encoded([doc]) == [(b"bench-x:u0", orjson.dumps(doc))]
    sent = stamped(doc, 123)
    assert sent["data"][SENT_AT_FIELD] == 123
    assert SENT_AT_FIELD not in doc["data"]  # the original is untouched
    event = decode_inbound(orjson.dumps(sent))
    assert event.model_dump(mode="json")["data"][SENT_AT_FIELD] == 123  # extra fields are kept


def test_timeline_record_matches_the_timeline_columns() -> None:
    doc = generate("bench-x", 1)[0]
    workspace, event_id, customer_id, kind, occurred_at, source, event = timeline_record(doc)
    assert (workspace, event_id, customer_id, kind) == ("bench-x", "e-0", "c-u0", "purchase")
    assert occurred_at.tzinfo is not None
    assert orjson.loads(event) == doc
    assert source == doc["source"]


def test_batches() -> None:
    assert batches(list(range(5)), 2) == [[0, 1], [2, 3], [4]]
    assert batches([], 3) == []


METRICS_TEXT = """
# HELP flywheel_consumer_batch_seconds Time to handle and commit one batch.
flywheel_consumer_batch_seconds_bucket{le="0.1",service="profile",topic="flywheel.events.inbound"} 3.0
flywheel_consumer_batch_seconds_bucket{le="1.0",service="profile",topic="flywheel.events.inbound"} 9.0
flywheel_consumer_batch_seconds_bucket{le="+Inf",service="profile",topic="flywheel.events.inbound"} 10.0
flywheel_consumer_batch_seconds_count{service="profile",topic="flywheel.events.inbound"} 10.0
flywheel_consumer_batch_seconds_sum{service="profile",topic="flywheel.events.inbound"} 4.5
flywheel_consumer_batch_size_count{service="profile",topic="flywheel.events.inbound"} 10.0
flywheel_consumer_batch_size_sum{service="profile",topic="flywheel.events.inbound"} 20000.0
flywheel_consumer_batch_seconds_count{service="profile",topic="other"} 99.0
"""


def test_metrics_parse_and_delta() -> None:
    after = metrics.parse(METRICS_TEXT, "flywheel.events.inbound")
    assert after["flywheel_consumer_batch_seconds"]["count"] == 10.0
    before = {"flywheel_consumer_batch_seconds": {"count": 2.0, "sum": 0.5, "le=+Inf": 2.0, "le=0.1": 2.0}}
    delta = metrics.delta(before, after)
    assert delta["batch_seconds"]["batches"] == 8
    assert delta["batch_seconds"]["mean"] == 0.5
    assert delta["batch_seconds"]["p50_bucket_le"] == 1.0
    assert delta["batch_size"]["mean"] == 2000.0


def _measurements(ingest: float, p99: float, gateway: float) -> dict[str, Measurement]:
    return {
        "raw_produce": Measurement("raw_produce", 50_000.0, "events/s", 100),
        "raw_consume": Measurement("raw_consume", 200_000.0, "events/s", 100),
        "raw_copy": Measurement("raw_copy", 40_000.0, "rows/s", 100),
        "profile_ingest": Measurement("profile_ingest", ingest, "events/s", 100),
        "latency": Measurement(
            "latency",
            p99,
            "ms p99",
            30,
            {"received_at_latency_ms": {"p99": p99}, "observed_visible_latency_ms": {"p99": p99 + 500}},
        ),
        "gateway": Measurement("gateway", gateway, "events/s", 100),
    }


def test_report_ratios_to_the_matching_raw_limit() -> None:
    report = build_report({"cpu_count": 2, "broker": "kafka", "events": 100}, _measurements(8_000.0, 300.0, 6_000.0))
    ingest = report["results"]["profile_ingest"]
    assert ingest["raw_limit"] == {"name": "raw_copy", "value": 40_000.0}  # the smallest raw limit
    assert ingest["ratio_to_raw_limit"] == 0.2
    assert report["results"]["gateway"]["raw_limit"]["name"] == "raw_produce"
    assert report["results"]["gateway"]["ratio_to_raw_limit"] == 0.12
    assert report["results"]["latency"]["value"] == 300.0
    assert "ratio_to_raw_limit" not in report["results"]["raw_copy"]
    orjson.dumps(report)  # serialisable as it is


def test_loyalty_earn_is_reported_against_raw_produce() -> None:
    measurements = _measurements(8_000.0, 300.0, 6_000.0)
    measurements["loyalty_earn"] = Measurement("loyalty_earn", 5_000.0, "purchases/s", 100)
    measurements["loyalty_expiry"] = Measurement("loyalty_expiry", 9_000.0, "lots/s", 1_000)
    results = build_report({"cpu_count": 2}, measurements)["results"]
    assert results["loyalty_earn"]["raw_limit"] == {"name": "raw_produce", "value": 50_000.0}
    assert results["loyalty_earn"]["ratio_to_raw_limit"] == 0.1
    assert "ratio_to_raw_limit" not in results["loyalty_expiry"]  # a job over the database: no raw limit beside it


def test_loyalty_purchases_are_valid_resolved_purchases_with_categorised_lines() -> None:
    start = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    messages = loyalty.purchases("ws-1", 200, 20, start)
    docs = [orjson.loads(value) for _, value in messages]
    events = [decode_inbound(value) for _, value in messages]
    assert all(isinstance(e, PurchaseEvent) for e in events)
    assert len({d["data"]["order_id"] for d in docs}) == 200
    assert {d["customerid"] for d in docs} <= {f"m{i}" for i in range(20)}
    assert all(key == f"ws-1:{d['customerid']}".encode() for (key, _), d in zip(messages, docs, strict=True))
    assert all(item["category"] for d in docs for item in d["data"]["items"])
    assert all(start - dt.timedelta(days=30) <= dt.datetime.fromisoformat(d["time"]) < start for d in docs)
    assert messages == loyalty.purchases("ws-1", 200, 20, start)  # the same every run


def test_targets_are_reported_not_asserted() -> None:
    missed = targets(_measurements(8_000.0, 1_200.0, 4_000.0))
    judged = ("profile_ingest", "profile_ingest_ratio", "latency_p99", "gateway")
    assert [missed[k]["met"] for k in judged] == [False, False, False, False]
    met = targets(_measurements(18_000.0, 300.0, 6_000.0))  # 0.36 of raw produce's 50,000 events/s
    assert [met[k]["met"] for k in judged] == [True, True, True, True]
    assert met["latency_p99"]["met_observed_visible"] is True
    assert met["profile_ingest"]["target"] == ">= 12000 events/s"
    assert met["profile_ingest_ratio"] == {"target": ">= 0.35 of raw produce", "value": 0.36, "met": True}
    fast_but_far_from_raw = targets(_measurements(12_000.0, 300.0, 6_000.0))
    assert fast_but_far_from_raw["profile_ingest"]["met"] and not fast_but_far_from_raw["profile_ingest_ratio"]["met"]
    unmeasured = targets({"profile_ingest": Measurement("profile_ingest", math.nan, "events/s", 0)})
    assert unmeasured == {"profile_ingest": {"target": ">= 12000 events/s", "value": None, "met": None}}


def test_report_without_raw_limits_and_table_rendering() -> None:
    partial = {"profile_ingest": Measurement("profile_ingest", 9_000.0, "events/s", 100)}
    report = build_report({"broker": "embedded"}, partial)
    assert "ratio_to_raw_limit" not in report["results"]["profile_ingest"]
    full = build_report({"broker": "kafka", "cpu_count": 2, "events": 100}, _measurements(8_000.0, 300.0, 6_000.0))
    table = render_table(full)
    assert table.row_count == 6


def test_cpu_groups() -> None:
    assert cpu.classify("python -m services.profile") == "profile"
    assert cpu.classify("postgres: flywheel profile 127.0.0.1(5555) idle") == "postgres"
    assert cpu.classify("java -Xmx1g kafka.Kafka server.properties") == "kafka"
    assert cpu.classify("/venv/bin/python -m bench.gateway_load") == "bench"
    assert cpu.classify("sshd") is None
    assert cpu.used({"profile": 1.0}, {"profile": 3.5, "kafka": 2.0}) == {"kafka": 2.0, "profile": 2.5}


def test_a_stack_s_servers_are_found_through_the_links_in_its_home(tmp_path: Path) -> None:
    """As root PostgreSQL's data lives elsewhere, linked from the home: its server names that folder, not the home."""
    home, elsewhere = tmp_path / "flywheel-bench-x", tmp_path / "var" / "postgres-1"
    home.mkdir()
    elsewhere.mkdir(parents=True)
    (home / "postgres").symlink_to(elsewhere, target_is_directory=True)
    running = {
        10: (1, f"/opt/pg/bin/postgres -D {elsewhere} -h 127.0.0.1", 1.0),
        11: (10, "postgres: flywheel profile 127.0.0.1(5555) idle", 2.0),
        12: (1, f"java kafka.Kafka {home}/kafka/server.properties", 3.0),
        13: (1, "postgres -D /somewhere/else", 4.0),
    }
    assert cpu.homes_of(str(home)) == [str(home), str(elsewhere)]
    assert cpu.stack_pids(str(home), running) == {10, 11, 12}


def _load_run(per_second: float, p99: float, **extra: object) -> dict[str, object]:
    return {"requests_per_s": per_second, "latency_ms": {"p50": p99 / 4, "p99": p99}, "concurrency": 32, **extra}


def test_gateway_load_section_ratios_and_targets() -> None:
    runs = {
        "customer_360.gateway": _load_run(1_000.0, 80.0),
        "customer_360.ceiling": _load_run(4_000.0, 10.0),
        "customer_360.gateway.fixed_rate": _load_run(200.0, 90.0, rate=200.0),
        "customer_360_uncached.gateway": _load_run(200.0, 300.0, view_reads={"hit": 0, "miss": 0, "bypass": 9}),
        "customer_360_beside_100_events_per_s.gateway": _load_run(
            800.0, 40.0, view_reads={"hit": 90, "miss": 10, "bypass": 0}
        ),
        "events.gateway": _load_run(600.0, 120.0),
        "events.ceiling": _load_run(3_000.0, 12.0),
        "events.gateway.fixed_rate": _load_run(199.0, 150.0, rate=200.0),
    }
    section = gateway_api_load.section({"cpu_count": 2}, runs)
    assert section["customer_360"]["ratio_to_ceiling"] == 0.25
    assert section["events"]["ratio_to_ceiling"] == 0.2
    # Views with no-cache run against the gateway only: beside the same ceiling as the cached views.
    assert section["customer_360_uncached"]["ratio_to_ceiling"] == 0.05
    assert section["customer_360_uncached"]["ceiling"] == runs["customer_360.ceiling"]
    assert section["events"]["ceiling_fixed_rate"] == {}  # not measured: left empty, not invented
    assert section["targets"]["customer_360_ratio_to_ceiling"] == {"target": ">= 0.3", "value": 0.25, "met": False}
    assert section["targets"]["customer_360_p99_at_200_rps"] == {"target": "<= 100 ms", "value": 90.0, "met": True}
    assert section["targets"]["events_p99_at_200_rps"]["met"] is False
    line = gateway_api_load.summary_line(section)
    assert line.startswith("gateway load: GET /v1/customers/{id}: 1,000 req/s (ceiling 4,000, ratio 0.25)")
    assert "p99 90 ms at 200 req/s" in line
    assert (
        "beside 100 events/s to those customers: 800 req/s (ceiling 4,000, ratio 0.2), p50/p99 10/40 ms at 32 "
        "connections, 90% from the cache;" in line
    )
    orjson.dumps(section)
    unmeasured = gateway_api_load.section({}, {})
    assert unmeasured["targets"]["customer_360_ratio_to_ceiling"]["met"] is None
    assert gateway_api_load.summary_line(unmeasured).count("-") >= 4


def test_load_generator_requests_are_pre_encoded_and_each_event_is_new() -> None:
    gets = Requests("127.0.0.1", 8080, "GET", ["/v1/customers/a", "/v1/customers/b"], "k")
    assert gets.nth(0) == b"GET /v1/customers/a HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAuthorization: Bearer k\r\n\r\n"
    assert gets.nth(3).startswith(b"GET /v1/customers/b ")
    posts = Requests("h", 1, "POST", ["/v1/events"], "k", b'{"id":"e-@N@","who":"u@C@"}', customers=3)
    request = posts.nth(7)
    head, _, body = request.partition(b"\r\n\r\n")
    assert body == b'{"id":"e-7","who":"u1"}'
    assert b"Content-Length: %d" % len(body) in head and b"Content-Type: application/json" in head


def test_cpu_groups_of_the_gateway_load() -> None:
    assert cpu.classify("python -m services.scoring") == "scoring"
    assert cpu.classify("/venv/bin/python -m bench.http_load") == "load_generator"
    assert cpu.classify("/venv/bin/python -m bench.ceiling_app 4000 /tmp/flywheel-bench-gw-x/a.json") == "ceiling"
