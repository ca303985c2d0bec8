from enum import StrEnum


class RefundRulesShortfall(StrEnum):
    DEBT = "debt"
    NEGATIVE_BALANCE = "negative_balance"

    def __str__(self) -> str:
        return str(self.value)
