"""Scoring's use cases, called by its consumers (handlers.py), API (api.py) and jobs (jobs.py): fold events
into customers' inputs, re-score customers and bring their segment memberships up to date, recording what
changed (events.py) in the caller's unit of work (runtime.unit_of_work).

Re-scoring takes one path for one customer after an event, for a whole workspace after a refit, and for the
periodic sweep: score, save, compare with what was there, publish what changed. Segments are evaluated within the
workspace's budget of database time (`budget_ms`, FLYWHEEL_STATEMENT_TIMEOUT_MS; see segment_eval.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from contracts.envelope import Envelope
from contracts.inbound import IdentifyEvent, PurchaseEvent, RefundEvent, SurveyEvent, TicketEvent, VisitEvent
from contracts.internal import AcquisitionChanged, ProfileUnmergedData
from contracts.loyalty import TierChanged
from contracts.traits import apply_traits
from runtime import erasures, merge_undo, merges
from runtime.context import ServiceContext
from runtime.db import Connection
from runtime.handlers import with_customers
from runtime.unit_of_work import Work
from services.scoring import merge_store, score_store, segment_eval, segment_store, store
from services.scoring.domain import bgnbd, churn, gamma_gamma, intervals, rfm
from services.scoring.domain.scoring import Inputs, Model, Scores, moved_mask, score
from services.scoring.events import ScoreChanges
from services.scoring.settings import ScoringServiceSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScoringContext(ServiceContext[ScoringServiceSettings]):
    """What scoring's api, handlers and jobs are given (built by wiring.py)."""

    @property
    def budget_ms(self) -> int:
        """Segments' budget of database time per workspace and page of customers (see segment_eval.py)."""
        return self.settings.statement_timeout_ms

    @property
    def refit_interval(self) -> dt.timedelta:
        """How long a workspace's fitted models serve before the next refit."""
        return dt.timedelta(hours=self.settings.scoring_refit_interval_hours)


async def load_model(conn: Connection, workspace: str) -> Model:
    return model_of(await score_store.load_model(conn, workspace))


def model_of(stored: score_store.StoredModel | None) -> Model:
    default = Model.default()
    if stored is None:
        return default
    return Model(
        bgnbd=bgnbd.BgNbdParams.from_dict(stored.bgnbd) if stored.bgnbd else default.bgnbd,
        gamma_gamma=gamma_gamma.GammaGammaParams.from_dict(stored.gamma_gamma)
        if stored.gamma_gamma
        else default.gamma_gamma,
        rfm=rfm.RfmBoundaries.from_dict(stored.rfm_boundaries) if stored.rfm_boundaries else default.rfm,
        fitted=stored.bgnbd is not None,
        bgnbd_log_covariance=log_covariance_of(stored.bgnbd),
    )


def log_covariance_of(stored: dict[str, Any] | None) -> tuple[tuple[float, ...], ...] | None:
    """The covariance kept with the BG/NBD parameters (`log_covariance`, 4 x 4); None without one (a fit from
    before intervals, or one whose information was singular): intervals then come from the estimate alone."""
    matrix = (stored or {}).get("log_covariance")
    if not isinstance(matrix, list) or len(matrix) != 4:
        return None
    try:
        rows = tuple(tuple(float(v) for v in row) for row in matrix)
    except (TypeError, ValueError):
        return None
    if any(len(row) != 4 for row in rows) or not all(math.isfinite(v) for row in rows for v in row):
        return None
    return rows


@dataclass
class SizeChanges:
    """Segments' member counts changed in a transaction, by (workspace, segment): recorded as the segments' sizes
    of the day (segment_sizes) once, at the end of the transaction, after every customer row it locks."""

    day: dt.date
    deltas: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, workspace: str, segment_ids: Iterable[str], delta: int) -> None:
        for segment_id in segment_ids:
            key = (workspace, segment_id)
            self.deltas[key] = self.deltas.get(key, 0) + delta

    async def record(self, conn: Connection) -> None:
        by_workspace: dict[str, dict[str, int]] = defaultdict(dict)
        for (workspace, segment_id), delta in sorted(self.deltas.items()):
            by_workspace[workspace][segment_id] = delta
        for workspace, deltas in sorted(by_workspace.items()):
            await segment_store.record_size_changes(conn, workspace, deltas, self.day)
        self.deltas.clear()


def size_changes(now: dt.datetime) -> SizeChanges:
    return SizeChanges(now.astimezone(dt.UTC).date())


