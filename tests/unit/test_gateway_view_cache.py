"""The gateway's 360 view cache: what it keeps, what a change drops, and the fills a change spoils, section by
section."""

from __future__ import annotations

from services.gateway.view_cache import SECTIONS, ViewCache


def _live(max_entries: int = 10, ttl_s: float = 60.0) -> ViewCache:
    cache = ViewCache(max_entries=max_entries, ttl_s=ttl_s)
    cache.live = True
    return cache


def _view(workspace: str, customer_id: str) -> dict[str, bytes]:
    return {name: f"{workspace}/{customer_id}/{name}".encode() for name in SECTIONS}


def _stored(cache: ViewCache, workspace: str, customer_id: str, live_id: str | None = None, now: float = 0.0) -> None:
    cache.end(cache.begin(workspace, customer_id), live_id or customer_id, _view(workspace, customer_id), now)


def _whole(cache: ViewCache, workspace: str, customer_id: str, now: float = 1.0) -> bytes | None:
    """The view's profile section when the cache holds the whole view, else None."""
    cached = cache.get(workspace, customer_id, now)
    return cached.sections["profile"].rpartition(b"/")[0] if cached is not None and cached.complete else None


def test_a_stored_view_is_served_until_its_customer_changes() -> None:
    cache = _live()
    _stored(cache, "shop", "c1")
    _stored(cache, "shop", "c2")
    assert _whole(cache, "shop", "c1", 1.0) == b"shop/c1"
    assert cache.changed("shop", ["c1"]) == 1
    assert _whole(cache, "shop", "c1", 1.0) is None
    assert _whole(cache, "shop", "c2", 1.0) == b"shop/c2"


def test_workspaces_never_share_a_view_or_a_change() -> None:
    cache = _live()
    _stored(cache, "shop-a", "c1")
    _stored(cache, "shop-b", "c1")
    assert _whole(cache, "shop-b", "c1", 1.0) == b"shop-b/c1"
    assert cache.changed("shop-a", ["c1"]) == 1
    assert _whole(cache, "shop-b", "c1", 1.0) == b"shop-b/c1"
    assert cache.changed("shop-b", None) == 1
    assert len(cache) == 0


def test_a_view_asked_for_by_a_merged_id_goes_when_its_survivor_changes() -> None:
    cache = _live()
    _stored(cache, "shop", "merged", live_id="survivor")
    _stored(cache, "shop", "survivor")
    assert cache.changed("shop", ["survivor"]) == 2
    assert _whole(cache, "shop", "merged", 1.0) is None


def test_a_change_during_a_fill_spoils_it_so_a_stale_view_is_never_stored() -> None:
    cache = _live()
    fill = cache.begin("shop", "c1")  # read from the services before the change ...
    cache.changed("shop", ["c1"])  # ... whose notification arrives before the view is stored
    cache.end(fill, "c1", _view("shop", "stale"), 1.0)
    assert _whole(cache, "shop", "c1", 1.0) is None


def test_a_change_to_the_survivor_during_a_fill_spoils_it_too() -> None:
    cache = _live()
    fill = cache.begin("shop", "merged")  # which live customer it is only shows when profile answers
    cache.changed("shop", ["survivor"])
    cache.end(fill, "survivor", _view("shop", "stale"), 1.0)
    assert _whole(cache, "shop", "merged", 1.0) is None


def test_changes_to_other_customers_or_workspaces_leave_a_fill_alone() -> None:
    cache = _live()
    fill = cache.begin("shop", "c1")
    cache.changed("shop", ["c2"])
    cache.changed("other-shop", None)
    cache.end(fill, "c1", _view("shop", "fresh"), 1.0)
    assert _whole(cache, "shop", "c1", 1.0) == b"shop/fresh"


def test_a_workspace_wide_change_or_a_lost_feed_spoils_every_fill() -> None:
    cache = _live()
    first, second = cache.begin("shop", "c1"), cache.begin("shop", "c2")
    cache.changed("shop", None)
    cache.end(first, "c1", _view("shop", "stale"), 1.0)
    cache.clear()
    cache.end(second, "c2", _view("shop", "stale"), 1.0)
    assert len(cache) == 0


