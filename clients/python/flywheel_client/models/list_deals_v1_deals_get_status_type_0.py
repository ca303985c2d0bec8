from enum import StrEnum


class ListDealsV1DealsGetStatusType0(StrEnum):
    LOST = "lost"
    OPEN = "open"
    WON = "won"

    def __str__(self) -> str:
        return str(self.value)