@dataclass(frozen=True)
class Rescoring:
    """Re-scoring in one transaction, for one workspace at one moment: one path for one customer after an event,
    for a whole workspace after a refit, and for the periodic sweep. `conn` is what it writes through, `changes`
    collects what changed (for `changes.workspace`), and segments are evaluated within `budget_ms` of database
    time a page (segment_eval.py)."""

    conn: Connection
    changes: ScoreChanges
    now: dt.datetime
    budget_ms: int
    sizes: SizeChanges | None = None  # where segments' size changes go; None: recorded when segments() ends

    async def customers(self, customer_ids: Sequence[str] | None, model: Model | None = None) -> None:
        """Re-score these customers (None: all of the workspace) as of `now`'s UTC day, then their segments."""
        conn, workspace = self.conn, self.changes.workspace
        as_of = self.now.astimezone(dt.UTC).date()
        rows = await score_store.load_inputs(conn, workspace, customer_ids, as_of)
        if not rows:
            return
        model = model or await load_model(conn, workspace)
        scores = score(Inputs.from_rows(rows), model)
        ids = [r.customer_id for r in rows]
        announce = announcements(rows, scores)
        await score_store.save_scores(conn, workspace, as_of, ids, score_columns(rows, scores, announce))
        score_changes(self.changes, rows, scores, announce)
        await self.segments(ids if customer_ids is not None else None)

    async def segments(self, customer_ids: Sequence[str] | None, only: str | None = None) -> None:
        """Bring memberships of these customers (None: all) in line with every active segment's condition (or
        only that of segment `only`), page by page within the budget; a segment that runs past it is marked
        failing, and its memberships stay as they were."""
        conn, workspace, now, changes = self.conn, self.changes.workspace, self.now, self.changes
        segments = await segment_store.load_segments(conn, workspace, active_only=True)
        active = segment_eval.active_segments([s for s in segments if only is None or s.segment_id == only])
        names = {s.segment_id: s.name for s in segments}
        if not active:
            return
        sizes = self.sizes or size_changes(now)
        if only is not None:
            sizes.add(workspace, [only], 0)  # a saved segment has a size from its first evaluation on
        async for page in segment_eval.customer_pages(conn, workspace, customer_ids):
            result = await segment_eval.evaluate_page(conn, workspace, active, page, now, self.budget_ms)
            if result.failures:
                await segment_eval.record_failures(conn, workspace, result.failures, now)
                failed = {f.segment_id for f in result.failures}
                active = [item for item in active if item.segment_id not in failed]
                if not active:
                    break
            evaluated = [item.segment_id for item in active]
            current = await segment_store.memberships(conn, workspace, page, evaluated)
            entered = sorted(result.matched - current)
            exited = sorted(current - result.matched)
            sizes.add(workspace, await segment_store.add_members(conn, workspace, entered, now), 1)
            sizes.add(workspace, await segment_store.remove_members(conn, workspace, exited), -1)
            for segment_id, customer_id in entered:
                changes.segment(True, customer_id, segment_id, names[segment_id])
            for segment_id, customer_id in exited:
                changes.segment(False, customer_id, segment_id, names[segment_id])
        if self.sizes is None:
            await sizes.record(conn)


def _p_alive(scores: Scores, i: int) -> float | None:
    value = float(scores.p_alive[i])
    return None if math.isnan(value) else value


def _clv(scores: Scores, i: int) -> Decimal:
    return Decimal(f"{scores.predicted_clv[i]:.2f}")


def announcements(rows: Sequence[score_store.InputRow], scores: Scores) -> list[bool]:
    """Per customer: whether p_alive or predicted CLV moved enough since last announced to announce again
    (`scores_moved`, over arrays: a refit announces for a whole workspace)."""
    nan = math.nan
    announced_p = np.array([nan if r.announced_p_alive is None else r.announced_p_alive for r in rows], np.float64)
    announced_cents = np.array(
        [nan if r.announced_clv is None else float(r.announced_clv * 100) for r in rows], np.float64
    )
    cents = np.round(scores.predicted_clv * 100)
    mask: list[bool] = moved_mask(announced_p, announced_cents, scores.p_alive, cents).tolist()
    return mask


