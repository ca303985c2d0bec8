"""`python -m services.scoring [serve|migrate|refit]` (settings from FLYWHEEL_* variables)."""

from runtime.serve import run_service
from services.scoring.settings import ScoringServiceSettings
from services.scoring.wiring import MIGRATIONS, create_app, refit_command

if __name__ == "__main__":
    run_service("scoring", 8082, ScoringServiceSettings, create_app, MIGRATIONS, commands={"refit": refit_command})
