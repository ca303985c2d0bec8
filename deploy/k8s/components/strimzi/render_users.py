"""Write kafkausers.yaml, the Strimzi KafkaUsers of contracts.kafka_access (one per service and outside
client, SCRAM-SHA-512, with the ACLs derived from the topic catalogue), so it never drifts from the catalogue.

    .venv/bin/python deploy/k8s/components/strimzi/render_users.py            # write it
    .venv/bin/python deploy/k8s/components/strimzi/render_users.py --check    # exit 1 if it differs
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from contracts.kafka_access import PRINCIPALS, acls_of  # noqa: E402
from runtime.generated import write_or_check  # noqa: E402

OUTPUT = HERE / "kafkausers.yaml"
CLUSTER = "kafka"  # the Strimzi Kafka resource (kafka.yaml)

HEADER = """\
# Generated from contracts/kafka_access.py (the topic catalogue's producers and consumers) by render_users.py:
# edit the catalogue, then run
#   .venv/bin/python deploy/k8s/components/strimzi/render_users.py
# One KafkaUser per service and per outside client, SCRAM-SHA-512: Strimzi's User Operator creates the user
# and its password in the Secret of the same name (key password). The brokers run `authorization: simple`,
# so whatever is not granted here is denied: a service writes only the topics it produces, reads only those
# it consumes, in its own consumer group only.
"""


def kafka_user(name: str) -> dict[str, Any]:
    rules = [
        {
            "resource": {"type": acl.resource_type, "name": acl.resource, "patternType": "literal"},
            "operations": list(acl.operations),
            "host": "*",
        }
        for acl in acls_of(name)
    ]
    return {
        "apiVersion": "kafka.strimzi.io/v1beta2",
        "kind": "KafkaUser",
        "metadata": {
            "name": name,
            "labels": {
                "strimzi.io/cluster": CLUSTER,
                "app.kubernetes.io/name": "kafka",
                "app.kubernetes.io/instance": "flywheel-kafka",
                "app.kubernetes.io/component": "user",
            },
        },
        "spec": {
            "authentication": {"type": "scram-sha-512"},
            "authorization": {"type": "simple", "acls": rules},
        },
    }


def render() -> str:
    users = [kafka_user(p.name) for p in PRINCIPALS]
    return HEADER + yaml.safe_dump_all(users, sort_keys=False, width=120)


def main(argv: list[str] | None = None) -> int:
    return write_or_check(
        {OUTPUT: render()},
        ".venv/bin/python deploy/k8s/components/strimzi/render_users.py",
        argv,
        description="Write kafkausers.yaml from contracts/kafka_access.py.",
    )


if __name__ == "__main__":
    sys.exit(main())
