from enum import StrEnum


class KpiNodeSourcesItem(StrEnum):
    PROFILE = "profile"
    REFERRAL = "referral"
    SCORING = "scoring"

    def __str__(self) -> str:
        return str(self.value)
