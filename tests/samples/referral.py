"""A valid `data` object for every type in contracts.referral.REFERRAL_EVENT_TYPES."""

from __future__ import annotations

from typing import Any

_REWARD: dict[str, Any] = {
    "reward_id": "rw_p_friends_c_2_referrer",
    "program_id": "p_friends",
    "customer_id": "c_1",
    "role": "referrer",
    "kind": "amount",
    "value": "10.00",
    "trigger": "first_purchase",
    "referrer_id": "c_1",
    "friend_id": "c_2",
    "order_id": "o-17",
}

REFERRAL_DATA: dict[str, dict[str, Any]] = {
    "referral.code_issued": {
        "customer_id": "c_1",
        "program_id": "p_friends",
        "code": "REF-7K2QXM",
        "created": True,
        "channel": "email",
        "journey_id": "j_1",
        "enrolment_id": "en_1",
    },
    "referral.attributed": {
        "customer_id": "c_2",
        "referrer_id": "c_1",
        "program_id": "p_friends",
        "code": "REF-7K2QXM",
        "status": "signed_up",
        "first_touch_at": "2026-06-01T12:00:00+00:00",
    },
    "referral.reward_granted": _REWARD,
    "referral.reward_held": {**_REWARD, "reason": "value 60.00 above the review threshold 50.00"},
    "referral.reward_reversed": {**_REWARD, "reason": "qualifying purchase o-17 refunded"},
}
