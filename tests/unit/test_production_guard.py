"""FLYWHEEL_ENV=production refuses settings unfit for production (runtime.production_guard), all at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from runtime.production_guard import is_example_secret, production_problems
from runtime.service_tokens import DEVELOPMENT_KEY
from services.journey.settings import JourneyServiceSettings
from services.settings import SERVICE_SETTINGS

REPO = Path(__file__).resolve().parents[2]
GOOD: dict[str, Any] = {
    "env": "production",
    "internal_token_keys": "2026-06:" + "t" * 43 + ",2026-01:" + "u" * 43,
    "secrets_keys": "k1:" + "A" * 43 + "=",
    "identifier_hash_key": "h" * 43,
    "database_url": "postgresql://profile:s3cr3t-from-a-secret@db:5432/flywheel_profile?sslmode=verify-full",
    "webhook_allowed_hosts": "hooks.partner.example.com,203.0.114.0/24",
    "public_url": "https://flywheel.example.com",
}


def problems(service: str = "journey", **changes: Any) -> list[str]:
    return production_problems(SERVICE_SETTINGS[service](**{**GOOD, **changes}))


def test_good_production_settings_pass() -> None:
    assert problems() == []


def test_development_is_never_refused() -> None:
    assert production_problems(JourneyServiceSettings(clock_control=True)) == []


def test_the_defaults_fail_with_every_problem_listed_at_once() -> None:
    found = production_problems(JourneyServiceSettings(env="production", clock_control=True))
    joined = "\n".join(found)
    for name in (
        "FLYWHEEL_INTERNAL_TOKEN_KEYS is empty",
        "FLYWHEEL_SECRETS_KEYS is empty",
        "FLYWHEEL_IDENTIFIER_HASH_KEY is empty",
        "FLYWHEEL_DATABASE_URL has no password",
        "FLYWHEEL_CLOCK_CONTROL is on",
        "FLYWHEEL_PUBLIC_URL must be an https:// URL",
    ):
        assert name in joined, joined
    assert len(found) == 6


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"internal_token_keys": DEVELOPMENT_KEY}, "holds the development key"),
        ({"internal_token_keys": "k1:short"}, "key 'k1' is shorter than 32 characters"),
        ({"internal_token_keys": "k1"}, "entry 1 is not `kid:secret`"),
        (
            {"internal_token_keys": "k1:change-me-internal-token-secret-at-least-32-characters"},
            "key 'k1' is an example value",
        ),
        ({"secrets_keys": "k1:Y2hhbmdlLW1lLWNoYW5nZS1tZS1jaGFuZ2UtbWUtMzI="}, "FLYWHEEL_SECRETS_KEYS is an example"),
        ({"identifier_hash_key": "change-me-identifier-hash-key"}, "FLYWHEEL_IDENTIFIER_HASH_KEY is an example"),
        ({"kafka_sasl_password": "change-me-kafka-password"}, "FLYWHEEL_KAFKA_SASL_PASSWORD is an example"),
        ({"database_url": "postgresql://flywheel:change-me-flywheel-db@db/x"}, "holds an example password"),
        ({"database_url": "postgresql://profile@db/x"}, "has no password"),
        ({"database_url": "postgresql://profile@db/x?sslcert=/c.pem&sslkey=/k.pem"}, "has no password"),
        ({"clock_control": True}, "FLYWHEEL_CLOCK_CONTROL is on"),
        ({"webhook_allowed_hosts": "127.0.0.1"}, "allows 127.0.0.1/32 (a loopback address)"),
        ({"webhook_allowed_hosts": "::1"}, "allows ::1/128 (the loopback address)"),
        ({"webhook_allowed_hosts": "10.1.2.0/24"}, "allows 10.1.2.0/24 (a private address)"),
        ({"webhook_allowed_hosts": "8.0.0.0/5"}, "it overlaps 10.0.0.0/8, a private range"),
        ({"webhook_allowed_hosts": "0.0.0.0/0"}, "allows 0.0.0.0/0"),
        ({"webhook_allowed_hosts": "localhost"}, "the internal host name 'localhost'"),
        ({"webhook_allowed_hosts": "profile"}, "the internal host name 'profile'"),
        ({"webhook_allowed_hosts": "profile.flywheel.svc"}, "the internal host name 'profile.flywheel.svc'"),
    ],
)
def test_each_unfit_setting_is_named(changes: dict[str, Any], expected: str) -> None:
    found = problems(**changes)
    assert len(found) == 1 and expected in found[0], found


def test_a_client_certificate_authenticates_without_a_password() -> None:
    url = "postgresql://profile@db/x?sslmode=verify-full&sslcert=/tls/tls.crt&sslkey=/tls/tls.key"
    assert problems(database_url=url) == []


def test_webhook_allowances_matter_only_to_journey() -> None:
    assert problems("sales", webhook_allowed_hosts="127.0.0.1") == []


def test_no_problem_echoes_a_secret() -> None:
    secret = "k1:" + "s" * 10
    found = problems(internal_token_keys=secret, database_url="postgresql://u:change-me-too@db/x")
    assert found and not any("ssssssssss" in p or "change-me-too" in p for p in found)


def test_every_secret_in_env_example_is_a_known_example_value() -> None:
    """.env.example's secret values are refused in production: a new one must say `change-me` or be added to
    runtime.production_guard.EXAMPLE_SECRETS. An empty value is no secret (the setting is off until set)."""
    example: dict[str, str] = {}
    for line in (REPO / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            example[name.strip()] = value.strip()
    secret_names = [n for n in example if any(w in n for w in ("PASSWORD", "KEY", "SECRET"))]
    assert secret_names, "no secrets in .env.example?"
    for name in secret_names:
        if not example[name]:
            continue
        values = [example[name]]
        if "," in example[name] or name.endswith("_KEYS"):
            values = [entry.partition(":")[2] for entry in example[name].split(",")]
        for value in values:
            assert is_example_secret(value), f"{name}: {value!r} would pass for a production secret"