def test_nothing_is_stored_without_a_body_or_while_the_cache_is_not_live() -> None:
    cache = _live()
    cache.end(cache.begin("shop", "all-degraded"), "all-degraded", {}, 0.0)
    cache.end(cache.begin("shop", "not-found"), None, {}, 0.0)
    cache.live = False
    _stored(cache, "shop", "c1")
    assert len(cache) == 0
    assert len(ViewCache(max_entries=0, ttl_s=60)) == 0


def test_views_expire_and_the_least_recently_read_goes_first() -> None:
    cache = _live(max_entries=2, ttl_s=60.0)
    _stored(cache, "shop", "c1", now=0.0)
    _stored(cache, "shop", "c2", now=0.0)
    assert _whole(cache, "shop", "c1", 1.0) == b"shop/c1"  # c2 is now the least recently read
    _stored(cache, "shop", "c3", now=1.0)
    assert _whole(cache, "shop", "c2", 1.0) is None
    assert _whole(cache, "shop", "c1", 60.5) is None  # stored at 0: past its 60 s
    assert _whole(cache, "shop", "c3", 60.5) == b"shop/c3"
    assert cache.changed("shop", ["c1", "c2"]) == 0  # dropped views leave no trace to drop again


def test_changes_no_running_fill_can_see_are_forgotten() -> None:
    """Under steady load some fill of a workspace is always running: the changes heard must still not pile up."""
    cache = _live(max_entries=1000)
    older = cache.begin("shop", "c1")
    for n in range(100):
        cache.changed("shop", [f"x{n}"])
        newer = cache.begin("shop", f"c{n + 2}")
        cache.end(older, older.customer_id, _view("shop", "view"), 1.0)
        older = newer
        assert len(cache._logs["shop"].changes) <= 1
    cache.changed("shop", [older.customer_id])
    cache.end(older, older.customer_id, _view("shop", "stale"), 1.0)
    assert _whole(cache, "shop", older.customer_id, 1.0) is None
    assert _whole(cache, "shop", "c1", 1.0) == b"shop/view" and "shop" not in cache._logs


# --- section by section --------------------------------------------------------------------------------------


def _held(cache: ViewCache, workspace: str, customer_id: str, now: float = 1.0) -> dict[str, bytes]:
    cached = cache.get(workspace, customer_id, now)
    return dict(cached.sections) if cached is not None else {}


def test_a_change_drops_only_the_section_of_the_service_that_reported_it() -> None:
    cache = _live()
    _stored(cache, "shop", "c1")
    assert cache.changed("shop", ["c1"], source="scoring") == 1  # a purchase scored: not the deals
    assert cache.changed("shop", ["c1"], source="profile") == 1
    assert cache.changed("shop", ["c1"], source="scoring") == 0  # nothing left to drop
    held = _held(cache, "shop", "c1")
    assert sorted(held) == ["journey", "loyalty", "referral", "sales"]
    assert held["sales"] == b"shop/c1/sales"
    assert not cache.get("shop", "c1", 1.0).complete  # type: ignore[union-attr]


def test_a_refill_stores_the_sections_it_fetched_beside_those_kept() -> None:
    cache = _live()
    _stored(cache, "shop", "c1")
    cache.changed("shop", ["c1"], source="sales")
    fill = cache.begin("shop", "c1")
    cache.end(fill, "c1", {"sales": b"new deals"}, 2.0)
    held = _held(cache, "shop", "c1", 2.0)
    assert held == {**_view("shop", "c1"), "sales": b"new deals"}


def test_a_change_from_an_unknown_service_drops_the_whole_view() -> None:
    cache = _live()
    _stored(cache, "shop", "c1")
    assert cache.changed("shop", ["c1"], source="a-service-without-a-section") == 1
    assert cache.get("shop", "c1", 1.0) is None


def test_a_change_during_a_fill_spoils_only_its_section() -> None:
    cache = _live()
    fill = cache.begin("shop", "c1")  # every section read before scoring's change ...
    cache.changed("shop", ["c1"], source="scoring")  # ... whose notification arrives before they are stored
    cache.end(fill, "c1", _view("shop", "c1"), 1.0)
    held = _held(cache, "shop", "c1")
    assert "scoring" not in held and sorted(held) == sorted(set(SECTIONS) - {"scoring"})


