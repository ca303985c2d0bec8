from enum import StrEnum


class KpiNodeUnit(StrEnum):
    COUNT = "count"
    MONEY = "money"
    NUMBER = "number"
    RATIO = "ratio"

    def __str__(self) -> str:
        return str(self.value)
