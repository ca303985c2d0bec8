"""The outbox relay's batch partitioning chooses the partitions aiokafka's DefaultPartitioner (Kafka's) chooses."""

from __future__ import annotations

import random

from aiokafka.partitioner import DefaultPartitioner, murmur2

from runtime import partitioning


def test_murmur2_of_a_batch_is_kafkas_for_every_length_and_byte() -> None:
    rng = random.Random(23)
    keys = [bytes(rng.randrange(256) for _ in range(length)) for length in range(0, 70) for _ in range(5)]
    keys += [b"acme:c_5f0c1e2d3b4a5968", "wörk:ü".encode(), b"\xff" * 9]

    assert partitioning.murmur2(keys).tolist() == [murmur2(key) for key in keys]


def test_keys_go_to_the_default_partitioners_partition_and_keyless_messages_anywhere() -> None:
    rng = random.Random(7)
    keys: list[bytes | None] = [f"ws-{rng.randrange(50)}:c{rng.randrange(10**6)}".encode() for _ in range(500)]
    keys += [None] * 20
    for partitions in ([0], [0, 1, 2], list(range(12)), [3, 5, 9]):
        chosen = partitioning.partitions_of(keys, partitions)
        expected = [DefaultPartitioner()(key, partitions, partitions) for key in keys if key is not None]
        assert [p for p, key in zip(chosen, keys, strict=True) if key is not None] == expected
        assert all(p in partitions for p in chosen)
