"""Profile's handler of `flywheel.journey.actions`: the tags and attributes journeys ask for.

Other action types on the topic (sales tasks, coupons, invites) are for other services and are
skipped. A request for an unknown or erased customer has nothing to change; an attribute of the
wrong type for the workspace's definition, or over the trait budgets (value size and nesting, traits per
customer), is dead-lettered with the reason, as for `identify`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from contracts.codec import Decoder
from contracts.envelope import Envelope
from contracts.journey import JOURNEY_ACTION_TYPES, AttributeRequested, TagsRequested
from contracts.traits import apply_traits
from runtime.consumer import Delivery, HandlerResult, Record, Rejection
from runtime.db import Connection
from services.profile import attribute_store, store
from services.profile.domain import InvalidTraits, TraitBudget, customer_traits_problem, validate_traits

_decode = Decoder(JOURNEY_ACTION_TYPES)


class JourneyRequestsHandler:
    def __init__(self, trait_budget: TraitBudget) -> None:
        self._budget = trait_budget

    def decode(self, record: Record) -> Envelope:
        return _decode(record.value)

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        result = HandlerResult()
        by_workspace: dict[str, list[Delivery[Envelope]]] = defaultdict(list)
        for delivery in deliveries:
            if isinstance(delivery.event, TagsRequested | AttributeRequested):
                by_workspace[delivery.event.workspace].append(delivery)
        for workspace, batch in sorted(by_workspace.items()):
            await self._handle_workspace(conn, workspace, batch, result)
        return result

    async def _handle_workspace(
        self, conn: Connection, workspace: str, batch: Sequence[Delivery[Envelope]], result: HandlerResult
    ) -> None:
        live = {}
        for delivery in batch:
            customer_id = delivery.event.data.customer_id
            if customer_id not in live:
                live[customer_id] = await store.resolve_id(conn, workspace, customer_id)
        definitions = (await attribute_store.load_definitions(conn, [workspace])).get(workspace, {})
        traits = await store.load_traits(conn, workspace, {c for c in live.values() if c})
        tags: dict[str, tuple[set[str], set[str]]] = {}
        for delivery in batch:
            event, customer_id = delivery.event, live[delivery.event.data.customer_id]
            if customer_id is None or customer_id not in traits:
                continue  # unknown, or erased since the journey asked: nothing to change
            if isinstance(event, AttributeRequested):
                update = {event.data.name: event.data.value}
                try:
                    validate_traits(update, definitions, self._budget)
                except InvalidTraits as exc:
                    result.rejected.append(Rejection(delivery.record, str(exc)))
                    continue
                too_many = customer_traits_problem(set(traits[customer_id][0]), update, self._budget.per_customer)
                if too_many:
                    result.rejected.append(Rejection(delivery.record, too_many))
                    continue
                traits[customer_id] = apply_traits(*traits[customer_id], update, event.time)
            elif isinstance(event, TagsRequested):
                add, remove = tags.setdefault(customer_id, (set(), set()))
                add |= set(event.data.add) - set(event.data.remove)
                remove |= set(event.data.remove)
                add -= set(event.data.remove)
        await store.save_traits(conn, workspace, traits)
        await store.change_tags(conn, workspace, tags)
