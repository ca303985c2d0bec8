"""Quotas: each declared once, each a setting, each refused the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from runtime import quotas
from runtime.problems import ProblemError
from services.settings import SERVICE_SETTINGS, every_setting

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_every_quota_is_a_setting_and_every_quota_setting_a_declared_quota() -> None:
    settings = {name.removeprefix("quota_") for name in every_setting() if name.startswith("quota_")}
    assert {quota.name for quota in quotas.ALL} == settings
    for quota in quotas.ALL:  # each the setting of the one service that enforces it
        (enforcer,) = [kind for kind in SERVICE_SETTINGS.values() if f"quota_{quota.name}" in kind.model_fields]
        assert quota.limit_in(enforcer()) > 0


def test_the_readme_documents_every_quota() -> None:
    section = README[README.index("### Tenants: quotas, budgets and isolation") :]
    assert all(f"| `{quota.name}` |" in section for quota in quotas.ALL)


def test_one_more_past_the_limit_is_a_409_naming_the_quota() -> None:
    quotas.check(quotas.SEGMENTS.usage(limit=3, used=2))
    with pytest.raises(ProblemError) as refused:
        quotas.check(quotas.SEGMENTS.usage(limit=3, used=3))
    problem = refused.value
    assert (problem.status, problem.type) == (409, "quota-exceeded")
    assert problem.extra == {"quota": "segments", "limit": 3, "used": 3}
    assert "FLYWHEEL_QUOTA_SEGMENTS" in problem.detail and "3 of at most 3 dynamic segments" in problem.detail
