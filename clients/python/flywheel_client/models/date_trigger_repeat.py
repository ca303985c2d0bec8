from enum import StrEnum


class DateTriggerRepeat(StrEnum):
    ONCE = "once"
    YEARLY = "yearly"

    def __str__(self) -> str:
        return str(self.value)
