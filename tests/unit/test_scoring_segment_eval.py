"""How segment evaluation splits a workspace's segments over statements: never past the bind parameters one
statement can carry, however many segments a workspace holds."""

from __future__ import annotations

import datetime as dt
import re

from services.scoring.domain.segment_sql import MAX_BIND_PARAMETERS, MEMBERSHIP_PARAMS
from services.scoring.segment_eval import StatementCache, _statements, active_segments
from services.scoring.segment_store import Segment

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(seconds=1)
PLACEHOLDER = re.compile(r"\$(\d+)")


def worst_case(segment_id: str) -> Segment:
    """100 leaves, each with a trait name and a value of its own: the most parameters a segment can need."""
    condition = {"any": [{"field": f"traits.t{n}", "op": "contains", "value": f"{segment_id}-{n}"} for n in range(100)]}
    return Segment(segment_id, segment_id, None, condition, NOW, NOW)


def test_statements_never_carry_more_bind_parameters_than_asyncpg_sends() -> None:
    active = active_segments([worst_case(f"seg-{n:04}") for n in range(400)])  # four times the default quota

    chunks = _statements(active)

    assert [item for chunk in chunks for item in chunk] == active  # every segment, once, in order
    for chunk in chunks:
        sql, values = StatementCache(0).statement("ws", chunk)
        assert MEMBERSHIP_PARAMS + len(values) <= MAX_BIND_PARAMETERS
        assert max(int(n) for n in PLACEHOLDER.findall(sql)) == MEMBERSHIP_PARAMS + len(values)
    assert len(chunks) == 3  # 201 parameters a segment: 162 segments a statement


def test_a_workspace_within_the_default_quota_is_evaluated_in_one_statement() -> None:
    assert len(_statements(active_segments([worst_case(f"seg-{n:03}") for n in range(100)]))) == 1
    assert _statements([]) == []


def test_statements_are_compiled_once_per_version_of_the_segments() -> None:
    cache = StatementCache(10 * 1024 * 1024)
    active = active_segments([worst_case("seg-a"), worst_case("seg-b")])
    first = cache.statement("ws", active)
    assert cache.statement("ws", active)[0] is first[0]  # the same text: not compiled again
    saved_again = Segment("seg-b", "seg-b", None, {"field": "stats.orders", "op": "gte", "value": 2}, NOW, LATER)
    changed = cache.statement("ws", [active[0], *active_segments([saved_again])])
    assert changed[0] != first[0] and "c.orders" in changed[0]
    assert cache.statement("other", active)[0] == first[0]  # another workspace's entry of its own


def test_the_cache_keeps_to_its_size() -> None:
    cache = StatementCache(60_000)  # room for two statements of one worst-case segment (about 27 KB each)
    for n in range(10):
        cache.statement("ws", active_segments([worst_case(f"seg-{n}")]))
    assert len(cache._entries) == 2 and cache._bytes <= 60_000
