"""docs/operations.md's security section stays true to the code: every secret has a rotation, every refusal of
FLYWHEEL_ENV=production is listed, and the Kafka ACL table is the one contracts/kafka_access.py grants."""

from __future__ import annotations

import re
from pathlib import Path

from contracts.kafka_access import PRINCIPALS, acls_of
from runtime.production_guard import production_problems
from services.journey.settings import JourneyServiceSettings

OPERATIONS = (Path(__file__).resolve().parents[2] / "docs" / "operations.md").read_text()


def section(title: str, level: int) -> str:
    """The text under the heading `title` of `level` (2: `##`), up to the next heading of that level or above."""
    heading = f"{'#' * level} {title}\n"
    assert heading in OPERATIONS, f"docs/operations.md lacks the heading {heading.strip()!r}"
    rest = OPERATIONS.split(heading, 1)[1]
    following = re.search(rf"^#{{1,{level}}} ", rest, flags=re.MULTILINE)
    return rest[: following.start()] if following else rest


SECURITY = section("Security", 2)


def test_the_security_section_covers_boundaries_secrets_and_production() -> None:
    for title in ("Trust boundaries", "Secrets and their rotation", "What `FLYWHEEL_ENV=production` refuses"):
        assert f"### {title}\n" in SECURITY, f"the security section lacks {title!r}"
    assert "- [Security](#security)" in OPERATIONS, "the table of contents lacks the security section"


def test_every_secret_setting_has_a_rotation() -> None:
    rotation = section("Secrets and their rotation", 3)
    secret_settings = [
        "FLYWHEEL_INTERNAL_TOKEN_KEYS",
        "FLYWHEEL_SECRETS_KEYS",
        "FLYWHEEL_IDENTIFIER_HASH_KEY",
        "FLYWHEEL_KAFKA_SASL_PASSWORD",
    ]
    for name in secret_settings:
        assert f"`{name}" in rotation, f"{name} is not in the secrets table"
    rows = [line for line in rotation.splitlines() if line.startswith("| ") and "---" not in line][1:]
    for row in rows:
        how_to_rotate = row.rstrip(" |").rsplit(" | ", 1)[1]
        assert len(how_to_rotate) > 20, f"a secret without a rotation: {row[:80]}"
    for other in ("database passwords", "API keys", "webhook signing secrets", "Kafka passwords"):
        assert other in rotation, f"{other} not in the secrets table"


def test_every_refusal_of_production_is_listed() -> None:
    """JourneyServiceSettings as unfit for production as they can be: each setting the guard names is in the list."""
    unfit = JourneyServiceSettings(
        env="production",
        internal_token_keys="",
        secrets_keys="",
        identifier_hash_key="",
        kafka_sasl_password="change-me-kafka-password",  # noqa: S106 - the example value, refused
        clock_control=True,
        webhook_allowed_hosts="127.0.0.1,10.0.0.0/8,localhost",
        database_url="postgresql://flywheel_journey@postgres:5432/flywheel_journey",
    )
    problems = production_problems(unfit)
    named = {name for problem in problems for name in re.findall(r"FLYWHEEL_[A-Z_]+", problem)}
    assert len(named) >= 7, problems
    refused = section("What `FLYWHEEL_ENV=production` refuses", 3)
    for name in named - {"FLYWHEEL_KAFKA_SASL_PASSWORD"}:
        assert f"`{name}`" in refused, f"the guard refuses {name}, which the docs do not list"
    assert "Kafka password" in refused and "exit" in refused and "78" in refused


def test_the_kafka_acl_table_is_the_one_granted() -> None:
    kafka = section("Kafka", 3)
    for principal in PRINCIPALS:
        (row,) = [line for line in kafka.splitlines() if line.startswith(f"| `{principal.name}`")]
        written, read = (cell.strip() for cell in row.strip(" |").split(" | ")[1:3])
        granted = acls_of(principal.name)
        if principal.name == "flywheel-operator":
            continue  # "the topics replays go back to": every topic a service consumes (checked in tests/deploy)
        for operation, cell in (("Write", written), ("Read", read)):
            topics = sorted(
                acl.resource.removeprefix("flywheel.")
                for acl in granted
                if acl.resource_type == "topic" and operation in acl.operations
            )
            shown = sorted(re.findall(r"`([a-z.]+)`", cell))
            assert shown == topics, f"{principal.name} {operation}: the docs say {shown}, the ACLs grant {topics}"
