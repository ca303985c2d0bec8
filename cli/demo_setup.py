"""`flywheel demo`'s workspace setup through the public /v1 API, so every console screen has something to show.

Two parts around the events: `configure` before them (what must exist when they are processed: the loyalty
program earns points on the purchases, the referral program, journeys that enrol, segments, KPI targets, spend,
the pipeline and the approval policy), and `populate` after them (what needs the customers: referral codes and the
friends' sign-ups and purchases, NPS answers if the events gave none, deals, quotes and tasks).

Idempotent: everything is looked up by name (or title) before it is made, and writes carry an Idempotency-Key, so
a second run changes nothing. The documents come from `cli/demo_plan.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cli import demo_plan as plan
from cli import demo_setup_events as setup_events
from cli.demo_api import DemoApi, DemoError, Refused, poll
from services.gateway.domain import key_prefix

EUR_CITIES = ("Berlin", "Munich", "Paris", "Madrid", "Amsterdam")
SendEvents = Callable[[list[dict[str, Any]]], None]


@dataclass
class SetupReport:
    """What the setup made (or found), for the summary table and the console's test fixture."""

    owner: str = ""
    created: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    segments: dict[str, str] = field(default_factory=dict)  # name -> segment id
    journeys: dict[str, tuple[str, str]] = field(default_factory=dict)  # template -> (journey id, status)
    referral_program_id: str = ""
    referral_codes: dict[str, str] = field(default_factory=dict)  # customer id -> code
    deals: dict[str, str] = field(default_factory=dict)  # title -> deal id
    blocked_deal_id: str = ""
    movable_deal_id: str = ""
    pending_quote_ids: list[str] = field(default_factory=list)
    open_task_ids: list[str] = field(default_factory=list)
    customer_id: str = ""
    customer_email: str = ""
    nps_answers_sent: int = 0

    def note(self, what: str, made: bool) -> None:
        (self.created if made else self.found).append(what)


# --- before the events ----------------------------------------------------------------------------


def configure(api: DemoApi, report: SetupReport, now: datetime) -> None:
    report.owner = key_owner(api)
    _report_settings(api, report)
    api.write("PUT", "/v1/kpi-targets", {"targets": plan.kpi_targets(now)}, "kpi-targets")
    api.write("POST", "/v1/marketing-spend", {"rows": plan.spend_rows(now)}, f"spend-{now:%Y-%m}")
    report.note("KPI targets and marketing spend (set again: the same values replace themselves)", False)
    _loyalty(api, report)
    _referral_program(api, report)
    _sales_rules(api, report)
    for body in plan.segments():
        _segment(api, report, body)
    for template, params, status in plan.JOURNEYS:
        _journey(api, report, template, params, status)


def key_owner(api: DemoApi) -> str:
    """The owner of the demo's own key: GET /v1/keys/current, else the key list (an admin key) by prefix."""
    try:
        return str(api.get("/v1/keys/current")["owner"] or plan.DEFAULT_OWNER)
    except Refused:
        pass  # an older gateway without /v1/keys/current
    prefix = key_prefix(str(api.client.headers["Authorization"]).removeprefix("Bearer "))
    try:
        mine = api.find("/v1/keys", lambda k: k.get("prefix") == prefix)
    except Refused:
        mine = None
    return str(mine["owner"]) if mine and mine.get("owner") else plan.DEFAULT_OWNER


def _report_settings(api: DemoApi, report: SetupReport) -> None:
    current = api.get("/v1/report-settings")
    if current.get("currency") is None:
        api.write("PUT", "/v1/report-settings", {"currency": plan.REPORT_CURRENCY}, "report-settings")
    report.note(f"report currency {current.get('currency') or plan.REPORT_CURRENCY}", current.get("currency") is None)


