"""devstack runs each service as its own PostgreSQL role (the one docker-compose and CloudNativePG create),
with a password generated once and kept beside the data directory."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from devstack.postgres import LocalPostgres, service_role
from devstack.stack import Stack, StackConfig


def test_each_service_connects_as_its_own_role_with_a_password(tmp_path: Path) -> None:
    stack = Stack(StackConfig(home=tmp_path))
    urls = {spec.name: urlsplit(stack.env(spec)["FLYWHEEL_DATABASE_URL"]) for spec in stack.config.services}
    for spec in stack.config.services:
        url = urls[spec.name]
        assert (url.username, url.path) == (f"flywheel_{spec.name}", f"/{spec.database}")
        assert url.password == stack.postgres.password(service_role(spec.name))
    assert len({url.password for url in urls.values()}) == len(urls), "every role has a password of its own"
    assert stack.postgres.user not in {url.username for url in urls.values()}, "no service runs as the superuser"


def test_passwords_are_generated_once_and_kept_for_the_owner_only(tmp_path: Path) -> None:
    postgres = LocalPostgres(tmp_path / "postgres", 5432)
    first = postgres.password("flywheel_profile")
    assert LocalPostgres(tmp_path / "postgres", 5432).password("flywheel_profile") == first  # kept across runs
    assert json.loads(postgres.passwords_file.read_text()) == {"flywheel_profile": first}
    assert postgres.passwords_file == tmp_path / "postgres-passwords.json"
    assert stat.S_IMODE(postgres.passwords_file.stat().st_mode) == 0o600
    assert len(first) >= 32 and first.replace("-", "").replace("_", "").isalnum()  # URL-safe


@pytest.mark.parametrize("role", ["Profile", "flywheel-profile", "x; DROP ROLE postgres", ""])
def test_a_role_name_must_be_plain(tmp_path: Path, role: str) -> None:
    with pytest.raises(ValueError, match="not a plain role name"):
        LocalPostgres(tmp_path / "postgres", 5432).password(role)
