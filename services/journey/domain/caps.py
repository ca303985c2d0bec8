"""One frequency cap across journeys, per channel, with priority: pure decisions, every count passed in.

A workspace's messaging settings hold at most one cap per channel ("email: 1 per 1d, sms: 2 per 7d"): messages
to one customer on that channel in any `per` window, every journey together. A journey's own
`settings.frequency_cap` (all channels, messages of every journey counted) still applies, checked first.

`decide` answers for one message asking for a slot, given the messages already counted for the customer:
`send`; `defer` (wait until the oldest counted message leaves the window, then the engine re-checks
everything, quiet hours too); or `skip`. Which of defer and skip: the journey cap's own `when_capped` for the
journey cap, the journey's `settings.when_capped` for the workspace cap.

Priority: messages compete when they are due for the same customer in the same processing pass (one event that
triggers or moves several journeys; the customer's timers claimed by one round; date triggers of one scan; each
event of a batch is a pass of its own). The caller runs them in `priority_order` (higher priority
first, ties by journey id), counting each message sent as `in_pass`, so the higher-priority message takes the
last slot and the other is deferred or skipped with the reason `priority: lost to journey <id>` (the slot would
have been free but for a message of another journey in this pass). A message sent earlier in the window (in an
earlier pass) took its slot whatever its priority: later messages are capped with `workspace_cap:<channel>`;
priority never takes back what was sent. `allocate` runs a whole pass at once (for dry runs: no I/O here).

Counting is only consistent if two passes for the same customer cannot both read "one slot left": the caller
holds a per-customer lock from reading the counts until its messages are recorded (services/journey/store.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

CHANNELS: tuple[str, ...] = ("email", "sms", "push", "wechat", "other")
MAX_CAP_MESSAGES = 1000
MAX_CAP_WINDOW = dt.timedelta(days=31)  # what the service looks back for (service.CAP_LOOKBACK)
MIN_CAP_WINDOW = dt.timedelta(minutes=1)
PRIORITY_MIN, PRIORITY_MAX, DEFAULT_PRIORITY = 0, 100, 50

WhenCapped = Literal["defer", "skip"]
Outcome = Literal["send", "defer", "skip"]
JOURNEY_CAP = "frequency_cap"  # the reason when the journey's own cap holds a message back


@dataclass(frozen=True)
class ChannelCap:
    """At most `messages` messages per `per` to a customer on one channel, every journey together."""

    messages: int
    per: dt.timedelta


WorkspaceCaps = Mapping[str, ChannelCap]  # by channel; a channel left out is not capped


@dataclass(frozen=True)
class Counted:
    """A message counted against caps: when, on which channel, from which journey (None: not known, e.g. recorded
    before channels were; such a message counts against every channel's cap), and whether sent in this pass."""

    at: dt.datetime
    channel: str | None = None
    journey_id: str | None = None
    in_pass: bool = False


@dataclass(frozen=True)
class JourneyCap:
    """A journey's own frequency cap (every channel; messages of every journey counted)."""

    messages: int
    per: dt.timedelta
    when_capped: WhenCapped = "defer"


@dataclass(frozen=True)
class Message:
    """A message asking for a slot."""

    journey_id: str
    channel: str
    priority: int = DEFAULT_PRIORITY
    when_capped: WhenCapped = "defer"
    journey_cap: JourneyCap | None = None


@dataclass(frozen=True)
class CapDecision:
    outcome: Outcome
    reason: str | None = None  # frequency_cap | workspace_cap:<channel> | priority: lost to journey <id>
    until: dt.datetime | None = None  # defer: when a slot frees (re-checked then)


SEND = CapDecision("send")


def priority_order(priority: int, journey_id: str) -> tuple[int, str]:
    """The sort key of competing messages (or enrolments): higher priority first, ties by journey id."""
    return (-priority, journey_id)


def _window(times: Iterable[dt.datetime], per: dt.timedelta, now: dt.datetime) -> list[dt.datetime]:
    return sorted(t for t in times if t > now - per)


def _held(when: WhenCapped, reason: str, recent: list[dt.datetime], messages: int, per: dt.timedelta) -> CapDecision:
    if when == "defer":
        return CapDecision("defer", reason, recent[len(recent) - messages] + per)
    return CapDecision("skip", reason)


def decide(caps: WorkspaceCaps, message: Message, counted: Sequence[Counted], now: dt.datetime) -> CapDecision:
    """Send, defer or skip `message` at `now`, given the customer's messages counted so far (see the module)."""
    own = message.journey_cap
    if own is not None:
        recent = _window((c.at for c in counted), own.per, now)
        if len(recent) >= own.messages:
            return _held(own.when_capped, JOURNEY_CAP, recent, own.messages, own.per)
    cap = caps.get(message.channel)
    if cap is None:
        return SEND
    mine = [c for c in counted if c.channel in (None, message.channel) and c.at > now - cap.per]
    if len(mine) < cap.messages:
        return SEND
    rivals = [c for c in mine if c.in_pass and c.journey_id not in (None, message.journey_id)]
    before = len(mine) - len(rivals)
    reason = f"priority: lost to journey {rivals[0].journey_id}" if rivals and before < cap.messages else None
    recent = sorted(c.at for c in mine)
    return _held(message.when_capped, reason or f"workspace_cap:{message.channel}", recent, cap.messages, cap.per)


def allocate(
    caps: WorkspaceCaps, counted: Sequence[Counted], competing: Sequence[Message], now: dt.datetime
) -> list[tuple[Message, CapDecision]]:
    """One pass's competing messages for one customer, decided in priority order (a dry run's whole pass): each
    one sent is counted (in the pass) for those after it. Answers (message, decision) in that order."""
    so_far = list(counted)
    decided = []
    for message in sorted(competing, key=lambda m: priority_order(m.priority, m.journey_id)):
        decision = decide(caps, message, so_far, now)
        if decision.outcome == "send":
            so_far.append(Counted(now, message.channel, message.journey_id, in_pass=True))
        decided.append((message, decision))
    return decided
