from enum import StrEnum


class KpiUnit(StrEnum):
    COUNT = "count"
    DAYS = "days"
    MONEY = "money"
    RATIO = "ratio"

    def __str__(self) -> str:
        return str(self.value)