def _loyalty(api: DemoApi, report: SetupReport) -> None:
    try:
        api.get("/v1/loyalty-program")
        report.note("loyalty program", False)  # a program is there (ours or the workspace's own): keep it
    except Refused as exc:
        if exc.status != 404:
            raise
        api.write("PUT", "/v1/loyalty-program", plan.loyalty_program(), "loyalty-program")
        report.note(f"loyalty program {plan.LOYALTY_PROGRAM!r}", True)


def _referral_program(api: DemoApi, report: SetupReport) -> None:
    found = api.find("/v1/referral-programs", lambda p: p.get("name") == plan.REFERRAL_PROGRAM)
    made = found is None
    if found is None:
        found = api.write("POST", "/v1/referral-programs", plan.referral_program(), "referral-program")
    report.referral_program_id = str(found["program_id"])
    report.note(f"referral program {plan.REFERRAL_PROGRAM!r}", made)


def _sales_rules(api: DemoApi, report: SetupReport) -> None:
    try:
        replaced = not api.get(f"/v1/pipelines/{plan.PIPELINE_ID}").get("built_in", False)
    except Refused as exc:
        if exc.status != 404:
            raise
        replaced = False
    if not replaced:  # the built-in one: the demo's takes its place in this workspace
        api.write("PUT", f"/v1/pipelines/{plan.PIPELINE_ID}", plan.pipeline(), "pipeline")
    report.note(f"pipeline {plan.PIPELINE_ID} ({plan.pipeline()['name']})", not replaced)
    settings = api.get("/v1/sales-settings")
    if report.owner not in settings.get("managers", []):
        body = {
            "discount_approval_threshold_percent": settings.get("discount_approval_threshold_percent", "15"),
            "managers": [*settings.get("managers", []), report.owner],
            "reminder_lead_hours": settings.get("reminder_lead_hours", 24.0),
            "high_value_segments": settings.get("high_value_segments", ["Champions", "Loyal", "Can't Lose Them"]),
            "high_value_revenue": settings.get("high_value_revenue", "1000"),
        }
        api.write("PUT", "/v1/sales-settings", body, f"sales-settings-{report.owner}")
        report.note(f"{report.owner} approves quotes", True)


def _segment(api: DemoApi, report: SetupReport, body: dict[str, Any]) -> None:
    found = api.find("/v1/segments", lambda s: s.get("name") == body["name"])
    made = found is None
    if found is None:
        found = api.write("POST", "/v1/segments", body, f"segment-{body['name']}")
    report.segments[body["name"]] = str(found["segment_id"])
    report.note(f"segment {body['name']!r}", made)


def _journey(api: DemoApi, report: SetupReport, template: str, params: dict[str, Any], status: str) -> None:
    found = api.find("/v1/journeys", lambda j: j.get("template") == template and j.get("status") != "archived")
    made = found is None
    if found is None:
        found = api.write("POST", f"/v1/journey-templates/{template}", params, f"journey-{template}")
    journey_id, current = str(found["journey_id"]), str(found["status"])
    # Only a draft is moved on: a journey someone activated or paused since keeps what they chose.
    if current == "draft" and status in ("active", "paused"):
        current = str(
            api.write("POST", f"/v1/journeys/{journey_id}/activate", None, f"activate-{journey_id}")["status"]
        )
        if status == "paused":  # active first, so its version is frozen and it has run
            current = str(api.write("POST", f"/v1/journeys/{journey_id}/pause", None, f"pause-{journey_id}")["status"])
    report.journeys[template] = (journey_id, current)
    report.note(f"journey {found.get('name', template)!r} ({current})", made)


# --- after the events -----------------------------------------------------------------------------


