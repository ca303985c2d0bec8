"""The shared-device guard of identity resolution, free of I/O.

A family tablet, a shop's checkout device or a support agent's phone carries one `anonymous_id` (or one phone)
for many people: merging everyone it is seen with joins unrelated customers. The guard counts, for each
identifier, the distinct identifiers of each other kind seen with it in one event (sightings, kept as keyed
digests) within a window; an identifier seen with more than `max_distinct` of a kind within `window_days` before
an event is *shared* for that event and stops merging:

- the event is resolved on its other identifiers alone (the strongest one decides: external_id > email > phone >
  anonymous_id, and those may still merge with each other as always); an event carrying only shared identifiers
  goes to the owner of the strongest of them (a new customer when none has one);
- a shared identifier is never re-linked: it stays with the customer that holds it (its *owner*), and a shared
  identifier nobody holds is not linked at all;
- when a shared identifier's owner is another customer than the one the event goes to (the merge the guard
  prevented), a conflict is recorded (services/profile/guard_store.py) and listed by the API.

The Nth + 1 distinct identifier is what trips the guard: with the default 5 emails per anonymous_id, the sixth
email seen with it does not join its owner. What the first N did stands (the owner keeps the identifier and what
was linked or merged below the limit); those merges are recorded and can be undone (`POST /v1/merges/{id}/undo`),
and the conflict names the owner so that it can be found.

Decisions are made event by event in the batch's order over the stored sightings plus those of the batch's
earlier events, with windows measured from each event's time: the same batch gives the same decisions when it
runs again (a retried batch rolls its sightings back with everything else).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import get_args

from services.profile.domain import IDENTIFIER_KINDS, Identifier, IdentifierKind, IdentityGraph

STRENGTH: dict[IdentifierKind, int] = {kind: rank for rank, kind in enumerate(IDENTIFIER_KINDS)}  # 0: strongest

# Budgets of the settings document: every (kind, other kind) pair at most once, so at most 12 limits.
MAX_LIMITS = len(IDENTIFIER_KINDS) * (len(IDENTIFIER_KINDS) - 1)
MAX_DISTINCT = 100  # the most distinct others a limit may allow (sightings kept: max_distinct + 1 per pair)
MAX_WINDOW_DAYS = 365


@dataclass(frozen=True)
class SharedLimit:
    """`kind` seen with more than `max_distinct` distinct `other_kind` identifiers within `window_days`: shared."""

    kind: IdentifierKind
    other_kind: IdentifierKind
    max_distinct: int
    window_days: int

    @property
    def window(self) -> dt.timedelta:
        return dt.timedelta(days=self.window_days)


# When a workspace has set nothing: a device id seen with more than 5 people's emails, phones or account ids in 30
# days is a shared device; a phone number with more than 5 emails or account ids, a shared line (a shop's or a
# family's). Emails and external ids are not limited: one person may well have several of each.
DEFAULT_LIMITS: tuple[SharedLimit, ...] = (
    SharedLimit("anonymous_id", "email", 5, 30),
    SharedLimit("anonymous_id", "phone", 5, 30),
    SharedLimit("anonymous_id", "external_id", 5, 30),
    SharedLimit("phone", "email", 5, 30),
    SharedLimit("phone", "external_id", 5, 30),
)


def settings_problems(limits: Sequence[SharedLimit]) -> list[str]:
    """Why a settings document is refused, naming the field of each problem; empty when it is fine."""
    problems = []
    if len(limits) > MAX_LIMITS:
        problems.append(f"shared_identifier_limits: {len(limits)} limits, more than {MAX_LIMITS}")
    seen: set[tuple[str, str]] = set()
    kinds = get_args(IdentifierKind)
    for index, limit in enumerate(limits):
        where = f"shared_identifier_limits.{index}"
        if limit.kind not in kinds or limit.other_kind not in kinds:
            problems.append(f"{where}: unknown identifier kind")
        elif limit.kind == limit.other_kind:
            problems.append(f"{where}.other_kind: must differ from kind")
        elif (limit.kind, limit.other_kind) in seen:
            problems.append(f"{where}: a second limit for {limit.kind} with {limit.other_kind}")
        seen.add((limit.kind, limit.other_kind))
        if not 1 <= limit.max_distinct <= MAX_DISTINCT:
            problems.append(f"{where}.max_distinct: must be 1 to {MAX_DISTINCT}")
        if not 1 <= limit.window_days <= MAX_WINDOW_DAYS:
            problems.append(f"{where}.window_days: must be 1 to {MAX_WINDOW_DAYS}")
    return problems


@dataclass(frozen=True)
class Sighting:
    """`identifier_hash` was seen with `other_hash` (of `other_kind`) in events between `first` and `last`."""

    identifier_hash: str
    other_kind: IdentifierKind
    other_hash: str
    first: dt.datetime
    last: dt.datetime


@dataclass(frozen=True)
class PreventedMerge:
    """An event attached to `customer_id` that would have merged it, through the shared `identifier`, with the
    identifier's owner(s) `others`."""

    event_id: str
    identifier: Identifier
    identifier_hash: str
    customer_id: str
    others: tuple[str, ...]
    at: dt.datetime


