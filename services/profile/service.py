"""Profile's use cases that its API runs (the consumers' identity resolution is handlers.py's, in the consumer
loop's transaction): each in a unit of work (runtime.unit_of_work), the stores writing and events.py building
what is published."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from runtime.context import ServiceContext
from runtime.unit_of_work import Work
from services.profile import events, ledger_store, store
from services.profile.ledger import IdentifierHasher


@dataclass(frozen=True)
class ProfileContext(ServiceContext):
    """What profile's api is given (built by wiring.py)."""


class CustomerMissing(Exception):
    def __init__(self, customer_id: str) -> None:
        super().__init__(f"no customer {customer_id!r} in this workspace")


async def erase_customer(
    work: Work, workspace: str, customer_id: str, hasher: IdentifierHasher, now: dt.datetime
) -> tuple[str, list[str]]:
    """Erase the customer (the id may be one merged away): identifiers, traits, timeline, orders and tickets go,
    an id-only tombstone stays, and `profile.erased` is published. The erasure lasts: later events carrying
    these identifiers are dropped (services/profile/ledger.py). Returns the live id and every id erased."""
    live = await store.resolve_id(work.conn, workspace, customer_id)
    if live is None:
        raise CustomerMissing(customer_id)
    erased = await store.erase_customer(work.conn, workspace, live)
    await ledger_store.record_erasure(work.conn, workspace, hasher.hashes(workspace, erased.identifiers), now)
    work.publish(events.erased(workspace, live, erased.customer_ids, now))
    return live, erased.customer_ids
