"""Undoing a merge, pure parts: merges recorded with their cause, the split by the identifiers each event carried,
profiles kept apart after an undo, what each side keeps beside its facts, and the lifecycle events."""

from __future__ import annotations

import datetime as dt
import re

import orjson

from contracts.http.profile import MergeCause, MergeRecord
from contracts.internal import ProfileMerged, ProfileUnmerged
from services.profile import events
from services.profile.domain import Identifier, IdentityGraph, Merge
from services.profile.unmerge import EventIdentity, Snapshot, fold_identifies, refold_sides, split

T0 = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)
ADA: Identifier = ("email", "ada@example.com")
BO: Identifier = ("email", "bo@example.com")
ADA_ID: Identifier = ("external_id", "u-ada")
TABLET: Identifier = ("anonymous_id", "tablet-1")
NEW_PHONE: Identifier = ("phone", "+4915112345678")


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def event(event_id: str, minutes: float, *identifiers: Identifier, after: bool = True) -> EventIdentity:
    return EventIdentity(event_id, at(minutes), identifiers, after)


def test_a_merge_is_recorded_with_the_event_and_the_identifiers_that_joined() -> None:
    graph = IdentityGraph.load([(ADA, "c_ada", at(0)), (TABLET, "c_tablet", at(5))])

    customer = graph.resolve([ADA, TABLET], at(10), lambda: "c_new", "evt-bridge")

    assert customer == "c_ada"
    (merge,) = graph.stored_merges()
    assert (merge.survivor_id, merge.merged_id, merge.event_id) == ("c_ada", "c_tablet", "evt-bridge")
    assert merge.joined == (ADA, TABLET)
    assert re.fullmatch(r"m_[0-9a-f]{32}", merge.merge_id)
    assert "email, anonymous_id" in merge.reason


def test_profiles_kept_apart_are_not_merged_again_the_event_goes_to_its_strongest_identifier() -> None:
    links = [(ADA, "c_ada", at(0)), (TABLET, "c_tablet", at(5))]
    graph = IdentityGraph.load(links, apart=[("c_ada", "c_tablet"), ("c_tablet", "c_ada")])

    customer = graph.resolve([ADA, NEW_PHONE, TABLET], at(10), lambda: "c_new", "evt-again")

    assert customer == "c_ada"
    assert graph.merges == []
    assert graph.new_links == {NEW_PHONE: "c_ada"}  # the tablet stays the tablet's
    assert graph.owner[TABLET] == "c_tablet"
    # The strongest identifier decides, not which profile is older.
    assert IdentityGraph.load(links, apart=[("c_ada", "c_tablet")]).resolve([TABLET], at(11), lambda: "x") == "c_tablet"
    strongest = IdentityGraph.load([(ADA_ID, "c_tablet", at(5)), (ADA, "c_ada", at(0))], [("c_ada", "c_tablet")])
    assert strongest.resolve([ADA_ID, ADA], at(12), lambda: "x") == "c_tablet"


def test_the_split_follows_the_identifiers_each_event_carried() -> None:
    found = split(
        merged_owned=[TABLET],
        survivor_before=[ADA],
        events=[
            event("ada-before", 0, ADA, after=False),
            event("tablet-before", 1, TABLET, after=False),
            event("bridge", 10, ADA, TABLET),  # strongest: the email, Ada's
            event("tablet-after", 11, TABLET),
            event("ada-after", 12, ADA),
            event("tablet-new-phone", 13, NEW_PHONE, TABLET),  # a new identifier with the tablet's
            event("new-phone-alone", 14, NEW_PHONE),  # follows it
            event("nobody", 15, ("anonymous_id", "unseen")),  # no side known: stays with the survivor
        ],
    )

    assert found.events == {"tablet-before", "tablet-after", "tablet-new-phone", "new-phone-alone"}
    assert found.restored_event_ids == ("tablet-after", "tablet-new-phone", "new-phone-alone")
    assert found.identifiers == {TABLET, NEW_PHONE}


