from enum import StrEnum


class EventTypeVersionUnknownFields(StrEnum):
    KEEP = "keep"
    REFUSE = "refuse"

    def __str__(self) -> str:
        return str(self.value)