def wait_for_customers(
    api: DemoApi, events: list[dict[str, Any]], wanted: int, timeout_s: float, interval_s: float = 2.0
) -> None:
    """Until the newest customer (the last `identify`: a customer's first) is found and the search finds `wanted`
    customers. Not by time: a second run's events carry new times but old ids, and are dropped as repeats."""
    ref = next(e for e in reversed(events) if e["type"] == "identify")["data"]["customer"]
    kind = next(k for k in ("external_id", "email", "phone", "anonymous_id") if k in ref)

    def caught_up() -> bool | None:
        try:
            api.get("/v1/customers", **{kind: ref[kind]})
        except Refused as exc:
            if exc.status != 404:
                raise
            return None
        page = api.get("/v1/customers/search", limit=min(wanted, 100))
        return True if len(page.get("items", [])) >= min(wanted, 100) else None

    poll("the gateway to show the demo's customers", caught_up, timeout_s, interval_s)


def candidates(
    api: DemoApi, wanted: int = 30, timeout_s: float = 180.0, interval_s: float = 3.0
) -> list[dict[str, Any]]:
    """Customers who bought, paying in the report currency (points, tiers), with an email and an external id:
    the referrers, the deals' customers, the console test's customer. Taken in the order of their external ids
    (the seeded generator's), once two reads `interval_s` apart agree (purchases and merges still arriving change
    who qualifies), so a second run picks the same people."""
    last: list[tuple[str, int]] = []

    def settled() -> list[dict[str, Any]] | None:
        nonlocal last
        eligible = _eligible(api)
        seen = [(str(c["customer_id"]), int((c.get("stats") or {}).get("orders", 0))) for c in eligible]
        agreed, last = seen == last, seen
        return eligible if agreed else None

    eligible = poll("the demo's customers to settle", settled, timeout_s, interval_s)
    if len(eligible) < 4:
        raise DemoError("too few customers to set up referrals and deals; run the demo with more --customers")
    return eligible[:wanted]


def _eligible(api: DemoApi) -> list[dict[str, Any]]:
    eligible: list[dict[str, Any]] = []
    for customer in api.items("/v1/customers/search", limit=500):
        ids = customer.get("identifiers") or {}
        bought = (customer.get("stats") or {}).get("orders", 0) > 0
        if (
            bought
            and customer.get("traits", {}).get("city") in EUR_CITIES
            and ids.get("email")
            and ids.get("external_id")
        ):
            eligible.append(customer)
    return sorted(eligible, key=lambda customer: str(customer["identifiers"]["external_id"][0]))


def populate(
    api: DemoApi, report: SetupReport, send_events: SendEvents, workspace: str, seed: int, now: datetime
) -> None:
    people = candidates(api)
    report.customer_id = str(people[0]["customer_id"])
    report.customer_email = str(people[0]["identifiers"]["email"][0])
    _referrals(api, report, people[:3], send_events, workspace, seed, now)
    _nps(api, report, people, send_events, workspace, seed, now)
    _deals(api, report, people)
    _tasks(api, report, people, now)


def _referrals(
    api: DemoApi,
    report: SetupReport,
    referrers: list[dict[str, Any]],
    send_events: SendEvents,
    workspace: str,
    seed: int,
    now: datetime,
) -> None:
    program = report.referral_program_id
    pairs = []
    for person in referrers:
        customer_id = str(person["customer_id"])
        issued = api.write(
            "POST", f"/v1/referral-programs/{program}/codes", {"customer_id": customer_id}, f"code-{customer_id}"
        )
        report.referral_codes[customer_id] = str(issued["code"])
        pairs.append((str(person["identifiers"]["external_id"][0]), str(issued["code"])))
    # Event ids are the same on every run: a second run's events are de-duplicated downstream.
    send_events(setup_events.referral_events(workspace, seed, now, pairs))
    report.note(f"{len(pairs)} referral codes; invites, clicks, sign-ups and first purchases of friends", False)


def _nps(
    api: DemoApi,
    report: SetupReport,
    people: list[dict[str, Any]],
    send_events: SendEvents,
    workspace: str,
    seed: int,
    now: datetime,
) -> None:
    period = {"from": _rfc3339(now - timedelta(days=540)), "to": _rfc3339(now + timedelta(days=1))}
    nps = api.get("/v1/reports/nps", **period)
    if nps.get("responses"):
        return
    externals = [str(p["identifiers"]["external_id"][0]) for p in people[:10]]
    send_events(setup_events.survey_events(workspace, seed, now, externals))
    report.nps_answers_sent = len(externals)


