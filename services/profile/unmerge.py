"""Undoing a merge, free of I/O: which identifiers and events go back to the profile merged away, and what each side
keeps of what events do not re-derive (traits a journey set, tags, the referral attribution).

The split follows the identifiers each event carried: the identifiers the merged profile owned at the merge are its
side; the survivor's identifiers from before the merge are the survivor's; identifiers first linked at or after the
merge take the side of the first event (by event time) that carried them. An event goes to the side of its
strongest identifier whose side is known (external_id > email > phone > anonymous_id), so the event that bridged
the two stays with the customer of its strongest identifier; an event carrying no identifier of either side stays
with the survivor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from contracts.traits import Traits, apply_traits, merge_traits
from services.profile.domain import IDENTIFIER_KINDS, Identifier

STRENGTH = {kind: rank for rank, kind in enumerate(IDENTIFIER_KINDS)}


class UndoRefused(Exception):
    """The merge cannot be undone as things stand; `status` is the HTTP answer (404, 409)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class EventIdentity:
    """One event on the survivor's timeline: its identifiers, and whether it was taken in at or after the merge."""

    event_id: str
    occurred_at: dt.datetime
    identifiers: tuple[Identifier, ...]
    after_merge: bool


@dataclass(frozen=True)
class Split:
    identifiers: frozenset[Identifier]  # what goes back to the restored profile
    events: frozenset[str]  # every event of the survivor's timeline that goes back
    restored_event_ids: tuple[str, ...]  # of those, the ones taken in after the merge (in event order)


def strongest_first(identifiers: Iterable[Identifier]) -> tuple[Identifier, ...]:
    return tuple(sorted(set(identifiers), key=lambda i: (STRENGTH.get(i[0], len(STRENGTH)), i[1])))


def split(
    merged_owned: Iterable[Identifier],
    survivor_before: Iterable[Identifier],
    events: Sequence[EventIdentity],
) -> Split:
    """Which of the survivor's identifiers and events go back (module docstring). Deterministic: events are taken
    in event-time order (ties by id), and repeated until no new identifier gets a side."""
    side: dict[Identifier, bool] = {i: False for i in survivor_before}
    side.update((i, True) for i in merged_owned)  # True: the restored side
    ordered = sorted(events, key=lambda e: (e.occurred_at, e.event_id))
    decided: dict[str, bool] = {}
    changed = True
    while changed:
        changed = False
        for event in ordered:
            if event.event_id in decided:
                continue
            known = [i for i in strongest_first(event.identifiers) if i in side]
            if not known:
                continue
            back = side[known[0]]
            decided[event.event_id] = back
            changed = True
            for identifier in event.identifiers:
                side.setdefault(identifier, back)
    back_events = [e for e in ordered if decided.get(e.event_id, False)]
    return Split(
        identifiers=frozenset(i for i, back in side.items() if back),
        events=frozenset(e.event_id for e in back_events),
        restored_event_ids=tuple(e.event_id for e in back_events if e.after_merge),
    )


# --- what events do not re-derive ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """What a profile held at the merge beside its events' facts."""

    traits: dict[str, Any] = field(default_factory=dict)
    trait_times: dict[str, str] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    referral_program_id: str | None = None
    referral_at: dt.datetime | None = None
    merged_ids: tuple[str, ...] = ()  # ids merged into it before

    def as_json(self) -> dict[str, Any]:
        return {
            "traits": self.traits,
            "trait_times": self.trait_times,
            "tags": list(self.tags),
            "referral_program_id": self.referral_program_id,
            "referral_at": self.referral_at.isoformat() if self.referral_at else None,
            "merged_ids": list(self.merged_ids),
        }

    @classmethod
    def of_json(cls, doc: Mapping[str, Any] | None) -> Snapshot:
        if not doc:
            return cls()
        at = doc.get("referral_at")
        return cls(
            traits=dict(doc.get("traits") or {}),
            trait_times=dict(doc.get("trait_times") or {}),
            tags=tuple(doc.get("tags") or ()),
            referral_program_id=doc.get("referral_program_id"),
            referral_at=dt.datetime.fromisoformat(at) if at else None,
            merged_ids=tuple(doc.get("merged_ids") or ()),
        )


def fold_identifies(identifies: Iterable[tuple[Mapping[str, Any], dt.datetime]]) -> Traits:
    """A profile's traits from its identify events alone (last write wins per trait by event time)."""
    traits: Traits = ({}, {})
    for update, at in identifies:
        traits = apply_traits(*traits, update, at)
    return traits


@dataclass(frozen=True)
class Refolded:
    """What each side keeps beside its facts' stats."""

    traits: Traits
    tags: tuple[str, ...]
    referral_program_id: str | None
    referral_at: dt.datetime | None


def refold_sides(
    current: Snapshot,
    survivor_at_merge: Snapshot,
    merged_at_merge: Snapshot,
    survivor_identifies: Traits,
    restored_identifies: Traits,
) -> tuple[Refolded, Refolded]:
    """(survivor, restored). Traits: each side's identify events, with what it held at the merge by trait time (a
    journey's attributes); the survivor also keeps traits set since by neither side's events nor held at the merge
    (a journey's since). Tags: the restored side gets its tags back; the survivor loses only the tags just the
    merged side had. Referral: each its own, the survivor keeping one attributed since the merge if earlier."""
    known = {
        *survivor_identifies[1],
        *restored_identifies[1],
        *survivor_at_merge.trait_times,
        *merged_at_merge.trait_times,
    }
    since: Traits = (
        {n: v for n, v in current.traits.items() if n not in known},
        {n: t for n, t in current.trait_times.items() if n not in known},
    )
    survivor_traits = merge_traits(
        merge_traits(survivor_identifies, (survivor_at_merge.traits, survivor_at_merge.trait_times)), since
    )
    restored_traits = merge_traits(restored_identifies, (merged_at_merge.traits, merged_at_merge.trait_times))
    only_merged = set(merged_at_merge.tags) - set(survivor_at_merge.tags)
    survivor_tags = tuple(sorted(set(current.tags) - only_merged))

    referral = (survivor_at_merge.referral_at, survivor_at_merge.referral_program_id)
    merged_referral = (merged_at_merge.referral_at, merged_at_merge.referral_program_id)
    now = (current.referral_at, current.referral_program_id)
    if (
        now[0] is not None
        and now != merged_referral
        and (
            referral[0] is None
            or (now[0], now[1] or "")
            < (
                referral[0],
                referral[1] or "",
            )
        )
    ):
        referral = now
    return (
        Refolded(survivor_traits, survivor_tags, referral[1], referral[0]),
        Refolded(restored_traits, tuple(sorted(merged_at_merge.tags)), merged_referral[1], merged_referral[0]),
    )
