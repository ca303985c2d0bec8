from enum import StrEnum


class ReferralRewardRole(StrEnum):
    FRIEND = "friend"
    REFERRER = "referrer"

    def __str__(self) -> str:
        return str(self.value)
