from enum import StrEnum


class HeldBackCountOutcome(StrEnum):
    DEFERRED = "deferred"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return str(self.value)
