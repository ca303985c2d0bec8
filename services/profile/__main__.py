"""`python -m services.profile [serve|migrate]` (settings from FLYWHEEL_* variables)."""

from runtime.serve import run_service
from services.profile.settings import ProfileServiceSettings
from services.profile.wiring import MIGRATIONS, create_app

if __name__ == "__main__":
    run_service("profile", 8081, ProfileServiceSettings, create_app, MIGRATIONS)
