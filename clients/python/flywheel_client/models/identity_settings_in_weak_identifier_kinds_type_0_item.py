from enum import StrEnum


class IdentitySettingsInWeakIdentifierKindsType0Item(StrEnum):
    ANONYMOUS_ID = "anonymous_id"
    EMAIL = "email"
    PHONE = "phone"

    def __str__(self) -> str:
        return str(self.value)
