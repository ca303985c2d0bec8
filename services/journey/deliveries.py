"""Journey's delivery loop: due webhook deliveries, each sent on its own and recorded as soon as it is done.

No delivery waits for another. A claim leases due deliveries in one short statement (nothing is held while
sending), each is attempted as its own task (webhooks.send), and its outcome is recorded the moment it
completes; a freed slot is claimed again at once when work was waiting for it. Outcomes are written by one
writer (`OutcomeWriter`): an outcome that completes while a write is under way goes in the next statement,
with every other that completed meanwhile (a group commit), so at thousands of deliveries a second the
outcomes cost a statement per few milliseconds instead of one each, and no attempt waits for another's send.

Limits, per process (replica):
    - `concurrency`: attempts in flight in all;
    - `per_workspace`: a workspace's share: a claim takes no more of a workspace than its free share, so a
      workspace whose receiver holds every request (a tarpit) holds only its own share of the slots;
    - `per_receiver`: attempts in flight to one receiver (host:port of the webhook URL), whichever
      workspaces point at it.

Leases: a claim leases a delivery for LEASE_S seconds of the database's clock (longer than an attempt can
take: DNS, then the 30 s cap) and counts the attempt. The outcome is recorded by the claim that sent it; a
replica that dies mid-attempt leaves the lease to run out, and the delivery is claimed again and re-sent
under the same Idempotency-Key (delivery is at least once; receivers de-duplicate). A crash loop ends as
any other failure would, after MAX_ATTEMPTS counted attempts. On SIGTERM (`drain`) nothing new is claimed,
attempts in flight get DRAIN_S seconds to finish and be recorded, and the rest are left to their lease.

Metrics: flywheel_journey_deliveries_in_flight (gauge), flywheel_journey_delivery_holds_total{limit} (how
often a claim left due deliveries waiting because a limit was full: `concurrency` once per claim, `workspace`
once per workspace at its share, `receiver` once per receiver at its limit), and
flywheel_journey_delivery_leases_lost_total (outcomes dropped because another claim held the delivery by then).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
from prometheus_client import Counter as MetricCounter
from prometheus_client import Gauge

from runtime.db import Connection
from runtime.secrets_at_rest import Keyring, UnsealError, keyring_of
from runtime.survey_links import QUESTIONS, SurveyLink, answer_url, sign_link, token_id_of
from runtime.unsubscribe_links import LINK_TTL, UnsubscribeLink, unsubscribe_url
from runtime.unsubscribe_links import sign_link as sign_unsubscribe
from runtime.unsubscribe_links import token_id_of as unsubscribe_token_id
from services.journey import consent_store, delivery_store
from services.journey.channel_secrets import signing_secrets
from services.journey.delivery_store import AttemptOutcome, ClaimedDelivery, DueDelivery
from services.journey.domain.consent import decide, message_consent
from services.journey.service import JourneyContext
from services.journey.settings import JourneyServiceSettings
from services.journey.webhooks import RESOLVE_AND_ATTEMPT_S, WebhookDelivery, WebhookResult, send

log = logging.getLogger(__name__)

LEASE_S = RESOLVE_AND_ATTEMPT_S + 60.0
"""How long a claim holds a delivery: an attempt (DNS, then the 30 s cap) and recording it, with room to spare."""
DRAIN_S = 20.0
"""On shutdown, how long attempts in flight may take to finish before they are left to their lease."""
NO_CHANNEL_RETRY = dt.timedelta(minutes=5)
NO_CHANNEL = "no webhook configured for this workspace (PUT .../channel)"
UNSEALABLE_SECRET = "the workspace's webhook secret does not open (FLYWHEEL_SECRETS_KEYS): {reason}"  # noqa: S105 - a message, not a secret

IN_FLIGHT = Gauge("flywheel_journey_deliveries_in_flight", "Webhook delivery attempts in flight in this process.")
HOLDS = MetricCounter(
    "flywheel_journey_delivery_holds",
    "Claims that left due deliveries waiting because a limit was full: concurrency (once per claim), workspace "
    "(once per workspace at its share), receiver (once per receiver at its limit).",
    ["limit"],
)  # exposed as flywheel_journey_delivery_holds_total
SUPPRESSED = MetricCounter(
    "flywheel_journey_deliveries_suppressed",
    "Webhook deliveries not sent because the consent check said no right before sending (erased, suppression "
    "list, unsubscribed, no consent, unknown group).",
    ["reason"],
)  # exposed as flywheel_journey_deliveries_suppressed_total; reason: the part before ':' (no group ids)
LEASES_LOST = MetricCounter(
    "flywheel_journey_delivery_leases_lost",
    "Delivery outcomes not recorded because the lease had run out and another claim held the delivery (or the "
    "delivery was erased with its customer meanwhile).",
)


@dataclass(frozen=True)
class DeliveryLimits:
    concurrency: int = 256
    per_workspace: int = 64
    per_receiver: int = 64

    @classmethod
    def from_settings(cls, settings: JourneyServiceSettings) -> DeliveryLimits:
        return cls(settings.delivery_concurrency, settings.delivery_per_workspace, settings.delivery_per_receiver)


class OutcomeWriter:
    """Writes attempts' outcomes: `record` waits for the statement that carries its outcome. One statement is
    under way at a time; outcomes arriving meanwhile wait for it to end and then go together in the next, so the
    statements are as frequent as the database can take and each carries what completed since the last."""

    def __init__(self, context: JourneyContext) -> None:
        self._context = context
        self._waiting: list[tuple[AttemptOutcome, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, outcome: AttemptOutcome) -> bool:
        """True once recorded; False when the lease had been lost. Raises what the write raised."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((outcome, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="delivery outcomes")
        return await future

    async def _write(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                async with self._context.pool.acquire() as conn:
                    recorded = await delivery_store.record_outcomes(conn, [outcome for outcome, _ in batch])
            except Exception as exc:  # each attempt handles it (the lease brings its delivery back)
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for outcome, future in batch:
                if not future.done():  # an attempt cancelled meanwhile (shutdown) no longer waits
                    future.set_result((outcome.workspace, outcome.delivery_id) in recorded)


@dataclass(frozen=True)
class _Claimed:
    workspace: str
    delivery_id: str
    receiver: str | None


class DeliveryDispatcher:
    def __init__(
        self,
        context: JourneyContext,
        http: httpx.AsyncClient,
        limits: DeliveryLimits,
        *,
        idle_s: float = 1.0,
        lease_s: float = LEASE_S,
        keyring: Keyring | None = None,
    ) -> None:
        """Deliveries are claimed on the context's pool and clock, and each URL is vetted by its webhook egress
        policy. `idle_s`: how often to look for due deliveries when no freed slot calls for a claim sooner;
        `keyring` opens the workspaces' sealed secrets (default: FLYWHEEL_SECRETS_KEYS' development key)."""
        self.context = context
        self._http, self._policy = http, context.webhook_egress
        self._keyring = keyring or keyring_of("")
        self._limits = limits
        self._idle_s = idle_s
        self._lease_s = lease_s
        self._tasks: dict[asyncio.Task[None], _Claimed] = {}
        self._by_workspace: Counter[str] = Counter()
        self._by_receiver: Counter[str] = Counter()
        # What the last claim left waiting: a slot freed there calls for a claim at once.
        self._held_workspaces: set[str] = set()
        self._held_receivers: set[str] = set()
        self._held_by_concurrency = False
        self._wake = asyncio.Event()
        self._draining = False
        self._outcomes = OutcomeWriter(context)

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    async def run(self) -> None:
        """Claim and dispatch until drained: after each claim, wait for a slot that held work back to free,
        or `idle_s`. A failing claim (database down) raises; the periodic job runs this again."""
        while not self._draining:
            self._wake.clear()
            await self.dispatch_due()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._idle_s)

    async def dispatch_due(self) -> int:
        """Claim what the limits leave room for and start each attempt; returns how many started."""
        free = self._limits.concurrency - len(self._tasks)
        if self._draining:
            return 0
        if free <= 0:
            self._held_by_concurrency = True
            HOLDS.labels(limit="concurrency").inc()
            return 0
        now = self.context.now()
        free_shares = {ws: self._limits.per_workspace - n for ws, n in self._by_workspace.items() if n > 0}
        async with self.context.pool.acquire() as conn:
            candidates = await delivery_store.due_deliveries(conn, now, self._limits.per_workspace, free_shares)
            chosen = self._choose(candidates, free)
            claim_id = uuid.uuid4()
            claimed = await delivery_store.claim_deliveries(conn, chosen, now, self._lease_s, claim_id)
            rows = await suppress_without_consent(conn, claimed, claim_id)
        for row in rows:
            self._start(row, claim_id)
        return len(rows)

    def _choose(self, candidates: Sequence[DueDelivery], free: int) -> list[tuple[str, str]]:
        """The candidates (oldest first) that fit every limit; notes which limits held others back."""
        chosen: list[tuple[str, str]] = []
        taken_by_workspace: Counter[str] = Counter()
        taken_by_receiver: Counter[str] = Counter()
        held_workspaces: set[str] = set()
        held_receivers: set[str] = set()
        held_by_concurrency = False
        for row in candidates:
            workspace, receiver = row.workspace, row.receiver
            if taken_by_workspace[workspace] >= row.free:
                held_workspaces.add(workspace)
            elif receiver is not None and (
                self._by_receiver[receiver] + taken_by_receiver[receiver] >= self._limits.per_receiver
            ):
                held_receivers.add(receiver)
            elif len(chosen) >= free:
                held_by_concurrency = True
            else:
                chosen.append((workspace, row.delivery_id))
                taken_by_workspace[workspace] += 1
                if receiver is not None:
                    taken_by_receiver[receiver] += 1
        self._held_workspaces, self._held_receivers = held_workspaces, held_receivers
        self._held_by_concurrency = held_by_concurrency
        for limit, count in (
            ("workspace", len(held_workspaces)),
            ("receiver", len(held_receivers)),
            ("concurrency", int(held_by_concurrency)),
        ):
            if count:
                HOLDS.labels(limit=limit).inc(count)
        return chosen

    def _start(self, row: ClaimedDelivery, claim_id: uuid.UUID) -> None:
        claimed = _Claimed(row.workspace, row.delivery_id, row.receiver if row.webhook_url else None)
        task = asyncio.create_task(self._attempt(row, claim_id), name=f"delivery {claimed.delivery_id}")
        self._tasks[task] = claimed
        self._by_workspace[claimed.workspace] += 1
        if claimed.receiver is not None:
            self._by_receiver[claimed.receiver] += 1
        IN_FLIGHT.inc()
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        claimed = self._tasks.pop(task)
        IN_FLIGHT.dec()
        self._by_workspace[claimed.workspace] -= 1
        if self._by_workspace[claimed.workspace] <= 0:
            del self._by_workspace[claimed.workspace]
        if claimed.receiver is not None:
            self._by_receiver[claimed.receiver] -= 1
            if self._by_receiver[claimed.receiver] <= 0:
                del self._by_receiver[claimed.receiver]
        if (
            self._held_by_concurrency
            or claimed.workspace in self._held_workspaces
            or claimed.receiver in self._held_receivers
        ):
            self._wake.set()  # work was waiting for this slot

    async def _attempt(self, row: ClaimedDelivery, claim_id: uuid.UUID) -> None:
        try:
            await self._attempt_and_record(row, claim_id)
        except asyncio.CancelledError:
            raise  # shutdown: the lease brings it back
        except Exception:  # a bug, not the receiver: the lease brings it back, and the other attempts go on
            log.exception("delivery attempt failed", extra={"workspace": row.workspace, "delivery_id": row.delivery_id})

    async def _attempt_and_record(self, row: ClaimedDelivery, claim_id: uuid.UUID) -> None:
        now = self.context.now()
        if row.webhook_url is None:
            outcome = WebhookResult("retry", None, NO_CHANNEL, now + NO_CHANNEL_RETRY)
        else:
            outcome = await self._send(row, now)
        try:
            recorded = await self._outcomes.record(
                AttemptOutcome(
                    row.workspace,
                    row.delivery_id,
                    claim_id,
                    outcome.status,
                    outcome.retry_at,
                    outcome.http_status,
                    outcome.error,
                )
            )
        except (asyncpg.PostgresError, OSError) as exc:  # the lease runs out; the delivery goes again
            log.warning("delivery outcome not recorded", extra=_context(row, outcome, error=repr(exc)))
            return
        if not recorded:
            LEASES_LOST.inc()
            log.warning("delivery lease lost before its outcome was recorded", extra=_context(row, outcome))

    async def _send(self, row: ClaimedDelivery, now: dt.datetime) -> WebhookResult:
        assert row.webhook_url is not None  # a delivery without a channel is not sent (_attempt_and_record)
        try:
            signing = signing_secrets(self._keyring, row.secrets, now)
        except UnsealError as exc:  # an operator dropped a key too early: the delivery waits for it to come back
            log.error("webhook secret does not open", extra={"workspace": row.workspace, "reason": str(exc)})
            return WebhookResult("retry", None, UNSEALABLE_SECRET.format(reason=exc), now + NO_CHANNEL_RETRY)
        delivery = WebhookDelivery(
            delivery_id=row.delivery_id,
            workspace=row.workspace,
            url=row.webhook_url,
            secret=signing.current,
            previous_secret=signing.previous,  # while a rotation's overlap lasts: signed with both
            body=with_links(row, self._keyring, self.context.settings.public_url),
            attempt=row.attempts,  # counted by the claim
            created_at=row.created_at,
        )
        return await send(self._http, delivery, now, policy=self._policy)

    async def drain(self, timeout_s: float = DRAIN_S) -> None:
        """Stop claiming; give attempts in flight `timeout_s` to finish, then leave the rest to their lease."""
        self._draining = True
        self._wake.set()
        tasks = list(self._tasks)
        if not tasks:
            return
        log.info("draining webhook deliveries", extra={"in_flight": len(tasks)})
        _, pending = await asyncio.wait(tasks, timeout=timeout_s)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
            log.warning("deliveries left to their lease at shutdown", extra={"deliveries": len(pending)})


