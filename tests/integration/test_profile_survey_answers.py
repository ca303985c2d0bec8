"""Survey answers in profile (`survey` events and tickets' scores), against a real PostgreSQL and a real broker:
every answer kept once, the latest NPS by event time, merges, erasure and export, and the NPS figures checked
against a plain-Python computation over generated answers."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson

from contracts.topics import INBOUND
from devstack.postgres import LocalPostgres
from runtime.db import migrate
from runtime.service_tokens import TokenIssuer
from services.profile import answer_store
from services.profile.wiring import MIGRATIONS
from tests.helpers import event, publish, wait_for
from tests.integration.conftest import RunningService, migrated_before

T0 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def new_workspace() -> str:
    return f"ws-{uuid.uuid4().hex[:10]}"


def survey(ws: str, customer: dict[str, str], at: dt.datetime, **data: Any) -> dict[str, Any]:
    return event("survey", ws, customer, data, time=at)


async def find_when(profile: RunningService, ws: str, check: Any, **identifier: str) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        response = await profile.client.get(f"/internal/v1/workspaces/{ws}/customers", params=identifier)
        view: dict[str, Any] | None = response.json() if response.status_code == 200 else None
        return view if view is not None and check(view) else None

    return await wait_for(probe, what=f"customer {identifier} in {ws}")


async def answers_of(profile: RunningService, ws: str) -> list[dict[str, Any]]:
    conn = await asyncpg.connect(profile.settings.database_url)
    try:
        rows = await conn.fetch(
            """SELECT event_id, customer_id, answered_at, source, nps, csat, survey_id, channel, comment
                 FROM survey_answers WHERE workspace = $1 ORDER BY answered_at, event_id""",
            ws,
        )
    finally:
        await conn.close()
    return [dict(r) for r in rows]


async def answers_when(profile: RunningService, ws: str, count: int) -> list[dict[str, Any]]:
    async def probe() -> list[dict[str, Any]] | None:
        rows = await answers_of(profile, ws)
        return rows if len(rows) >= count else None

    return await wait_for(probe, what=f"{count} answers in {ws}")


async def nps(profile: RunningService, ws: str, since: dt.datetime, until: dt.datetime) -> dict[str, Any]:
    response = await profile.client.get(
        f"/internal/v1/workspaces/{ws}/nps", params={"from": since.isoformat(), "to": until.isoformat()}
    )
    assert response.status_code == 200, response.text
    figures: dict[str, Any] = response.json()
    return figures


def story(ws: str) -> list[dict[str, Any]]:
    c = {"external_id": "sv"}
    return [
        survey(ws, c, T0, nps=3, csat=2, survey_id="s-1", comment="slow", channel="email"),
        survey(ws, c, T0 + dt.timedelta(days=2), nps=6),
        event(
            "ticket",
            ws,
            c,
            {"ticket_id": "t1", "status": "resolved", "nps": 9, "csat": 4},
            time=T0 + dt.timedelta(days=3),
        ),
        event("ticket", ws, c, {"ticket_id": "t2", "status": "opened"}, time=T0 + dt.timedelta(days=4)),
        survey(ws, c, T0 + dt.timedelta(days=1), csat=5),
    ]


async def test_every_answer_is_kept_and_the_latest_nps_wins_whatever_the_order(
    profile: RunningService, bootstrap: str
) -> None:
    in_order, reverse = new_workspace(), new_workspace()
    await publish(bootstrap, INBOUND, story(in_order))
    await publish(bootstrap, INBOUND, list(reversed(story(reverse))))
    views = []
    for ws in (in_order, reverse):
        await answers_when(profile, ws, 4)
        views.append(await find_when(profile, ws, lambda v: v["stats"]["open_tickets"] == 1, external_id="sv"))
    a, b = (v["stats"] for v in views)
    assert a == b
    assert a["last_nps"] == 9  # the ticket's, the latest by event time
    assert a["average_csat"] == round((2 + 4 + 5) / 3, 2)

    rows = await answers_of(profile, in_order)
    assert [(r["source"], r["nps"], r["csat"]) for r in rows] == [
        ("survey", 3, 2),
        ("survey", None, 5),
        ("survey", 6, None),
        ("ticket", 9, 4),
    ]  # the ticket without scores is no answer
    assert rows[0]["survey_id"] == "s-1" and rows[0]["comment"] == "slow" and rows[0]["channel"] == "email"
    assert {r["customer_id"] for r in rows} == {views[0]["customer_id"]}

    timeline = await profile.client.get(
        f"/internal/v1/workspaces/{in_order}/customers/{views[0]['customer_id']}/timeline"
    )
    assert [i["type"] for i in timeline.json()["items"]].count("survey") == 3


async def test_a_replayed_answer_adds_nothing(profile: RunningService, bootstrap: str) -> None:
    ws = new_workspace()
    c = {"email": "replay@example.com"}
    answer = survey(ws, c, T0, nps=10, csat=1)
    await publish(bootstrap, INBOUND, [answer, answer])
    await find_when(profile, ws, lambda v: v["stats"]["last_nps"] == 10, email="replay@example.com")
    await publish(bootstrap, INBOUND, [answer, event("visit", ws, c, {"channel": "web"})])
    view = await find_when(profile, ws, lambda v: v["stats"]["visits"] == 1, email="replay@example.com")
    assert view["stats"]["average_csat"] == 1.0  # counted once
    rows = await answers_of(profile, ws)
    assert len(rows) == 1
    figures = await nps(profile, ws, T0, T0 + dt.timedelta(days=1))
    assert (figures["responses"], figures["promoters"], figures["score"]) == (1, 1, 100.0)

    # The table itself keeps an event's answer once, whoever writes it again (the consumer's de-duplication
    # records are pruned after a while): nothing is new the second time, so the stats add nothing either.
    row = answer_store.AnswerRow(answer["id"], view["customer_id"], T0, "survey", 10, 1, None, None, None)
    conn = await asyncpg.connect(profile.settings.database_url)
    try:
        assert await answer_store.insert_answers(conn, ws, [row, row]) == set()
        fresh = answer_store.AnswerRow("evt-new", view["customer_id"], T0, "ticket", 9, None)
        assert await answer_store.insert_answers(conn, ws, [fresh, fresh]) == {"evt-new"}
    finally:
        await conn.close()
    assert len(await answers_of(profile, ws)) == 2


async def test_a_merge_moves_the_answers_to_the_survivor(profile: RunningService, bootstrap: str) -> None:
    ws = new_workspace()
    await publish(bootstrap, INBOUND, [survey(ws, {"email": "m@example.com"}, T0, nps=2)])
    first = await find_when(profile, ws, lambda v: v["stats"]["last_nps"] == 2, email="m@example.com")
    await publish(bootstrap, INBOUND, [survey(ws, {"external_id": "m-1"}, T0 + dt.timedelta(days=1), nps=10)])
    second = await find_when(profile, ws, lambda v: v["stats"]["last_nps"] == 10, external_id="m-1")
    assert first["customer_id"] != second["customer_id"]
    before = await nps(profile, ws, T0, T0 + dt.timedelta(days=5))
    assert (before["responses"], before["promoters"], before["detractors"]) == (2, 1, 1)

    link = {"email": "m@example.com", "external_id": "m-1"}
    await publish(bootstrap, INBOUND, [event("visit", ws, link, {"channel": "web"}, time=T0 + dt.timedelta(days=2))])
    merged = await find_when(profile, ws, lambda v: bool(v["merged_ids"]), email="m@example.com")
    assert merged["customer_id"] == first["customer_id"]
    assert merged["stats"]["last_nps"] == 10
    assert {r["customer_id"] for r in await answers_of(profile, ws)} == {first["customer_id"]}
    after = await nps(profile, ws, T0, T0 + dt.timedelta(days=5))  # one customer now: their latest answer
    assert (after["responses"], after["promoters"], after["detractors"], after["score"]) == (1, 1, 0, 100.0)


async def test_answers_are_exported_and_erased(profile: RunningService, bootstrap: str) -> None:
    ws = new_workspace()
    email = f"e-{uuid.uuid4().hex[:6]}@example.com"
    await publish(bootstrap, INBOUND, [survey(ws, {"email": email}, T0, nps=8, comment="my own words", survey_id="q")])
    view = await find_when(profile, ws, lambda v: v["stats"]["last_nps"] == 8, email=email)
    path = f"/internal/v1/workspaces/{ws}/customers/{view['customer_id']}"
    document = (await profile.client.get(f"{path}/export")).json()
    assert [(a["nps"], a["comment"], a["source"]) for a in document["survey_answers"]] == [
        (8, "my own words", "survey")
    ]
    section = (await profile.client.get(f"{path}/export/survey_answers")).json()
    assert [a["survey_id"] for a in section["items"]] == ["q"]

    assert (await profile.client.delete(path)).status_code == 202
    assert await answers_of(profile, ws) == []
    assert (await nps(profile, ws, T0, T0 + dt.timedelta(days=1)))["responses"] == 0


def _expected(answers: list[tuple[str, dt.datetime, int]], since: dt.datetime, until: dt.datetime) -> dict[str, Any]:
    """The NPS over each customer's latest answer in [since, until), in plain Python."""
    latest: dict[str, tuple[dt.datetime, int]] = {}
    for customer, at, score in answers:
        if since <= at < until and (customer not in latest or (at, score) > latest[customer]):
            latest[customer] = (at, score)
    scores = [s for _, s in latest.values()]
    promoters, detractors = sum(s >= 9 for s in scores), sum(s <= 6 for s in scores)
    nps_score: float | None = None
    if scores:
        exact = Decimal(100 * (promoters - detractors)) / Decimal(len(scores))
        nps_score = float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return {
        "score": nps_score,
        "promoters": promoters,
        "passives": len(scores) - promoters - detractors,
        "detractors": detractors,
        "responses": len(scores),
    }


