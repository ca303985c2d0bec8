from enum import StrEnum


class ReferralLinkRole(StrEnum):
    REFERRED = "referred"
    REFERRER = "referrer"

    def __str__(self) -> str:
        return str(self.value)
