"""The referral service's own settings (FLYWHEEL_* variables), beside those every process reads."""

from __future__ import annotations

from pydantic import Field

from runtime.settings import RuntimeSettings


class ReferralServiceSettings(RuntimeSettings):
    """What referral reads besides the runtime's settings; built by services/referral/wiring.py's callers."""

    quota_referral_programs: int = Field(20, ge=0, description="Quota: referral programs per workspace.")
