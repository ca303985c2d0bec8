"""Settings for every Flywheel process, read from `FLYWHEEL_*` environment variables."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """One prefix, one class: each variable is listed in README's settings table."""

    model_config = SettingsConfigDict(env_prefix="FLYWHEEL_", extra="ignore")

    service_name: str = Field("flywheel", description="Names the process in logs, metrics and dead letters.")
    database_url: str = Field(
        "postgresql://flywheel@127.0.0.1:54329/flywheel", description="PostgreSQL DSN of this service's database."
    )
    db_pool_min: int = Field(2, ge=1)
    db_pool_max: int = Field(10, ge=1)
    kafka_bootstrap: str = Field("127.0.0.1:19092", description="Kafka bootstrap servers, comma separated.")
    kafka_idempotent_producer: bool = Field(True, description="enable.idempotence on producers (acks=all).")
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        "PLAINTEXT", description="How clients talk to Kafka: SASL_SSL (SCRAM) or SSL (mutual TLS) in production."
    )
    kafka_sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] = Field(
        "SCRAM-SHA-512", description="SASL mechanism with SASL_SSL or SASL_PLAINTEXT."
    )
    kafka_sasl_username: str | None = Field(None, description="SASL user (one per service).")
    kafka_sasl_password: str | None = Field(None, description="SASL password.")
    kafka_ssl_cafile: str | None = Field(None, description="CA certificate (PEM) of the brokers' certificates.")
    kafka_ssl_certfile: str | None = Field(None, description="Client certificate (PEM) for mutual TLS.")
    kafka_ssl_keyfile: str | None = Field(None, description="Client private key (PEM) for mutual TLS.")
    http_host: str = "127.0.0.1"
    http_port: int = Field(8080, ge=1, le=65535)
    log_level: str = "INFO"
    metrics_port: int | None = Field(
        None,
        ge=1,
        le=65535,
        description="Port of /metrics, /healthz and /readyz, apart from the API (default: the HTTP port + 1000); "
        "the Ingress never routes it.",
    )
    internal_token_keys: str = Field(
        "",
        description="Service-to-service tokens: comma-separated `kid:secret` signing keys; the first signs, "
        "every one verifies (rotation without downtime). Empty: a fixed development key, refused in production.",
    )
    internal_token_ttl_s: float = Field(60.0, gt=0, le=3600, description="Lifetime of a service-to-service token.")
    secrets_keys: str = Field(
        "",
        description="Keys encrypting secrets at rest (webhook signing secrets): comma-separated `kid:base64` "
        "32-byte keys; the first encrypts, every one decrypts. Empty: a fixed development key, refused in production.",
    )
    identifier_hash_key: str = Field(
        "",
        description="Key of the HMAC that hashes erased identifiers in the erasure ledger. Empty: a fixed "
        "development key, refused in production.",
    )

    consumer_group: str | None = Field(None, description="Consumer group id; default flywheel-<service>.")
    consumer_concurrency: int = Field(
        2, ge=1, le=32, description="Consumer loops per topic in one process (each its own share of partitions)."
    )
    consumer_max_records: int = Field(5000, ge=1, description="Most messages handled in one batch.")
    consumer_poll_ms: int = Field(100, ge=1, description="How long one fetch waits for messages.")
    consumer_session_timeout_ms: int = Field(
        10_000, ge=1000, description="How long a silent consumer counts as alive before its partitions move on."
    )
    consumer_heartbeat_ms: int = Field(
        1000, ge=100, description="Consumer heartbeat interval: a rebalance reaches each member within one interval."
    )
    retry_initial_s: float = Field(0.2, gt=0, description="First back-off after a transient error.")
    retry_max_s: float = Field(15.0, gt=0, description="Longest back-off after repeated transient errors.")
    dedupe_retention_hours: int = Field(
        336, ge=1, description="How long processed event ids are kept for de-duplication (longer than topic retention)."
    )
    outbox_batch: int = Field(5000, ge=1, description="Most outbox rows published per round.")
    outbox_poll_s: float = Field(1.0, gt=0, description="Outbox sweep interval when nothing wakes it.")

    otel_exporter: Literal["none", "console", "otlp"] = Field("none", description="Where spans go.")
    otel_endpoint: str | None = Field(None, description="OTLP/HTTP endpoint when otel_exporter=otlp.")

    default_phone_region: str | None = Field(
        None, description="Region (e.g. 'DE') for phone numbers given without a country code; none: reject."
    )

    scoring_refit_interval_hours: float = Field(
        24.0, gt=0, description="Scoring: refit each workspace's models this often (then re-score everyone)."
    )
    scoring_sweep_interval_s: float = Field(
        300.0, gt=0, description="Scoring: how often to look for dormant customers and segments' time windows."
    )

    clock_control: bool = Field(
        False, description="Tests only: the journey service's clock can be moved forward over HTTP."
    )
    journey_tick_s: float = Field(
        1.0, gt=0, description="Journey: how often due timers and webhook deliveries are looked for."
    )
    sales_tick_s: float = Field(5.0, gt=0, description="Sales: how often task reminders (due, overdue) are looked for.")

    profile_url: str = Field("http://127.0.0.1:8081", description="Gateway: base URL of the profile service.")
    scoring_url: str = Field("http://127.0.0.1:8082", description="Gateway: base URL of the scoring service.")
    journey_url: str = Field("http://127.0.0.1:8083", description="Gateway: base URL of the journey service.")
    referral_url: str = Field("http://127.0.0.1:8084", description="Gateway: base URL of the referral service.")
    sales_url: str = Field("http://127.0.0.1:8085", description="Gateway: base URL of the sales service.")
    service_timeout_s: float = Field(2.0, gt=0, description="Gateway: per-call timeout to a service.")
    max_batch_events: int = Field(1000, ge=1, description="Gateway: most events in one POST /v1/events.")
    max_body_bytes: int = Field(5_000_000, ge=1024, description="Gateway: largest request body accepted.")
    rate_limit_per_s: float = Field(
        1000.0, gt=0, description="Gateway: requests per second one API key may make (per gateway replica)."
    )
    rate_limit_burst: int = Field(2000, ge=1, description="Gateway: requests one API key may make at once.")
    idempotency_ttl_hours: float = Field(
        24.0, gt=0, description="Gateway: how long an Idempotency-Key's answer is kept for replay."
    )
    key_rotation_grace_hours: float = Field(
        24.0, ge=0, description="Gateway: how long a rotated key's old secret keeps working."
    )
    view_cache_entries: int = Field(
        20_000,
        ge=0,
        description="Gateway: 360 views kept in memory per replica (0: none), dropped as `flywheel.customer.changes` "
        "reports changes.",
    )
    view_cache_ttl_s: float = Field(60.0, gt=0, description="Gateway: the longest a cached 360 view is served.")

    # Multi-tenant safety: every workspace shares the deployment with others that may be hostile.
    env: Literal["development", "production"] = Field(
        "development", description="production: webhook URLs must use https (and other production-only checks)."
    )
    statement_timeout_ms: int = Field(
        5000,
        ge=100,
        description="Longest run of one statement whose cost a workspace's own definitions decide (segment "
        "conditions); past it the definition is marked failing and the workspace's work is isolated.",
    )
    tenant_failure_retries: int = Field(
        3,
        ge=1,
        description="Attempts at a workspace's part of a batch that keeps timing out before it is isolated "
        "(dead-lettered with the reason) so other workspaces flow on.",
    )
    quota_segments: int = Field(100, ge=0, description="Quota: dynamic segments per workspace.")
    quota_journeys: int = Field(200, ge=0, description="Quota: journeys per workspace (drafts, active, paused).")
    quota_active_journeys: int = Field(50, ge=0, description="Quota: active journeys per workspace.")
    quota_referral_programs: int = Field(20, ge=0, description="Quota: referral programs per workspace.")
    quota_pipelines: int = Field(20, ge=0, description="Quota: sales pipelines per workspace (built-in ones count).")
    quota_api_keys: int = Field(50, ge=0, description="Quota: live (not revoked) API keys per workspace.")
    quota_idempotency_keys: int = Field(
        100_000, ge=0, description="Quota: stored Idempotency-Key answers per workspace (they expire after the TTL)."
    )
    quota_attributes: int = Field(200, ge=0, description="Quota: custom attribute definitions per workspace.")
    quota_trait_value_bytes: int = Field(
        8192, ge=64, description="Quota: the largest value of one trait, in bytes of JSON."
    )
    auth_failures_per_minute: int = Field(
        60,
        ge=1,
        description="Gateway: failed authentications one client address may make per minute; beyond, 429.",
    )
    webhook_allowed_hosts: str = Field(
        "",
        description="Journey: comma-separated hosts, IP addresses or CIDR ranges webhooks may reach although "
        "internal (e.g. 127.0.0.1 for a local receiver); empty: only public addresses.",
    )
    webhook_allowed_ports: str = Field(
        "80,443", description="Journey: comma-separated ports webhook URLs may name (an allowed host may use any)."
    )
    delivery_concurrency: int = Field(64, ge=1, description="Journey: webhook deliveries in flight per replica.")
    delivery_per_workspace: int = Field(
        8, ge=1, description="Journey: most webhook deliveries in flight for one workspace per replica."
    )
    delivery_per_receiver: int = Field(
        8, ge=1, description="Journey: most webhook deliveries in flight to one receiver (host and port) per replica."
    )

    @property
    def group_id(self) -> str:
        return self.consumer_group or f"flywheel-{self.service_name}"

    @classmethod
    def for_service(cls, name: str, default_port: int) -> Settings:
        """Settings from the environment, with this service's name and port unless the environment sets them."""
        settings = cls()
        defaults = {"service_name": name, "http_port": default_port}
        return settings.model_copy(update={k: v for k, v in defaults.items() if k not in settings.model_fields_set})
