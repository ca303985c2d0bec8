"""`python -m services.loyalty [serve|migrate]` (settings from FLYWHEEL_* variables)."""

from runtime.serve import run_service
from services.loyalty.settings import LoyaltyServiceSettings
from services.loyalty.wiring import MIGRATIONS, create_app

if __name__ == "__main__":
    run_service("loyalty", 8086, LoyaltyServiceSettings, create_app, MIGRATIONS)
