"""The gateway's cache of assembled 360 views, free of I/O.

A 360 view costs six requests and several queries; most reads repeat a view nothing has changed since.
A cached view is dropped when any service reports a change to one of the customers it shows
(`flywheel.customer.changes`, written by database triggers in the same transaction as the change), so it
is served as exact as a fresh one, a notification's delay later. The TTL bounds what a lost notification
could cost.

The race every invalidated cache must close: a view read from the services *before* a change, stored
*after* the change's notification arrived, would stay stale. Every fill is registered while it runs, and a
notification during a fill spoils it: its view is answered but not stored.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

Key = tuple[str, str]  # (workspace, customer id as requested)


@dataclass
class _Entry:
    body: bytes
    stored_at: float
    customer_ids: frozenset[str]  # the id requested and the live customer it resolved to


@dataclass(frozen=True)
class Fill:
    """One view being assembled, and where the workspace's change log stood when it began."""

    workspace: str
    customer_id: str
    since: int


@dataclass
class _ChangeLog:
    """A workspace's changes heard while fills of it run (None: the whole workspace). A change costs one
    append whatever the number of fills; what no running fill can see any more is trimmed as fills end."""

    running: Counter[int] = field(default_factory=Counter)  # fills running, by where they began
    start: int = 0  # the position of changes[0] in the log since it was made
    changes: list[frozenset[str] | None] = field(default_factory=list)

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

    def spoils(self, fill: Fill, live_customer_id: str) -> bool:
        ids = (fill.customer_id, live_customer_id)
        return any(c is None or not c.isdisjoint(ids) for c in self.changes[fill.since - self.start :])


@dataclass
class ViewCache:
    max_entries: int
    ttl_s: float
    # Off until the change feed is read from its end: only then is every later change sure to be heard.
    live: bool = False
    _entries: OrderedDict[Key, _Entry] = field(default_factory=OrderedDict)
    _by_customer: dict[Key, set[Key]] = field(default_factory=dict)  # (workspace, id) -> entries showing it
    _logs: dict[str, _ChangeLog] = field(default_factory=dict)  # per workspace with fills running

    def get(self, workspace: str, customer_id: str, now: float) -> bytes | None:
        entry = self._entries.get((workspace, customer_id))
        if entry is None:
            return None
        if now - entry.stored_at > self.ttl_s:
            self._drop((workspace, customer_id))
            return None
        self._entries.move_to_end((workspace, customer_id))
        return entry.body

    def begin(self, workspace: str, customer_id: str) -> Fill:
        log = self._logs.setdefault(workspace, _ChangeLog())
        log.running[log.end] += 1
        return Fill(workspace, customer_id, log.end)

    def end(self, fill: Fill, live_customer_id: str | None, body: bytes | None, now: float) -> None:
        """Finish a fill: store `body` unless the fill was spoiled, the cache is off, or there is no body (a
        degraded or failed view is never stored)."""
        log = self._logs[fill.workspace]
        spoiled = live_customer_id is None or log.spoils(fill, live_customer_id)
        log.finished(fill)
        if not log.running:
            del self._logs[fill.workspace]
        if spoiled or body is None or live_customer_id is None or not self.live or self.max_entries == 0:
            return
        key = (fill.workspace, fill.customer_id)
        self._drop(key)
        ids = frozenset((fill.customer_id, live_customer_id))
        self._entries[key] = _Entry(body, now, ids)
        for customer_id in ids:
            self._by_customer.setdefault((fill.workspace, customer_id), set()).add(key)
        while len(self._entries) > self.max_entries:
            self._drop(next(iter(self._entries)))

    def changed(self, workspace: str, customer_ids: Iterable[str] | None) -> int:
        """Customers of a workspace changed (None: any of them may have); returns the views dropped."""
        ids = None if customer_ids is None else frozenset(customer_ids)
        if workspace in self._logs:
            # A fill learns which live customer its id resolves to only when profile answers: it checks the
            # changes heard meanwhile for both ids when it ends.
            self._logs[workspace].changes.append(ids)
        if ids is None:
            keys = {key for key in self._entries if key[0] == workspace}
        else:
            keys = {key for customer_id in ids for key in self._by_customer.get((workspace, customer_id), ())}
        for key in keys:
            self._drop(key)
        return len(keys)

    def clear(self) -> None:
        """Forget everything (the change feed was lost: a change may have gone unheard)."""
        self._entries.clear()
        self._by_customer.clear()
        for log in self._logs.values():
            log.changes.append(None)

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
