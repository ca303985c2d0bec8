"""Every PostgreSQL a deployment runs is 17 or later: segments' `contains` lower-cases text with the builtin
pg_c_utf8 collation, which PostgreSQL 17 introduced (services/scoring/domain/segment_sql.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
MINIMUM = 17


def major(image: str) -> int:
    match = re.search(r":(\d+)(?:\.\d+)*(?:-|$)", image)
    assert match, f"{image} names no PostgreSQL version (pin one, {MINIMUM} or later)"
    return int(match.group(1))


def test_compose_runs_postgresql_17_or_later() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert major(compose["services"]["postgres"]["image"]) >= MINIMUM


def test_cloudnativepg_runs_postgresql_17_or_later() -> None:
    cluster = yaml.safe_load((ROOT / "deploy" / "k8s" / "components" / "cnpg" / "cluster.yaml").read_text())
    assert major(cluster["spec"]["imageName"]) >= MINIMUM


def test_the_embedded_postgresql_of_make_run_and_the_tests_is_17_or_later() -> None:
    from devstack.postgres import pg_binary

    answer = subprocess.run([str(pg_binary("postgres")), "--version"], capture_output=True, text=True, check=True)
    match = re.search(r"\(PostgreSQL\) (\d+)", answer.stdout)
    assert match and int(match.group(1)) >= MINIMUM, answer.stdout
