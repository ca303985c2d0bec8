from enum import StrEnum


class JourneySettingsWhenCapped(StrEnum):
    DEFER = "defer"
    SKIP = "skip"

    def __str__(self) -> str:
        return str(self.value)
