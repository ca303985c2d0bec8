"""A generated workspace whose growth figures are known: customers from five acquisition channels (a newsletter's
utm visits, ads' utm purchases, a store's purchase channel, a referral program, direct), marketing spend per
channel and campaign (one row in a currency the reports cannot convert), cohorts with planted repurchases, survey
answers and a referral reward per qualifying friend. Each figure the reports show is computed here again, in plain
Python over the same generated events (no SQL, no service code), for the known-truth test to compare to the cent.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
UTC = dt.UTC
START = dt.datetime(2026, 1, 5, tzinfo=UTC)  # the first first purchase
LAST = dt.datetime(2026, 5, 28, tzinfo=UTC)  # nothing happens after this (scoring's clock is 2026-06-01 12:00)
REFERRER = "referrer"
REWARD = Decimal("10.00")  # the referrer's reward for a friend's first purchase of at least MIN_PURCHASE
MIN_PURCHASE = Decimal("20.00")
WORKSPACE_CURRENCY = "EUR"


def money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def ratio(numerator: int | Decimal, denominator: int | Decimal) -> float | None:
    return None if not denominator else round(float(Decimal(numerator) / Decimal(denominator)), 4)


@dataclass(frozen=True)
class Purchase:
    customer: str
    order_id: str
    at: dt.datetime
    amount: Decimal
    channel: str | None = None
    utm_source: str | None = None
    utm_campaign: str | None = None
    referral_code: bool = False  # carries the referrer's code


@dataclass(frozen=True)
class Visit:
    customer: str
    at: dt.datetime
    channel: str = "web"
    utm_source: str | None = None
    utm_campaign: str | None = None


@dataclass(frozen=True)
class Answer:
    customer: str
    at: dt.datetime
    nps: int


@dataclass(frozen=True)
class SpendRow:
    day: dt.date
    channel: str
    campaign: str | None
    amount: Decimal
    currency: str | None = None


@dataclass
class World:
    customers: list[str] = field(default_factory=list)
    purchases: list[Purchase] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    spend: list[SpendRow] = field(default_factory=list)

    # --- what the rules decide, recomputed ---------------------------------------------------------------

    def orders_of(self, customer: str) -> list[Purchase]:
        return sorted((p for p in self.purchases if p.customer == customer), key=lambda p: (p.at, p.order_id))

    def repeat_buyers(self) -> list[str]:
        """The members of the test's segment `stats.orders >= 2`."""
        return [c for c in self.customers if len(self.orders_of(c)) >= 2]

    def first_order(self, customer: str) -> Purchase | None:
        orders = self.orders_of(customer)
        return orders[0] if orders else None

    def referred(self, customer: str) -> bool:
        """A referral attributed them: their first purchase carried the referrer's code."""
        first = self.first_order(customer)
        return first is not None and first.referral_code

    def source(self, customer: str) -> tuple[str, str | None]:
        """(source, campaign): referral; else the earliest utm touch by event time; else the first purchase's
        channel; else direct."""
        if self.referred(customer):
            return "referral", None
        touches = [(v.at, v.utm_source, v.utm_campaign) for v in self.visits if v.customer == customer and v.utm_source]
        touches += [
            (p.at, p.utm_source, p.utm_campaign) for p in self.purchases if p.customer == customer and p.utm_source
        ]
        if touches:
            _, utm_source, campaign = min(touches, key=lambda t: t[0])
            assert utm_source is not None
            return utm_source, campaign
        first = self.first_order(customer)
        if first is not None and first.channel:
            return first.channel, None
        return "direct", None

    def new_customers(self, since: dt.datetime, until: dt.datetime) -> list[str]:
        return [c for c in self.customers if (first := self.first_order(c)) is not None and since <= first.at < until]

    def purchase_days(self, customer: str) -> dict[dt.date, Decimal]:
        days: dict[dt.date, Decimal] = defaultdict(Decimal)
        for p in self.orders_of(customer):
            days[p.at.date()] += p.amount
        return dict(sorted(days.items()))

    def reward_cost(self, since: dt.datetime, until: dt.datetime) -> Decimal:
        """The referrer's rewards granted in [since, until): one per referred friend, at the friend's first purchase
        of at least MIN_PURCHASE (a smaller first purchase leaves the reward to a later one)."""
        granted = Decimal(0)
        for customer in self.customers:
            if not self.referred(customer):
                continue
            qualifying = [p for p in self.orders_of(customer) if p.amount >= MIN_PURCHASE]
            if qualifying and since <= qualifying[0].at < until:
                granted += REWARD
        return granted

    # --- the reports, recomputed ----------------------------------------------------------------------------

    def acquisition(
        self, since: dt.datetime, until: dt.datetime, predicted_clv: dict[str, Decimal], per_channel: bool = False
    ) -> dict[tuple[str, str | None], dict[str, object]]:
        """Per (channel, campaign), or per channel with `per_channel`: the acquisition report's figures; spend in
        another currency left out."""

        def key(channel: str, campaign: str | None) -> tuple[str, str | None]:
            return (channel, None) if per_channel else (channel, campaign)

        groups: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        for customer in self.new_customers(since, until):
            groups[key(*self.source(customer))].append(customer)
        spend: dict[tuple[str, str | None], Decimal] = defaultdict(Decimal)
        for row in self.spend:
            if since.date() <= row.day < until.date() and row.currency in (None, WORKSPACE_CURRENCY):
                spend[key(row.channel, row.campaign)] += row.amount
        referral_cost = self.reward_cost(since, until)
        if referral_cost or ("referral", None) in groups:
            spend[("referral", None)] += referral_cost
        figures: dict[tuple[str, str | None], dict[str, object]] = {}
        for row_key in sorted(set(groups) | set(spend), key=lambda k: (k[0], k[1] or "")):
            members = groups.get(row_key, [])
            figures[row_key] = self._acquisition_row(members, spend.get(row_key, Decimal(0)), predicted_clv)
        return figures

    def _acquisition_row(
        self, members: list[str], spend: Decimal, predicted_clv: dict[str, Decimal]
    ) -> dict[str, object]:
        count = len(members)
        firsts = [first.amount for c in members if (first := self.first_order(c)) is not None]
        predicted = [predicted_clv[c] for c in members if c in predicted_clv]
        cac = spend / count if count else None
        avg_clv = sum(predicted, Decimal(0)) / len(predicted) if predicted else None
        repurchasers = sum(1 for c in members if self._repurchased_within_90_days(c))
        return {
            "new_customers": count,
            "spend": money(spend),
            "cac": money(cac) if cac is not None else None,
            "avg_first_order": money(sum(firsts, Decimal(0)) / count) if count else None,
            "avg_predicted_clv": money(avg_clv) if avg_clv is not None else None,
            "ltv_to_cac": round(float(avg_clv / cac), 4) if avg_clv is not None and cac else None,
            "repurchase_rate_90d": ratio(repurchasers, count),
        }

    def _repurchased_within_90_days(self, customer: str) -> bool:
        orders = self.orders_of(customer)
        return len([p for p in orders if p.at <= orders[0].at + dt.timedelta(days=90)]) >= 2

    def retention_by_month(self, since: dt.datetime, until: dt.datetime, now: dt.datetime) -> list[dict[str, object]]:
        """Monthly cohorts by first purchase day in [since, until), followed to the month holding `until`."""
        last_month = _month_of((until - dt.timedelta(microseconds=1)).date())
        cohorts: dict[dt.date, list[str]] = defaultdict(list)
        for customer in self.new_customers(since, until):
            first = self.first_order(customer)
            assert first is not None
            cohorts[_month_of(first.at.date())].append(customer)
        answer = []
        for month in sorted(cohorts):
            members = cohorts[month]
            size = len(members)
            retained: list[float | None] = []
            revenue: list[str | None] = []
            repurchase: list[float | None] = []
            k, start = 0, month
            while start <= last_month:
                end = _next_month(start)
                if dt.datetime.combine(end, dt.time(), UTC) > now:
                    retained.append(None)
                    revenue.append(None)
                    repurchase.append(None)
                else:
                    days = {c: self.purchase_days(c) for c in members}
                    bought = [c for c in members if any(start <= d < end for d in days[c])]
                    amount = sum((a for c in members for d, a in days[c].items() if start <= d < end), Decimal(0))
                    second = [c for c in members if len(days[c]) >= 2 and list(days[c])[1] < end]
                    retained.append(ratio(len(bought), size))
                    revenue.append(money(amount / size))
                    repurchase.append(ratio(len(second), size))
                k, start = k + 1, end
            answer.append(
                {
                    "cohort": f"{month.year:04d}-{month.month:02d}",
                    "size": size,
                    "retained": retained,
                    "revenue_per_member": revenue,
                    "repurchase_rate": repurchase,
                }
            )
        return answer

    def nps(self, answers: Iterable[Answer], since: dt.datetime, until: dt.datetime) -> dict[str, object]:
        latest: dict[str, Answer] = {}
        for answer in sorted(answers, key=lambda a: a.at):
            if since <= answer.at < until:
                latest[answer.customer] = answer
        return nps_counts([a.nps for a in latest.values()])

    def nps_by_month(self, since: dt.datetime, until: dt.datetime) -> list[dict[str, object]]:
        months = sorted({_month_of(a.at.date()) for a in self.answers if since <= a.at < until})
        rows = []
        for month in months:
            start = max(since, dt.datetime.combine(month, dt.time(), UTC))
            end = min(until, dt.datetime.combine(_next_month(month), dt.time(), UTC))
            rows.append({"month": f"{month.year:04d}-{month.month:02d}", **self.nps(self.answers, start, end)})
        return rows

    def nps_by_channel(self, since: dt.datetime, until: dt.datetime) -> dict[str, dict[str, object]]:
        channels = sorted({self.source(a.customer)[0] for a in self.answers if since <= a.at < until})
        return {
            channel: self.nps([a for a in self.answers if self.source(a.customer)[0] == channel], since, until)
            for channel in channels
        }

    # --- the KPI tree's figures -----------------------------------------------------------------------------

    def kpis(self, since: dt.datetime, until: dt.datetime, predicted_clv: dict[str, Decimal]) -> dict[str, object]:
        """The KPI tree's values over [since, until) this world determines (scoring's dormancy snapshots aside)."""
        in_period = [p for p in self.purchases if since <= p.at < until]
        revenue = sum((p.amount for p in in_period), Decimal(0))
        new = self.new_customers(since, until)
        purchasers = [c for c in self.customers if any(p.at < until for p in self.orders_of(c))]
        repeaters = [c for c in purchasers if len([p for p in self.orders_of(c) if p.at < until]) >= 2]
        base = {
            c
            for c in self.customers
            for d in self.purchase_days(c)
            if since.date() - dt.timedelta(90) <= d < since.date()
        }
        late = {
            c
            for c in self.customers
            for d in self.purchase_days(c)
            if until.date() - dt.timedelta(90) <= d < until.date()
        }
        visit_days: dict[tuple[str, dt.date], int] = defaultdict(int)
        for v in self.visits:
            if since <= v.at < until:
                visit_days[(v.customer, v.at.date())] += 1
        visitors = {c for c, _ in visit_days}
        spend = sum(
            (
                r.amount
                for r in self.spend
                if since.date() <= r.day < until.date() and r.currency in (None, WORKSPACE_CURRENCY)
            ),
            Decimal(0),
        ) + self.reward_cost(since, until)
        cac = spend / len(new) if new else None
        predicted = [predicted_clv[c] for c in new if c in predicted_clv]
        avg_clv = sum(predicted, Decimal(0)) / len(predicted) if predicted else None
        everyone = sum((p.amount for p in self.purchases), Decimal(0))
        referred = [c for c in new if self.referred(c)]
        return {
            "customers": len([c for c in self.customers if min(self._times(c)) < until]),
            "new_customers": len(new),
            "repurchase_rate": ratio(len(repeaters), len(purchasers)),
            "retention_90d": ratio(len(base & late), len(base)),
            "visit_frequency": ratio(sum(visit_days.values()), len(visitors)),
            "nps": self.nps(self.answers, since, until)["score"],
            "revenue": money(revenue),
            "average_order_value": money(revenue / len(in_period)) if in_period else None,
            "ltv": money(everyone / len({p.customer for p in self.purchases})),
            "cac": money(cac) if cac is not None else None,
            "ltv_to_cac": round(float(avg_clv / cac), 4) if avg_clv is not None and cac else None,
            "referral_share": ratio(len(referred), len(new)),
            "reward_cost": money(self.reward_cost(since, until)),
        }

    def _times(self, customer: str) -> list[dt.datetime]:
        return (
            [p.at for p in self.purchases if p.customer == customer]
            + [v.at for v in self.visits if v.customer == customer]
            + [a.at for a in self.answers if a.customer == customer]
        )


