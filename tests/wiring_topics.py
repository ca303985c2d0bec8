"""What each service consumes, read from its wiring (services/<service>/wiring.py): the tests that check the
Kafka ACLs, the KEDA triggers and the topic catalogue compare it with what they grant or declare."""

from __future__ import annotations

import re
from pathlib import Path

from contracts import topics as contract_topics

ROOT = Path(__file__).resolve().parents[1]
TOPIC_NAMES = {k: v for k, v in vars(contract_topics).items() if isinstance(v, str) and v.startswith("flywheel.")}
"""The catalogue's topic constants, by name (DEADLETTER: "flywheel.deadletter")."""


def consumed_topics(service: str) -> set[str]:
    """The topics services/<service>/wiring.py subscribes to (its ConsumerSpec((TOPIC, ...), ...) calls)."""
    source = (ROOT / "services" / service / "wiring.py").read_text()
    return {
        TOPIC_NAMES[name.strip()]
        for group in re.findall(r"ConsumerSpec\(\(([A-Z_, ]+)\)", source)
        for name in group.split(",")
        if name.strip()
    }
