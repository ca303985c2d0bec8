"""The gateway's 360 view cache: what it keeps, what a change drops, and the fills a change spoils."""

from __future__ import annotations

from services.gateway.view_cache import ViewCache


def _live(max_entries: int = 10, ttl_s: float = 60.0) -> ViewCache:
    cache = ViewCache(max_entries=max_entries, ttl_s=ttl_s)
    cache.live = True
    return cache


def _stored(cache: ViewCache, workspace: str, customer_id: str, live_id: str | None = None, now: float = 0.0) -> None:
    cache.end(cache.begin(workspace, customer_id), live_id or customer_id, f"{workspace}/{customer_id}".encode(), now)


def test_a_stored_view_is_served_until_its_customer_changes() -> None:
    cache = _live()
    _stored(cache, "shop", "c1")
    _stored(cache, "shop", "c2")
    assert cache.get("shop", "c1", 1.0) == b"shop/c1"
    assert cache.changed("shop", ["c1"]) == 1
    assert cache.get("shop", "c1", 1.0) is None
    assert cache.get("shop", "c2", 1.0) == b"shop/c2"


def test_workspaces_never_share_a_view_or_a_change() -> None:
    cache = _live()
    _stored(cache, "shop-a", "c1")
    _stored(cache, "shop-b", "c1")
    assert cache.get("shop-b", "c1", 1.0) == b"shop-b/c1"
    assert cache.changed("shop-a", ["c1"]) == 1
    assert cache.get("shop-b", "c1", 1.0) == b"shop-b/c1"
    assert cache.changed("shop-b", None) == 1
    assert len(cache) == 0


def test_a_view_asked_for_by_a_merged_id_goes_when_its_survivor_changes() -> None:
    cache = _live()
    _stored(cache, "shop", "merged", live_id="survivor")
    _stored(cache, "shop", "survivor")
    assert cache.changed("shop", ["survivor"]) == 2
    assert cache.get("shop", "merged", 1.0) is None


def test_a_change_during_a_fill_spoils_it_so_a_stale_view_is_never_stored() -> None:
    cache = _live()
    fill = cache.begin("shop", "c1")  # read from the services before the change ...
    cache.changed("shop", ["c1"])  # ... whose notification arrives before the view is stored
    cache.end(fill, "c1", b"stale", 1.0)
    assert cache.get("shop", "c1", 1.0) is None


def test_a_change_to_the_survivor_during_a_fill_spoils_it_too() -> None:
    cache = _live()
    fill = cache.begin("shop", "merged")  # which live customer it is only shows when profile answers
    cache.changed("shop", ["survivor"])
    cache.end(fill, "survivor", b"stale", 1.0)
    assert cache.get("shop", "merged", 1.0) is None


def test_changes_to_other_customers_or_workspaces_leave_a_fill_alone() -> None:
    cache = _live()
    fill = cache.begin("shop", "c1")
    cache.changed("shop", ["c2"])
    cache.changed("other-shop", None)
    cache.end(fill, "c1", b"fresh", 1.0)
    assert cache.get("shop", "c1", 1.0) == b"fresh"


def test_a_workspace_wide_change_or_a_lost_feed_spoils_every_fill() -> None:
    cache = _live()
    first, second = cache.begin("shop", "c1"), cache.begin("shop", "c2")
    cache.changed("shop", None)
    cache.end(first, "c1", b"stale", 1.0)
    cache.clear()
    cache.end(second, "c2", b"stale", 1.0)
    assert len(cache) == 0


def test_nothing_is_stored_without_a_body_or_while_the_cache_is_not_live() -> None:
    cache = _live()
    cache.end(cache.begin("shop", "degraded"), "degraded", None, 0.0)
    cache.end(cache.begin("shop", "not-found"), None, None, 0.0)
    cache.live = False
    _stored(cache, "shop", "c1")
    assert len(cache) == 0
    assert len(ViewCache(max_entries=0, ttl_s=60)) == 0


def test_views_expire_and_the_least_recently_read_goes_first() -> None:
    cache = _live(max_entries=2, ttl_s=60.0)
    _stored(cache, "shop", "c1", now=0.0)
    _stored(cache, "shop", "c2", now=0.0)
    assert cache.get("shop", "c1", 1.0) == b"shop/c1"  # c2 is now the least recently read
    _stored(cache, "shop", "c3", now=1.0)
    assert cache.get("shop", "c2", 1.0) is None
    assert cache.get("shop", "c1", 60.5) is None  # stored at 0: past its 60 s
    assert cache.get("shop", "c3", 60.5) == b"shop/c3"
    assert cache.changed("shop", ["c1", "c2"]) == 0  # dropped views leave no trace to drop again


def test_changes_no_running_fill_can_see_are_forgotten() -> None:
    """Under steady load some fill of a workspace is always running: the changes heard must still not pile up."""
    cache = _live(max_entries=1000)
    older = cache.begin("shop", "c1")
    for n in range(100):
        cache.changed("shop", [f"x{n}"])
        newer = cache.begin("shop", f"c{n + 2}")
        cache.end(older, older.customer_id, b"view", 1.0)
        older = newer
        assert len(cache._logs["shop"].changes) <= 1
    cache.changed("shop", [older.customer_id])
    cache.end(older, older.customer_id, b"stale", 1.0)
    assert cache.get("shop", older.customer_id, 1.0) is None
    assert cache.get("shop", "c1", 1.0) == b"view" and "shop" not in cache._logs
