"""Scoring's segment reports (issue 18) on real PostgreSQL and a real broker: a segment's size per day (carried
over days without an evaluation), its current members' purchases in a period, their scores and their NPS, every
figure checked against numbers worked out by hand; answers kept once per event (replays add nothing), moved by
merges, exported and erased; another workspace's path reads nothing; a bad period is a 422 problem. And the NPS
statement shared with profile (runtime/nps.py) gives both services the same figures over the same answers."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from contracts.topics import RESOLVED
from devstack.postgres import LocalPostgres
from runtime.db import migrate
from runtime.service_tokens import TokenIssuer
from services.profile import answer_store
from services.profile.wiring import MIGRATIONS as PROFILE_MIGRATIONS
from services.scoring import segment_report_store, segment_store
from services.scoring.wiring import MIGRATIONS as SCORING_MIGRATIONS
from tests.helpers import merged_event, publish, wait_for
from tests.integration.conftest import SCORING_NOW, RunningService, fresh_database, migrated_before, new_workspace
from tests.integration.test_scoring_service import publish_lifecycle, purchase, resolved, scores_of

TODAY = SCORING_NOW.date()  # 2026-06-01
SINCE = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
UNTIL = dt.datetime(2026, 6, 2, tzinfo=dt.UTC)
PERIOD = {"from": SINCE.isoformat(), "to": UNTIL.isoformat()}
BUYERS = {"all": [{"field": "stats.orders", "op": "gte", "value": 1}]}


def survey(ws: str, customer_id: str, nps: int, days_ago: float, event_id: str | None = None) -> Any:
    return resolved("survey", ws, customer_id, {"nps": nps}, days_ago, event_id=event_id)


def ticket_nps(ws: str, customer_id: str, nps: int, days_ago: float) -> Any:
    data = {"ticket_id": f"t-{uuid.uuid4().hex[:6]}", "status": "resolved", "nps": nps}
    return resolved("ticket", ws, customer_id, data, days_ago)


async def create_segment(scoring: RunningService, ws: str, name: str = "Buyers") -> str:
    created = await scoring.client.post(
        f"/internal/v1/workspaces/{ws}/segments", json={"name": name, "condition": BUYERS}
    )
    assert created.status_code == 201, created.text
    segment_id: str = created.json()["segment_id"]
    return segment_id


async def report(scoring: RunningService, ws: str, segment_id: str, what: str = "report") -> dict[str, Any]:
    response = await scoring.client.get(f"/internal/v1/workspaces/{ws}/segments/{segment_id}/{what}", params=PERIOD)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def answers_of(scoring: RunningService, ws: str) -> list[tuple[str, int]]:
    conn = await asyncpg.connect(scoring.settings.database_url)
    try:
        rows = await conn.fetch(
            "SELECT customer_id, nps FROM nps_answers WHERE workspace = $1 ORDER BY answered_at", ws
        )
    finally:
        await conn.close()
    return [(r["customer_id"], r["nps"]) for r in rows]


def nps_counts(score: float | None, promoters: int, passives: int, detractors: int) -> dict[str, Any]:
    return {
        "score": score,
        "promoters": promoters,
        "passives": passives,
        "detractors": detractors,
        "responses": promoters + passives + detractors,
    }


async def test_the_segment_report_gives_every_figure_of_its_members(scoring: RunningService, topics: str) -> None:
    ws = new_workspace()
    segment_id = await create_segment(scoring, ws)  # empty: its size today is 0 (then 3, below)
    await publish(
        topics,
        RESOLVED,
        [
            # a: three orders on two days of the period (115.00); answers 10 in May, then 3 in June (latest).
            purchase(ws, "a", "40.00", 20),
            purchase(ws, "a", "60.00", 5),
            purchase(ws, "a", "15.00", 4.99),
            survey(ws, "a", 10, 25, event_id=f"{ws}-a-1"),
            survey(ws, "a", 3, 0.25, event_id=f"{ws}-a-2"),
            # b: one order before the period, one in it (30.00); a 0 before the period, then a ticket's 9.
            purchase(ws, "b", "200.00", 100),
            purchase(ws, "b", "30.00", 2),
            survey(ws, "b", 0, 40),
            ticket_nps(ws, "b", 9, 10),
            # c: one order, before the period; answers 7 in May.
            purchase(ws, "c", "25.00", 60),
            survey(ws, "c", 7, 3),
            # d: no order, not a member: its 0 is not the segment's.
            resolved("visit", ws, "d", {"channel": "web"}, 3),
            survey(ws, "d", 0, 3),
        ],
    )

    async def settled() -> dict[str, Any] | None:
        body = await report(scoring, ws, segment_id)
        return body if body["orders"] == 4 and body["nps"]["responses"] == 3 and body["members"] == 3 else None

    await wait_for(settled, what="every event applied")
    # Sizes recorded on earlier days (as evaluations on those days would have left them): carried day to day.
    conn = await asyncpg.connect(scoring.settings.database_url)
    try:
        await conn.executemany(
            "INSERT INTO segment_sizes (workspace, segment_id, day, members) VALUES ($1, $2, $3, $4)",
            [(ws, segment_id, dt.date(2026, 5, 10), 1), (ws, segment_id, dt.date(2026, 5, 20), 2)],
        )
    finally:
        await conn.close()
    body = await report(scoring, ws, segment_id)

    scores = [await scores_of(scoring, ws, c) for c in ("a", "b", "c")]
    clvs = [Decimal(s["ltv"]["predicted_12m"]) for s in scores if s is not None]
    bands = [s["churn"]["risk"] for s in scores if s is not None]
    avg_clv = (sum(clvs, Decimal(0)) / len(clvs)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sizes = [{"day": str(dt.date(2026, 5, 10) + dt.timedelta(days=n)), "members": 1} for n in range(10)]
    sizes += [{"day": str(dt.date(2026, 5, 20) + dt.timedelta(days=n)), "members": 2} for n in range(12)]
    sizes += [{"day": "2026-06-01", "members": 3}]  # today's evaluations; the period's last day, no later one
    assert body == {
        "from": "2026-05-01T00:00:00Z",
        "to": "2026-06-02T00:00:00Z",
        "segment_id": segment_id,
        "name": "Buyers",
        "members": 3,
        "sizes": sizes,
        "revenue": "145.00",
        "orders": 4,
        "average_order_value": "36.25",
        "avg_predicted_clv": str(avg_clv),
        "churn_mix": {band: bands.count(band) for band in ("low", "medium", "high")},
        "purchasers": 3,
        "repeat_purchasers": 2,
        "repurchase_rate": 2 / 3,
        "nps": nps_counts(0.0, 1, 1, 1),  # a 3, b 9, c 7
        "nps_by_month": [
            {"month": "2026-05", **nps_counts(66.67, 2, 1, 0)},  # a 10, b 9, c 7
            {"month": "2026-06", **nps_counts(-100.0, 0, 0, 1)},  # a 3
        ],
    }
    nps = await report(scoring, ws, segment_id, "nps")
    assert nps == {
        "from": "2026-05-01T00:00:00Z",
        "to": "2026-06-02T00:00:00Z",
        **nps_counts(0.0, 1, 1, 1),
        "by_month": body["nps_by_month"],
        "by_channel": None,
    }

    # Replayed answers add nothing: the same events again, then an order of a's behind them (same partition).
    replayed = [survey(ws, "a", 10, 25, event_id=f"{ws}-a-1"), survey(ws, "a", 3, 0.25, event_id=f"{ws}-a-2")]
    await publish(topics, RESOLVED, [*replayed, purchase(ws, "a", "5.00", 1)])

    async def replay_applied() -> dict[str, Any] | None:
        again = await report(scoring, ws, segment_id)
        return again if again["orders"] == 5 else None

    again = await wait_for(replay_applied, what="the replay and the order behind it")
    assert len(await answers_of(scoring, ws)) == 6  # a 2, b 2, c 1, d 1: the replayed ones once
    assert again["nps"] == body["nps"] and again["nps_by_month"] == body["nps_by_month"]


async def test_a_merge_moves_answers_and_an_erasure_removes_them(scoring: RunningService, topics: str) -> None:
    ws = new_workspace()
    segment_id = await create_segment(scoring, ws)
    await publish(
        topics,
        RESOLVED,
        [
            purchase(ws, "m-survivor", "10.00", 9),
            survey(ws, "m-survivor", 10, 2),
            purchase(ws, "m-merged", "20.00", 8),
            survey(ws, "m-merged", 0, 1),
        ],
    )

    async def both() -> dict[str, Any] | None:
        body = await report(scoring, ws, segment_id)
        return body if body["nps"]["responses"] == 2 and body["members"] == 2 else None

    before = await wait_for(both, what="both customers' answers")
    assert before["nps"] == nps_counts(0.0, 1, 0, 1) and before["sizes"][-1] == {"day": "2026-06-01", "members": 2}

    export = await scoring.client.get(f"/internal/v1/workspaces/{ws}/customers/m-merged/export/nps_answers")
    assert export.status_code == 200, export.text
    assert [row["nps"] for row in export.json()["items"]] == [0]

    merged = merged_event(ws, "m-survivor", "m-merged", SCORING_NOW)
    await publish_lifecycle(topics, ws, "m-survivor", merged)

    async def one() -> dict[str, Any] | None:
        body = await report(scoring, ws, segment_id)
        return body if body["members"] == 1 else None

    after = await wait_for(one, what="the merge")
    # One customer now, whose latest answer is the merged one's 0 (a day ago, after the survivor's 10).
    assert after["nps"] == nps_counts(-100.0, 0, 0, 1)
    assert after["revenue"] == "30.00" and after["orders"] == 2 and after["repeat_purchasers"] == 1
    assert after["sizes"][-1] == {"day": "2026-06-01", "members": 1}
    assert await answers_of(scoring, ws) == [("m-survivor", 10), ("m-survivor", 0)]

    erased = {**merged, "id": f"profile.erased:{ws}", "type": "profile.erased"}
    erased["data"] = {"customer_id": "m-survivor", "erased_ids": ["m-survivor", "m-merged"]}
    await publish_lifecycle(topics, ws, "m-survivor", erased)

    async def none() -> dict[str, Any] | None:
        body = await report(scoring, ws, segment_id)
        return body if body["members"] == 0 else None

    gone = await wait_for(none, what="the erasure")
    assert gone["nps"] == nps_counts(None, 0, 0, 0) and gone["sizes"][-1] == {"day": "2026-06-01", "members": 0}
    assert await answers_of(scoring, ws) == []

    # Deleting the segment deletes its sizes; its report is then a 404.
    assert (await scoring.client.delete(f"/internal/v1/workspaces/{ws}/segments/{segment_id}")).status_code == 204
    conn = await asyncpg.connect(scoring.settings.database_url)
    try:
        left = await conn.fetchval("SELECT count(*) FROM segment_sizes WHERE workspace = $1", ws)
    finally:
        await conn.close()
    assert left == 0
    missing = await scoring.client.get(f"/internal/v1/workspaces/{ws}/segments/{segment_id}/report", params=PERIOD)
    assert missing.status_code == 404


async def test_another_workspace_reads_nothing_and_a_bad_period_is_a_problem(
    scoring: RunningService, topics: str
) -> None:
    ws, other = new_workspace(), new_workspace()
    segment_id = await create_segment(scoring, ws)
    await publish(topics, RESOLVED, [purchase(ws, "h1", "10.00", 3), survey(ws, "h1", 10, 2)])
    await wait_for(lambda: _members(scoring, ws, segment_id, 1), what="h1 in the segment")

    for what in ("report", "nps"):
        # The same segment id under another workspace's path: no such segment there.
        stranger_path = await scoring.client.get(
            f"/internal/v1/workspaces/{other}/segments/{segment_id}/{what}", params=PERIOD
        )
        assert stranger_path.status_code == 404, stranger_path.text
        assert stranger_path.headers["content-type"].startswith("application/problem+json")
        assert "promoters" not in stranger_path.text
        # Another workspace's token on this workspace's path: refused.
        token = TokenIssuer.for_settings(scoring.settings, "tests").authorization(other, frozenset({"admin"}))
        transport = httpx.ASGITransport(app=scoring.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://scoring") as stranger:
            refused = await stranger.get(
                f"/internal/v1/workspaces/{ws}/segments/{segment_id}/{what}",
                params=PERIOD,
                headers={"Authorization": token},
            )
        assert refused.status_code == 403 and "promoters" not in refused.text

        for params in (
            {"from": "2026-06-02T00:00:00Z", "to": "2026-06-01T00:00:00Z"},  # backwards
            {"from": "2026-06-01T00:00:00", "to": "2026-06-02T00:00:00Z"},  # no time zone
            {"from": "0001-01-01T00:00:00Z", "to": "2026-06-02T00:00:00Z"},  # out of range
            {"to": "2026-06-02T00:00:00Z"},  # missing
        ):
            bad = await scoring.client.get(f"/internal/v1/workspaces/{ws}/segments/{segment_id}/{what}", params=params)
            assert bad.status_code == 422, (params, bad.text)
            assert bad.headers["content-type"].startswith("application/problem+json")
        too_long = await scoring.client.get(f"/internal/v1/workspaces/{ws}/segments/{'x' * 65}/{what}", params=PERIOD)
        assert too_long.status_code == 422


async def _members(scoring: RunningService, ws: str, segment_id: str, count: int) -> bool:
    body = await report(scoring, ws, segment_id)
    return bool(body["members"] == count)


async def test_profile_and_scoring_count_the_same_answers_alike(postgres: LocalPostgres) -> None:
    """The NPS statement is runtime/nps.py's in both services: the same answers in profile's survey_answers and in
    scoring's nps_answers (every customer a member of the segment) give the same figures, month by month."""
    profile_dsn, scoring_dsn = fresh_database(postgres, "profile_nps"), fresh_database(postgres, "scoring_nps")
    await migrate(profile_dsn, "profile", PROFILE_MIGRATIONS)
    await migrate(scoring_dsn, "scoring", SCORING_MIGRATIONS)
    base = dt.datetime(2026, 1, 31, 23, 0, tzinfo=dt.UTC)
    answers = []  # (event id, customer, time, nps): ties on time too, across a month's end
    for n in range(60):
        for k in range(n % 4):
            at = base + dt.timedelta(hours=(n * 7 + k * 13) % 90 * 11)
            answers.append((f"e{n}-{k}", f"c{n % 23}", at, (n * 3 + k * 5) % 11))
    answers.append(("e-tie-1", "c1", base, 2))
    answers.append(("e-tie-2", "c1", base, 9))
    since, until = base - dt.timedelta(days=1), base + dt.timedelta(days=40)
    narrow = (base, base + dt.timedelta(days=9))
    profile = await asyncpg.connect(profile_dsn)
    try:
        await profile.executemany(
            """INSERT INTO survey_answers (workspace, event_id, customer_id, answered_at, source, nps)
               VALUES ('ws-same', $1, $2, $3, 'survey', $4)""",
            answers,
        )
        in_profile = await answer_store.nps_figures(profile, "ws-same", since, until)
        narrow_profile = await answer_store.nps_figures(profile, "ws-same", *narrow)
    finally:
        await profile.close()
    scoring = await asyncpg.connect(scoring_dsn)
    try:
        await scoring.execute(
            "INSERT INTO segments (workspace, segment_id, name, condition) VALUES ('ws-same', 's', 'All', '{}')"
        )
        await scoring.executemany(
            "INSERT INTO segment_members (workspace, segment_id, customer_id) VALUES ('ws-same', 's', $1)",
            [(f"c{n}",) for n in range(23)],
        )
        await scoring.executemany(
            """INSERT INTO nps_answers (workspace, event_id, customer_id, answered_at, nps)
               VALUES ('ws-same', $1, $2, $3, $4)""",
            answers,
        )
        in_scoring = await segment_report_store.segment_nps(scoring, "ws-same", "s", since, until)
        narrow_scoring = await segment_report_store.segment_nps(scoring, "ws-same", "s", *narrow)
    finally:
        await scoring.close()
    assert in_profile.responses == 23 and len(in_profile.by_month) >= 2
    assert in_scoring == in_profile
    assert narrow_scoring == narrow_profile


