"""The customer listing's orders are named once (contracts.http.profile.CustomerSort, the public search's `sort`):
profile sorts by each of them, both ways, and by nothing else."""

from __future__ import annotations

from typing import get_args

from contracts.http.profile import CustomerSort
from services.profile.view_store import LIST_SORTS


def test_profile_sorts_by_every_order_the_contract_names() -> None:
    assert set(get_args(CustomerSort)) == {f"{way}{field}" for field in LIST_SORTS for way in ("", "-")}