def _rfc3339(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _deals(api: DemoApi, report: SetupReport, people: list[dict[str, Any]]) -> None:
    owners = [report.owner, *plan.COLLEAGUES]
    existing = {d["title"]: d for d in api.items("/v1/deals", pipeline_id=plan.PIPELINE_ID)}
    plans = plan.deal_plans()
    for n, deal_plan in enumerate(plans):
        deal = existing.get(deal_plan.title)
        if deal is None:
            body = {
                "customer_id": str(people[n % len(people)]["customer_id"]),
                "title": deal_plan.title,
                "pipeline_id": plan.PIPELINE_ID,
                "amount": deal_plan.amount,
                "currency": plan.REPORT_CURRENCY,
                "owner": owners[deal_plan.owner_index],
                "fields": deal_plan.fields,
                "stage": deal_plan.stage,
            }
            deal = api.write("POST", "/v1/deals", body, f"deal-{n}")
        deal_id = str(deal["deal_id"])
        report.deals[deal_plan.title] = deal_id
        if deal_plan.outcome == "won" and deal["status"] == "open":
            api.write("POST", f"/v1/deals/{deal_id}/won", {"reason": "signed at the tasting"}, f"won-{deal_id}")
        elif deal_plan.outcome == "lost" and deal["status"] == "open":
            api.write("POST", f"/v1/deals/{deal_id}/lost", {"reason": "chose a cheaper roaster"}, f"lost-{deal_id}")
        if deal_plan.quote_discount is not None:
            _quote(api, report, deal_id, deal_plan)
    report.note(f"{len(plans)} deals in pipeline {plan.PIPELINE_ID}", len(existing) < len(plans))
    blocked, movable = plan.blocked_and_movable(plans)
    report.blocked_deal_id, report.movable_deal_id = report.deals[blocked], report.deals[movable]


def _quote(api: DemoApi, report: SetupReport, deal_id: str, deal_plan: plan.DealPlan) -> None:
    """One quote per deal: its id is kept in the deal's `quote_id` field, which a second run finds."""
    deal = api.get(f"/v1/deals/{deal_id}")
    quote_id = deal.get("fields", {}).get("quote_id")
    if not quote_id:
        quote = api.write("POST", f"/v1/deals/{deal_id}/quotes", plan.quote_body(deal_plan), f"quote-{deal_id}")
        quote_id = str(quote["quote_id"])
        api.write("PATCH", f"/v1/deals/{deal_id}", {"fields": {"quote_id": quote_id}}, f"quote-field-{deal_id}")
    if api.get(f"/v1/quotes/{quote_id}")["status"] == "pending_approval":
        report.pending_quote_ids.append(str(quote_id))


def _tasks(api: DemoApi, report: SetupReport, people: list[dict[str, Any]], now: datetime) -> None:
    existing = {t["title"]: t for t in api.items("/v1/tasks", assignee=report.owner)}
    for n, task_plan in enumerate(plan.TASKS):
        task = existing.get(task_plan.title)
        if task is None:
            customer_id = str(people[n % len(people)]["customer_id"])
            body = plan.task_body(task_plan, report.owner, customer_id, now)
            task = api.write("POST", "/v1/tasks", body, f"task-{n}-{report.owner}")
        task_id = str(task["task_id"])
        if task_plan.done and task["status"] == "open":
            api.write("POST", f"/v1/tasks/{task_id}/complete", {}, f"complete-{task_id}")
        elif not task_plan.done and task["status"] == "open":
            report.open_task_ids.append(task_id)
    report.note(f"{len(plan.TASKS)} tasks of {report.owner}", len(existing) < len(plan.TASKS))
