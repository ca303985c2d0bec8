"""Profile's handler of `flywheel.journey.actions`: decodes the tags and attributes journeys ask for and
groups them by workspace; service.apply_journey_requests applies them (and says which are refused).

Other action types on the topic (sales tasks, coupons, invites) are for other services and are skipped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from contracts.codec import Decoder
from contracts.envelope import Envelope
from contracts.journey import JOURNEY_ACTION_TYPES, AttributeRequested, TagsRequested
from runtime.consumer import Delivery, HandlerResult
from runtime.db import Connection
from runtime.handlers import DecodingHandler
from runtime.unit_of_work import Work
from services.profile import service
from services.profile.service import ProfileContext


class JourneyRequestsHandler(DecodingHandler[ProfileContext]):
    def __init__(self, context: ProfileContext) -> None:
        super().__init__(context, Decoder(JOURNEY_ACTION_TYPES))

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        result, work = HandlerResult(), Work(conn)
        by_workspace: dict[str, list[Delivery[Envelope]]] = defaultdict(list)
        for delivery in deliveries:
            if isinstance(delivery.event, TagsRequested | AttributeRequested):
                by_workspace[delivery.event.workspace].append(delivery)
        for workspace, batch in sorted(by_workspace.items()):
            result.rejected.extend(
                await service.apply_journey_requests(work, self.context.trait_budget, workspace, batch)
            )
        result.publish.extend(work.messages)
        return result
