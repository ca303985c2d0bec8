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

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

Key = tuple[str, str]  # (workspace, customer id as requested)


@dataclass
class _Entry:
    body: bytes
    stored_at: float
    customer_ids: frozenset[str]  # the id requested and the live customer it resolved to


@dataclass(eq=False)  # each fill is itself: two for the same customer are not equal
class Fill:
    """One view being assembled; spoiled by a change to its workspace or customers meanwhile."""

    workspace: str
    customer_id: str
    spoiled: bool = False  # the whole workspace changed
    changed_ids: set[str] = field(default_factory=set)  # the workspace's customers that changed meanwhile

    def spoiled_for(self, live_customer_id: str) -> bool:
        return self.spoiled or not self.changed_ids.isdisjoint((self.customer_id, live_customer_id))


@dataclass
class ViewCache:
    max_entries: int
    ttl_s: float
    # Off until the change feed is read from its end: only then is every later change sure to be heard.
    live: bool = False
    _entries: OrderedDict[Key, _Entry] = field(default_factory=OrderedDict)
    _by_customer: dict[Key, set[Key]] = field(default_factory=dict)  # (workspace, id) -> entries showing it
    _fills: dict[str, list[Fill]] = field(default_factory=dict)  # per workspace, the fills running

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
        fill = Fill(workspace, customer_id)
        self._fills.setdefault(workspace, []).append(fill)
        return fill

    def end(self, fill: Fill, live_customer_id: str | None, body: bytes | None, now: float) -> None:
        """Finish a fill: store `body` unless the fill was spoiled, the cache is off, or there is no body (a
        degraded or failed view is never stored)."""
        running = self._fills.get(fill.workspace, [])
        if fill in running:
            running.remove(fill)
            if not running:
                del self._fills[fill.workspace]
        if body is None or live_customer_id is None or not self.live or self.max_entries == 0:
            return
        if fill.spoiled_for(live_customer_id):
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
        if customer_ids is None:
            for fill in self._fills.get(workspace, ()):
                fill.spoiled = True
            keys = {key for key in self._entries if key[0] == workspace}
        else:
            ids = set(customer_ids)
            for fill in self._fills.get(workspace, ()):
                # A fill learns which live customer its id resolves to only when profile answers: it keeps
                # every id that changed meanwhile and checks both when it ends.
                fill.changed_ids |= ids
            keys = {key for customer_id in ids for key in self._by_customer.get((workspace, customer_id), ())}
        for key in keys:
            self._drop(key)
        return len(keys)

    def clear(self) -> None:
        """Forget everything (the change feed was lost: a change may have gone unheard)."""
        self._entries.clear()
        self._by_customer.clear()
        for fills in self._fills.values():
            for fill in fills:
                fill.spoiled = True

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
