"""RuntimeSettings.for_service: the service's name and port unless FLYWHEEL_* environment variables say otherwise."""

from __future__ import annotations

import os

import pytest

from runtime.settings import RuntimeSettings
from services.profile.settings import ProfileServiceSettings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.upper().startswith("FLYWHEEL_"):
            monkeypatch.delenv(name)


def test_for_service_uses_the_service_defaults_without_environment() -> None:
    settings = RuntimeSettings.for_service("profile", 8081)

    assert (settings.service_name, settings.http_port) == ("profile", 8081)
    assert settings.group_id == "flywheel-profile"


def test_environment_overrides_win_over_the_service_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLYWHEEL_SERVICE_NAME", "profile-canary")
    monkeypatch.setenv("FLYWHEEL_HTTP_PORT", "9191")

    settings = RuntimeSettings.for_service("profile", 8081)

    assert (settings.service_name, settings.http_port) == ("profile-canary", 9191)
    assert settings.group_id == "flywheel-profile-canary"


def test_an_override_equal_to_the_class_default_still_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLYWHEEL_HTTP_PORT", "8080")  # RuntimeSettings' own default, but set explicitly

    settings = RuntimeSettings.for_service("profile", 8081)

    assert (settings.service_name, settings.http_port) == ("profile", 8080)


def test_one_override_leaves_the_other_service_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLYWHEEL_SERVICE_NAME", "renamed")

    settings = RuntimeSettings.for_service("scoring", 8082)

    assert (settings.service_name, settings.http_port) == ("renamed", 8082)


def test_for_service_reads_the_other_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLYWHEEL_KAFKA_BOOTSTRAP", "broker-1:9092,broker-2:9092")
    monkeypatch.setenv("FLYWHEEL_CONSUMER_GROUP", "shared-group")
    monkeypatch.setenv("FLYWHEEL_DEFAULT_PHONE_REGION", "DE")

    settings = ProfileServiceSettings.for_service("profile", 8081)

    assert settings.kafka_bootstrap == "broker-1:9092,broker-2:9092"
    assert settings.group_id == "shared-group"
    assert settings.default_phone_region == "DE"


def test_for_service_rejects_an_invalid_environment_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLYWHEEL_HTTP_PORT", "70000")

    with pytest.raises(ValueError, match="http_port"):
        RuntimeSettings.for_service("profile", 8081)
