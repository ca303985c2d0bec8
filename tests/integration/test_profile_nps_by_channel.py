"""Profile's NPS per acquisition channel (`/nps?by=channel`), against a real PostgreSQL and broker: each customer's
latest answer of the period counted under their acquisition source now (utm source, first purchase's channel,
`direct` without a touch), in channel order; without `by`, no `by_channel`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from contracts.topics import INBOUND
from tests.helpers import event, publish, wait_for
from tests.integration.conftest import RunningService
from tests.integration.test_profile_ingest import new_workspace

T0 = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)


def at(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def survey(ws: str, external_id: str, when: dt.datetime, nps: int) -> dict[str, Any]:
    return event("survey", ws, {"external_id": external_id}, {"nps": nps}, time=when)


def visit(ws: str, external_id: str, when: dt.datetime, source: str) -> dict[str, Any]:
    return event("visit", ws, {"external_id": external_id}, {"channel": "web", "utm_source": source}, time=when)


def counts(score: float | None, promoters: int, passives: int, detractors: int) -> dict[str, Any]:
    responses = promoters + passives + detractors
    return {
        "score": score,
        "promoters": promoters,
        "passives": passives,
        "detractors": detractors,
        "responses": responses,
    }


async def test_nps_by_channel_counts_each_customers_latest_answer_under_their_source(
    profile: RunningService, bootstrap: str
) -> None:
    ws, other = new_workspace(), new_workspace()
    docs = [
        visit(ws, "n1", at(0), "newsletter"),
        survey(ws, "n1", at(1), 3),
        survey(ws, "n1", at(2), 10),  # n1's latest: a promoter
        visit(ws, "n2", at(0), "newsletter"),
        survey(ws, "n2", at(3), 9),
        visit(ws, "n3", at(0), "newsletter"),
        survey(ws, "n3", at(4), 6),
        event(
            "purchase",
            ws,
            {"external_id": "s1"},
            {"order_id": "o-s1", "amount": "20.00", "channel": "store"},
            time=at(0),
        ),
        survey(ws, "s1", at(5), 0),
        survey(ws, "d1", at(6), 8),  # no touch: direct
        survey(ws, "d2", at(-3), 0),  # before the period: not counted
        survey(other, "n1", at(2), 0),  # another workspace's answer counts there only
    ]
    await publish(bootstrap, INBOUND, docs)
    params = {"from": T0.isoformat(), "to": at(30).isoformat(), "by": "channel"}
    # newsletter: 2 promoters, 1 detractor of 3 -> 33.33; store: -100; direct: 1 passive -> 0.
    expected = [
        {"key": "direct", **counts(0.0, 0, 1, 0)},
        {"key": "newsletter", **counts(33.33, 2, 0, 1)},
        {"key": "store", **counts(-100.0, 0, 0, 1)},
    ]

    async def by_channel() -> dict[str, Any] | None:
        response = await profile.client.get(f"/internal/v1/workspaces/{ws}/nps", params=params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body if body["by_channel"] == expected else None

    figures = await wait_for(by_channel, what="every answer and touch applied")
    assert {k: figures[k] for k in ("score", "promoters", "passives", "detractors", "responses")} == counts(
        0.0, 2, 1, 2
    )
    assert [m["month"] for m in figures["by_month"]] == ["2026-04"]

    plain = await profile.client.get(
        f"/internal/v1/workspaces/{ws}/nps", params={"from": params["from"], "to": params["to"]}
    )
    assert plain.status_code == 200 and plain.json()["by_channel"] is None
    unknown = await profile.client.get(f"/internal/v1/workspaces/{ws}/nps", params={**params, "by": "segment"})
    assert unknown.status_code == 422 and unknown.headers["content-type"].startswith("application/problem+json")

    async def other_counted() -> dict[str, Any] | None:
        response = await profile.client.get(f"/internal/v1/workspaces/{other}/nps", params=params)
        body: dict[str, Any] = response.json()
        return body if body["responses"] == 1 else None

    # The other workspace's customer n1 is its own: no touch there, so direct.
    assert (await wait_for(other_counted, what="the other workspace's answer"))["by_channel"] == [
        {"key": "direct", **counts(-100.0, 0, 0, 1)}
    ]
