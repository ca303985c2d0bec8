"""A seeded, realistic customer base as inbound CloudEvents, for `flywheel demo` (pure: no I/O, no clock).

Shapes the demo should show: repeat buyers each with their own rhythm, a heavy tail of spend, some
refunds, visits on several channels, support tickets with CSAT/NPS, referral chains, identities
that merge (email in one event, external_id in another, then both), and ~20% dormant customers.
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

DEMO_NAMESPACE = uuid.UUID("0d6c1b9e-52a4-5f3b-8e77-3c9a1f64d2b0")
HISTORY = timedelta(days=540)  # ~18 months
DORMANT_SHARE = 0.2
DORMANT_AFTER = timedelta(days=120)

FIRST = ("Ada", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hugo", "Ines", "Jonas", "Lea", "Max", "Nora")
LAST = ("Meyer", "Schulz", "Dubois", "Garcia", "Rossi", "Jansen", "Smith", "Novak", "Berg", "Costa", "Weber")
# (city, currency, phone prefix, digits after the prefix): numbers valid for phonenumbers' E.164 checks.
CITIES = [
    ("Berlin", "EUR", "+49151", 8),
    ("Munich", "EUR", "+49160", 8),
    ("Paris", "EUR", "+3361", 7),
    ("Madrid", "EUR", "+346", 8),
    ("Amsterdam", "EUR", "+3164", 7),
    ("London", "GBP", "+447400", 6),
    ("New York", "USD", "+1212", 7),
]
COMPANIES = ["Acme GmbH", "Globex", "Initech", "Umbrella BV", "Stark Ltd", "Hooli", "Vandelay Inc"]
TIERS = [("bronze", 50), ("silver", 30), ("gold", 15), ("platinum", 5)]
# (sku, category, unit price): a coffee shop selling beans, gear and classes.
CATALOG = [
    ("BEAN-ETH", "coffee", "14.50"),
    ("BEAN-COL", "coffee", "12.90"),
    ("BEAN-KEN", "coffee", "16.00"),
    ("BEAN-DEC", "coffee", "11.50"),
    ("TEA-SEN", "tea", "9.90"),
    ("TEA-EAR", "tea", "8.50"),
    ("GEAR-V60", "equipment", "24.00"),
    ("GEAR-GRN", "equipment", "129.00"),
    ("GEAR-KTL", "equipment", "79.00"),
    ("GEAR-ESP", "equipment", "449.00"),
    ("ACC-MUG", "accessories", "15.00"),
    ("ACC-FIL", "accessories", "6.50"),
    ("GIFT-BOX", "gifts", "39.00"),
    ("CLASS-BRW", "classes", "45.00"),
]
TICKET_CATEGORIES = ["delivery", "billing", "product", "account"]
REFUND_REASONS = ["damaged", "wrong item", "not as described", "changed mind"]


@dataclass
class _Person:
    index: int
    start: datetime
    end: datetime
    dormant: bool
    style: str  # "full": both ids always; "merge": email, then external_id, then both; "anon": cookie first; "phone"
    ext_id: str
    email: str
    phone: str
    anon_id: str
    traits: dict[str, Any]
    currency: str
    link_at: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.link_at = self.start + (self.end - self.start) * 0.4

    def ref(self, at: datetime, first: bool = False) -> dict[str, str]:
        """The identifiers this customer's event at `at` carries, per identity style."""
        if self.style == "phone":
            return {"phone": self.phone, "external_id": self.ext_id}
        if self.style == "merge" and at < self.link_at:
            return {"email": self.email} if first else {"external_id": self.ext_id}
        return {"external_id": self.ext_id, "email": self.email}