def score_columns(
    rows: Sequence[score_store.InputRow], scores: Scores, announce: Sequence[bool]
) -> dict[str, list[Any]]:
    def nullable(values: np.ndarray[Any, Any]) -> list[Any]:
        return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in values.tolist()]

    def score_or_null(values: np.ndarray[Any, Any]) -> list[int | None]:
        return [v or None for v in values.tolist()]

    return {
        "recency_days": [r.recency_days for r in rows],
        "usual_gap_days": nullable(scores.usual_gap_days),
        "visits_30d": [r.visits_30d for r in rows],
        "visits_prior_90d": [r.visits_prior_90d for r in rows],
        "r": score_or_null(scores.r),
        "f": score_or_null(scores.f),
        "m": score_or_null(scores.m),
        "rfm_segment": scores.rfm_segment.tolist(),
        "p_alive": nullable(scores.p_alive),
        "expected_purchases_90d": nullable(scores.expected_purchases_90d),
        "predicted_clv": [Decimal(f"{v:.2f}") for v in scores.predicted_clv.tolist()],
        "ltv_basis": scores.ltv_basis.tolist(),
        "expected_purchases_12m": scores.expected_purchases_12m.tolist(),
        "expected_purchases_12m_p10": scores.expected_purchases_12m_p10.tolist(),
        "expected_purchases_12m_p90": scores.expected_purchases_12m_p90.tolist(),
        "clv_p10": [Decimal(f"{v:.2f}") for v in scores.clv_p10.tolist()],
        "clv_p90": [Decimal(f"{v:.2f}") for v in scores.clv_p90.tolist()],
        "churn_risk": scores.churn_risk.tolist(),
        "churn_flags": scores.churn_flags.tolist(),
        "announced_p_alive": [
            _p_alive(scores, i) if moved else row.announced_p_alive
            for i, (row, moved) in enumerate(zip(rows, announce, strict=True))
        ],
        "announced_clv": [
            (_clv(scores, i) if _p_alive(scores, i) is not None else None) if moved else row.announced_clv
            for i, (row, moved) in enumerate(zip(rows, announce, strict=True))
        ],
    }


def score_changes(
    changes: ScoreChanges, rows: Sequence[score_store.InputRow], scores: Scores, announce: Sequence[bool]
) -> None:
    """A changed RFM segment (a first one too: a first purchase makes a customer New), a changed churn
    band (a first band only when it is not low: every new customer starts low, that is no news; with the reasons
    and the predicted CLV), and p_alive or predicted CLV moved past its epsilon (`announce`)."""
    for i, row in enumerate(rows):
        customer_id = row.customer_id
        segment = scores.rfm_segment[i]
        if segment != row.rfm_segment:
            r, f, m = (int(s[i]) or None for s in (scores.r, scores.f, scores.m))
            changes.rfm_segment(customer_id, row.rfm_segment, segment, (r, f, m))
        band = scores.churn_risk[i]
        if band != row.churn_risk and (row.churn_risk is not None or band != "low"):
            p_alive = None if math.isnan(scores.p_alive[i]) else float(scores.p_alive[i])
            reasons = churn.reasons(
                int(scores.churn_flags[i]),
                recency_days=_float(row.recency_days),
                usual_gap_days=float(scores.usual_gap_days[i]),
                p_alive=math.nan if p_alive is None else p_alive,
                visits_30d=row.visits_30d,
                visits_prior_90d=row.visits_prior_90d,
                open_tickets=row.open_tickets,
                last_nps=_float(row.last_nps),
                last_csat=_float(row.last_csat),
            )
            clv = _clv(scores, i) if p_alive is not None else None
            changes.churn_risk(customer_id, row.churn_risk, band, p_alive, reasons, clv)
        if announce[i]:
            p_now = _p_alive(scores, i)
            changes.scores(
                customer_id,
                (row.announced_p_alive, row.announced_clv),
                (p_now, _clv(scores, i) if p_now is not None else None),
            )


def _float(value: Any) -> float:
    return math.nan if value is None else float(value)


