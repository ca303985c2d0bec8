"""`flywheel demo`'s setup (cli/demo_setup.py) against an in-memory stand-in of the public API: it makes what is
missing, with an Idempotency-Key on every write, and a second run makes nothing new."""

from __future__ import annotations

import io
import itertools
import json
import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from rich.console import Console
from typer.testing import CliRunner

from cli import demo as demo_cli
from cli import demo_plan as plan
from cli import demo_setup
from cli.demo import setup_table
from cli.demo_api import DemoApi

NOW = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)
CUSTOMERS = [
    {
        "customer_id": f"c_{n}",
        "identifiers": {"email": [f"p{n}@example.com"], "external_id": [f"u-{n}"]},
        "traits": {"city": "Berlin" if n % 3 else "London"},
        "stats": {"orders": 1 + n % 4},
    }
    for n in range(40)
]


class FakeGateway:
    """Just enough of /v1 for the setup: collections kept by id, lists unpaged, every write recorded."""

    def __init__(self) -> None:
        self.ids = itertools.count(1)
        self.store: dict[str, dict[str, dict[str, Any]]] = {}
        self.singletons: dict[str, dict[str, Any]] = {"sales-settings": {"managers": []}, "report-settings": {}}
        self.writes: list[tuple[str, str]] = []
        self.missing_keys: list[str] = []

    def _new(self, kind: str, doc: dict[str, Any], id_field: str) -> dict[str, Any]:
        doc = {**doc, id_field: f"{kind}_{next(self.ids)}"}
        self.store.setdefault(kind, {})[doc[id_field]] = doc
        return doc

    def handle(self, request: httpx.Request) -> httpx.Response:
        method, path = request.method, request.url.path
        body = json.loads(request.content) if request.content else None
        if method != "GET":
            self.writes.append((method, path))
            if "Idempotency-Key" not in request.headers:
                self.missing_keys.append(f"{method} {path}")
        answer = self.route(method, path, body, dict(request.url.params))
        if answer is None:
            return httpx.Response(404, json={"title": "Not Found", "detail": f"no {path}"})
        return httpx.Response(200, json=answer)

    def items(self, kind: str) -> dict[str, Any]:
        return {"items": list(self.store.get(kind, {}).values()), "next_cursor": None}

    def route(self, method: str, path: str, body: Any, params: dict[str, str]) -> dict[str, Any] | None:
        if path == "/v1/keys/current":
            return {"owner": "sam@demo.test"}
        if path in ("/v1/report-settings", "/v1/sales-settings"):
            name = path.removeprefix("/v1/")
            if method == "PUT":
                self.singletons[name] = body
            return self.singletons[name]
        if path in ("/v1/kpi-targets", "/v1/marketing-spend"):
            return {"ok": True}
        if path == "/v1/loyalty-program":
            if method == "PUT":
                self.singletons["loyalty"] = body
            return self.singletons.get("loyalty")
        if match := re.fullmatch(r"/v1/pipelines/(\w+)", path):  # every workspace has the built-in ones
            pipelines = self.store.setdefault("pipeline", {"repurchase_upsell": {"built_in": True}})
            if method == "PUT":
                pipelines[match[1]] = {"built_in": False, "document": body}
            return pipelines.get(match[1])
        collections = {"/v1/referral-programs": ("program", "program_id"), "/v1/segments": ("segment", "segment_id")}
        if path in collections:
            kind, id_field = collections[path]
            return self.items(kind) if method == "GET" else self._new(kind, body, id_field)
        if match := re.fullmatch(r"/v1/referral-programs/(\w+)/codes", path):
            return {"code": f"ROAST-{body['customer_id']}", "customer_id": body["customer_id"]}
        if path == "/v1/journeys":
            return self.items("journey")
        if match := re.fullmatch(r"/v1/journey-templates/(\w+)", path):
            return self._new("journey", {"template": match[1], "status": "draft", "name": match[1]}, "journey_id")
        if match := re.fullmatch(r"/v1/journeys/(\w+)/(activate|pause)", path):
            journey = self.store["journey"][match[1]]
            journey["status"] = "active" if match[2] == "activate" else "paused"
            return journey
        if path == "/v1/customers":
            return {"customer_id": "c_1"}
        if path == "/v1/customers/search":
            return {"items": CUSTOMERS, "next_cursor": None}
        if path == "/v1/reports/nps":
            return {"responses": 0}
        if path == "/v1/deals":
            if method == "POST":
                return self._new("deal", {**body, "status": "open"}, "deal_id")
            return self.items("deal")
        if match := re.fullmatch(r"/v1/deals/(\w+)(?:/(won|lost|quotes))?", path):
            deal = self.store["deal"][match[1]]
            if match[2] in ("won", "lost"):
                deal["status"] = match[2]
            elif match[2] == "quotes":
                status = "pending_approval" if float(body["discount_percent"]) > 15 else "open"
                return self._new("quote", {"status": status, "deal_id": match[1]}, "quote_id")
            elif method == "PATCH":
                deal["fields"] = {**deal.get("fields", {}), **body["fields"]}
            return deal
        if match := re.fullmatch(r"/v1/quotes/(\w+)", path):
            return self.store["quote"][match[1]]
        if path == "/v1/tasks":
            if method == "POST":
                return self._new("task", {**body, "status": "open"}, "task_id")
            return self.items("task")
        if match := re.fullmatch(r"/v1/tasks/(\w+)/complete", path):
            self.store["task"][match[1]]["status"] = "done"
            return self.store["task"][match[1]]
        return None


