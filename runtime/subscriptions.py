"""A service's consumer loops, built from its declared subscriptions (contracts/topology.py): the wiring gives
one handler per subscription, by the subscription's name, and never names a topic itself."""

from __future__ import annotations

from typing import Any

from contracts.topology import ServiceTopology
from runtime.consumer import Handler
from runtime.service import ConsumerSpec


class SubscriptionMismatch(ValueError):
    """The handlers a wiring gives do not match the subscriptions its service declares."""


def consumers_of(topology: ServiceTopology, **handlers: Handler[Any]) -> list[ConsumerSpec]:
    """One consumer loop per subscription of `topology`, in declaration order, each with the handler given
    under the subscription's name. A handler without a subscription, or a subscription without a handler,
    is a mistake in the wiring or the declaration: it stops the service here."""
    declared = [s.name for s in topology.subscriptions]
    if set(handlers) != set(declared):
        raise SubscriptionMismatch(
            f"{topology.service}: handlers for {sorted(handlers)}, but its declared subscriptions "
            f"(contracts/topology.py) are {sorted(declared)}"
        )
    return [ConsumerSpec(s.topics, handlers[s.name]) for s in topology.subscriptions]