async def apply_customer_events(
    work: Work, workspace: str, events: Sequence[Envelope], now: dt.datetime, budget_ms: int
) -> None:
    """Fold each resolved event into its customer's inputs, then re-score those customers (segments within
    `budget_ms`: one that runs past it is marked failing and the batch goes on; segment_eval.py)."""
    conn = work.conn
    owned = await with_customers(conn, workspace, events)
    first_seen: dict[str, dt.datetime] = {}
    for event, customer_id in owned:
        first_seen[customer_id] = min(event.time, first_seen.get(customer_id, event.time))
    await store.ensure_customers(conn, workspace, first_seen)

    purchases: list[store.Purchase] = []
    refunds: dict[str, Decimal] = defaultdict(Decimal)
    visits: list[tuple[str, dt.datetime]] = []
    tickets: list[store.TicketChange] = []
    answers: list[tuple[str, str, int, dt.datetime]] = []
    nps_answers: list[store.NpsAnswer] = []
    identifies: list[tuple[IdentifyEvent, str]] = []
    for event, customer_id in owned:
        if isinstance(event, PurchaseEvent):
            purchases.append(store.Purchase(customer_id, event.data.order_id, event.data.amount, event.time))
        elif isinstance(event, RefundEvent):
            refunds[customer_id] += event.data.amount
        elif isinstance(event, VisitEvent):
            visits.append((customer_id, event.time))
        elif isinstance(event, TicketEvent):
            tickets.append(store.TicketChange(event.data.ticket_id, customer_id, event.data.status, event.time))
            answers += [(customer_id, "nps", event.data.nps, event.time)] if event.data.nps is not None else []
            if event.data.nps is not None:
                nps_answers.append(store.NpsAnswer(event.id, customer_id, event.time, event.data.nps))
            answers += [(customer_id, "csat", event.data.csat, event.time)] if event.data.csat is not None else []
        elif isinstance(event, SurveyEvent):  # a survey answer counts as a ticket's scores do
            answers += [(customer_id, "nps", event.data.nps, event.time)] if event.data.nps is not None else []
            if event.data.nps is not None:
                nps_answers.append(store.NpsAnswer(event.id, customer_id, event.time, event.data.nps))
            answers += [(customer_id, "csat", event.data.csat, event.time)] if event.data.csat is not None else []
        elif isinstance(event, IdentifyEvent):
            identifies.append((event, customer_id))

    # Every event counts per type (custom ones too) for `events.<type>.count` conditions, batch-wise.
    await store.record_event_counts(conn, workspace, [(c, e.type, e.time) for e, c in owned])
    changes = ScoreChanges(workspace, now)
    fresh = await store.record_purchases(conn, workspace, purchases)
    if fresh:
        await _record_purchase_times(conn, changes, fresh)
    if refunds:
        await store.record_refunds(conn, workspace, refunds)
    if visits:
        await store.record_visits(conn, workspace, visits)
    if tickets:
        await store.record_tickets(conn, workspace, tickets)
    if answers:
        await store.record_answers(conn, workspace, answers)
    await store.record_nps_answers(conn, workspace, nps_answers)
    if identifies:
        traits = await store.load_traits(conn, workspace, (c for _, c in identifies))
        for event, customer_id in sorted(identifies, key=lambda item: item[0].time):
            traits[customer_id] = apply_traits(*traits[customer_id], event.data.traits, event.time)
        await store.save_traits(conn, workspace, traits)
    await Rescoring(conn, changes, now, budget_ms).customers(sorted(first_seen))
    work.publish_all(changes.messages)


async def apply_loyalty_events(
    work: Work, workspace: str, events: Sequence[Envelope], now: dt.datetime, budget_ms: int
) -> None:
    """Keep each member's loyalty balance and tier (the latest by event time), then bring those customers'
    segment memberships up to date (`loyalty.balance`, `loyalty.tier`; within `budget_ms`, as for resolved
    events). A member scoring has not seen yet gets a row, first seen at the event's time."""
    conn = work.conn
    owned = await with_customers(conn, workspace, events)
    if not owned:
        return
    first_seen: dict[str, dt.datetime] = {}
    states: list[store.LoyaltyState] = []
    for event, customer_id in owned:
        first_seen[customer_id] = min(event.time, first_seen.get(customer_id, event.time))
        data = event.data
        changed = isinstance(event, TierChanged)  # current null: the tier cleared
        tier = data.current if changed else None
        balance = int(getattr(data, "balance", 0))
        states.append(store.LoyaltyState(customer_id, balance, tier, event.time, tier_changed=changed))
    await store.ensure_customers(conn, workspace, first_seen)
    await store.record_loyalty(conn, workspace, states)
    changes = ScoreChanges(workspace, now)
    await Rescoring(conn, changes, now, budget_ms).segments(sorted(first_seen))
    work.publish_all(changes.messages)


