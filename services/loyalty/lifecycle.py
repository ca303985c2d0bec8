"""Loyalty's use cases for profile's lifecycle events (handlers.LifecycleHandler): a merge moves the merged
member's ledger to the survivor, an undone merge gives both members back what they had (runtime.merge_undo), an
erasure deletes the ledger and keeps only the anonymous daily totals. The ledger's own use cases are in
service.py."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from contracts.internal import ProfileUnmergedData
from contracts.loyalty import PointsChangedData
from runtime import erasures, merge_undo, merges
from runtime.unit_of_work import Work
from services.loyalty import program_store, store
from services.loyalty.domain import tiers
from services.loyalty.domain.program import Program
from services.loyalty.events import LoyaltyEvents
from services.loyalty.ledger_book import LedgerBook, bounded_id, set_tier, shown_balance, shown_debt
from services.loyalty.store import DailyTotal, Entry, LoyaltyMember

log = logging.getLogger(__name__)


def _higher_tier(program: Program, survivor: LoyaltyMember, merged: LoyaltyMember) -> tiers.TierState:
    """The higher of the two members' tiers (by the ladder), with its dates."""
    own = tiers.TierState(survivor.tier, survivor.tier_since, survivor.tier_anniversary, survivor.tier_grace_until)
    other = tiers.TierState(merged.tier, merged.tier_since, merged.tier_anniversary, merged.tier_grace_until)
    rules = program.rules.tiers
    if rules is None or merged.tier is None:
        return own
    ladder = [tier.name for tier in sorted(rules.ladder, key=lambda tier: tier.threshold)]

    def rank(name: str | None) -> int:
        return ladder.index(name) if name in ladder else -1

    return other if rank(merged.tier) > rank(survivor.tier) else own


async def merge_members(
    work: Work, workspace: str, survivor_id: str, merged_id: str, at: dt.datetime, now: dt.datetime,
    merge_id: str | None = None,
) -> None:  # fmt: skip
    """The merged member's ledger (entries, lots, orders, redemptions) moves to the survivor; balances, debt and
    holds add up; the survivor keeps its birthday (else takes the merged one's) and the higher tier, then its tier
    is reconsidered over the combined qualifying value. One `merge:<merged_id>` entry of 0 points marks it done
    (the moved entries already account for the points) and `loyalty.points_adjusted` tells what came over."""
    conn = work.conn
    merge = merge_undo.merge_id_of(survivor_id, merged_id, merge_id)
    await store.keep_for_undo(conn, workspace, merge, survivor_id, merged_id)
    await merges.record_merge(conn, workspace, survivor_id, merged_id)
    entry_id = bounded_id(f"merge:{merged_id}")
    if await store.entries(conn, workspace, [entry_id]):
        return
    found = await store.existing_members(conn, workspace, [survivor_id, merged_id])
    await store.move_ledger(conn, workspace, merged_id, survivor_id)
    merged = found.get(merged_id)
    if merged is None:
        return
    survivor = found.get(survivor_id) or (await store.lock_members(conn, workspace, [survivor_id], now))[survivor_id]
    stored = await program_store.current(conn, workspace)
    program = stored.program if stored is not None else None
    survivor.balance += merged.balance
    survivor.debt += merged.debt
    survivor.held += merged.held
    survivor.birthday_month = survivor.birthday_month or merged.birthday_month
    survivor.birthday_bonus_year = max(
        (y for y in (survivor.birthday_bonus_year, merged.birthday_bonus_year) if y is not None), default=None
    )
    survivor.first_order_id = survivor.first_order_id or merged.first_order_id
    if program is not None:
        set_tier(survivor, _higher_tier(program, survivor, merged))
    await store.delete_member(conn, workspace, merged_id)
    description = f"merge of {merged_id} into {survivor_id}"[:500]
    version = program.version if program is not None else None
    entry = Entry(entry_id, survivor_id, "adjust", 0, "merge", None, None, version, at)
    await store.insert_entries(conn, workspace, [entry], now)
    events = LoyaltyEvents(workspace, now)
    if program is not None:
        if (rules := program.rules.tiers) is not None:
            book = LedgerBook(program, {survivor_id: survivor}, {}, {}, events, now=now)
            book.qualifying = await store.qualifying_values(
                conn, workspace, [survivor_id], rules.basis, program.rules.currency, rules.window_months, now
            )
            book.review_tier(survivor_id)
        came_over = merged.balance
        if came_over:
            events.adjusted(
                PointsChangedData(
                    customer_id=survivor_id,
                    balance=shown_balance(program, survivor),
                    program_version=program.version,
                    entry_id=entry_id,
                    points=came_over,
                    reason=description,
                    debt=shown_debt(program, survivor),
                )
            )
    await store.save_members(conn, workspace, [survivor], now)
    work.publish_all(events.messages)


