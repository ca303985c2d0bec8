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
email seen with it does not join its owner. Below the limit the count cannot tell a shared device from a person
with several addresses: the weak-identifier rule below decides those joins (with the rule off, what the first N
did stands; those merges are recorded and can be undone, `POST /v1/merges/{id}/undo`). The conflict names the
owner so that it can be found.

Decisions are made event by event in the batch's order over the stored sightings plus those of the batch's
earlier events, with windows measured from each event's time: the same batch gives the same decisions when it
runs again (a retried batch rolls its sightings back with everything else).

The weak-identifier rule (`weak_joins`) closes what the count leaves open below the limit: a join made only
through a *weak* identifier (by default `anonymous_id`; a workspace may add `phone` or `email`) never puts a second
distinct value of a stronger kind on one profile. An event {anonymous_id a1, email e2} whose a1 belongs to a
customer holding email e1 goes to e2's customer (new, or e2's own), a1 stays with its owner, nothing is merged, and
the conflict is recorded with rule `weak_identifier`. An anonymous-only profile still joins the first email it is
seen with (the sign-up), and joins through a strong identifier (external_id u1 with e2 while u1's owner holds e1)
happen as always. The identifiers the profiles hold come with the batch's links (store.load_identities): no query
per event. The two rules compose: identifiers the count calls shared are set aside first, and the weak rule
judges the joins through the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

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


# When a workspace has set nothing: a device id alone never joins people holding different emails, phones or
# account ids. A phone number is a strong identifier by default (it is verified by SMS and personal far more often
# than a device; a shared line is what the count limits of phones catch); a workspace may name it weak too.
DEFAULT_WEAK_KINDS: tuple[IdentifierKind, ...] = ("anonymous_id",)
WEAK_KIND_CHOICES: tuple[IdentifierKind, ...] = ("email", "phone", "anonymous_id")  # nothing is above external_id

Rule = Literal["shared_identifier", "weak_identifier"]


def weak_kinds_problems(kinds: Sequence[str]) -> list[str]:
    """Why a list of weak identifier kinds is refused, naming the field; empty when it is fine."""
    problems = []
    for index, kind in enumerate(kinds):
        if kind not in WEAK_KIND_CHOICES:
            problems.append(f"weak_identifier_kinds.{index}: must be one of {', '.join(WEAK_KIND_CHOICES)}")
        elif kind in kinds[:index]:
            problems.append(f"weak_identifier_kinds.{index}: {kind} given twice")
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
    rule: Rule = "shared_identifier"


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


@dataclass(frozen=True)
class Blocked:
    """A join one event did not make: `identifier` stayed with its owner(s) `owners`, by `rule`."""

    identifier: Identifier
    owners: tuple[str, ...]
    rule: Rule


def _held(graph: IdentityGraph, customers: set[str]) -> dict[IdentifierKind, set[str]]:
    """The identifiers the graph knows the customers hold, by kind (for stored profiles: those of the batch and at
    most two of each strong kind, which is all the weak rule needs: store.load_identities)."""
    found: dict[IdentifierKind, set[str]] = {}
    for (kind, value), owner in graph.owner.items():
        if graph.final(owner) in customers:
            found.setdefault(kind, set()).add(value)
    return found


def _clash(
    ours: Mapping[IdentifierKind, set[str]], theirs: Mapping[IdentifierKind, set[str]], through: IdentifierKind
) -> bool:
    """Would joining the two put a second distinct value of a kind stronger than `through` on one profile?"""
    stronger = [kind for kind in IDENTIFIER_KINDS if STRENGTH[kind] < STRENGTH[through]]
    return any(ours.get(k) and theirs.get(k) and len(ours[k] | theirs[k]) > 1 for k in stronger)


def weak_joins(
    graph: IdentityGraph, identifiers: Sequence[Identifier], weak_kinds: Iterable[IdentifierKind]
) -> tuple[list[Identifier], dict[Identifier, tuple[str, ...]]]:
    """The weak-identifier rule: the identifiers the event may join through, and for each weak identifier whose
    owner it may not join, that owner. The event's strong identifiers (and their owners) join as always; each
    weak identifier (strongest first) joins its owner only when the owner holds no value of a kind stronger than
    the weak identifier's that differs from what the event's side holds of that kind. With only weak identifiers,
    the owner of the strongest owned one is the event's side. An identifier nobody holds is always kept."""
    weak = set(weak_kinds)
    owner_of = {i: graph.final(graph.owner[i]) for i in identifiers if i in graph.owner}
    weak_owned = [i for i in identifiers if i[0] in weak and i in owner_of]
    if not weak or not weak_owned:
        return list(identifiers), {}
    strong = [i for i in identifiers if i[0] not in weak]
    members = {owner_of[i] for i in strong if i in owner_of} if strong else {owner_of[weak_owned[0]]}
    if all(owner_of[i] in members for i in weak_owned):
        return list(identifiers), {}  # no join through a weak identifier (the common case: nothing scanned)
    ours = _held(graph, members)
    for kind, value in strong:
        ours.setdefault(kind, set()).add(value)
    blocked: dict[Identifier, tuple[str, ...]] = {}
    for identifier in sorted(weak_owned, key=lambda i: (STRENGTH[i[0]], i)):
        owner = owner_of[identifier]
        if owner in members:
            continue
        theirs = _held(graph, {owner})
        if _clash(ours, theirs, identifier[0]):
            blocked[identifier] = (owner,)
            continue
        members.add(owner)
        for kind, values in theirs.items():
            ours.setdefault(kind, set()).update(values)
    return [i for i in identifiers if i not in blocked], blocked


def resolve_event(
    graph: IdentityGraph,
    identifiers: Sequence[Identifier],
    shared: frozenset[Identifier],
    at: dt.datetime,
    make_id: Callable[[], str],
    event_id: str | None = None,
    weak_kinds: Iterable[IdentifierKind] = (),
) -> tuple[str, list[Blocked]]:
    """Resolve one event under both rules: the customer it goes to, and the joins it did not make (a shared
    identifier whose owner is another customer; a weak identifier whose owner holds a different strong value).
    Without shared identifiers and weak joins: IdentityGraph.resolve as always."""
    rest = [i for i in identifiers if i not in shared]
    rest, weak_blocked = weak_joins(graph, rest, weak_kinds)
    if not shared and not weak_blocked:
        return graph.resolve(list(identifiers), at, make_id, event_id), []
    owned = sorted((STRENGTH[i[0]], i) for i in shared if i in graph.owner)
    if rest or not owned:
        customer_id = graph.resolve(rest, at, make_id, event_id)  # no identifier left: a new customer, nothing linked
    else:
        customer_id = graph.final(graph.owner[owned[0][1]])
        graph.first_seen[customer_id] = min(graph.first_seen[customer_id], at)
    customer_id = graph.final(customer_id)
    blocked: list[Blocked] = []
    for _, identifier in owned:
        owner = graph.final(graph.owner[identifier])
        if owner != customer_id:
            blocked.append(Blocked(identifier, (owner,), "shared_identifier"))
    for identifier, owners in weak_blocked.items():
        others = tuple(o for o in (graph.final(x) for x in owners) if o != customer_id)
        if others:
            blocked.append(Blocked(identifier, others, "weak_identifier"))
    return customer_id, blocked


def resolve_guarded(
    graph: IdentityGraph,
    identifiers: Sequence[Identifier],
    shared: frozenset[Identifier],
    at: dt.datetime,
    make_id: Callable[[], str],
    event_id: str | None = None,
) -> tuple[str, dict[Identifier, tuple[str, ...]]]:
    """Resolve one event with the count guard's decision alone (no weak identifiers): the customer it goes to, and
    for each shared identifier whose owner is another customer, that owner (the merge prevented)."""
    customer_id, blocked = resolve_event(graph, identifiers, shared, at, make_id, event_id)
    return customer_id, {b.identifier: b.owners for b in blocked}


def weak_kinds_by_workspace(
    stored: Mapping[str, Sequence[IdentifierKind] | None], workspaces: Iterable[str]
) -> dict[str, tuple[IdentifierKind, ...]]:
    """Each workspace's weak identifier kinds: its own when it has set them (an empty list: the rule is off), else
    the defaults."""
    return {ws: DEFAULT_WEAK_KINDS if stored.get(ws) is None else tuple(stored[ws] or ()) for ws in workspaces}


def limits_by_workspace(
    stored: Mapping[str, Sequence[SharedLimit]], workspaces: Iterable[str]
) -> dict[str, tuple[SharedLimit, ...]]:
    """Each workspace's limits: its own when it has set them (an empty list: no guard), else the defaults."""
    return {ws: tuple(stored[ws]) if ws in stored else DEFAULT_LIMITS for ws in workspaces}
