"""`python -m services.journey [serve|migrate]` (settings from FLYWHEEL_* variables)."""

from runtime.serve import run_service
from services.journey.settings import JourneyServiceSettings
from services.journey.wiring import MIGRATIONS, create_app

if __name__ == "__main__":
    run_service("journey", 8083, JourneyServiceSettings, create_app, MIGRATIONS)
