from enum import StrEnum


class CustomerJourneyStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    CONVERTED = "converted"
    EXITED = "exited"
    WAITING = "waiting"

    def __str__(self) -> str:
        return str(self.value)
