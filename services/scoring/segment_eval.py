"""Evaluating a workspace's segments within a budget of database time, so that no workspace's conditions
hold up the other workspaces' events.

What a condition costs is its tenant's choice (a hundred `contains` over long traits, for every customer
of a batch), while every workspace's events wait on the same consumer loops. So:
- customers are evaluated PAGE_CUSTOMERS at a time (a batch's customers; every customer for a save, the
  sweep and a refit), each page in as few statements as bind parameters allow (asyncpg sends at most
  32,767, so segments are split over statements by what they may need: nothing can fail to bind);
- the statements of a page together get the workspace's budget, FLYWHEEL_STATEMENT_TIMEOUT_MS, through
  `SET LOCAL statement_timeout` in a savepoint: running past it undoes only the evaluation, never the
  batch or the request around it;
- a page past the budget is triaged: its segments are evaluated one by one, fewest leaves first, within
  half the budget; the segment that runs out of it and those not reached are marked failing (status,
  reason, since; counted in flywheel_scoring_segment_failures_total). Every later evaluation skips them,
  and their members stay as they were, until the tenant saves them again. The others' results count.
A workspace's segments thus cost a page at most one and a half budgets, once; what stays active after a
triage fits in half a budget.

Turning conditions into SQL costs the service's own CPU (parsing, checking, a bind parameter per value), so
the statements are kept, by the versions of the segments they evaluate, in a cache of STATEMENT_CACHE_BYTES:
a workspace whose segments do not change costs no compiling per batch.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from prometheus_client import Counter

from runtime.db import Connection
from services.scoring import segment_store
from services.scoring.domain.segment_sql import MAX_BIND_PARAMETERS, MEMBERSHIP_PARAMS, compile_membership_query
from services.scoring.domain.segments import Condition, InvalidCondition, condition_size, parse_condition
from services.scoring.segment_store import Membership, Segment, StatementTimeout

log = logging.getLogger(__name__)

PAGE_CUSTOMERS = 1000  # customers per evaluation: what one statement costs does not grow with the workspace
TRIAGE_SHARE = 0.5  # of the budget, for evaluating a page's segments one by one once together they ran past it
STATEMENT_CACHE_BYTES = 64 * 1024 * 1024  # compiled statements kept, roughly (SQL text and bind parameters)
_STATEMENT_PARAMETERS = MAX_BIND_PARAMETERS - MEMBERSHIP_PARAMS

FailureCause = Literal["timeout", "set_aside", "unbindable", "invalid"]

SEGMENT_FAILURES = Counter(
    "flywheel_scoring_segment_failures",
    "Segments marked failing (skipped until saved again): timeout (ran past the workspace's statement budget), "
    "set_aside (not reached when the workspace's segments together ran past it), unbindable (too many "
    "bind parameters), invalid (a stored condition this version refuses).",
    ["cause"],
)


@dataclass(frozen=True)
class ActiveSegment:
    """A segment to evaluate, with what its evaluation may need (read from its condition without parsing it)."""

    segment: Segment
    leaves: int  # the triage's estimate of its cost

    @property
    def segment_id(self) -> str:
        return self.segment.segment_id

    @property
    def parameters(self) -> int:
        """Bind parameters at most: its id, and per leaf a value and a trait's name (segment_sql.py)."""
        return 1 + 2 * self.leaves

    @property
    def version(self) -> tuple[str, dt.datetime]:
        return self.segment.segment_id, self.segment.updated_at


@dataclass(frozen=True)
class SegmentFailure:
    segment_id: str
    cause: FailureCause
    reason: str  # for the tenant, in the segment's `failure`


@dataclass
class PageResult:
    matched: set[Membership] = field(default_factory=set)  # of the segments that did not fail
    failures: list[SegmentFailure] = field(default_factory=list)


def active_segments(segments: Sequence[Segment]) -> list[ActiveSegment]:
    return [ActiveSegment(segment, condition_size(segment.condition)[0]) for segment in segments]


