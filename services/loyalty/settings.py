"""The loyalty service's own settings (FLYWHEEL_* variables), beside those every process reads."""

from __future__ import annotations

from pydantic import Field

from runtime.settings import RuntimeSettings


class LoyaltyServiceSettings(RuntimeSettings):
    """What loyalty reads besides the runtime's settings; built by services/loyalty/wiring.py's callers."""

    loyalty_job_interval_seconds: float = Field(
        60.0, gt=0, description="How often loyalty's jobs run (expiry, expiry notices, released holds, tier reviews)."
    )
    quota_loyalty_program_versions: int = Field(
        1000, ge=0, description="Quota: versions of the loyalty program per workspace (every PUT makes one)."
    )
    quota_loyalty_holds: int = Field(
        20, ge=0, description="Quota: open redemption holds of one member (a redemption beyond it is refused, 409)."
    )
