"""`python -m services.profile`: run the profile service (settings from FLYWHEEL_* variables)."""

from runtime.serve import serve
from runtime.settings import Settings
from services.profile.wiring import create_app

if __name__ == "__main__":
    serve(create_app, Settings.for_service("profile", default_port=8081))
