from enum import StrEnum


class TierRewardKind(StrEnum):
    AMOUNT = "amount"
    PERCENT = "percent"
    POINTS = "points"

    def __str__(self) -> str:
        return str(self.value)
