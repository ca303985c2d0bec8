from enum import StrEnum


class EligibilityWho(StrEnum):
    EVERYONE = "everyone"
    SEGMENT = "segment"

    def __str__(self) -> str:
        return str(self.value)
