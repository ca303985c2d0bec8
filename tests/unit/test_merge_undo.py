"""runtime.merge_undo's pure parts: the id of a merge sent without one, and what every service folds."""

from __future__ import annotations

import pytest

from runtime import merge_undo
from services.journey.store import FOLDED as JOURNEY
from services.loyalty.store import FOLDED as LOYALTY
from services.referral.lifecycle_store import FOLDED as REFERRAL
from services.sales.signal_store import FOLDED as SALES
from services.scoring.merge_store import FOLDED as SCORING


def test_a_merge_without_id_gets_one_from_the_pair() -> None:
    assert merge_undo.merge_id_of("s", "m", "m_9") == "m_9"
    derived = merge_undo.merge_id_of("s", "m", None)
    assert derived == merge_undo.merge_id_of("s", "m", "") == merge_undo.merge_id_of("s", "m", None)
    assert derived != merge_undo.merge_id_of("m", "s", None)
    assert derived.startswith("pair_") and len(derived) <= 64  # a MergeId (contracts.internal)
    assert merge_undo.merge_id_of("s" * 64, "m" * 64, None) != merge_undo.merge_id_of("s" * 64, "m" * 63, None)


@pytest.mark.parametrize("folded", [JOURNEY, LOYALTY, REFERRAL, SALES, SCORING], ids=lambda f: f[0].name)
def test_every_service_names_each_table_once_and_never_the_runtimes_redirects(
    folded: tuple[merge_undo.FoldedTable, ...],
) -> None:
    names = [table.name for table in folded]
    assert len(names) == len(set(names))
    assert merge_undo.MERGED_CUSTOMERS.name not in names  # kept by the runtime for every service
    for table in folded:
        assert table.customer_columns and not (table.revive_if != "false" and not table.links_only)
