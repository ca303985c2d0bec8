from enum import StrEnum


class TierRulesBasis(StrEnum):
    POINTS = "points"
    SPEND = "spend"

    def __str__(self) -> str:
        return str(self.value)
