"""The workspace's loyalty program as the rules read it: the validated document (contracts/http/loyalty.py) and
its version."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from contracts.http.loyalty import LoyaltyProgramIn


@dataclass(frozen=True)
class Program:
    version: int
    rules: LoyaltyProgramIn

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.rules.time_zone)
