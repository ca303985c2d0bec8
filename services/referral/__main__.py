"""`python -m services.referral [serve|migrate]` (settings from FLYWHEEL_* variables)."""

from runtime.serve import run_service
from services.referral.settings import ReferralServiceSettings
from services.referral.wiring import MIGRATIONS, create_app

if __name__ == "__main__":
    run_service("referral", 8084, ReferralServiceSettings, create_app, MIGRATIONS)