class InvalidStored(Exception):
    """Stored conditions this version of the service refuses (e.g. a budget was tightened since)."""

    def __init__(self, failures: list[SegmentFailure]) -> None:
        super().__init__("; ".join(f"{f.segment_id}: {f.reason}" for f in failures))
        self.failures = failures


class StatementCache:
    """Compiled membership queries by workspace and the versions (id, updated_at) of the segments they
    evaluate, least recently used first out past `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._bytes = 0
        self._entries: OrderedDict[tuple[object, ...], tuple[str, list[object], int]] = OrderedDict()

    def statement(self, workspace: str, segments: Sequence[ActiveSegment]) -> tuple[str, list[object]]:
        key = (workspace, *(item.version for item in segments))
        if (hit := self._entries.get(key)) is not None:
            self._entries.move_to_end(key)
            return hit[0], hit[1]
        sql, values = compile_membership_query([(item.segment_id, _condition(item)) for item in segments])
        size = len(sql) + 64 * sum(len(v) if isinstance(v, list) else 1 for v in values)
        self._entries[key] = (sql, values, size)
        self._bytes += size
        while self._bytes > self._max_bytes and self._entries:
            self._bytes -= self._entries.popitem(last=False)[1][2]
        return sql, values


_statements_cache = StatementCache(STATEMENT_CACHE_BYTES)


def _condition(item: ActiveSegment) -> Condition:
    try:
        return parse_condition(item.segment.condition)
    except InvalidCondition as exc:
        reason = f"its stored condition is no longer valid ({exc.errors[0]['field']}: {exc.errors[0]['message']}); "
        raise InvalidStored([SegmentFailure(item.segment_id, "invalid", reason + "save it again, corrected")]) from None


async def customer_pages(
    conn: Connection, workspace: str, customer_ids: Sequence[str] | None
) -> AsyncIterator[list[str]]:
    """These customers (None: all of the workspace's, read page by page) in pages of PAGE_CUSTOMERS."""
    if customer_ids is not None:
        for start in range(0, len(customer_ids), PAGE_CUSTOMERS):
            yield list(customer_ids[start : start + PAGE_CUSTOMERS])
        return
    after: str | None = None
    while page := await segment_store.customer_page(conn, workspace, after, PAGE_CUSTOMERS):
        yield page
        after = page[-1]


async def evaluate_page(
    conn: Connection,
    workspace: str,
    segments: Sequence[ActiveSegment],
    customer_ids: Sequence[str],
    now: dt.datetime,
    budget_ms: int,
) -> PageResult:
    """Which of these customers meet which segment's condition, within `budget_ms` for them all (see the
    module's docstring); the segments that failed are in `failures`, to be marked."""
    result = PageResult()
    runnable = []
    for item in segments:
        if item.parameters > _STATEMENT_PARAMETERS:  # not with today's budgets on conditions; guarded all the same
            reason = (
                f"its condition needs up to {item.parameters} query parameters, more than the "
                f"{_STATEMENT_PARAMETERS} one statement can bind; simplify it and save it again"
            )
            result.failures.append(SegmentFailure(item.segment_id, "unbindable", reason))
        else:
            runnable.append(item)
    while True:
        try:
            evaluated = await _within_budget(conn, workspace, runnable, customer_ids, now, budget_ms)
        except InvalidStored as exc:  # stored before an upgrade tightened a budget: the others go on
            result.failures += exc.failures
            refused = {failure.segment_id for failure in exc.failures}
            runnable = [item for item in runnable if item.segment_id not in refused]
            continue
        result.matched = evaluated.matched
        result.failures += evaluated.failures
        return result


async def _within_budget(
    conn: Connection,
    workspace: str,
    segments: Sequence[ActiveSegment],
    customer_ids: Sequence[str],
    now: dt.datetime,
    budget_ms: int,
) -> PageResult:
    result = PageResult()
    started = time.perf_counter()
    try:
        for chunk in _statements(segments):
            remaining = budget_ms - _elapsed_ms(started)
            if remaining < 1:
                raise StatementTimeout("the budget was spent before this statement")
            result.matched |= await _run(conn, workspace, chunk, customer_ids, now, remaining)
    except StatementTimeout:
        return await _triage(conn, workspace, segments, customer_ids, now, budget_ms)
    return result


async def record_failures(
    conn: Connection, workspace: str, failures: Sequence[SegmentFailure], now: dt.datetime
) -> None:
    """Mark the segments failing (in the caller's transaction), count and log each."""
    for failure in failures:
        await segment_store.mark_failing(conn, workspace, failure.segment_id, failure.reason, now)
        SEGMENT_FAILURES.labels(failure.cause).inc()
        log.warning(
            "segment marked failing",
            extra={
                "workspace": workspace,
                "segment_id": failure.segment_id,
                "cause": failure.cause,
                "reason": failure.reason,
            },
        )


def _statements(segments: Sequence[ActiveSegment]) -> list[list[ActiveSegment]]:
    """The segments in runs that each fit one statement's bind parameters."""
    chunks: list[list[ActiveSegment]] = []
    used = _STATEMENT_PARAMETERS
    for item in segments:
        if used + item.parameters > _STATEMENT_PARAMETERS:
            chunks.append([])
            used = 0
        chunks[-1].append(item)
        used += item.parameters
    return chunks


async def _run(
    conn: Connection,
    workspace: str,
    segments: Sequence[ActiveSegment],
    customer_ids: Sequence[str],
    now: dt.datetime,
    timeout_ms: float,
) -> set[Membership]:
    sql, values = _statements_cache.statement(workspace, segments)
    return await segment_store.run_membership_query(conn, sql, values, workspace, customer_ids, now, int(timeout_ms))


async def _triage(
    conn: Connection,
    workspace: str,
    segments: Sequence[ActiveSegment],
    customer_ids: Sequence[str],
    now: dt.datetime,
    budget_ms: int,
) -> PageResult:
    """The page's segments ran past the budget together: evaluate them one by one, fewest leaves first, within
    TRIAGE_SHARE of the budget; the one that runs out of it and the rest fail."""
    customers = f"{len(customer_ids)} customer{'s' * (len(customer_ids) != 1)}"
    advice = "it is skipped until saved again; simplify it (fewer leaves, fewer contains over long traits)"
    result = PageResult()
    if len(segments) == 1:  # it ran past the whole budget alone: no need to try it again
        reason = f"evaluating its condition for {customers} took longer than {budget_ms} ms; {advice}"
        result.failures.append(SegmentFailure(segments[0].segment_id, "timeout", reason))
        return result
    allowance = budget_ms * TRIAGE_SHARE
    together = f"this workspace's segments together took longer than {budget_ms} ms to evaluate for {customers}"
    started = time.perf_counter()
    ordered = sorted(segments, key=lambda item: (item.leaves, item.segment_id))
    set_aside: Sequence[ActiveSegment] = ()
    for index, item in enumerate(ordered):
        remaining = allowance - _elapsed_ms(started)
        if remaining < 1:
            set_aside = ordered[index:]
            break
        try:
            result.matched |= await _run(conn, workspace, [item], customer_ids, now, remaining)
        except StatementTimeout:
            reason = f"{together}, and this one alone ran past the {remaining:.0f} ms left to it; {advice}"
            result.failures.append(SegmentFailure(item.segment_id, "timeout", reason))
            set_aside = ordered[index + 1 :]
            break
    reason = f"{together}; this one, among the costliest (by leaves), was set aside; {advice}"
    result.failures += [SegmentFailure(item.segment_id, "set_aside", reason) for item in set_aside]
    return result


def _elapsed_ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
