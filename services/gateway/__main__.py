"""`python -m services.gateway [serve|migrate]`: the public HTTP API (settings from FLYWHEEL_* variables)."""

from runtime.serve import run_service
from services.gateway.settings import GatewayServiceSettings
from services.gateway.store import MIGRATIONS
from services.gateway.wiring import create_app

if __name__ == "__main__":
    run_service("gateway", 8080, GatewayServiceSettings, create_app, MIGRATIONS)