async def test_size_changes_start_from_the_last_day_and_shift_later_days(postgres: LocalPostgres) -> None:
    """segment_store.record_size_changes: a day without a row starts from the latest earlier one; a change dated
    before a recorded day (a transaction begun before midnight) counts on that later day too; a deleted segment
    gets no row; and the sweep's recount puts a drifted count right."""
    dsn = fresh_database(postgres, "scoring_sizes")
    await migrate(dsn, "scoring", SCORING_MIGRATIONS)
    conn = await asyncpg.connect(dsn)
    try:
        for segment_id in ("s1", "s2"):
            await conn.execute(
                "INSERT INTO segments (workspace, segment_id, name, condition) VALUES ('w', $1, $1, '{}')", segment_id
            )
        await conn.executemany(
            "INSERT INTO segment_members (workspace, segment_id, customer_id) VALUES ('w', 's1', $1)",
            [(f"c{n}",) for n in range(3)],
        )
        day = dt.date(2026, 6, 1)
        await segment_store.record_size_changes(conn, "w", {"s1": 3, "s2": 0}, day - dt.timedelta(days=2))
        await segment_store.record_size_changes(conn, "w", {"s1": -1}, day)  # from 3, the latest earlier day's
        await segment_store.record_size_changes(conn, "w", {"s1": 2, "s2": 1}, day - dt.timedelta(days=1))
        await segment_store.record_size_changes(conn, "w", {"gone": 1}, day)
        rows = await conn.fetch("SELECT segment_id, day, members FROM segment_sizes ORDER BY segment_id, day")
        assert [tuple(r) for r in rows] == [
            ("s1", dt.date(2026, 5, 30), 3),
            ("s1", dt.date(2026, 5, 31), 5),
            ("s1", day, 4),  # 3 - 1, then + 2 from the day before's late change
            ("s2", dt.date(2026, 5, 30), 0),
            ("s2", dt.date(2026, 5, 31), 1),
        ]
        await segment_store.recount_sizes(conn, "w", day)
        recounted = await conn.fetch("SELECT segment_id, members FROM segment_sizes WHERE day = $1", day)
        assert sorted(tuple(r) for r in recounted) == [("s1", 3), ("s2", 0)]
    finally:
        await conn.close()


