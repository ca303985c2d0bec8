"""Events the referral service publishes on `flywheel.referral.events`.

Filled in by the referral service's issue: rewards granted and reversed, attributions, fraud holds.
"""

from __future__ import annotations

from contracts.envelope import Envelope

REFERRAL_EVENT_TYPES: dict[str, type[Envelope]] = {}