def nps_counts(scores: list[int]) -> dict[str, object]:
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    responses = len(scores)
    score = None
    if responses:
        exact = (Decimal(promoters) - Decimal(detractors)) * 100 / Decimal(responses)
        score = float(exact.quantize(CENT, rounding=ROUND_HALF_UP))
    return {
        "score": score,
        "promoters": promoters,
        "passives": responses - promoters - detractors,
        "detractors": detractors,
        "responses": responses,
    }


def _month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


# --- generation -----------------------------------------------------------------------------------------------

CHANNELS = ("newsletter", "ads", "store", "referral", "direct")


def generate(seed: int = 18, per_channel: int = 9) -> World:
    """The workspace: `per_channel` customers of each channel, their purchases, visits and answers, and spend."""
    rng = random.Random(seed)
    world = World()
    span = (LAST - START).total_seconds()

    def moment(after: dt.datetime, days: tuple[int, int]) -> dt.datetime:
        at = after + dt.timedelta(days=rng.randint(*days), seconds=rng.randint(0, 86_399))
        return min(at, LAST - dt.timedelta(seconds=rng.randint(1, 86_399)))

    def amount() -> Decimal:
        return Decimal(rng.randint(500, 15_000)) / 100

    # The referrer: an early direct customer whose code the referred friends' first purchases carry.
    world.customers.append(REFERRER)
    world.purchases.append(Purchase(REFERRER, "o-referrer", START - dt.timedelta(days=3), Decimal("42.00")))
    for channel in CHANNELS:
        for n in range(per_channel):
            customer = f"{channel}-{n}"
            world.customers.append(customer)
            first_at = START + dt.timedelta(seconds=rng.uniform(0, span * 0.95))
            first = Purchase(customer, f"o-{customer}-0", first_at, amount())
            if channel == "newsletter":
                campaign = "spring" if n % 2 else None
                # The utm visit comes before the first purchase; a later visit from elsewhere changes nothing.
                world.visits.append(Visit(customer, first_at - dt.timedelta(hours=rng.randint(1, 48)),
                                          utm_source="newsletter", utm_campaign=campaign))  # fmt: skip
                world.visits.append(Visit(customer, moment(first_at, (1, 20)), utm_source="ads"))
            elif channel == "ads":
                first = Purchase(customer, first.order_id, first_at, first.amount, utm_source="ads",
                                 utm_campaign="brand")  # fmt: skip
            elif channel == "store":
                first = Purchase(customer, first.order_id, first_at, first.amount, channel="store")
            elif channel == "referral":
                # Two friends buy less than the reward's minimum: no reward for them.
                small = Decimal("15.00") if n < 2 else first.amount + MIN_PURCHASE
                first = Purchase(customer, first.order_id, first_at, small, referral_code=True)
            world.purchases.append(first)
            # Planted repurchases: about half buy again, some twice, away from the 90-day edge.
            at = first_at
            for k in range(rng.choice((0, 0, 1, 1, 2))):
                at = moment(at, rng.choice(((3, 80), (100, 130))))
                if at <= first_at:
                    break
                world.purchases.append(Purchase(customer, f"o-{customer}-{k + 1}", at, amount(), channel="web"))
            if rng.random() < 0.6:
                world.visits.append(Visit(customer, moment(first_at, (0, 60))))
            for _ in range(rng.choice((0, 1, 1, 2))):
                world.answers.append(Answer(customer, moment(START, (20, 140)), rng.randint(0, 10)))
    day = START.date() - dt.timedelta(days=5)
    while day <= LAST.date():
        for channel, campaign in (("newsletter", "spring"), ("newsletter", None), ("ads", "brand"), ("tv", None)):
            if rng.random() < 0.5:
                world.spend.append(SpendRow(day, channel, campaign, Decimal(rng.randint(100, 9_999)) / 100))
        day += dt.timedelta(days=1)
    world.spend.append(SpendRow(dt.date(2026, 4, 1), "ads", "brand-us", Decimal("250.00"), currency="USD"))
    return world