async def test_the_migration_keeps_the_latest_answers_and_todays_sizes(postgres: LocalPostgres, tmp_path: Path) -> None:
    """Before nps_answers, scoring kept each customer's latest NPS only: it becomes their one answer; and every
    existing segment starts with today's member count."""
    dsn = await migrated_before(postgres, "scoring", SCORING_MIGRATIONS, "0005", tmp_path)
    conn = await asyncpg.connect(dsn)
    try:
        at = dt.datetime(2026, 5, 3, tzinfo=dt.UTC)
        await conn.execute(
            """INSERT INTO customers (workspace, customer_id, first_seen_at, last_nps, last_nps_at)
               VALUES ('ws-old', 'c-answered', $1, 9, $1), ('ws-old', 'c-silent', $1, NULL, NULL)""",
            at,
        )
        await conn.execute(
            """INSERT INTO segments (workspace, segment_id, name, condition)
               VALUES ('ws-old', 's-full', 'Full', '{}'), ('ws-old', 's-empty', 'Empty', '{}')"""
        )
        await conn.execute(
            """INSERT INTO segment_members (workspace, segment_id, customer_id)
               VALUES ('ws-old', 's-full', 'c-answered'), ('ws-old', 's-full', 'c-silent')"""
        )
        await migrate(dsn, "scoring", SCORING_MIGRATIONS)
        answers = await conn.fetch("SELECT customer_id, answered_at, nps FROM nps_answers")
        sizes = await conn.fetch("SELECT segment_id, day, members FROM segment_sizes ORDER BY segment_id")
        today = await conn.fetchval("SELECT (now() AT TIME ZONE 'UTC')::date")
    finally:
        await conn.close()
    assert [tuple(r) for r in answers] == [("c-answered", at, 9)]
    assert [tuple(r) for r in sizes] == [("s-empty", today, 0), ("s-full", today, 2)]


