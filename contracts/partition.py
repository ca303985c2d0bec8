"""The Kafka key of an inbound event (`flywheel.events.inbound`): `<workspace>:<subject>`.

Kafka keeps order only within a partition, and the partition follows the key: every path that publishes
inbound events (the gateway's POST /v1/events, `flywheel import jsonl|csv`, the demo through the gateway,
bench and tests producing straight to Kafka, any outside producer) must therefore give one customer the same
key however the producer spelt the customer. This module is that one rule; nothing else builds the key.

The subject is the strongest identifier the event carries, in profile's order (external_id, email, phone,
anonymous_id), normalised as profile normalises it where that needs nothing but the value itself:
- external_id and anonymous_id: trimmed;
- email: trimmed and lower-cased (`Ann@Example.com` and `ann@example.com` are one key);
- phone: spaces, dots, dashes and parentheses removed (`+1 (555) 010-0000` is `+15550100000`), then, for an
  international number (a leading `+`) that is a valid number, its E.164 form (as profile stores it:
  `+44 (0)20 7946 0000` is `+442079460000`). A national number (no `+`) keeps its digits: profile reads it
  with the deployment's default region, which producers do not know.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import phonenumbers

from contracts.inbound import CustomerRef

IDENTIFIER_ORDER: tuple[str, ...] = ("external_id", "email", "phone", "anonymous_id")
_PHONE_PUNCTUATION = re.compile(r"[\s().-]")


class NoCustomerIdentifier(ValueError):
    """The customer reference names no identifier (the inbound contract refuses such an event)."""


def normalised_phone(phone: str) -> str:
    """A phone number as its key's subject: punctuation removed, E.164 for a valid international number."""
    stripped = _PHONE_PUNCTUATION.sub("", phone.strip())
    if not stripped.startswith("+"):
        return stripped
    try:
        number = phonenumbers.parse(stripped, None)
    except phonenumbers.NumberParseException:
        return stripped
    if not phonenumbers.is_valid_number(number):
        return stripped
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _identifiers(customer: CustomerRef | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(customer, CustomerRef):
        return {kind: getattr(customer, kind) for kind in IDENTIFIER_ORDER}
    return customer


def customer_subject(customer: CustomerRef | Mapping[str, Any]) -> str:
    """The strongest identifier of a customer reference (a contract model or its JSON object), normalised."""
    identifiers = _identifiers(customer)
    for kind in IDENTIFIER_ORDER:
        value = identifiers.get(kind)
        if not isinstance(value, str) or not value.strip():
            continue
        if kind == "email":
            return value.strip().lower()
        if kind == "phone":
            return normalised_phone(value)
        return value.strip()
    raise NoCustomerIdentifier("customer needs at least one identifier: external_id, email, phone or anonymous_id")


def partition_key(workspace: str, customer: CustomerRef | Mapping[str, Any]) -> bytes:
    """`<workspace>:<subject>`, the key of every inbound event about this customer."""
    return f"{workspace}:{customer_subject(customer)}".encode()


def event_partition_key(event: Any) -> bytes:
    """The key of a validated inbound event (every inbound type carries `data.customer`)."""
    customer: CustomerRef = event.data.customer
    return partition_key(event.workspace, customer)


def document_partition_key(doc: Mapping[str, Any]) -> bytes:
    """The key of an inbound event still in its JSON form (producers that build dicts: bench, tests).

    Raises NoCustomerIdentifier when the document names no customer identifier."""
    data = doc.get("data")
    customer = data.get("customer") if isinstance(data, Mapping) else None
    return partition_key(str(doc.get("workspace")), customer if isinstance(customer, Mapping) else {})
