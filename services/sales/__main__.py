"""`python -m services.sales [serve|migrate]` (settings from FLYWHEEL_* variables)."""

from runtime.serve import run_service
from services.sales.settings import SalesServiceSettings
from services.sales.wiring import MIGRATIONS, create_app

if __name__ == "__main__":
    run_service("sales", 8085, SalesServiceSettings, create_app, MIGRATIONS)
