"""Outbound messages (the outbox's rows are checked against PostgreSQL in tests/integration)."""

from __future__ import annotations

from runtime.outbox import OutboundMessage


def test_outbound_messages_do_not_share_a_default_header_list() -> None:
    first = OutboundMessage(topic="t", key=None, value=None)
    second = OutboundMessage(topic="t", key=None, value=None)

    first.headers.append(("a", b"1"))

    assert second.headers == []
