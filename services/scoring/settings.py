"""The scoring service's own settings (FLYWHEEL_* variables), beside those every process reads."""

from __future__ import annotations

from pydantic import Field

from runtime.settings import RuntimeSettings


class ScoringServiceSettings(RuntimeSettings):
    """What scoring reads besides the runtime's settings; built by services/scoring/wiring.py's callers."""

    scoring_refit_interval_hours: float = Field(
        24.0, gt=0, description="Scoring: refit each workspace's models this often (then re-score everyone)."
    )
    scoring_sweep_interval_s: float = Field(
        300.0, gt=0, description="Scoring: how often to look for dormant customers and segments' time windows."
    )
    statement_timeout_ms: int = Field(
        5000,
        ge=100,
        description="Longest run of one statement whose cost a workspace's own definitions decide (segment "
        "conditions); past it the definition is marked failing and the workspace's work is isolated.",
    )
    quota_segments: int = Field(100, ge=0, description="Quota: dynamic segments per workspace.")
