"""Kafka's default partitioning of keyed messages (murmur2 of the key, as the Java client and aiokafka's
DefaultPartitioner compute it) for a whole batch of keys at once, with numpy. aiokafka's murmur2 is pure Python
(about 10 µs a key); the outbox relay partitions every message it publishes, so it cost profile's ingest as
much as the rest of the relay's send. Same partitions as a plain `send()`: tests/unit/test_runtime_partitioning.py
compares the two."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

_SEED = 0x9747B28C
_M = np.uint32(0x5BD1E995)


def murmur2(keys: Sequence[bytes]) -> npt.NDArray[np.uint32]:
    """Kafka's murmur2 of each key (uint32 arithmetic wraps as the Java int arithmetic does). Keys of one
    length are hashed together: a word of every key per step."""
    out = np.empty(len(keys), dtype=np.uint32)
    positions: dict[int, list[int]] = defaultdict(list)
    for position, key in enumerate(keys):
        positions[len(key)].append(position)
    for length, at in positions.items():
        data = np.frombuffer(b"".join(keys[i] for i in at), dtype=np.uint8).reshape(len(at), length)
        h = np.full(len(at), _SEED ^ length, dtype=np.uint32)
        whole = length // 4 * 4
        words = np.ascontiguousarray(data[:, :whole]).view("<u4")
        for column in range(whole // 4):
            k = words[:, column] * _M
            k ^= k >> np.uint32(24)
            k *= _M
            h *= _M
            h ^= k
        tail = length - whole
        if tail >= 3:
            h ^= data[:, whole + 2].astype(np.uint32) << np.uint32(16)
        if tail >= 2:
            h ^= data[:, whole + 1].astype(np.uint32) << np.uint32(8)
        if tail >= 1:
            h ^= data[:, whole].astype(np.uint32)
            h *= _M
        h ^= h >> np.uint32(13)
        h *= _M
        h ^= h >> np.uint32(15)
        out[at] = h
    return out


def partitions_of(keys: Sequence[bytes | None], partitions: Sequence[int]) -> list[int]:
    """The partition (of `partitions`, sorted by id) each key goes to, as DefaultPartitioner chooses it: by the
    key's murmur2, or at random for a message without a key."""
    keyed = [i for i, key in enumerate(keys) if key is not None]
    chosen = [random.choice(partitions) for _ in keys]
    if keyed:
        hashes = murmur2([keys[i] for i in keyed])  # type: ignore[misc]  # keyed holds no None
        indexes = (hashes & np.uint32(0x7FFFFFFF)) % np.uint32(len(partitions))
        for i, index in zip(keyed, indexes.tolist(), strict=True):
            chosen[i] = partitions[index]
    return chosen
