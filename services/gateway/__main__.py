"""`python -m services.gateway`: run the public HTTP API (settings from FLYWHEEL_* variables)."""

from runtime.serve import serve
from runtime.settings import Settings
from services.gateway.wiring import create_app

if __name__ == "__main__":
    serve(create_app, Settings.for_service("gateway", default_port=8080))
