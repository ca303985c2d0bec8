"""Every process's settings: the runtime's, which all share (runtime/settings.py), and each service's own class
(services/<name>/settings.py). The deploy checks and the README's settings table are held to every variable
named here."""

from __future__ import annotations

from pydantic.fields import FieldInfo

from runtime.settings import RuntimeSettings
from services.gateway.settings import GatewayServiceSettings
from services.journey.settings import JourneyServiceSettings
from services.loyalty.settings import LoyaltyServiceSettings
from services.profile.settings import ProfileServiceSettings
from services.referral.settings import ReferralServiceSettings
from services.sales.settings import SalesServiceSettings
from services.scoring.settings import ScoringServiceSettings

SERVICE_SETTINGS: dict[str, type[RuntimeSettings]] = {
    "gateway": GatewayServiceSettings,
    "profile": ProfileServiceSettings,
    "scoring": ScoringServiceSettings,
    "journey": JourneyServiceSettings,
    "referral": ReferralServiceSettings,
    "sales": SalesServiceSettings,
    "loyalty": LoyaltyServiceSettings,
}


def every_setting() -> dict[str, FieldInfo]:
    """Every setting any process reads, by field name (its variable is FLYWHEEL_<NAME>)."""
    fields = dict(RuntimeSettings.model_fields)
    for kind in SERVICE_SETTINGS.values():
        fields.update(kind.model_fields)
    return fields
