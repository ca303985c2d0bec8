"""The gateway's cache of 360 views, kept section by section, free of I/O.

A 360 view joins six services' sections: profile's customer, scoring's scores and segments, journey's
enrolments, referral's links, sales' deals and tasks, loyalty's points. Most reads repeat a view nothing has
changed since, and most changes touch one or two sections (a purchase: profile's and scoring's, not the
deals). So the cache keeps each section of a view apart, and a change notification
(`flywheel.customer.changes`, written by database triggers in the same transaction as the change, its
`source` naming the service) drops only that service's section of the views showing the customers it names;
the next read fetches only the sections missing. A change that names no known service drops whole views. So
each section is served as exact as a fresh one, a notification's delay later. The TTL, per section, bounds
what a lost notification could cost.

The sections of an entry are all of one live customer (`live_id`: the id asked for, or the survivor it was
merged into). Profile's section vouches for that: a merge or an unmerge changes profile's rows of the ids
concerned, which drops the profile section, and a fill that refetches it and finds another live customer
replaces every section of the entry.

The race every invalidated cache must close, here per section: a section read from its service *before* a
change, stored *after* the change's notification arrived, would stay stale. Every fill is registered while it
runs, and a notification during a fill spoils that fill's section of the service it names (every section, if
it names none): the fill's answer holds it, but the cache does not, while the fill's other sections are kept.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# The services whose sections make a view, in the order of the answer's fields. Each name is also the `source`
# of that service's change notifications.
SECTIONS = ("profile", "scoring", "journey", "referral", "sales", "loyalty")
RESOLVING_SECTION = "profile"  # the section whose service says which live customer an id shows

Key = tuple[str, str]  # (workspace, customer id as requested)
# A change heard: (the section it touches, None: every one; the customers, None: every one of the workspace).
Change = tuple[str | None, frozenset[str] | None]


@dataclass
class _Entry:
    live_id: str
    customer_ids: frozenset[str]  # the id requested and the live customer it resolved to
    sections: dict[str, tuple[bytes, float]]  # name -> (body, stored at)


@dataclass(frozen=True)
class Cached:
    """What the cache holds of a view: the live customer its sections are of, and those sections by name."""

    live_id: str
    sections: Mapping[str, bytes]

    @property
    def complete(self) -> bool:
        return len(self.sections) == len(SECTIONS)


@dataclass(frozen=True)
class Fill:
    """One view being assembled, and where the workspace's change log stood when it began."""

    workspace: str
    customer_id: str
    since: int


@dataclass
class _ChangeLog:
    """A workspace's changes heard while fills of it run. A change costs one append whatever the number of
    fills; what no running fill can see any more is trimmed as fills end."""

    running: Counter[int] = field(default_factory=Counter)  # fills running, by where they began
    start: int = 0  # the position of changes[0] in the log since it was made
    changes: list[Change] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.start + len(self.changes)

    def finished(self, fill: Fill) -> None:
        self.running[fill.since] -= 1
        if self.running[fill.since] == 0:
            del self.running[fill.since]
        if self.running:
            oldest = min(self.running)
            del self.changes[: oldest - self.start]
            self.start = oldest

    def spoiled(self, fill: Fill, live_customer_id: str) -> set[str] | None:
        """The sections that changes heard since `fill` began may have touched (None: every one)."""
        ids = (fill.customer_id, live_customer_id)
        touched: set[str] = set()
        for section, changed_ids in self.changes[fill.since - self.start :]:
            if changed_ids is None or not changed_ids.isdisjoint(ids):
                if section is None:
                    return None
                touched.add(section)
        return touched


@dataclass
class ViewCache:
    max_entries: int
    ttl_s: float
    # Off until the change feed is read from its end: only then is every later change sure to be heard.
    live: bool = False
    _entries: OrderedDict[Key, _Entry] = field(default_factory=OrderedDict)
    _by_customer: dict[Key, set[Key]] = field(default_factory=dict)  # (workspace, id) -> entries showing it
    _logs: dict[str, _ChangeLog] = field(default_factory=dict)  # per workspace with fills running

    def get(self, workspace: str, customer_id: str, now: float) -> Cached | None:
        """The sections held of this view (those past the TTL are dropped), or None."""
        key = (workspace, customer_id)
        entry = self._entries.get(key)
        if entry is None:
            return None
        sections = entry.sections
        expired = [name for name, (_, stored_at) in sections.items() if now - stored_at > self.ttl_s]
        for name in expired:
            del sections[name]
        if not sections:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return Cached(entry.live_id, {name: body for name, (body, _) in sections.items()})

    def begin(self, workspace: str, customer_id: str) -> Fill:
        log = self._logs.setdefault(workspace, _ChangeLog())
        log.running[log.end] += 1
        return Fill(workspace, customer_id, log.end)

    def end(self, fill: Fill, live_customer_id: str | None, sections: Mapping[str, bytes], now: float) -> None:
        """Finish a fill: store the `sections` it read of `live_customer_id` (None: no such customer), except those
        a change heard meanwhile spoiled, and none while the cache is off. Only sections read in full belong in
        `sections` (a failed service's empty section is never stored)."""
        log = self._logs[fill.workspace]
        spoiled = log.spoiled(fill, live_customer_id) if live_customer_id is not None else None
        log.finished(fill)
        if not log.running:
            del self._logs[fill.workspace]
        if live_customer_id is None or spoiled is None or not self.live or self.max_entries == 0:
            return
        fresh = {name: body for name, body in sections.items() if name in SECTIONS and name not in spoiled}
        if not fresh:
            return
        key = (fill.workspace, fill.customer_id)
        entry = self._entries.get(key)
        if entry is None or entry.live_id != live_customer_id:
            if entry is not None and RESOLVING_SECTION not in fresh:
                return  # the entry's sections and this fill's are of different customers: which is live is unknown
            self._drop(key)
            entry = _Entry(live_customer_id, frozenset((fill.customer_id, live_customer_id)), {})
            self._entries[key] = entry
            for customer_id in entry.customer_ids:
                self._by_customer.setdefault((fill.workspace, customer_id), set()).add(key)
        for name, body in fresh.items():
            entry.sections[name] = (body, now)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._drop(next(iter(self._entries)))

    def changed(self, workspace: str, customer_ids: Iterable[str] | None, source: str | None = None) -> int:
        """Customers of a workspace changed (None: any of them may have) in the service `source` (None, or a
        service without a section: anything about them may have); returns the views that lost sections."""
        ids = None if customer_ids is None else frozenset(customer_ids)
        section = source if source in SECTIONS else None
        if workspace in self._logs:
            # A fill learns which live customer its id resolves to only when profile answers: it checks the
            # changes heard meanwhile for both ids when it ends.
            self._logs[workspace].changes.append((section, ids))
        if ids is None:
            keys = {key for key in self._entries if key[0] == workspace}
        else:
            keys = {key for customer_id in ids for key in self._by_customer.get((workspace, customer_id), ())}
        dropped = 0
        for key in keys:
            if section is None:
                self._drop(key)
                dropped += 1
                continue
            sections = self._entries[key].sections
            if sections.pop(section, None) is not None:
                dropped += 1
                if not sections:
                    self._drop(key)
        return dropped

    def clear(self) -> None:
        """Forget everything (the change feed was lost: a change may have gone unheard)."""
        self._entries.clear()
        self._by_customer.clear()
        for log in self._logs.values():
            log.changes.append((None, None))

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, key: Key) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        for customer_id in entry.customer_ids:
            keys = self._by_customer.get((key[0], customer_id))
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._by_customer[(key[0], customer_id)]