async def _record_purchase_times(conn: Connection, changes: ScoreChanges, fresh: Sequence[store.Purchase]) -> None:
    """Purchase totals and times; a purchase after a dormant customer's last one ends the dormancy."""
    workspace = changes.workspace
    await store.refresh_purchase_totals(conn, workspace, {p.customer_id for p in fresh})
    times: dict[str, tuple[dt.datetime, dt.datetime]] = {}
    for p in fresh:
        first, last = times.get(p.customer_id, (p.at, p.at))
        times[p.customer_id] = (min(first, p.at), max(last, p.at))
    before = await store.set_purchase_times(conn, workspace, times)
    back = {
        customer_id: (dormant_since, times[customer_id][1])
        for customer_id, (last_purchase, dormant_since) in before.items()
        if dormant_since is not None and (last_purchase is None or times[customer_id][1] > last_purchase)
    }
    await store.end_dormancy(conn, workspace, sorted(back))
    await store.record_reactivations(conn, workspace, back)
    for customer_id, (since, purchased) in sorted(back.items()):
        changes.reactivated(customer_id, since, purchased)


async def merge_customers(
    work: Work, workspace: str, survivor: str, merged: str, now: dt.datetime, budget_ms: int, sizes: SizeChanges,
    merge_id: str | None = None,
) -> None:  # fmt: skip
    """Fold the merged customer into the survivor: the merged id leaves its segments, the survivor is re-scored.
    The segments' size changes go to `sizes` (the caller records them after its last merge or erasure)."""
    conn = work.conn
    await merge_store.keep_for_undo(
        conn, workspace, merge_undo.merge_id_of(survivor, merged, merge_id), survivor, merged
    )
    left = await store.fold_merged(conn, workspace, survivor, merged)
    await store.refresh_purchase_totals(conn, workspace, [survivor])
    names = {s.segment_id: s.name for s in await segment_store.load_segments(conn, workspace)}
    changes = ScoreChanges(workspace, now)
    for segment_id in left:
        if segment_id in names:
            changes.segment(False, merged, segment_id, names[segment_id])
    sizes.add(workspace, left, -1)
    await Rescoring(conn, changes, now, budget_ms, sizes).customers([survivor])
    work.publish_all(changes.messages)


async def unmerge_customers(
    work: Work, workspace: str, undo: ProfileUnmergedData, now: dt.datetime, budget_ms: int, sizes: SizeChanges
) -> None:
    """An undone merge: both customers' history (days, orders, tickets, answers, traits) and segment memberships
    are what they were before it; the memberships that differ from now are announced (the restored customer
    enters its segments again, the survivor leaves those it had only through the merge), then both are re-scored
    (what changed is announced as always). NPS answers are rows per event: those of `restored_event_ids` go
    back to the restored customer; purchases and visits are counted per day, so those after the merge stay
    counted on the survivor. Without the merge's snapshot only the redirect goes (logged) and both are re-scored."""
    conn = work.conn
    survivor, restored = undo.survivor_id, undo.restored_id
    outcome, before, after = await merge_store.restore_merged(
        conn, workspace, undo.merge_id, survivor, restored, undo.restored_event_ids
    )
    if outcome is merge_undo.Restore.MISSING:
        log.warning(
            "profile.unmerged without a snapshot of the merge",
            extra={"workspace": workspace, "merge_id": undo.merge_id, "outcome": outcome.value},
        )
    names = {s.segment_id: s.name for s in await segment_store.load_segments(conn, workspace)}
    changes = ScoreChanges(workspace, now)
    for customer_id in (survivor, restored):
        for entered, segment_ids in (
            (True, after[customer_id] - before[customer_id]),
            (False, before[customer_id] - after[customer_id]),
        ):
            for segment_id in sorted(segment_ids & set(names)):
                changes.segment(entered, customer_id, segment_id, names[segment_id])
            sizes.add(workspace, segment_ids, 1 if entered else -1)
    await Rescoring(conn, changes, now, budget_ms, sizes).customers([survivor, restored])
    work.publish_all(changes.messages)


async def record_acquisitions(work: Work, workspace: str, events: Sequence[Envelope]) -> None:
    """Keep each customer's acquisition source as profile last decided it (by the event's time). A customer merged
    away or erased here is skipped: profile decides the survivor's anew, and an erasure lasts."""
    decisions = [e for e in events if isinstance(e, AcquisitionChanged)]
    ids = {e.data.customer_id for e in decisions}
    gone = set(await merges.survivors(work.conn, workspace, ids)) | await erasures.erased(work.conn, workspace, ids)
    await store.record_acquisitions(
        work.conn,
        workspace,
        [
            store.AcquisitionDecision(e.data.customer_id, e.data.source, e.data.campaign, e.data.program_id, e.time)
            for e in decisions
            if e.data.customer_id not in gone
        ],
    )


