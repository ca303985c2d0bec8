"""The profile service's own settings (FLYWHEEL_* variables), beside those every process reads."""

from __future__ import annotations

from pydantic import Field

from runtime.settings import RuntimeSettings


class ProfileServiceSettings(RuntimeSettings):
    """What profile reads besides the runtime's settings; built by services/profile/wiring.py's callers."""

    default_phone_region: str | None = Field(
        None, description="Region (e.g. 'DE') for phone numbers given without a country code; none: reject."
    )
    quota_attributes: int = Field(200, ge=0, description="Quota: custom attribute definitions per workspace.")
    quota_trait_value_bytes: int = Field(
        8192, ge=64, description="Quota: the largest value of one trait, in bytes of JSON."
    )
    quota_marketing_spend_rows: int = Field(
        100_000, ge=0, description="Quota: rows of marketing spend per workspace (one per day, channel and campaign)."
    )
    quota_event_types: int = Field(100, ge=0, description="Quota: custom event types (tracking plan) per workspace.")
    quota_event_type_versions: int = Field(
        100, ge=1, description="Quota: versions of one custom event type (each PUT /v1/event-types/{name} is one)."
    )
    event_schema_max_bytes: int = Field(
        16_384, ge=256, le=1_048_576, description="Budget: bytes of JSON of one event type's schema."
    )
    event_schema_max_depth: int = Field(
        16, ge=2, le=64, description="Budget: nesting depth of one event type's schema."
    )
    event_schema_max_keywords: int = Field(
        500, ge=10, le=100_000, description="Budget: keywords (object keys) in one event type's schema."
    )
