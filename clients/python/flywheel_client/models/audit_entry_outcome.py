from enum import StrEnum


class AuditEntryOutcome(StrEnum):
    DONE = "done"
    REFUSED = "refused"
    REQUESTED = "requested"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)
