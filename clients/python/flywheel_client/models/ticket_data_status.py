from enum import StrEnum


class TicketDataStatus(StrEnum):
    CLOSED = "closed"
    OPENED = "opened"
    RESOLVED = "resolved"

    def __str__(self) -> str:
        return str(self.value)
