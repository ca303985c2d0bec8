from enum import StrEnum


class FrequencyCapWhenCapped(StrEnum):
    DEFER = "defer"
    SKIP = "skip"

    def __str__(self) -> str:
        return str(self.value)
