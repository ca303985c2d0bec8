"""Profile's handler of `flywheel.referral.events`: the referral attributions (`referral.attributed`, not a
refused one) a profile keeps to derive its acquisition source (domain.acquisition_of); a source they change is
announced through the outbox (`profile.acquisition_changed`). Other event types on the topic (codes, rewards) are
for others and are skipped. service.record_referral_attributions applies them."""

from __future__ import annotations

from collections.abc import Sequence

from contracts.codec import Decoder
from contracts.envelope import Envelope
from contracts.referral import REFERRAL_EVENT_TYPES, Attributed
from runtime.consumer import Delivery, HandlerResult, RetryBatch
from runtime.db import Connection
from runtime.handlers import DecodingHandler, by_workspace
from runtime.unit_of_work import Work
from services.profile import service, store
from services.profile.service import ProfileContext


class ReferralEventsHandler(DecodingHandler[ProfileContext]):
    def __init__(self, context: ProfileContext) -> None:
        super().__init__(context, Decoder(REFERRAL_EVENT_TYPES))

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        attributed = [d for d in deliveries if isinstance(d.event, Attributed)]
        work = Work(conn)
        try:
            for workspace, batch in by_workspace(attributed):
                await service.record_referral_attributions(work, workspace, [d.event for d in batch])
        except store.ConcurrentChange as exc:  # a concurrent merge got there first: this batch runs again
            raise RetryBatch(str(exc)) from exc
        return HandlerResult(publish=work.messages)
