#!/usr/bin/env bash
# Creates the Flywheel topics listed in TOPICS (one "name partitions retention_ms" per line;
# docker-compose.yml holds the list and tests/deploy/test_compose.py keeps it equal to
# contracts/topics.py). The broker runs with auto topic creation off, so the services need these first.
# Re-running is safe: an existing topic keeps its partitions (Kafka can only add them) and gets the
# listed retention.
set -euo pipefail

bootstrap="${KAFKA_BOOTSTRAP:?KAFKA_BOOTSTRAP names the broker}"
bin="${KAFKA_HOME:-/opt/kafka}/bin"

while read -r name partitions retention_ms; do
  [ -z "${name}" ] && continue
  "${bin}/kafka-topics.sh" --bootstrap-server "${bootstrap}" --create --if-not-exists \
    --topic "${name}" --partitions "${partitions}" --replication-factor 1 \
    --config "retention.ms=${retention_ms}"
  "${bin}/kafka-configs.sh" --bootstrap-server "${bootstrap}" --alter \
    --entity-type topics --entity-name "${name}" --add-config "retention.ms=${retention_ms}"
done <<< "${TOPICS:?TOPICS lists the topics to create}"

"${bin}/kafka-topics.sh" --bootstrap-server "${bootstrap}" --describe --exclude-internal
