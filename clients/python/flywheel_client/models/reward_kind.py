from enum import StrEnum


class RewardKind(StrEnum):
    AMOUNT = "amount"
    PERCENT = "percent"
    POINTS = "points"

    def __str__(self) -> str:
        return str(self.value)