def test_a_bridging_event_goes_to_the_side_of_its_strongest_identifier() -> None:
    bridge = [event("bridge", 10, ADA, ADA_ID)]

    assert split([ADA_ID], [ADA], bridge).events == {"bridge"}  # external_id beats email
    assert split([ADA], [ADA_ID], bridge).events == frozenset()


def test_the_split_does_not_depend_on_the_order_events_are_given() -> None:
    given = [event("a", 3, NEW_PHONE), event("b", 2, NEW_PHONE, TABLET), event("c", 1, ADA)]

    assert split([TABLET], [ADA], given) == split([TABLET], [ADA], list(reversed(given)))
    assert split([TABLET], [ADA], given).events == {"a", "b"}


def test_each_side_keeps_its_traits_tags_and_referral() -> None:
    survivor_at_merge = Snapshot({"name": "Ada"}, {"name": "2024-03-01T12:00:00+00:00"}, ("vip",), "p_a", at(0))
    merged_at_merge = Snapshot(
        {"plan": "family", "vip_note": "x"},
        {"plan": "2024-03-01T12:05:00+00:00", "vip_note": "2024-03-01T12:05:00+00:00"},
        ("tablet", "vip"),
        "p_b",
        at(1),
    )
    current = Snapshot(
        {"name": "Ada", "plan": "family", "vip_note": "x", "score": 3},
        {"name": "2024-03-01T12:00:00+00:00", "plan": "2024-03-01T12:05:00+00:00",
         "vip_note": "2024-03-01T12:05:00+00:00", "score": "2024-03-01T13:00:00+00:00"},
        ("journey-tag", "tablet", "vip"),
        "p_b",
        at(1),
    )  # fmt: skip
    survivor_identifies = fold_identifies([({"name": "Ada"}, at(0)), ({"city": "Berlin"}, at(20))])
    restored_identifies = fold_identifies([({"plan": "family"}, at(5)), ({"plan": "solo"}, at(30))])

    kept, back = refold_sides(current, survivor_at_merge, merged_at_merge, survivor_identifies, restored_identifies)

    assert kept.traits[0] == {"name": "Ada", "city": "Berlin", "score": 3}  # a journey's trait since stays
    assert back.traits[0] == {"plan": "solo", "vip_note": "x"}  # its own events, and what it held at the merge
    assert kept.tags == ("journey-tag", "vip")
    assert back.tags == ("tablet", "vip")
    assert (kept.referral_program_id, back.referral_program_id) == ("p_a", "p_b")


def test_snapshots_survive_their_json_form() -> None:
    snapshot = Snapshot({"a": 1}, {"a": "2024-03-01T12:00:00+00:00"}, ("t",), "p", at(3), ("c_old",))

    assert Snapshot.of_json(orjson.loads(orjson.dumps(snapshot.as_json()))) == snapshot
    assert Snapshot.of_json(None) == Snapshot()


def test_merged_and_unmerged_events_are_named_by_the_merge() -> None:
    merge = Merge("c_ada", "c_tablet", "one event carried identifiers of both (email, anonymous_id)", "m_1")
    merged = ProfileMerged.model_validate_json(events.merged("ws-1", merge, at(0)).value or b"")
    assert merged.id == "profile.merged:m_1"
    assert merged.data.merge_id == "m_1"

    record = MergeRecord(
        merge_id="m_1", survivor_id="c_ada", merged_id="c_tablet", cause=MergeCause(reason="r"), merged_at=at(0)
    )
    message = events.unmerged("ws-1", record, ["evt-9"], "shared tablet", at(1))
    unmerged = ProfileUnmerged.model_validate_json(message.value or b"")
    assert unmerged.id == "profile.unmerged:m_1"
    assert (unmerged.data.survivor_id, unmerged.data.restored_id) == ("c_ada", "c_tablet")
    assert unmerged.data.restored_event_ids == ["evt-9"]
    assert message.key == b"ws-1:c_ada"