async def test_nps_figures_match_a_plain_computation_and_never_count_another_workspace(
    profile: RunningService, bootstrap: str
) -> None:
    ws, other = new_workspace(), new_workspace()
    rng = random.Random(18)
    answers: list[tuple[str, dt.datetime, int]] = []  # (customer, time, nps)
    docs = []
    for n in range(80):
        customer = f"c{n}"
        for k in range(rng.choice([1, 1, 2, 3])):
            at = T0 + dt.timedelta(days=rng.uniform(-20, 110), seconds=k)
            score = rng.randint(0, 10)
            answers.append((customer, at, score))
            if rng.random() < 0.3:  # a ticket's NPS is an answer too
                data = {"ticket_id": f"t-{n}-{k}", "status": "resolved", "nps": score}
                docs.append(event("ticket", ws, {"external_id": customer}, data, time=at))
            else:
                docs.append(survey(ws, {"external_id": customer}, at, nps=score, csat=rng.randint(1, 5)))
    docs.append(survey(ws, {"external_id": "csat-only"}, T0, csat=3))  # no NPS: not a response
    hostile = [survey(other, {"external_id": f"c{n}"}, T0 + dt.timedelta(days=n), nps=0) for n in range(30)]
    rng.shuffle(docs)
    await publish(bootstrap, INBOUND, docs + hostile)
    await answers_when(profile, ws, len(answers) + 1)
    await answers_when(profile, other, len(hostile))

    since, until = T0, T0 + dt.timedelta(days=90)
    figures = await nps(profile, ws, since, until)
    assert {k: figures[k] for k in ("score", "promoters", "passives", "detractors", "responses")} == _expected(
        answers, since, until
    )
    assert figures["from"].startswith("2026-03-01") and figures["responses"] > 20
    months = []
    for start, end in (
        (T0, T0.replace(month=4)),
        (T0.replace(month=4), T0.replace(month=5)),
        (T0.replace(month=5), until),
    ):
        expected = _expected(answers, start, end)
        if expected["responses"]:
            months.append({"month": start.strftime("%Y-%m"), **expected})
    assert figures["by_month"] == months

    # The other workspace's 30 detractors are its own; an unknown workspace has no responses.
    assert (await nps(profile, other, since, until))["detractors"] == 30
    # A token of the other workspace does not read this one's figures.
    other_token = TokenIssuer.for_settings(profile.settings, "tests").authorization(other, frozenset({"admin"}))
    transport = httpx.ASGITransport(app=profile.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://profile") as stranger:
        refused = await stranger.get(
            f"/internal/v1/workspaces/{ws}/nps",
            params={"from": since.isoformat(), "to": until.isoformat()},
            headers={"Authorization": other_token},
        )
    assert refused.status_code == 403 and "promoters" not in refused.text
    empty = await nps(profile, new_workspace(), since, until)
    assert (empty["responses"], empty["score"], empty["by_month"]) == (0, None, [])


async def test_the_period_must_be_a_period(profile: RunningService) -> None:
    ws = new_workspace()
    backwards = await profile.client.get(
        f"/internal/v1/workspaces/{ws}/nps", params={"from": "2026-03-02T00:00:00Z", "to": "2026-03-01T00:00:00Z"}
    )
    assert backwards.status_code == 422 and backwards.headers["content-type"].startswith("application/problem+json")
    naive = await profile.client.get(
        f"/internal/v1/workspaces/{ws}/nps", params={"from": "2026-03-01T00:00:00", "to": "2026-03-02T00:00:00Z"}
    )
    assert naive.status_code == 422
    far = await profile.client.get(
        f"/internal/v1/workspaces/{ws}/nps", params={"from": "0001-01-01T00:00:00Z", "to": "2026-03-02T00:00:00Z"}
    )
    assert far.status_code == 422


async def test_the_migration_keeps_the_answers_tickets_gave_before_it(postgres: LocalPostgres, tmp_path: Path) -> None:
    """Tickets' scores stored before the answers table existed (on the timeline, as received) become answers."""
    dsn = await migrated_before(postgres, "profile", MIGRATIONS, "0008", tmp_path)
    conn = await asyncpg.connect(dsn)
    try:
        at = T0.isoformat()
        for event_id, data in (
            ("t-scored", {"ticket_id": "t1", "status": "resolved", "nps": 9.0, "csat": 4}),
            ("t-plain", {"ticket_id": "t2", "status": "opened"}),
        ):
            doc = {"id": event_id, "type": "ticket", "time": at, "data": {"customer": {"external_id": "x"}, **data}}
            await conn.execute(
                """INSERT INTO timeline (workspace, event_id, customer_id, type, occurred_at, source, event)
                   VALUES ('ws-old', $1, 'c_old', 'ticket', $2, 'tests', $3)""",
                event_id,
                T0,
                orjson.dumps(doc).decode(),
            )
        await migrate(dsn, "profile", MIGRATIONS)
        rows = await conn.fetch("SELECT event_id, customer_id, answered_at, source, nps, csat FROM survey_answers")
    finally:
        await conn.close()
    assert [tuple(r) for r in rows] == [("t-scored", "c_old", T0, "ticket", 9, 4)]


async def test_the_migration_gives_each_customer_its_second_order_time(postgres: LocalPostgres, tmp_path: Path) -> None:
    """Orders stored before second_purchase_at existed give it: the second smallest order time, none for one."""
    dsn = await migrated_before(postgres, "profile", MIGRATIONS, "0011", tmp_path)
    conn = await asyncpg.connect(dsn)
    try:
        for customer_id in ("c_two", "c_one"):
            await conn.execute(
                "INSERT INTO customers (workspace, customer_id, first_seen_at) VALUES ('ws-old', $1, $2)",
                customer_id,
                T0,
            )
        for order_id, customer_id, days in (("o1", "c_two", 9), ("o2", "c_two", 2), ("o3", "c_two", 5),
                                            ("o4", "c_one", 1)):  # fmt: skip
            await conn.execute(
                """INSERT INTO orders (workspace, order_id, customer_id, event_id, amount, occurred_at)
                   VALUES ('ws-old', $1, $2, $1, 1, $3)""",
                order_id,
                customer_id,
                T0 + dt.timedelta(days=days),
            )
        await migrate(dsn, "profile", MIGRATIONS)
        rows = await conn.fetch("SELECT customer_id, second_purchase_at FROM customers ORDER BY customer_id")
    finally:
        await conn.close()
    assert [(r["customer_id"], r["second_purchase_at"]) for r in rows] == [
        ("c_one", None),
        ("c_two", T0 + dt.timedelta(days=5)),
    ]
