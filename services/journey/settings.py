"""The journey service's own settings (FLYWHEEL_* variables), beside those every process reads."""

from __future__ import annotations

from pydantic import Field

from runtime.production_guard import webhook_allowlist_problems
from runtime.settings import RuntimeSettings


class JourneyServiceSettings(RuntimeSettings):
    """What journey reads besides the runtime's settings; built by services/journey/wiring.py's callers."""

    journey_tick_s: float = Field(
        1.0, gt=0, description="Journey: how often due timers and webhook deliveries are looked for."
    )
    webhook_allowed_hosts: str = Field(
        "",
        description="Journey: comma-separated hosts, IP addresses or CIDR ranges webhooks may reach although "
        "internal (e.g. 127.0.0.1 for a local receiver); empty: only public addresses.",
    )
    webhook_allowed_ports: str = Field(
        "80,443", description="Journey: comma-separated ports webhook URLs may name (an allowed host may use any)."
    )
    # In flight = rate x latency: 64 at once carry 5,000 deliveries/s to a receiver answering in 12 ms, and a
    # tarpit workspace holds a quarter of the replica's slots at most.
    delivery_concurrency: int = Field(256, ge=1, description="Journey: webhook deliveries in flight per replica.")
    delivery_per_workspace: int = Field(
        64, ge=1, description="Journey: most webhook deliveries in flight for one workspace per replica."
    )
    delivery_per_receiver: int = Field(
        64, ge=1, description="Journey: most webhook deliveries in flight to one receiver (host and port) per replica."
    )
    public_url: str = Field(
        "http://127.0.0.1:8080",
        description="Journey: the gateway's public base URL, as customers reach it: a survey action's answer link "
        "is <public_url>/v1/survey-answers?token=..., and every message's one-click unsubscribe link "
        "<public_url>/v1/unsubscribe?token=... (https in production).",
    )
    quota_journeys: int = Field(200, ge=0, description="Quota: journeys per workspace (drafts, active, paused).")
    quota_active_journeys: int = Field(50, ge=0, description="Quota: active journeys per workspace.")
    quota_subscription_groups: int = Field(100, ge=0, description="Quota: subscription groups per workspace.")
    quota_suppressions: int = Field(
        1_000_000, ge=0, description="Quota: hashed identifiers on a workspace's suppression list."
    )

    def service_production_problems(self) -> list[str]:
        """Webhooks must not reach the cluster: the allowlist may name public hosts only; answer links use https."""
        problems = webhook_allowlist_problems(self.webhook_allowed_hosts)
        if not self.public_url.startswith("https://"):
            problems.append("FLYWHEEL_PUBLIC_URL must be an https:// URL: survey answer links carry their token in it")
        return problems
