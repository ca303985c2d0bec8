from enum import StrEnum


class RedemptionStatus(StrEnum):
    HELD = "held"
    REDEEMED = "redeemed"
    RELEASED = "released"

    def __str__(self) -> str:
        return str(self.value)