def mask(identifier: Identifier) -> str:
    """Enough of a value to recognise it in a list, not to use it: 'a…@example.com', '+49…67', 'dev…42'."""
    kind, value = identifier
    if kind == "email":
        local, _, domain = value.partition("@")
        return f"{local[:1]}…@{domain}"
    if len(value) <= 4:
        return "…"
    return f"{value[:3]}…{value[-2:]}"


@dataclass
class Guard:
    """The guard over one workspace's batch: its limits, the stored sightings of the batch's identifiers, and
    what the batch's events add. `decide` is called once per event, in the batch's order."""

    limits: tuple[SharedLimit, ...]
    digest: Callable[[Identifier], str]
    # (identifier hash, other kind) -> other hash -> (first, last) event time
    seen: dict[tuple[str, IdentifierKind], dict[str, tuple[dt.datetime, dt.datetime]]] = field(default_factory=dict)
    changed: set[tuple[str, IdentifierKind, str]] = field(default_factory=set)
    pruned: dict[tuple[str, IdentifierKind], dt.datetime] = field(default_factory=dict)  # drop last_seen before

    @classmethod
    def load(
        cls, limits: Iterable[SharedLimit], digest: Callable[[Identifier], str], sightings: Iterable[Sighting]
    ) -> Guard:
        guard = cls(tuple(limits), digest)
        for s in sightings:
            guard.seen.setdefault((s.identifier_hash, s.other_kind), {})[s.other_hash] = (s.first, s.last)
        return guard

    def limits_of(self, kind: IdentifierKind) -> list[SharedLimit]:
        return [limit for limit in self.limits if limit.kind == kind]

    def decide(self, identifiers: Sequence[Identifier], at: dt.datetime) -> frozenset[Identifier]:
        """The event's shared identifiers (counting its own sightings), and record its sightings."""
        hashes = {identifier: self.digest(identifier) for identifier in identifiers}
        shared = set()
        for identifier in identifiers:
            for limit in self.limits_of(identifier[0]):
                others = {hashes[o] for o in identifiers if o[0] == limit.other_kind}
                if not others:
                    continue  # nothing of that kind in this event: the limit neither trips nor records
                key = (hashes[identifier], limit.other_kind)
                known = self.seen.setdefault(key, {})
                since = at - limit.window
                in_window = {h for h, (_, last) in known.items() if last >= since}
                if len(in_window | others) > limit.max_distinct:
                    shared.add(identifier)
                self._record(key, known, others, in_window, at, limit.max_distinct + 1, since)
        return frozenset(shared)

    def _record(
        self,
        key: tuple[str, IdentifierKind],
        known: dict[str, tuple[dt.datetime, dt.datetime]],
        others: set[str],
        in_window: set[str],
        at: dt.datetime,
        keep: int,
        since: dt.datetime,
    ) -> None:
        """Keep the event's sightings: a known one's times widen; a new one only while fewer than `keep` distinct
        ones are in the window (beyond, the identifier is shared anyway: a flood of identifiers stays bounded).
        Sightings out of the window are pruned."""
        for stale in [h for h in known if h not in in_window]:
            del known[stale]
        self.pruned[key] = max(self.pruned.get(key, since), since)
        for other in sorted(others):
            if other in known:
                first, last = known[other]
                known[other] = (min(first, at), max(last, at))
            elif len(known) < keep:
                known[other] = (at, at)
            else:
                continue
            self.changed.add((*key, other))

    def sightings_to_store(self) -> list[Sighting]:
        """The sightings the batch added or widened (in a stable order)."""
        found = []
        for identifier_hash, other_kind, other_hash in sorted(self.changed):
            times = self.seen.get((identifier_hash, other_kind), {}).get(other_hash)
            if times is not None:
                found.append(Sighting(identifier_hash, other_kind, other_hash, *times))
        return found


def resolve_guarded(
    graph: IdentityGraph,
    identifiers: Sequence[Identifier],
    shared: frozenset[Identifier],
    at: dt.datetime,
    make_id: Callable[[], str],
    event_id: str | None = None,
) -> tuple[str, dict[Identifier, tuple[str, ...]]]:
    """Resolve one event with the guard's decision: the customer it goes to, and for each shared identifier whose
    owner is another customer, that owner (the merge prevented). Without shared identifiers: IdentityGraph.resolve
    as always."""
    if not shared:
        return graph.resolve(list(identifiers), at, make_id, event_id), {}
    rest = [i for i in identifiers if i not in shared]
    owned = sorted((STRENGTH[i[0]], i) for i in shared if i in graph.owner)
    if rest or not owned:
        customer_id = graph.resolve(rest, at, make_id, event_id)  # no identifier left: a new customer, nothing linked
    else:
        customer_id = graph.final(graph.owner[owned[0][1]])
        graph.first_seen[customer_id] = min(graph.first_seen[customer_id], at)
    customer_id = graph.final(customer_id)
    prevented: dict[Identifier, tuple[str, ...]] = {}
    for _, identifier in owned:
        owner = graph.final(graph.owner[identifier])
        if owner != customer_id:
            prevented[identifier] = (owner,)
    return customer_id, prevented


def limits_by_workspace(
    stored: Mapping[str, Sequence[SharedLimit]], workspaces: Iterable[str]
) -> dict[str, tuple[SharedLimit, ...]]:
    """Each workspace's limits: its own when it has set them (an empty list: no guard), else the defaults."""
    return {ws: tuple(stored[ws]) if ws in stored else DEFAULT_LIMITS for ws in workspaces}
