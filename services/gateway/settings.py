"""The gateway service's own settings (FLYWHEEL_* variables), beside those every process reads."""

from __future__ import annotations

from pydantic import Field

from runtime.settings import RuntimeSettings


class GatewayServiceSettings(RuntimeSettings):
    """What gateway reads besides the runtime's settings; built by services/gateway/wiring.py's callers."""

    profile_url: str = Field("http://127.0.0.1:8081", description="Gateway: base URL of the profile service.")
    scoring_url: str = Field("http://127.0.0.1:8082", description="Gateway: base URL of the scoring service.")
    journey_url: str = Field("http://127.0.0.1:8083", description="Gateway: base URL of the journey service.")
    referral_url: str = Field("http://127.0.0.1:8084", description="Gateway: base URL of the referral service.")
    sales_url: str = Field("http://127.0.0.1:8085", description="Gateway: base URL of the sales service.")
    loyalty_url: str = Field("http://127.0.0.1:8086", description="Gateway: base URL of the loyalty service.")
    service_timeout_s: float = Field(2.0, gt=0, description="Gateway: per-call timeout to a service.")
    max_batch_events: int = Field(1000, ge=1, description="Gateway: most events in one POST /v1/events.")
    produce_linger_ms: float = Field(
        10.0,
        ge=0,
        description="Gateway: how long accepted events wait for those of concurrent requests to go to Kafka in the "
        "same produce request (each request is answered once its own events are acknowledged).",
    )
    publish_timeout_s: float = Field(
        10.0,
        gt=0,
        description="Gateway: how long a request waits for Kafka to acknowledge its events; beyond, 503 with "
        "Retry-After naming those acknowledged (the broker is away: clients retry, ids are de-duplicated).",
    )
    max_body_bytes: int = Field(5_000_000, ge=1024, description="Gateway: largest request body accepted.")
    rate_limit_per_s: float = Field(
        1000.0, gt=0, description="Gateway: requests per second one API key may make (per gateway replica)."
    )
    rate_limit_burst: int = Field(2000, ge=1, description="Gateway: requests one API key may make at once.")
    auth_failures_per_minute: int = Field(
        60,
        ge=1,
        description="Gateway: failed authentications one client address may make per minute; beyond, 429.",
    )
    survey_answers_per_minute: int = Field(
        30,
        ge=1,
        description="Gateway: survey answers (POST /v1/survey-answers, no API key) one client address may send per "
        "minute; beyond, 429.",
    )
    idempotency_ttl_hours: float = Field(
        24.0, gt=0, description="Gateway: how long an Idempotency-Key's answer is kept for replay."
    )
    key_rotation_grace_hours: float = Field(
        24.0, ge=0, description="Gateway: how long a rotated key's old secret keeps working."
    )
    console_dir: str = Field(
        "",
        description="Gateway: the directory of the built console it serves at /console (index.html and assets/); "
        "empty: the one shipped in the package, services/gateway/static/console.",
    )
    view_cache_entries: int = Field(
        20_000,
        ge=0,
        description="Gateway: 360 views kept in memory per replica (0: none), dropped as `flywheel.customer.changes` "
        "reports changes.",
    )
    view_cache_ttl_s: float = Field(60.0, gt=0, description="Gateway: the longest a cached 360 view is served.")
    quota_api_keys: int = Field(50, ge=0, description="Quota: live (not revoked) API keys per workspace.")
    quota_idempotency_keys: int = Field(
        100_000, ge=0, description="Quota: stored Idempotency-Key answers per workspace (they expire after the TTL)."
    )
    quota_kpi_targets: int = Field(
        1000, ge=0, description="Quota: KPI targets per workspace (one per metric and period)."
    )
