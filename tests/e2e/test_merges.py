"""Acceptance 1 of issue 20 on the running stack (Apache Kafka, every service a process): a wrong merge made by an
event is undone through the gateway, and every service's view of both customers is what it was before the merge,
compared field by field (the 360 view, the per-service reads beside it, and the workspace's journey, referral and
segment numbers), but for the fields named in VOLATILE and what the bridging event itself changed on its side.

(The shared-device guard's acceptance, an `anonymous_id` seen with 6 emails, is tests/e2e/test_identity_guard.py.)"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from services.gateway.store import ensure_workspace_with_key
from tests.e2e.conftest import RunningStack
from tests.helpers import event, wait_for
from tests.samples.loyalty import POINT_PER_EURO

pytestmark = pytest.mark.kafka

REFERRAL_PROGRAM = {
    "name": "Friends of the shop",
    "referrer_reward": {"kind": "amount", "value": "10.00", "trigger": "first_purchase", "min_purchase": "20.00"},
    "friend_reward": {"kind": "percent", "value": "15", "trigger": "signup"},
}

# Each customer's view, by every service: the 360 view (profile's identity, traits, stats and acquisition; scoring's
# scores and segments; journey's enrolments; referral's codes, referrals and rewards; sales' deals and tasks;
# loyalty's points) and the per-service reads the gateway offers beside it.
PARTS = ("", "/scores", "/points", "/journeys", "/referral-ledger", "/owner", "/lead-score", "/consent", "/timeline")

# Fields that change without the merge or its undo having anything to do with what they describe, left out of the
# comparison (the only ones that differ when nothing is left out):
# - `updated_at` (360 view): when profile last wrote the customer's row; the undo writes both rows again (their
#   refolded traits and stats), so it is the undo's time, whatever the row holds;
# - `scores.as_of` (360 view) and `as_of` (/scores): when scoring last computed the scores; the undo re-scores both.
VOLATILE = {"updated_at", "scores.as_of", "as_of"}
# - the referral program's stats are over a window ending when asked (`from`, `to`: the last 30 days).
TOTALS_VOLATILE = {"referral.from", "referral.to"}


def differences(before: Any, after: Any, path: str = "") -> Iterator[str]:
    """The paths where two JSON documents differ (a missing key, another type or value), walking both."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(before.keys() | after.keys()):
            where = f"{path}.{key}" if path else str(key)
            if key not in before or key not in after:
                yield f"{where}: {before.get(key, '<missing>')!r} != {after.get(key, '<missing>')!r}"
            else:
                yield from differences(before[key], after[key], where)
    elif isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            yield f"{path}: {len(before)} items != {len(after)} items ({before!r} != {after!r})"
        for n, (b, a) in enumerate(zip(before, after, strict=False)):
            yield from differences(b, a, f"{path}[{n}]")
    elif type(before) is not type(after) or before != after:
        yield f"{path}: {before!r} != {after!r}"


def without(document: Any, paths: set[str], path: str = "") -> Any:
    """The document without the fields at `paths` (dotted, list indexes left out: `scores.as_of`)."""
    if isinstance(document, dict):
        kept = {}
        for key, value in document.items():
            where = f"{path}.{key}" if path else key
            if where not in paths:
                kept[key] = without(value, paths, where)
        return kept
    if isinstance(document, list):
        return [without(item, paths, path) for item in document]
    return document


