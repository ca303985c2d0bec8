from enum import StrEnum


class EventTypeInUnknownFields(StrEnum):
    KEEP = "keep"
    REFUSE = "refuse"

    def __str__(self) -> str:
        return str(self.value)
