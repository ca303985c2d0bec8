"""The use case of undoing a merge (POST /v1/merges/{merge_id}/undo), in one transaction: split the two profiles by
the identifiers each event carried (services/profile/unmerge.py), refold both from their own facts, keep them apart
from now on, and publish `profile.unmerged` (with the post-merge events that went back) and both customers'
acquisition sources. `customer.changed` for both follows from their rows' changes (migration 0004's triggers)."""

from __future__ import annotations

import datetime as dt

from contracts.http.profile import MergeUndone
from contracts.internal import MAX_RESTORED_EVENT_IDS
from runtime.unit_of_work import Work
from services.profile import events, merge_store, store
from services.profile.ledger import loose_customer_ref, recognisable_identifiers
from services.profile.service import _publish_acquisitions
from services.profile.unmerge import EventIdentity, Snapshot, UndoRefused, fold_identifies, refold_sides, split

DEFAULT_REASON = "undone by an operator"


async def undo_merge(
    work: Work,
    workspace: str,
    merge_id: str,
    reason: str | None,
    phone_region: str | None,
    now: dt.datetime,
    retention_days: int,
) -> MergeUndone:
    """Undo one merge; UndoRefused (404 unknown; 409 already undone, older than the other services keep what
    their folds changed (`retention_days`, runtime.merge_undo), survivor merged since, a side erased, too many
    events to move) when it cannot be."""
    conn = work.conn
    merge = await merge_store.lock_merge(conn, workspace, merge_id)
    if merge is None:
        raise UndoRefused(404, f"no merge {merge_id!r} in this workspace")
    record = merge.record
    survivor, restored = record.survivor_id, record.merged_id
    if record.undone:
        raise UndoRefused(409, f"merge {merge_id!r} was already undone")
    if now - record.merged_at > dt.timedelta(days=retention_days):
        raise UndoRefused(
            409,
            f"merge {merge_id!r} is older than {retention_days} days (FLYWHEEL_MERGE_UNDO_RETENTION_DAYS): the other "
            "services no longer keep what it changed, so it cannot be undone",
        )
    if merge.erased:
        raise UndoRefused(409, "a customer of this merge was erased: there is nothing to split")
    states = await merge_store.lock_profiles(conn, workspace, [survivor, restored])
    if any(s.erased for s in states.values()) or len(states) < 2:
        raise UndoRefused(409, "a customer of this merge was erased: there is nothing to split")
    if states[survivor].merged_into is not None:
        later = states[survivor].merged_into
        raise UndoRefused(409, f"a later merge folded {survivor!r} into {later!r}: undo that merge first")
    if states[restored].merged_into != survivor:
        raise UndoRefused(409, f"{restored!r} is no longer merged into {survivor!r}")

    linked = await merge_store.identifiers_of(conn, workspace, survivor, record.merged_at)
    timeline = await merge_store.timeline_identities(conn, workspace, survivor, record.merged_at)
    identities = [
        EventIdentity(
            t.event_id,
            t.occurred_at,
            tuple(recognisable_identifiers(loose_customer_ref(t.customer), phone_region)),
            t.after_merge,
        )
        for t in timeline
    ]
    owned = set(merge.merged_identifiers)
    before = [i.identifier for i in linked if i.before_merge and i.identifier not in owned]
    found = split(owned, before, identities)
    if len(found.restored_event_ids) > MAX_RESTORED_EVENT_IDS:
        raise UndoRefused(
            409,
            f"{len(found.restored_event_ids)} events taken in since the merge would go back, more than "
            f"{MAX_RESTORED_EVENT_IDS}: this merge cannot be undone",
        )
    current = (await merge_store.snapshots(conn, workspace, [survivor]))[survivor]
    touched = [survivor, restored]
    acquisitions_before = await store.load_acquisitions(conn, workspace, touched)
    moving = [i.identifier for i in linked if i.identifier in found.identifiers]
    await merge_store.move_back(conn, workspace, survivor, restored, moving, found.events)
    await merge_store.restore(conn, workspace, survivor, restored, merge.merged_snapshot.merged_ids)
    await merge_store.refold_stats(conn, workspace, touched)
    identifies = await merge_store.identifies_of(conn, workspace, touched)
    kept, back = refold_sides(
        current,
        merge.survivor_snapshot,
        merge.merged_snapshot or Snapshot(),
        fold_identifies(identifies[survivor]),
        fold_identifies(identifies[restored]),
    )
    await merge_store.save_refolded(conn, workspace, {survivor: kept, restored: back})
    why = reason or DEFAULT_REASON
    done = await merge_store.finish_undo(conn, workspace, merge_id, survivor, restored, why)
    acquisitions_after = await store.load_acquisitions(conn, workspace, touched)
    work.publish(events.unmerged(workspace, done, list(found.restored_event_ids), why, now))
    _publish_acquisitions(work, workspace, acquisitions_before, acquisitions_after, set(touched), now)
    return MergeUndone(**done.model_dump(), restored_events=len(found.restored_event_ids))
