from enum import StrEnum


class SharedIdentifierLimitKind(StrEnum):
    ANONYMOUS_ID = "anonymous_id"
    EMAIL = "email"
    EXTERNAL_ID = "external_id"
    PHONE = "phone"

    def __str__(self) -> str:
        return str(self.value)
