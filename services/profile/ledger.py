"""The erasure ledger's rules, free of I/O: how an identifier is hashed, which identifiers of an event are
looked up, and whether a ledger entry drops an event.

An identifier is hashed as HMAC-SHA256(FLYWHEEL_IDENTIFIER_HASH_KEY, workspace, kind, normalised value): the
ledger cannot be read back into identifiers without the key, and the same person in two workspaces gives two
unrelated hashes. Changing the key makes every entry unrecognisable (erased people could come back): the key
is set once per deployment and kept.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from contracts.inbound import CustomerRef
from runtime.settings import RuntimeSettings
from services.profile.domain import (
    IDENTIFIER_KINDS,
    Identifier,
    InvalidIdentifier,
    normalize_email,
    normalize_phone,
)

DEVELOPMENT_KEY = "flywheel-development-only-identifier-hash-key"
"""The key when FLYWHEEL_IDENTIFIER_HASH_KEY is empty: public, so development only (refused in production)."""


class IdentifierHasher:
    def __init__(self, key: str) -> None:
        self._key = (key or DEVELOPMENT_KEY).encode()

    def hash(self, workspace: str, identifier: Identifier) -> str:
        kind, value = identifier
        message = "\x1f".join((workspace, kind, value)).encode()
        return hmac.digest(self._key, message, "sha256").hex()  # OpenSSL's one-shot: a third of hmac.new's CPU

    def hashes(self, workspace: str, identifiers: Iterable[Identifier]) -> list[str]:
        return [self.hash(workspace, identifier) for identifier in identifiers]


def hasher_of(settings: RuntimeSettings) -> IdentifierHasher:
    return IdentifierHasher(settings.identifier_hash_key)


def loose_customer_ref(given: Mapping[str, object]) -> CustomerRef:
    """The identifiers among `given` (a letter's `data.customer`, a request) as a CustomerRef, unvalidated:
    what does not normalise is simply not recognised."""
    values: dict[str, Any] = {kind: value for kind in IDENTIFIER_KINDS if isinstance(value := given.get(kind), str)}
    return CustomerRef.model_construct(**values)


def recognisable_identifiers(ref: CustomerRef, default_region: str | None) -> list[Identifier]:
    """Every identifier of `ref` that normalises, each on its own: an event whose phone number is malformed is
    still recognised by its email (it must be dropped, not dead-lettered with the person's data)."""
    found: list[Identifier] = []
    for kind, raw in (
        ("external_id", ref.external_id),
        ("email", ref.email),
        ("phone", ref.phone),
        ("anonymous_id", ref.anonymous_id),
    ):
        if not raw or not raw.strip():
            continue
        try:
            value = (
                normalize_email(raw)
                if kind == "email"
                else normalize_phone(raw, default_region)
                if kind == "phone"
                else raw.strip()
            )
        except InvalidIdentifier:
            continue
        found.append((kind, value))  # type: ignore[arg-type]  # kind is one of IDENTIFIER_KINDS
    return found


@dataclass(frozen=True)
class LedgerEntry:
    erased_at: dt.datetime
    reconsented_at: dt.datetime | None


def is_erased(entries: Mapping[str, LedgerEntry], hashes: Iterable[str], event_time: dt.datetime) -> bool:
    """An event is dropped when one of its identifiers was erased and not re-consented to before the event
    happened: a re-consent lets in what happens from then on, never the history from before it."""
    for identifier_hash in hashes:
        entry = entries.get(identifier_hash)
        if entry is not None and (entry.reconsented_at is None or event_time < entry.reconsented_at):
            return True
    return False