async def erase_customers(work: Work, workspace: str, ids: Sequence[str], sizes: SizeChanges) -> None:
    """Forget the customers; the segments they were members of are smaller (in `sizes`, for the caller to record)."""
    sizes.add(workspace, await store.erase(work.conn, workspace, ids), -1)


async def save_segment(
    work: Work, workspace: str, segment_id: str, name: str, description: str | None, condition: dict[str, Any],
    now: dt.datetime, budget_ms: int,
) -> tuple[segment_store.Segment, int]:  # fmt: skip
    """Save the segment (the caller checked quota and values) and evaluate it against every customer at once:
    members enter (and leave) right away. Saving makes a failing segment active again; if its evaluation runs
    past the budget it is saved failing. Returns the segment as saved and its member count."""
    await segment_store.save_segment(work.conn, workspace, segment_id, name, description, condition)
    changes = ScoreChanges(workspace, now)
    await Rescoring(work.conn, changes, now, budget_ms).segments(None, only=segment_id)
    work.publish_all(changes.messages)
    segment = await segment_store.get_segment(work.conn, workspace, segment_id)
    assert segment is not None
    return segment, await segment_store.member_count(work.conn, workspace, segment_id)


class SegmentMissing(Exception):
    def __init__(self, segment_id: str) -> None:
        super().__init__(f"no segment {segment_id!r} in this workspace")


async def delete_segment(work: Work, workspace: str, segment_id: str, now: dt.datetime) -> None:
    """Delete the segment; its members exit (announced). SegmentMissing when there is none."""
    segment = await segment_store.get_segment(work.conn, workspace, segment_id)
    members = await segment_store.delete_segment(work.conn, workspace, segment_id)
    if segment is None or members is None:
        raise SegmentMissing(segment_id)
    changes = ScoreChanges(workspace, now)
    for customer_id in members:
        changes.segment(False, customer_id, segment_id, segment.name)
    work.publish_all(changes.messages)


MAX_FORECAST_MONTHS = 24


def month_windows(first: dt.date, months: int, as_of: dt.date) -> list[tuple[str, float, float]]:
    """The calendar months from `first` (a month's first day) as (YYYY-MM, start, end) in days after `as_of`
    (clamped at 0: a month under way counts its remaining days, a past month none)."""
    windows = []
    for m in range(months):
        year, month = divmod(first.month - 1 + m, 12)
        start = dt.date(first.year + year, month + 1, 1)
        end_year, end_month = divmod(month + 1, 12)
        end = dt.date(first.year + year + end_year, end_month + 1, 1)
        windows.append((f"{start:%Y-%m}", float(max((start - as_of).days, 0)), float(max((end - as_of).days, 0))))
    return windows


@dataclass(frozen=True)
class RepurchaseMonths:
    customers: int
    months: list[tuple[str, intervals.MonthForecast]]


async def repurchase_forecast(
    conn: Connection, workspace: str, first: dt.date, months: int, as_of: dt.date
) -> RepurchaseMonths:
    """Expected repurchase of the workspace's purchasers per calendar month from `first` (intervals.py), the
    CPU work off the event loop."""
    rows = await score_store.load_inputs(conn, workspace, None, as_of)
    model = await load_model(conn, workspace)
    windows = month_windows(first, months, as_of)
    empty = intervals.MonthForecast(0.0, 0.0, 0.0, 0.0)
    if not rows:
        return RepurchaseMonths(0, [(name, empty) for name, _, _ in windows])
    x, t_x, t_cal, monetary, buyers = Inputs.from_rows(rows).model_inputs()
    if not np.any(buyers):
        return RepurchaseMonths(0, [(name, empty) for name, _, _ in windows])
    covariance = None if model.bgnbd_log_covariance is None else np.array(model.bgnbd_log_covariance)
    found = await asyncio.to_thread(
        intervals.monthly_forecast,
        model.bgnbd, covariance, model.gamma_gamma, x[buyers], t_x[buyers], t_cal[buyers], monetary[buyers],
        [(start, end) for _, start, end in windows],
    )  # fmt: skip
    return RepurchaseMonths(int(buyers.sum()), [(name, f) for (name, _, _), f in zip(windows, found, strict=True)])