async def suppress_without_consent(
    conn: Connection, rows: list[ClaimedDelivery], claim_id: uuid.UUID
) -> list[ClaimedDelivery]:
    """The claimed deliveries consent lets go now (services/journey/domain/consent.py, with the customers' state
    read at this moment: two queries for the whole claim); the others are recorded `suppressed` with the reason
    and never sent."""
    if not rows:
        return rows
    keys = sorted({(row.workspace, str(row.body.get("customer_id", ""))) for row in rows})
    states = await consent_store.consent_states(conn, keys)
    groups = await consent_store.groups_of(conn, {row.workspace for row in rows})
    send, stopped = [], []
    for row in rows:
        state = states.get((row.workspace, str(row.body.get("customer_id", ""))))
        decision = decide(message_consent(row.body), state, groups.get(row.workspace, {})) if state else None
        if decision is None or decision.send:
            send.append(row)
        else:
            customer_id = str(row.body.get("customer_id", ""))
            stopped.append((row.workspace, row.delivery_id, customer_id, decision.reason or "suppressed"))
    await delivery_store.record_suppressed(conn, stopped, claim_id)
    for *_, reason in stopped:
        SUPPRESSED.labels(reason.split(":", 1)[0]).inc()
    return send


def with_links(row: ClaimedDelivery, keyring: Keyring, public_url: str) -> dict[str, Any]:
    """A delivery's body with its signed links: a survey's answer link, and every message's one-click unsubscribe
    link (`unsubscribe: {url, group, expires_at}`), made at each attempt from what the body holds (the same
    tokens every time), so the database never holds a usable link."""
    body = with_answer_link(row, keyring, public_url)
    link = UnsubscribeLink(
        workspace=row.workspace,
        customer_id=str(row.body.get("customer_id", "")),
        group=message_consent(row.body).group_id,
        token_id=unsubscribe_token_id(row.workspace, row.delivery_id),
        expires_at=(row.created_at + LINK_TTL).astimezone(dt.UTC).replace(microsecond=0),
    )
    url = unsubscribe_url(public_url, sign_unsubscribe(keyring, link))
    return {**body, "unsubscribe": {"url": url, "group": link.group, "expires_at": link.expires_at.isoformat()}}


def with_answer_link(row: ClaimedDelivery, keyring: Keyring, public_url: str) -> dict[str, Any]:
    """A survey delivery's body with its signed one-time answer link (`survey.answer_url`), made at each attempt
    from what the body holds (the same token every time: it is deterministic), so the database never holds a
    usable link; any other body as it is."""
    survey = row.body.get("survey")
    if not isinstance(survey, dict) or survey.get("question") not in QUESTIONS:
        return row.body
    link = SurveyLink(
        workspace=row.workspace,
        customer_id=str(row.body.get("customer_id", "")),
        survey_id=str(survey.get("survey_id", "")),
        question=survey["question"],
        channel=str(row.body.get("channel") or "other"),
        token_id=token_id_of(row.workspace, row.delivery_id),
        expires_at=dt.datetime.fromisoformat(str(survey["expires_at"])),
    )
    token = sign_link(keyring, link)
    return {**row.body, "survey": {**survey, "answer_url": answer_url(public_url, token)}}


def _context(row: ClaimedDelivery, outcome: WebhookResult, **extra: Any) -> dict[str, Any]:
    return {
        "workspace": row.workspace,
        "delivery_id": row.delivery_id,
        "attempt": row.attempts,
        "outcome": outcome.status,
        **extra,
    }
