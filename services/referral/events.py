"""The events referral publishes on `flywheel.referral.events`, each validated by its contract model.

Ids are derived from what caused them (the reward, the attributed customer, the journey action), so a
replay publishes the same ids and consumers de-duplicate; the key is the customer the event belongs to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel

from contracts.referral import AttributionData, CodeIssuedData, RewardData, RewardWithReasonData
from contracts.topics import REFERRAL_EVENTS
from runtime.outbox import EventBatch
from services.referral.domain.engine import Announcement, Attribution, RewardEntry

SOURCE = "flywheel.referral"


def value_text(kind: str, value: Decimal) -> str:
    """Money with cents ("10.00"); percentages and points as plain numbers ("15", "12.5")."""
    if kind == "amount":
        return str(value.quantize(Decimal("0.01")))
    return format(value.normalize(), "f")


class Outbox(EventBatch):
    def __init__(self, workspace: str, now: dt.datetime) -> None:
        super().__init__(SOURCE, workspace, now)

    def announce(self, announcements: list[Announcement]) -> None:
        for what, subject in announcements:
            if isinstance(subject, Attribution):
                self.attributed(subject)
            elif what == "granted":
                self.reward("referral.reward_granted", subject)
            elif what == "held":
                self.reward("referral.reward_held", subject)
            elif what == "reversed":
                self.reward("referral.reward_reversed", subject)

    def code_issued(self, event_id: str, data: CodeIssuedData) -> None:
        self._add(event_id, "referral.code_issued", data.customer_id, data)

    def attributed(self, attribution: Attribution) -> None:
        data = AttributionData(
            customer_id=attribution.friend_id,
            referrer_id=attribution.referrer_id,
            program_id=attribution.program_id,
            code=attribution.code,
            status=attribution.status,
            reason=attribution.reason,
            first_touch_at=attribution.first_touch_at,
        )
        event_id = f"referral.attributed:{attribution.program_id}:{attribution.friend_id}"
        if attribution.status == "rejected":
            event_id += ":rejected"
        self._add(event_id, "referral.attributed", attribution.referrer_id, data)

    def reward(self, event_type: str, reward: RewardEntry, again: str = "") -> None:
        """`again`: what makes a second announcement of the same change distinct (a grant given back by an undone
        merge is announced under its own id, not de-duplicated as the first grant)."""
        fields = {
            "reward_id": reward.reward_id,
            "program_id": reward.program_id,
            "customer_id": reward.beneficiary_id,
            "role": reward.role,
            "kind": reward.kind,
            "value": value_text(reward.kind, reward.value),
            "trigger": reward.trigger,
            "referrer_id": reward.referrer_id,
            "friend_id": reward.friend_id,
            "tier": reward.tier,
            "order_id": reward.order_id,
        }
        data: BaseModel
        if event_type == "referral.reward_granted":
            data = RewardData.model_validate(fields)
        else:
            data = RewardWithReasonData.model_validate({**fields, "reason": reward.reason or "held for review"})
        self._add(f"{event_type}:{reward.reward_id}{again}", event_type, reward.beneficiary_id, data)

    def _add(self, event_id: str, event_type: str, customer_id: str, data: BaseModel) -> None:
        self.add(REFERRAL_EVENTS, event_type, event_id, customer_id, data)