async def unmerge_members(
    work: Work, workspace: str, undo: ProfileUnmergedData, at: dt.datetime, now: dt.datetime
) -> None:
    """An undone merge: both members (balance, debt, holds, tier, birthday) are what they were before it, and
    their ledger rows go back to their side with what happened to them since; the survivor keeps the net change
    of its points after the merge (loyalty keeps no rows per event id: post-merge purchases stay its own). Each
    side's change is announced (`loyalty.points_adjusted`, 0-point `unmerge:` entries). Without the merge's
    snapshot only the redirect goes (logged)."""
    conn = work.conn
    survivor_id, restored_id = undo.survivor_id, undo.restored_id
    was = (await store.existing_members(conn, workspace, [survivor_id])).get(survivor_id)
    outcome = await store.restore_merged(
        conn, workspace, undo.merge_id, survivor_id, restored_id, bounded_id(f"merge:{restored_id}")
    )
    if outcome is not merge_undo.Restore.RESTORED:
        if outcome is merge_undo.Restore.MISSING:
            log.warning(
                "profile.unmerged without a snapshot", extra={"workspace": workspace, "merge_id": undo.merge_id}
            )
        return
    found = await store.existing_members(conn, workspace, [survivor_id, restored_id])
    back = found.get(restored_id) or LoyaltyMember(restored_id)
    kept = found.get(survivor_id)
    if was is not None:
        kept = kept or (await store.lock_members(conn, workspace, [survivor_id], now))[survivor_id]
        since = (max(was.balance - back.balance, 0), max(was.debt - back.debt, 0), max(was.held - back.held, 0))
        if since != (kept.balance, kept.debt, kept.held):  # the survivor's points changed after the merge
            kept.balance, kept.debt, kept.held = since
            await store.save_members(conn, workspace, [kept], now)
    stored = await program_store.current(conn, workspace)
    if stored is None or kept is None or not back.balance:
        return
    program, events = stored.program, LoyaltyEvents(workspace, now)
    reason = f"merge of {restored_id} into {survivor_id} undone"[:500]
    marks = []
    for member, points in ((back, back.balance), (kept, -back.balance)):
        entry_id = bounded_id(f"unmerge:{undo.merge_id}:{member.customer_id}")
        marks.append(Entry(entry_id, member.customer_id, "adjust", 0, "unmerge", None, None, program.version, at))
        data = PointsChangedData(
            customer_id=member.customer_id, balance=shown_balance(program, member), program_version=program.version,
            entry_id=entry_id, points=points, reason=reason, debt=shown_debt(program, member),
        )  # fmt: skip
        events.adjusted(data)
    await store.insert_entries(conn, workspace, marks, now)
    work.publish_all(events.messages)


async def erase_members(work: Work, workspace: str, customer_ids: Sequence[str], at: dt.datetime) -> None:
    """Every ledger row of these customers deleted; their outstanding points written off into the anonymous daily
    totals (`erased`), which the liability report keeps. The erasure lasts (runtime.erasures)."""
    conn = work.conn
    found = await store.existing_members(conn, workspace, customer_ids)
    stored = await program_store.current(conn, workspace)
    outstanding = 0
    for member in found.values():
        shown = shown_balance(stored.program, member) if stored is not None else member.balance - member.debt
        outstanding += max(shown, 0)
    await store.erase(conn, workspace, customer_ids)
    if outstanding:
        await store.add_daily_totals(conn, workspace, [DailyTotal(at.astimezone(dt.UTC).date(), erased=outstanding)])
    await merges.forget(conn, workspace, customer_ids)
    await erasures.record(conn, workspace, customer_ids)
