"""What purchases and survey answers earn: base rate, category and SKU multipliers, the tier's multiplier, first
purchase and birthday bonuses (local month, once per local year), caps per order and per local day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from services.loyalty.domain.earn import (
    Award,
    Item,
    MemberFacts,
    Purchase,
    award_entry_id,
    local_day,
    points_for_purchase,
    points_for_survey_answer,
)
from tests.unit.loyalty_fixtures import program

WINTER = dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)  # Berlin is UTC+1
SUMMER = dt.datetime(2026, 7, 10, 12, tzinfo=dt.UTC)  # Berlin is UTC+2
NO_BONUS = program(earn={"bonuses": []})


def member(
    *,
    first: bool = False,
    birthday: int | None = None,
    given_in: int | None = None,
    today: int = 0,
    tier: str = "1",
) -> MemberFacts:
    return MemberFacts(
        first_purchase=first,
        birthday_month=birthday,
        birthday_bonus_given_in=given_in,
        earned_on_day=today,
        tier_multiplier=Decimal(tier),
    )


def buy(amount: str, *items: Item, at: dt.datetime = WINTER, currency: str | None = None) -> Purchase:
    return Purchase(order_id="o-1", amount=Decimal(amount), currency=currency, items=items, at=at)


def item(sku: str, category: str | None, quantity: int, price: str) -> Item:
    return Item(sku=sku, category=category, quantity=quantity, unit_price=Decimal(price))


def total(awards: list[Award]) -> int:
    return sum(award.points for award in awards)


def test_the_amount_earns_at_the_base_rate_rounded_down() -> None:
    assert points_for_purchase(NO_BONUS, buy("42.70"), member()) == [Award(42, "purchase", None)]
    assert points_for_purchase(program(earn={"points_per_unit": "2.5", "bonuses": []}), buy("3"), member()) == [
        Award(7, "purchase", None)
    ]
    assert points_for_purchase(NO_BONUS, buy("0.99"), member()) == []  # nothing to award: no zero award


def test_category_and_sku_multipliers_the_skus_winning_and_the_rest_at_the_base_rate() -> None:
    tea = item("DARJ-1", "tea", 2, "10")  # 20 x 2 = 40
    giftbox = item("GIFTBOX-1", "tea", 1, "30")  # its SKU's 3 wins over tea's 2: 90
    cup = item("CUP-1", "ware", 1, "15")  # no multiplier: part of the rest
    awards = points_for_purchase(NO_BONUS, buy("65", tea, giftbox, cup), member())
    assert awards == [Award(40 + 90 + 15, "purchase", None)]


def test_the_rest_never_goes_below_zero_when_items_are_worth_more_than_was_paid() -> None:
    discounted = buy("15", item("DARJ-1", "tea", 2, "10"))  # a 5 off coupon: the items earn, the rest is 0
    assert total(points_for_purchase(NO_BONUS, discounted, member())) == 40


def test_the_tier_multiplier_applies_and_the_points_are_rounded_down_once() -> None:
    # 10.99 x 1.5 = 16.485 -> 16 (rounding the base first would give 15)
    assert total(points_for_purchase(NO_BONUS, buy("10.99"), member(tier="1.5"))) == 16
    assert total(points_for_purchase(NO_BONUS, buy("100"), member(tier="1.25"))) == 125


def test_the_first_purchase_gets_its_fixed_bonus_once_named_by_its_rule() -> None:
    ex = program()
    assert points_for_purchase(ex, buy("10"), member(first=True)) == [
        Award(10, "purchase", None),
        Award(100, "bonus", "first_purchase", on="first_purchase"),
    ]
    assert points_for_purchase(ex, buy("10"), member(first=False)) == [Award(10, "purchase", None)]
    named = program(earn={"bonuses": [{"on": "first_purchase", "points": 50, "name": "welcome"}]})
    assert points_for_purchase(named, buy("10"), member(first=True))[1].rule == "welcome"


def test_the_birthday_multiplier_follows_the_local_month() -> None:
    ex = program()
    march_31_utc = dt.datetime(2026, 3, 31, 21, 30, tzinfo=dt.UTC)  # 23:30 in Berlin: still March
    april_1_local = dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)  # 00:30 on 1 April in Berlin (CEST)
    assert total(points_for_purchase(ex, buy("10", at=march_31_utc), member(birthday=4))) == 10
    assert total(points_for_purchase(ex, buy("10", at=april_1_local), member(birthday=4))) == 20
    assert total(points_for_purchase(ex, buy("10", at=april_1_local), member(birthday=None))) == 10


def test_the_birthday_points_come_once_per_local_year() -> None:
    birthday = program(earn={"bonuses": [{"on": "birthday_month", "points": 50, "multiplier": "2"}]})
    in_may = dt.datetime(2026, 5, 3, 12, tzinfo=dt.UTC)
    first = points_for_purchase(birthday, buy("10", at=in_may), member(birthday=5, given_in=2025))
    assert first == [Award(20, "purchase", None), Award(50, "bonus", "birthday_month", on="birthday_month")]
    again = points_for_purchase(birthday, buy("10", at=in_may), member(birthday=5, given_in=2026))
    assert again == [Award(20, "purchase", None)]  # the multiplier stays for the month, the points do not
    # New Year's Eve 23:30 UTC is already the next year in Berlin: a December birthday is over there
    new_year = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)
    assert points_for_purchase(birthday, buy("10", at=new_year), member(birthday=12, given_in=2025)) == [
        Award(10, "purchase", None)
    ]
    assert points_for_purchase(birthday, buy("10", at=new_year), member(birthday=1, given_in=2026))[1].points == 50


def test_bonus_multipliers_do_not_stack_the_highest_applies() -> None:
    both = program(
        earn={
            "bonuses": [
                {"on": "first_purchase", "multiplier": "3"},
                {"on": "birthday_month", "multiplier": "2"},
            ]
        }
    )
    assert total(points_for_purchase(both, buy("10"), member(first=True, birthday=1))) == 30
    assert total(points_for_purchase(both, buy("10"), member(first=False, birthday=1))) == 20


def test_the_order_cap_cuts_the_bonuses_first_then_the_own_points() -> None:
    ex = program()  # 5000 per order, 100 first purchase points
    assert points_for_purchase(ex, buy("4950"), member(first=True)) == [
        Award(4950, "purchase", None),
        Award(50, "bonus", "first_purchase", on="first_purchase"),
    ]
    assert points_for_purchase(ex, buy("6000"), member(first=True)) == [Award(5000, "purchase", None)]


def test_the_day_cap_counts_what_the_member_earned_that_day() -> None:
    ex = program()  # 10000 per day
    assert points_for_purchase(ex, buy("400"), member(today=9990)) == [Award(10, "purchase", None)]
    assert points_for_purchase(ex, buy("400"), member(today=10000)) == []
    assert points_for_purchase(ex, buy("400"), member(today=12000)) == []


def test_the_day_cap_restarts_at_local_midnight_not_utc_midnight() -> None:
    ex = program()
    earned: dict[dt.date, int] = {}

    def purchase_at(at: dt.datetime, amount: str) -> int:
        day = local_day(ex, at)
        points = total(points_for_purchase(ex, buy(amount, at=at), member(today=earned.get(day, 0))))
        earned[day] = earned.get(day, 0) + points
        return points

    # winter: Berlin's day ends at 23:00 UTC
    assert purchase_at(dt.datetime(2026, 1, 10, 20, 0, tzinfo=dt.UTC), "5000") == 5000
    assert purchase_at(dt.datetime(2026, 1, 10, 22, 59, tzinfo=dt.UTC), "4000") == 4000
    assert purchase_at(dt.datetime(2026, 1, 10, 22, 59, 59, tzinfo=dt.UTC), "4000") == 1000  # the day is full
    assert purchase_at(dt.datetime(2026, 1, 10, 23, 0, tzinfo=dt.UTC), "4000") == 4000  # 11 January in Berlin
    # summer: at 22:00 UTC
    assert local_day(ex, dt.datetime(2026, 7, 10, 21, 59, tzinfo=dt.UTC)) == dt.date(2026, 7, 10)
    assert local_day(ex, dt.datetime(2026, 7, 10, 22, 0, tzinfo=dt.UTC)) == dt.date(2026, 7, 11)


def test_an_inactive_program_or_another_currency_earns_nothing() -> None:
    assert points_for_purchase(program(active=False), buy("10"), member(first=True)) == []
    assert points_for_purchase(program(), buy("10", currency="USD"), member(first=True)) == []
    assert total(points_for_purchase(NO_BONUS, buy("10", currency="EUR"), member())) == 10
    assert total(points_for_purchase(NO_BONUS, buy("10", currency="eur"), member())) == 10
    assert points_for_survey_answer(program(active=False), 0) == []


def test_a_survey_answer_earns_its_bonus_per_answer_capped_per_day() -> None:
    ex = program()
    assert points_for_survey_answer(ex, 0) == [Award(20, "bonus", "survey_answer", on="survey_answer")]
    assert points_for_survey_answer(ex, 9990) == [Award(10, "bonus", "survey_answer", on="survey_answer")]
    assert points_for_survey_answer(ex, 10000) == []
    assert points_for_survey_answer(NO_BONUS, 0) == []


def test_entry_ids_derive_from_the_cause() -> None:
    assert award_entry_id(Award(10, "purchase", None), "c-1", "o-1", 2026) == "earn:order:o-1"
    welcome = Award(5, "bonus", "welcome", on="first_purchase")
    assert award_entry_id(welcome, "c-1", "o-1", 2026) == "bonus:welcome:order:o-1"
    birthday = Award(5, "bonus", "birthday_month", on="birthday_month")
    # once per member and local year: another order that year has the same id, another member another one
    assert award_entry_id(birthday, "c-1", "o-1", 2026) == "bonus:birthday:c-1:2026"
    assert award_entry_id(birthday, "c-1", "o-2", 2026) == "bonus:birthday:c-1:2026"
    assert award_entry_id(birthday, "c-2", "o-3", 2026) == "bonus:birthday:c-2:2026"
    assert award_entry_id(birthday, "c-1", "o-4", 2027) == "bonus:birthday:c-1:2027"
    renamed = Award(5, "bonus", "bday", on="birthday_month")
    assert award_entry_id(renamed, "c-1", "o-1", 2026) == "bonus:birthday:c-1:bday:2026"


amounts = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)


UNCAPPED = program(earn={"max_points_per_order": None, "max_points_per_day": None})


@given(
    amount=amounts,
    quantity=st.integers(min_value=0, max_value=50),
    price=amounts,
    today=st.integers(min_value=0, max_value=20000),
    first=st.booleans(),
    tier=st.sampled_from(["1", "1.25", "1.5"]),
)
def test_the_caps_cut_the_uncapped_awards_from_the_end(
    amount: Decimal, quantity: int, price: Decimal, today: int, first: bool, tier: str
) -> None:
    purchase = Purchase("o-1", amount, None, (Item("GIFTBOX-1", "tea", quantity, price),), WINTER)
    facts = member(first=first, today=today, tier=tier, birthday=1)
    capped = points_for_purchase(program(), purchase, facts)
    uncapped = points_for_purchase(UNCAPPED, purchase, facts)
    limit = min(5000, max(10000 - today, 0))
    assert all(award.points > 0 for award in capped)
    assert total(capped) == min(total(uncapped), limit)
    # a prefix of the uncapped awards, only the last one possibly cut short
    assert [(award.reason, award.rule) for award in capped] == [(award.reason, award.rule) for award in uncapped][
        : len(capped)
    ]
    assert all(cut.points == whole.points for cut, whole in zip(capped[:-1], uncapped, strict=False))
