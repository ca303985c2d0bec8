"""Settings of every Flywheel process, read from `FLYWHEEL_*` environment variables.

`RuntimeSettings` holds what the shared runtime reads in every process (database, Kafka, HTTP and metrics
ports, logging, tracing, service tokens, consumers and outbox, the environment and what the production guard
checks); each service's own settings are a subclass in its package (`services/<name>/settings.py`), read by
its `__main__` (runtime.serve.run_service) and taken by its wiring, so a service is given only what it reads.
services/settings.py lists them all. Every variable is in README's settings table.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from typing_extensions import TypeVar


class RuntimeSettings(BaseSettings):
    """One prefix for every process; a service's subclass adds its own fields."""

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

    # The keys every deployment holds (the production guard refuses each service without them), though only
    # journey seals secrets and only profile hashes identifiers.
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
    consumer_poll_ms: int = Field(
        500,
        ge=1,
        description="How long an idle consumer loop waits for a batch before looking again (lag gauge, stopping); "
        "records wake it at once.",
    )
    consumer_fetch_max_wait_ms: int = Field(
        500,
        ge=0,
        description="How long the broker holds a fetch to gather `consumer_fetch_min_bytes`; idle, each "
        "consumer's fetches come back this often (shorter costs the broker more at rest).",
    )
    consumer_fetch_min_bytes: int = Field(
        1,
        ge=1,
        description="Bytes a fetch gathers before the broker answers early. 1 (the default) answers as soon as "
        "anything arrives: least latency. Where events trickle in, e.g. 16384 makes one batch (one transaction, "
        "outbox round and offset commit) carry many events, at the price of up to `consumer_fetch_max_wait_ms` "
        "more latency in each service on an event's way.",
    )
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
    merge_undo_retention_days: int = Field(
        90, ge=1, description="How long what a merge's fold changed is kept so `profile.unmerged` can give it back."
    )
    # Multi-tenant safety: every workspace shares the deployment with others that may be hostile.
    tenant_failure_retries: int = Field(
        3,
        ge=1,
        description="Attempts at a workspace's part of a batch that keeps timing out before it is isolated "
        "(dead-lettered with the reason) so other workspaces flow on.",
    )
    outbox_batch: int = Field(5000, ge=1, description="Most outbox rows published per round.")
    outbox_poll_s: float = Field(1.0, gt=0, description="Outbox sweep interval when nothing wakes it.")

    otel_exporter: Literal["none", "console", "otlp"] = Field("none", description="Where spans go.")
    otel_endpoint: str | None = Field(None, description="OTLP/HTTP endpoint when otel_exporter=otlp.")

    env: Literal["development", "production"] = Field(
        "development", description="production: webhook URLs must use https (and other production-only checks)."
    )
    # Every service refuses to start in production with clock_control on, whichever honours it (journey, sales).
    clock_control: bool = Field(
        False, description="Tests only: the journey service's clock can be moved forward over HTTP."
    )

    @property
    def group_id(self) -> str:
        return self.consumer_group or f"flywheel-{self.service_name}"

    @classmethod
    def for_service(cls, name: str, default_port: int) -> Self:
        """Settings from the environment, with this service's name and port unless the environment sets them."""
        settings = cls()
        defaults = {"service_name": name, "http_port": default_port}
        return settings.model_copy(update={k: v for k, v in defaults.items() if k not in settings.model_fields_set})

    def service_production_problems(self) -> list[str]:
        """What this service's own settings make unfit for production, beyond what every service checks
        (runtime/production_guard.py asks only with FLYWHEEL_ENV=production). None here."""
        return []


SettingsT_co = TypeVar("SettingsT_co", bound=RuntimeSettings, default=RuntimeSettings, covariant=True)
"""The settings class of a process (its runtime and context are generic in it, so each service reads its own
fields with their types)."""