async def test_concurrent_size_changes_are_all_counted(postgres: LocalPostgres) -> None:
    """Two transactions changing one segment's size: the second waits for the first, whether it adds to the same
    day's row or starts the next day's from it (a batch begun before midnight committing after one begun after)."""
    dsn = fresh_database(postgres, "scoring_size_race")
    await migrate(dsn, "scoring", SCORING_MIGRATIONS)
    first, second = await asyncpg.connect(dsn), await asyncpg.connect(dsn)
    day = dt.date(2026, 6, 1)
    try:
        await first.execute(
            "INSERT INTO segments (workspace, segment_id, name, condition) VALUES ('w', 's', 's', '{}')"
        )
        await segment_store.record_size_changes(first, "w", {"s": 10}, day - dt.timedelta(days=1))
        for later_day, expected in ((day - dt.timedelta(days=1), 15), (day, 20)):
            late = first.transaction()
            await late.start()
            await segment_store.record_size_changes(first, "w", {"s": 2}, day - dt.timedelta(days=1))
            other = second.transaction()
            await other.start()
            waiting = asyncio.create_task(segment_store.record_size_changes(second, "w", {"s": 3}, later_day))
            await asyncio.sleep(0.2)
            assert not waiting.done()  # held by the first transaction's lock
            await late.commit()
            await waiting
            await other.commit()
            latest = await first.fetchval("SELECT members FROM segment_sizes ORDER BY day DESC LIMIT 1")
            assert latest == expected
    finally:
        await first.close()
        await second.close()
