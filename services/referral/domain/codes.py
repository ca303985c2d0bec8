"""Referral codes: derived from (workspace, program, customer), so asking again, or replaying an
invite request, gives the same code without a lookup race."""

from __future__ import annotations

import hashlib

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O or 1/I/L: codes are read aloud and typed
LENGTH = 6


def code_for(workspace: str, program_id: str, customer_id: str, prefix: str) -> str:
    number = int.from_bytes(hashlib.sha256(f"{workspace}\x1f{program_id}\x1f{customer_id}".encode()).digest()[:8])
    chars = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return f"{prefix}-{''.join(chars)}"
