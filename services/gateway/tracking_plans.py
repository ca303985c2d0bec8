"""The gateway's copy of each workspace's tracking plan (profile owns it), for ingestion to refuse an invalid custom
event with a 422 naming the field before publishing it.

A workspace's plan is fetched when a request carries a custom event and kept `ttl_s` (a few seconds). A type the
copy does not hold is fetched again at once (at most once a second per workspace), so a type declared a moment ago
is taken; a schema changed within `ttl_s` may be checked against the version before: profile checks every custom
event again on consumption, against the plan as it is then, and dead-letters an invalid one with the reason."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from contracts.http.profile import EventTypeList
from contracts.tracking_plan import EventType
from runtime.problems import ProblemError
from services.gateway.service_client import ServiceClient, parse, workspace_path

log = logging.getLogger(__name__)
Plan = dict[str, EventType]
REFETCH_UNKNOWN_S = 1.0


@dataclass
class PlanCache:
    ttl_s: float = 5.0
    max_workspaces: int = 10_000
    clock: Callable[[], float] = time.monotonic
    _plans: dict[str, tuple[float, Plan]] = field(default_factory=dict)

    async def plan(self, profile: ServiceClient, workspace: str, wanted: set[str]) -> Plan:
        """The workspace's plan, fresh enough: fetched again past `ttl_s`, or when a wanted type is missing and the
        copy is older than a second."""
        now = self.clock()
        found = self._plans.get(workspace)
        if found is not None:
            at, plan = found
            fresh = now - at < self.ttl_s
            if fresh and (wanted <= set(plan) or now - at < REFETCH_UNKNOWN_S):
                return plan
        plan = await _fetch(profile, workspace)
        if len(self._plans) >= self.max_workspaces:
            self._plans.clear()
        self._plans[workspace] = (now, plan)
        return plan


async def _fetch(profile: ServiceClient, workspace: str) -> Plan:
    doc = await profile.get(workspace_path(workspace, "/event-types"), not_found="no such workspace")
    listed = parse(EventTypeList, doc, "profile")
    return {
        item.name: EventType(item.name, item.version or 1, dict(item.schema_ or {}), item.unknown_fields or "keep")
        for item in listed.items
        if not item.builtin
    }


async def report_rejections(profile: ServiceClient, workspace: str, refused: Counter[str]) -> None:
    """Tell profile how many events of each custom type this request refused (the plan's `rejected` counts). Best
    effort: the 422 is the answer either way, and a failure here is logged."""
    if not refused:
        return
    try:
        await profile.post(
            workspace_path(workspace, "/event-types/rejections"), {"counts": dict(refused)}, not_found="none"
        )
    except ProblemError as exc:
        log.warning("could not count %d refused custom event(s) at profile: %s", sum(refused.values()), exc.detail)
    except Exception:  # the answer is the 422 whatever happens here: never a 500 for a count
        log.exception("could not count %d refused custom event(s) at profile", sum(refused.values()))
