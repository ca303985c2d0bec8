from enum import StrEnum


class IdentityConflictRule(StrEnum):
    SHARED_IDENTIFIER = "shared_identifier"
    WEAK_IDENTIFIER = "weak_identifier"

    def __str__(self) -> str:
        return str(self.value)