def _run(fake: FakeGateway) -> tuple[demo_setup.SetupReport, list[list[dict[str, Any]]]]:
    sent: list[list[dict[str, Any]]] = []
    report = demo_setup.SetupReport()
    transport = httpx.MockTransport(fake.handle)
    with DemoApi("http://gateway", "fw_abcd1234_secret", "demo/demo/42", transport=transport) as api:
        demo_setup.configure(api, report, NOW)
        demo_setup.populate(api, report, sent.append, "demo", 42, NOW)
    return report, sent


def test_the_setup_makes_everything_once_and_a_second_run_nothing() -> None:
    fake = FakeGateway()
    first, sent = _run(fake)
    assert fake.missing_keys == []
    assert first.owner == "sam@demo.test" and fake.singletons["sales-settings"]["managers"] == ["sam@demo.test"]
    assert fake.singletons["report-settings"] == {"currency": "EUR"} and "loyalty" in fake.singletons
    assert set(first.segments) == {name for name, _, _ in plan.SEGMENTS}
    assert {t: s for t, (_, s) in first.journeys.items()} == {t: s for t, _, s in plan.JOURNEYS}
    assert len(first.deals) == 20 and first.blocked_deal_id and first.movable_deal_id
    assert len(first.pending_quote_ids) == 3 and len(first.open_task_ids) == 5
    assert first.customer_email == "p1@example.com"  # the best customer paying in euros
    assert len(sent) == 2 and first.nps_answers_sent == 10  # the friends' events; NPS answers (none yet)
    assert {s for deal in fake.store["deal"].values() if (s := deal["status"]) != "open"} == {"won", "lost"}

    writes_before = len(fake.writes)
    second, _ = _run(fake)
    again = fake.writes[writes_before:]
    # Only the writes that are the same whatever is there: targets and spend replace themselves, codes are stable.
    assert {path for _, path in again} <= {
        "/v1/kpi-targets",
        "/v1/marketing-spend",
        "/v1/referral-programs/program_1/codes",
    }
    assert second.created == []
    assert (second.deals, second.segments, second.referral_codes) == (first.deals, first.segments, first.referral_codes)
    assert second.pending_quote_ids == first.pending_quote_ids and second.open_task_ids == first.open_task_ids


def test_waiting_for_the_customers_looks_for_the_newest_customer_not_for_event_times() -> None:
    """A second run's events carry new times but the first run's ids (dropped as repeats): waiting for the newest
    customer's arrival, not for an event time, ends at once then."""
    events = [
        {"type": "identify", "time": "2026-01-01T00:00:00Z", "data": {"customer": {"external_id": "u-1"}}},
        {"type": "identify", "time": "2026-02-01T00:00:00Z", "data": {"customer": {"email": "new@example.com"}}},
        {"type": "visit", "time": "2026-03-01T00:00:00Z", "data": {"customer": {"external_id": "u-1"}}},
    ]
    asked: list[str] = []

    def gateway(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/customers":
            asked.append(str(request.url.params))
            if len(asked) < 3:
                return httpx.Response(404, json={"title": "Not Found"})
            return httpx.Response(200, json={"customer_id": "c_2"})
        return httpx.Response(200, json={"items": [{}, {}], "next_cursor": None})

    with DemoApi("http://gateway", "fw_abcd1234_secret", "demo", transport=httpx.MockTransport(gateway)) as api:
        demo_setup.wait_for_customers(api, events, wanted=2, timeout_s=30, interval_s=0.01)
    assert asked == ["email=new%40example.com"] * 3


def test_the_summary_names_what_was_made_and_where_to_look() -> None:
    report, _ = _run(FakeGateway())
    out = io.StringIO()
    Console(file=out, width=200).print(setup_table(report))
    text = out.getvalue()
    assert "created" in text and "sam@demo.test" in text and report.customer_email in text
    assert (
        "welcome_and_second_purchase: active" in text and "cross_sell: paused" in text and "churn_save: draft" in text
    )
    assert f"{report.blocked_deal_id} / {report.movable_deal_id}" in text


def test_the_command_sets_up_after_the_events_and_prints_both_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeGateway()
    sent: list[int] = []

    def send(events: list[dict[str, Any]], *_: Any) -> tuple[Counter[str], list[Any]]:
        assert "loyalty" in fake.singletons, "the loyalty program exists before the purchases are sent"
        sent.append(len(events))
        return Counter(e["type"] for e in events), []

    def api(gateway: str, key: str, prefix: str) -> DemoApi:
        return DemoApi(gateway, key, prefix, transport=httpx.MockTransport(fake.handle))

    monkeypatch.setattr(demo_cli, "send", send)
    monkeypatch.setattr(demo_cli, "DemoApi", api)
    result = CliRunner().invoke(demo_cli.app, ["--key", "fw_abcd1234_secret", "--customers", "40", "--wait", "5"])
    assert result.exit_code == 0, result.output
    assert len(sent) == 3  # the customers' events, the friends' referral events, the NPS answers
    assert "Demo events" in result.output and "Demo workspace setup" in result.output
    assert "sam@demo.test" in result.output