class _Builder:
    def __init__(self, seed: int, workspace: str, now: datetime, customers: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        # In the ids: runs of one seed with different sizes must not share ids (they would be de-duplicated).
        self.run = f"{workspace}/{seed}/{customers}"
        self.workspace = workspace
        self.now = now
        self.events: list[tuple[datetime, int, dict[str, Any]]] = []

    def emit(self, at: datetime, event_type: str, source: str, data: dict[str, Any]) -> None:
        n = len(self.events)  # the event's creation order: ties in time keep cause before effect
        doc = {
            "specversion": "1.0",
            "id": str(uuid.uuid5(DEMO_NAMESPACE, f"{self.run}/{n}")),
            "source": source,
            "type": event_type,
            "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "workspace": self.workspace,
            "data": data,
        }
        self.events.append((at, n, doc))

    def person(self, index: int) -> _Person:
        rng = self.rng
        first, last = rng.choice(FIRST), rng.choice(LAST)
        city, currency, prefix, digits = rng.choice(CITIES)
        dormant = rng.random() < DORMANT_SHARE
        origin = self.now - HISTORY
        if dormant:
            end = self.now - DORMANT_AFTER - timedelta(days=rng.uniform(5, 240))
            start = origin + (end - origin) * rng.uniform(0, 0.8)
        else:
            start = origin + HISTORY * rng.uniform(0, 0.95)
            end = self.now - timedelta(days=rng.uniform(0, 25))
        traits: dict[str, Any] = {"name": f"{first} {last}", "city": city}
        traits["tier"] = rng.choices([t for t, _ in TIERS], [w for _, w in TIERS])[0]
        if rng.random() < 0.3:
            traits["company"] = rng.choice(COMPANIES)
        style = rng.choices(["full", "merge", "anon", "phone"], [55, 20, 15, 10])[0]
        return _Person(
            index=index,
            start=start,
            end=max(end, start + timedelta(days=2)),
            dormant=dormant,
            style=style,
            ext_id=f"u-{self.seed}-{index:05d}",
            email=f"{first}.{last}.{index}@example.com".lower(),
            phone=prefix + "".join(rng.choice("23456789") for _ in range(digits)),
            anon_id=f"anon-{uuid.UUID(int=rng.getrandbits(128)).hex[:16]}",
            traits=traits,
            currency=currency,
        )

    def at_between(self, lo: datetime, hi: datetime) -> datetime:
        return lo + (hi - lo) * self.rng.random()

    def visit(self, p: _Person, at: datetime, ref: dict[str, str] | None = None) -> None:
        rng = self.rng
        channel = rng.choices(["web", "app", "store"], [60, 30, 10])[0]
        sku = rng.choice(CATALOG)[0]
        data: dict[str, Any] = {"customer": ref or p.ref(at), "channel": channel}
        if channel == "web":
            data["url"] = f"https://shop.example.com/p/{sku.lower()}"
            if rng.random() < 0.3:
                data["utm_source"], data["utm_campaign"] = rng.choice([("newsletter", "spring"), ("ads", "retarget")])
        elif channel == "app":
            data["screen"] = rng.choice(["home", "product", "cart"])
        data["product_sku"] = sku
        data["duration_s"] = round(rng.expovariate(1 / 90), 1)
        self.emit(at, "visit", f"shop-{channel}", data)

    def purchase(self, p: _Person, at: datetime, level: float, n: int, referral_code: str | None) -> None:
        rng = self.rng
        target = level * math.exp(rng.gauss(0, 0.35))
        items: list[dict[str, Any]] = []
        total = Decimal(0)
        while total < Decimal(str(round(target, 2))) or not items:
            # Mostly items that fit what is left of the budget, so the order total follows the customer's level.
            room = max(Decimal(str(round(target, 2))) - total, Decimal(10)) * Decimal("1.3")
            sku, category, price = rng.choice([c for c in CATALOG if Decimal(c[2]) <= room] or CATALOG[:6])
            qty = rng.choices([1, 2, 3], [70, 22, 8])[0]
            items.append({"sku": sku, "category": category, "quantity": qty, "unit_price": price})
            total += Decimal(price) * qty
            if len(items) >= 6:
                break
        order_id = f"ord-{self.seed}-{p.index:05d}-{n}"
        data: dict[str, Any] = {"customer": p.ref(at), "order_id": order_id, "amount": str(total)}
        data.update(currency=p.currency, items=items, channel=rng.choices(["web", "app", "store"], [55, 30, 15])[0])
        if referral_code:
            data["referral_code"] = referral_code
        elif n == 0 and rng.random() < 0.25:
            data["coupon"] = "WELCOME10"
        self.emit(at, "purchase", "shop", data)
        refund_at = at + timedelta(days=rng.uniform(2, 20))
        if rng.random() < 0.04 and refund_at <= p.end:
            share = Decimal(1) if rng.random() < 0.6 else Decimal(str(round(rng.uniform(0.2, 0.8), 2)))
            amount = max((total * share).quantize(Decimal("0.01")), Decimal("0.01"))
            reason = rng.choice(REFUND_REASONS)
            self.emit(
                refund_at,
                "refund",
                "erp",
                {"customer": p.ref(refund_at), "order_id": order_id, "amount": str(amount), "reason": reason},
            )

    def tickets(self, p: _Person) -> None:
        rng = self.rng
        for n in range(rng.choices([0, 1, 2], [82, 14, 4])[0]):
            opened = self.at_between(p.start, p.end)
            ticket = {"ticket_id": f"tkt-{self.seed}-{p.index:05d}-{n}", "category": rng.choice(TICKET_CATEGORIES)}
            priority = rng.choice(["low", "normal", "high"])
            self.emit(
                opened,
                "ticket",
                "helpdesk",
                {"customer": p.ref(opened), **ticket, "status": "opened", "priority": priority},
            )
            resolved = opened + timedelta(hours=rng.uniform(2, 96))
            if resolved > p.end or rng.random() < 0.1:
                continue  # still open
            scores: dict[str, Any] = {"csat": rng.choices([1, 2, 3, 4, 5], [5, 7, 15, 33, 40])[0]}
            if rng.random() < 0.4:
                scores["nps"] = min(10, max(0, round(rng.gauss(7.5, 2.2))))
            self.emit(
                resolved, "ticket", "helpdesk", {"customer": p.ref(resolved), **ticket, "status": "resolved", **scores}
            )

    def surveys(self, p: _Person) -> None:
        """About one customer in four answers an NPS survey (some twice); their own random stream, so the rest of
        the generated history does not move with it."""
        rng = random.Random(f"{self.seed}/survey/{p.index}")
        for n in range(rng.choices([0, 1, 2], [75, 20, 5])[0]):
            answered = p.start + (p.end - p.start) * rng.random()
            answer: dict[str, Any] = {"nps": min(10, max(0, round(rng.gauss(7.8, 2.0)))), "survey_id": f"nps-{n + 1}"}
            if rng.random() < 0.5:
                answer["csat"] = rng.choices([1, 2, 3, 4, 5], [4, 6, 15, 35, 40])[0]
            self.emit(answered, "survey", "survey-tool", {"customer": p.ref(answered), **answer, "channel": "email"})

    def consents(self, p: _Person) -> None:
        """About one customer in twenty changes their newsletter subscription from a preference centre; their own
        random stream, so the rest of the generated history does not move with it."""
        rng = random.Random(f"{self.seed}/consent/{p.index}")
        if rng.random() < 0.05:
            at = p.start + (p.end - p.start) * rng.random()
            status = rng.choice(["subscribed", "unsubscribed"])
            data = {"customer": p.ref(at), "group": "newsletter", "status": status, "source": "preference_center"}
            self.emit(at, "consent", "preference-center", data)

    def customer(self, p: _Person, referrer: _Person | None) -> None:
        rng = self.rng
        code = None
        if referrer is not None:
            # Referral chain: the referrer invites, the invitee clicks (still anonymous), signs up, buys.
            code = f"REF-{referrer.index:05d}"
            invited = max(referrer.start, p.start - timedelta(days=rng.uniform(1, 10)))
            self.emit(
                invited,
                "referral",
                "referral-app",
                {"customer": referrer.ref(invited), "action": "invite_sent", "code": code, "channel": "email"},
            )
            clicked = invited + (p.start - invited) * 0.5
            anon = {"anonymous_id": p.anon_id}
            self.emit(clicked, "referral", "referral-app", {"customer": anon, "action": "link_clicked", "code": code})
            self.emit(
                p.start,
                "referral",
                "referral-app",
                {"customer": {**anon, **p.ref(p.start, first=True)}, "action": "signed_up", "code": code},
            )
        elif p.style == "anon":
            for _ in range(rng.randint(1, 3)):
                self.visit(p, p.start - timedelta(hours=rng.uniform(1, 72)), {"anonymous_id": p.anon_id})
        first_ref = p.ref(p.start, first=True)
        if p.style == "anon":
            first_ref = {**first_ref, "anonymous_id": p.anon_id}  # links the cookie's visits to the customer
        self.emit(p.start, "identify", "crm", {"customer": first_ref, "traits": p.traits})
        # Own rhythm and own budget: gaps around a personal mean, spend log-normal (a heavy tail).
        repeat = rng.random() < 0.65
        gap_days = math.exp(rng.gauss(math.log(40), 0.6))
        level = math.exp(rng.gauss(math.log(35), 0.8))
        at, n = p.start + timedelta(hours=rng.uniform(0.5, 48)), 0
        while at <= p.end and n < 60:
            for _ in range(rng.choices([0, 1, 2], [40, 40, 20])[0]):
                self.visit(p, at - timedelta(hours=rng.uniform(0.2, 72)))
            self.purchase(p, at, level, n, code if n == 0 else None)
            n += 1
            if not repeat:
                break
            at += timedelta(days=rng.expovariate(1 / gap_days) + 1)
        for _ in range(rng.randint(0, 6)):
            self.visit(p, self.at_between(p.start, p.end))
        self.tickets(p)
        self.surveys(p)
        self.consents(p)
        if p.style == "merge":
            # Both identifiers in one event: the profile service merges the two profiles made so far.
            self.emit(p.link_at, "identify", "crm", {"customer": p.ref(p.link_at), "traits": {"email_verified": True}})
        self.visit(p, p.end)  # the last activity: recent for active customers, 120+ days ago for dormant ones


def generate(
    seed: int, customers: int = 3000, now: datetime | None = None, workspace: str = "demo"
) -> list[dict[str, Any]]:
    """`customers` customers over the ~18 months before `now`, as inbound events in time order."""
    now = (now or datetime(2026, 1, 1, tzinfo=UTC)).astimezone(UTC).replace(microsecond=0)
    builder = _Builder(seed, workspace, now, customers)
    people = sorted((builder.person(i) for i in range(customers)), key=lambda p: p.start)
    for i, person in enumerate(people):
        # ~12% arrive through a referral from someone already active when they sign up.
        referrer = None
        if i > 20 and builder.rng.random() < 0.12:
            candidate = people[builder.rng.randrange(i)]
            if candidate.end > person.start:
                referrer = candidate
        builder.customer(person, referrer)
    events = [e for e in builder.events if e[0] <= now]
    events.sort(key=lambda e: (e[0], e[1]))
    return [doc for _, _, doc in events]