def test_a_change_to_a_kept_section_during_a_refill_keeps_it_dropped() -> None:
    """The refill answered with the kept sales section (exact when the fill began) but must not put it back."""
    cache = _live()
    _stored(cache, "shop", "c1")
    cache.changed("shop", ["c1"], source="scoring")
    fill = cache.begin("shop", "c1")  # fetches scoring only; sales comes from the cache ...
    cache.changed("shop", ["c1"], source="sales")  # ... and changes meanwhile
    cache.end(fill, "c1", {"scoring": b"new scores"}, 1.0)
    held = _held(cache, "shop", "c1")
    assert held["scoring"] == b"new scores" and "sales" not in held


def test_a_change_of_another_customer_or_section_spares_a_fill() -> None:
    cache = _live()
    fill = cache.begin("shop", "c1")
    cache.changed("shop", ["c2"], source="profile")
    cache.changed("other-shop", ["c1"], source="profile")
    cache.end(fill, "c1", _view("shop", "c1"), 1.0)
    assert _held(cache, "shop", "c1") == _view("shop", "c1")


def test_another_workspaces_changes_never_touch_this_workspaces_sections() -> None:
    """A hostile tenant can make its own customers change as often as it likes, under any id and any source."""
    cache = _live()
    _stored(cache, "victim", "c1")
    fill = cache.begin("victim", "c2")
    for source in (*SECTIONS, None, "forged"):
        cache.changed("attacker", ["c1", "c2"], source=source)
        cache.changed("attacker", None, source=source)
    cache.end(fill, "c2", _view("victim", "c2"), 1.0)
    assert _held(cache, "victim", "c1") == _view("victim", "c1")
    assert _held(cache, "victim", "c2") == _view("victim", "c2")


def test_a_merge_makes_a_refill_replace_every_section() -> None:
    """The id asked for was merged into another customer: profile's change drops profile's section, and the
    refill finds the survivor, whose sections replace all of the merged customer's."""
    cache = _live()
    _stored(cache, "shop", "merged")
    cache.changed("shop", ["merged", "survivor"], source="profile")
    assert cache.get("shop", "merged", 1.0).live_id == "merged"  # type: ignore[union-attr]
    cache.end(cache.begin("shop", "merged"), "survivor", _view("shop", "survivor"), 1.0)
    cached = cache.get("shop", "merged", 1.0)
    assert cached is not None and cached.live_id == "survivor" and dict(cached.sections) == _view("shop", "survivor")
    assert cache.changed("shop", ["survivor"], source="sales") == 1  # the entry now follows the survivor


def test_sections_of_another_customer_without_profiles_word_are_not_stored() -> None:
    """A fill that read sections of one customer while the entry moved to another (a merge another fill saw
    first) cannot tell which is live without profile's section: it stores nothing."""
    cache = _live()
    _stored(cache, "shop", "merged", live_id="survivor")
    cache.end(cache.begin("shop", "merged"), "merged", {"sales": b"the merged customer's deals"}, 1.0)
    assert _held(cache, "shop", "merged") == _view("shop", "merged")
    assert cache.get("shop", "merged", 1.0).live_id == "survivor"  # type: ignore[union-attr]


def test_a_profile_change_during_a_fill_leaves_the_other_sections_stored() -> None:
    cache = _live()
    fill = cache.begin("shop", "c1")
    cache.changed("shop", ["c1"], source="profile")
    cache.end(fill, "c1", _view("shop", "c1"), 1.0)
    held = _held(cache, "shop", "c1")
    assert "profile" not in held and len(held) == len(SECTIONS) - 1


def test_each_section_expires_on_its_own() -> None:
    cache = _live(ttl_s=60.0)
    _stored(cache, "shop", "c1", now=0.0)
    cache.changed("shop", ["c1"], source="scoring")
    cache.end(cache.begin("shop", "c1"), "c1", {"scoring": b"later"}, 30.0)
    assert _held(cache, "shop", "c1", 61.0) == {"scoring": b"later"}
    assert cache.get("shop", "c1", 91.0) is None and len(cache) == 0