class Workspace:
    def __init__(self, gateway: httpx.AsyncClient, name: str) -> None:
        self.gateway = gateway
        self.name = name

    async def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self.gateway.request(method, path, **kwargs)
        assert response.status_code in (200, 201, 202), f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    async def post_events(self, *docs: dict[str, Any]) -> None:
        await self.ok("POST", "/v1/events", json=list(docs))

    async def found(self, identifier: dict[str, str]) -> dict[str, Any] | None:
        response = await self.gateway.get("/v1/customers", params=identifier)
        return response.json() if response.status_code == 200 else None

    async def view(self, customer_id: str) -> dict[str, Any]:
        """Every service's view of the customer (PARTS), by part; the timeline as its events' ids and types."""
        found: dict[str, Any] = {}
        for part in PARTS:
            params = {"limit": 500} if part == "/timeline" else None
            response = await self.gateway.get(f"/v1/customers/{customer_id}{part}", params=params)
            found[part or "360"] = response.json() if response.status_code == 200 else response.status_code
        timeline = found["/timeline"]
        if isinstance(timeline, dict):  # every entry, whole, in a stable order
            found["/timeline"] = sorted(timeline["items"], key=lambda e: str(e["event_id"]))
        return found

    async def merges(self, customer_id: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = (await self.ok("GET", f"/v1/customers/{customer_id}/merges"))["items"]
        return items


def settled(view: dict[str, Any], orders: int) -> bool:
    """Every service has taken in the customer's `orders` purchases (and the journey its enrolment)."""
    whole = view["360"]
    if not isinstance(whole, dict) or whole["degraded"]:
        return False
    scores, loyalty = whole.get("scores") or {}, whole.get("loyalty") or {}
    return bool(
        whole["stats"]["orders"] == orders
        and scores.get("rfm", {}).get("f", 0) >= 1
        and len(loyalty.get("lots", [])) == orders
        and whole["journeys"]
        and whole["segments"]
        and whole["deals"]
        and view["/consent"]["current"]
    )


async def test_a_wrong_merge_undone_through_the_gateway_gives_every_service_both_customers_back(
    stack: RunningStack,
) -> None:
    run = uuid.uuid4().hex[:8]
    name = f"merges-{run}"
    key = await ensure_workspace_with_key(stack.dsn("gateway"), name, stack.home / f"{name}-key")
    ada = {"email": f"ada-{run}@example.com"}
    bo = {"external_id": f"bo-{run}"}
    cy = {"email": f"cy-{run}@example.com"}  # Ada's friend: Ada's referral
    async with httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers(key), timeout=30) as gateway:
        ws = Workspace(gateway, name)
        # Every service holds something on both: a loyalty program, a segment, a journey, a referral program.
        await ws.ok("PUT", "/v1/loyalty-program", json=POINT_PER_EURO)
        condition = {"all": [{"field": "stats.orders", "op": "gte", "value": 1}]}
        segment = {"name": "Buyers", "condition": condition}
        segment_id = (await ws.ok("POST", "/v1/segments", json=segment))["segment_id"]
        journey = {
            "name": "After a purchase",
            "trigger": {"type": "event", "event": "purchase"},
            "entry_step": "wait",
            "steps": {"wait": {"type": "wait", "duration": "60d", "next": "done"}, "done": {"type": "exit"}},
        }
        journey_id = (await ws.ok("POST", "/v1/journeys", json=journey))["journey_id"]
        await ws.ok("POST", f"/v1/journeys/{journey_id}/activate")
        program_id = (await ws.ok("POST", "/v1/referral-programs", json=REFERRAL_PROGRAM))["program_id"]
        newsletter = {"name": "Newsletter", "channel": "email", "default": "opt_in"}
        await ws.ok("PUT", "/v1/subscription-groups/newsletter", json=newsletter)

        # Ada first (she is the survivor of the merge to come), then Bo.
        await ws.post_events(
            event("identify", name, ada, {"traits": {"name": "Ada", "city": "Berlin"}}),
            event("purchase", name, ada, {"order_id": f"a1-{run}", "amount": "40.00"}),
        )
        ada_id = (await wait_for(lambda: ws.found(ada), within=60, what="Ada"))["customer_id"]
        await ws.post_events(
            event("identify", name, bo, {"traits": {"name": "Bo", "plan": "family"}}),
            event("purchase", name, bo, {"order_id": f"b1-{run}", "amount": "25.00"}),
            event("purchase", name, bo, {"order_id": f"b2-{run}", "amount": "12.50"}),
        )
        bo_id = (await wait_for(lambda: ws.found(bo), within=60, what="Bo"))["customer_id"]
        assert ada_id != bo_id

        # Referral: Ada refers Cy (signed up and bought with her code); Bo holds a code of his own.
        code = (await ws.ok("POST", f"/v1/referral-programs/{program_id}/codes", json={"customer_id": ada_id}))["code"]
        await ws.ok("POST", f"/v1/referral-programs/{program_id}/codes", json={"customer_id": bo_id})
        await ws.post_events(
            event("referral", name, cy, {"action": "signed_up", "code": code}),
            event("purchase", name, cy, {"order_id": f"c1-{run}", "amount": "50.00", "referral_code": code}),
        )
        # Consent: Ada subscribes to the newsletter, Bo unsubscribes from it (later: merged, he would win).
        subscribed = {"group": "newsletter", "status": "subscribed", "source": "preference_center"}
        await ws.post_events(event("consent", name, ada, subscribed))
        await ws.post_events(event("consent", name, bo, {**subscribed, "status": "unsubscribed"}))
        # Sales: an owner and a deal each.
        for customer_id, owner, amount in ((ada_id, "ana", "300.00"), (bo_id, "ben", "120.00")):
            await ws.ok("PUT", f"/v1/customers/{customer_id}/owner", json={"owner": owner})
            deal = {"customer_id": customer_id, "title": f"Upgrade {owner}", "amount": amount, "currency": "EUR"}
            await ws.ok("POST", "/v1/deals", json=deal)

        async def both_settled() -> dict[str, dict[str, Any]] | None:
            views = {ada_id: await ws.view(ada_id), bo_id: await ws.view(bo_id)}
            granted = any(r["status"] == "granted" for r in views[ada_id]["360"]["referral_rewards"])
            ready = settled(views[ada_id], 1) and settled(views[bo_id], 2) and granted
            return views if ready else None

        before = await wait_for(both_settled, within=90, interval=0.5, what="both customers in every service")
        assert await ws.merges(ada_id) == [] and await ws.merges(bo_id) == []
        for view in before.values():  # every part answered (a status code alone would compare equal too easily)
            assert not [part for part, doc in view.items() if isinstance(doc, int)], view
        # The workspace's own numbers, which count both customers: the journey's, the referral program's, the
        # segment's members.
        overall = {
            "journey": f"/v1/journeys/{journey_id}/stats",
            "referral": f"/v1/referral-programs/{program_id}/stats",
            "segment": f"/v1/segments/{segment_id}/members",
        }

        async def totals() -> dict[str, Any]:
            found: dict[str, Any] = without(
                {part: await ws.ok("GET", path) for part, path in overall.items()}, TOTALS_VOLATILE
            )
            return found

        totals_before = await totals()

        # The wrong merge: one event carrying both customers' identifiers.
        bridge = event("identify", name, {**ada, **bo}, {"traits": {}})
        await ws.post_events(bridge)

        folding: dict[str, Any] = {}

        async def merged() -> dict[str, Any] | None:
            view = await ws.view(bo_id)  # the merged id answers with the survivor, once every service folded it
            whole = view["360"]
            if not isinstance(whole, dict) or whole["customer_id"] != ada_id or whole["degraded"]:
                folding["view"] = whole
                return None
            scores, loyalty = whole.get("scores") or {}, whole.get("loyalty") or {}
            folding.update(
                profile=whole["stats"]["orders"] == 3,
                scoring=scores.get("ltv", {}).get("historical") == "77.50",
                loyalty=loyalty.get("balance") == 40 + 25 + 12,
                sales=len(whole["deals"]) == 2,
                referral=len(whole["referral_codes"]) == 2,
                journey=[c["status"] for c in view["/consent"]["current"]] == ["unsubscribed"],
                view=view,
            )
            return view if all(v for k, v in folding.items() if k != "view") else None

        try:
            await wait_for(merged, within=90, interval=0.5, what="every service to fold the merge")
        except AssertionError:
            raise AssertionError(f"the merge not folded everywhere: {folding}") from None
        (merge,) = await ws.merges(bo_id)
        assert (merge["survivor_id"], merge["merged_id"], merge["undone"]) == (ada_id, bo_id, False)
        assert merge["cause"]["event_id"] == bridge["id"]

        # Another workspace can neither see nor undo the merge.
        other_key = await ensure_workspace_with_key(stack.dsn("gateway"), f"other-{run}", stack.home / f"other-{run}")
        stranger = {"Authorization": f"Bearer {other_key}"}
        refused = await gateway.post(f"/v1/merges/{merge['merge_id']}/undo", headers=stranger)
        assert refused.status_code == 404 and refused.headers["content-type"].startswith("application/problem+json")
        assert (await gateway.get(f"/v1/customers/{ada_id}/merges", headers=stranger)).status_code == 404

        # Undone through the gateway.
        undone = await ws.ok("POST", f"/v1/merges/{merge['merge_id']}/undo", json={"reason": "a wrong merge"})
        assert (undone["survivor_id"], undone["merged_id"], undone["undone"]) == (ada_id, bo_id, True)

        last: dict[str, list[str]] = {}

        async def restored() -> bool:
            for customer_id in (ada_id, bo_id):
                now = await ws.view(customer_id)
                was = comparable(before[customer_id], bridge)
                if customer_id == bo_id:  # the bridging event's side (its strongest identifier, Bo's external_id)
                    was["360"]["last_event_at"] = "<the bridging event's>"
                last[customer_id] = list(differences(was, comparable(now, bridge)))
            last["workspace"] = list(differences(totals_before, await totals()))
            return not any(last.values())

        try:
            await wait_for(restored, within=90, interval=0.5, what="both customers as before the merge")
        except AssertionError:
            raise AssertionError(f"not as before the merge: {last}") from None

        # What the bridging event itself changed, on the side it went to (the strongest identifier: Bo's id).
        bo_after = await ws.view(bo_id)
        assert bridge["id"] in timeline_ids(bo_after)
        assert bridge["id"] not in timeline_ids(await ws.view(ada_id))
        assert dt.datetime.fromisoformat(bo_after["360"]["last_event_at"]) == dt.datetime.fromisoformat(bridge["time"])
        assert bo_after["360"]["identifiers"]["email"] == []  # Ada's email stays hers

        # The merged id resolves to itself again; both lists show the undo.
        assert (await ws.found(bo))["customer_id"] == bo_id  # type: ignore[index]
        for customer_id in (ada_id, bo_id):
            (listed,) = await ws.merges(customer_id)
            assert (listed["merge_id"], listed["undone"]) == (merge["merge_id"], True)
            assert listed["undo_reason"] == "a wrong merge"


def comparable(view: dict[str, Any], bridge: dict[str, Any]) -> dict[str, Any]:
    """A view without its volatile fields (VOLATILE) and, on the side the bridging event went to (its timeline holds
    it), without what that event changed there: its timeline entry and the time of the latest event (asserted on
    their own)."""
    found = {part: without(doc, VOLATILE) for part, doc in view.items()}
    if bridge["id"] in timeline_ids(found):
        found["/timeline"] = [e for e in found["/timeline"] if e["event_id"] != bridge["id"]]
        found["360"]["last_event_at"] = "<the bridging event's>"
    return found


def timeline_ids(view: dict[str, Any]) -> set[str]:
    return {e["event_id"] for e in view["/timeline"]}
