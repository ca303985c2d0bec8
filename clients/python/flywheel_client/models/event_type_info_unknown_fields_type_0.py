from enum import StrEnum


class EventTypeInfoUnknownFieldsType0(StrEnum):
    KEEP = "keep"
    REFUSE = "refuse"

    def __str__(self) -> str:
        return str(self.value)
