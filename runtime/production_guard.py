"""What a service refuses to start with when FLYWHEEL_ENV=production: settings that are fine on a laptop and
dangerous in a deployment. runtime/serve.py calls production_problems() before serving and exits with
EXIT_UNFIT_FOR_PRODUCTION, listing every problem at once (not one per restart).

Refused in production:
- FLYWHEEL_INTERNAL_TOKEN_KEYS empty (the public development key), malformed, naming the development key,
  or with a secret shorter than 32 characters (HS256 wants 256 bits);
- FLYWHEEL_SECRETS_KEYS or FLYWHEEL_IDENTIFIER_HASH_KEY empty (their development keys);
- any secret equal to an example value of .env.example, or containing "change-me";
- FLYWHEEL_CLOCK_CONTROL on (anyone holding a service token could move journey's clock);
- journey's FLYWHEEL_WEBHOOK_ALLOWED_HOSTS allowing loopback, private or other internal ranges, or internal
  host names (localhost, single-label names, *.svc, *.local, *.internal...): webhooks could reach the cluster;
- a FLYWHEEL_DATABASE_URL without a password, unless it authenticates with a client certificate: `sslcert`
  and `sslkey` with `sslmode=verify-ca` or `verify-full` (a password from PGPASSWORD or a passfile is not
  seen here, so it is not accepted: put the password in the URL, from a Secret).
A service's own checks (journey's allowlist) come from its settings class (`service_production_problems`).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import parse_qs, unquote, urlsplit

from runtime.egress import INTERNAL_SUFFIXES, REFUSED_V4, REFUSED_V6, IPNetwork, address_refusal, parse_allowlist
from runtime.service_tokens import DEVELOPMENT_SECRET, ServiceTokenKeys
from runtime.settings import RuntimeSettings

EXIT_UNFIT_FOR_PRODUCTION = 78  # EX_CONFIG (sysexits.h): a configuration error, not a crash
MIN_TOKEN_SECRET_LENGTH = 32

EXAMPLE_SECRETS = frozenset(
    {
        "change-me-flywheel-db",
        "change-me-grafana",
        "change-me-internal-token-secret-at-least-32-characters",
        "Y2hhbmdlLW1lLWNoYW5nZS1tZS1jaGFuZ2UtbWUtMzI=",
        "change-me-identifier-hash-key",
        "change-me-kafka-password",
    }
)
"""The secret values .env.example shows (tests/unit/test_production_guard.py keeps the two in step)."""
_EXAMPLE_MARKER = "change-me"
_CERTIFICATE_SSLMODES = {"verify-ca", "verify-full"}


def production_problems(settings: RuntimeSettings) -> list[str]:
    """Every reason `settings` are unfit for production, each naming the setting and what to do; empty
    outside production (FLYWHEEL_ENV=development) or when all is well. Never echoes a secret."""
    if settings.env != "production":
        return []
    problems = [
        *_token_key_problems(settings.internal_token_keys),
        *_key_problems(settings),
        *_database_problems(settings.database_url),
    ]
    if settings.kafka_sasl_password and is_example_secret(settings.kafka_sasl_password):
        problems.append("FLYWHEEL_KAFKA_SASL_PASSWORD is an example value (from .env.example): set the real one")
    if settings.clock_control:
        problems.append("FLYWHEEL_CLOCK_CONTROL is on: it lets callers move the service's clock (tests only); unset it")
    return problems + settings.service_production_problems()


def is_example_secret(secret: str) -> bool:
    """An example value of .env.example (or any value marked `change-me`): never a production secret."""
    return secret in EXAMPLE_SECRETS or _EXAMPLE_MARKER in secret.lower()


def _token_key_problems(value: str) -> list[str]:
    name = "FLYWHEEL_INTERNAL_TOKEN_KEYS"
    if not value.strip():
        return [
            f"{name} is empty: service tokens would be signed with the public development key; set `kid:secret` "
            f"keys (secrets of at least {MIN_TOKEN_SECRET_LENGTH} random characters) from a Secret"
        ]
    try:
        keys = ServiceTokenKeys.parse(value)
    except ValueError as malformed:
        return [str(malformed)]
    problems = []
    if keys.is_development:
        problems.append(f"{name} holds the development key: generate keys of your own")
    for kid, secret in keys.keys:
        if secret == DEVELOPMENT_SECRET.encode():
            continue
        if is_example_secret(secret.decode()):
            problems.append(f"{name}: key {kid!r} is an example value (from .env.example): generate a random secret")
        elif len(secret) < MIN_TOKEN_SECRET_LENGTH:
            problems.append(f"{name}: key {kid!r} is shorter than {MIN_TOKEN_SECRET_LENGTH} characters")
    return problems


def _key_problems(settings: RuntimeSettings) -> list[str]:
    problems = []
    keys = {
        "FLYWHEEL_SECRETS_KEYS": (settings.secrets_keys, "secrets at rest (webhook secrets)"),
        "FLYWHEEL_IDENTIFIER_HASH_KEY": (settings.identifier_hash_key, "hashed identifiers of the erasure ledger"),
    }
    for name, (value, purpose) in keys.items():
        if not value.strip():
            problems.append(f"{name} is empty: {purpose} would use the public development key; set a key of your own")
        elif is_example_secret(value) or any(
            is_example_secret(entry.partition(":")[2].strip()) for entry in value.split(",")
        ):
            problems.append(f"{name} is an example value (from .env.example): generate a key of your own")
    return problems


def _database_problems(dsn: str) -> list[str]:
    name = "FLYWHEEL_DATABASE_URL"
    try:
        parts = urlsplit(dsn)
        password = parts.password
    except ValueError:
        return [f"{name} is not a postgresql:// URL"]
    if password:
        if is_example_secret(unquote(password)):
            return [f"{name} holds an example password (from .env.example): set the database role's real one"]
        return []
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if query.get("sslcert") and query.get("sslkey") and query.get("sslmode") in _CERTIFICATE_SSLMODES:
        return []  # the client certificate authenticates
    return [
        f"{name} has no password: put the role's password in the URL (from a Secret), or authenticate with a "
        "client certificate (sslcert, sslkey and sslmode=verify-full)"
    ]


def webhook_allowlist_problems(value: str) -> list[str]:
    """Journey's (services/journey/settings.py): each internal host or range its webhook allowlist names."""
    name = "FLYWHEEL_WEBHOOK_ALLOWED_HOSTS"
    try:
        names, networks = parse_allowlist(value)
    except ValueError as malformed:
        return [str(malformed)]
    problems = [
        f"{name} allows {network} ({reason}): webhooks could reach internal services; allow public hosts only"
        for network in networks
        if (reason := _internal_network(network)) is not None
    ]
    problems += [
        f"{name} allows the internal host name {host!r}: webhooks could reach internal services"
        for host in sorted(names)
        if _internal_name(host)
    ]
    return problems


def _internal_network(network: IPNetwork) -> str | None:
    for address in (network.network_address, network.broadcast_address):
        reason = address_refusal(address)
        if reason is not None:
            return reason
    refused = REFUSED_V4 if isinstance(network, ipaddress.IPv4Network) else REFUSED_V6
    for other, kind in refused:
        if network.overlaps(other):
            return f"it overlaps {other}, {kind} range"
    return None


def _internal_name(host: str) -> bool:
    labels = host.split(".")
    return len(labels) < 2 or host == "localhost" or any(host.endswith(f".{s}") or host == s for s in INTERNAL_SUFFIXES)
