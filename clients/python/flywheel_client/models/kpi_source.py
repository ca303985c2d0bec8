from enum import StrEnum


class KpiSource(StrEnum):
    JOURNEY = "journey"
    LOYALTY = "loyalty"
    PROFILE = "profile"
    REFERRAL = "referral"
    SALES = "sales"
    SCORING = "scoring"

    def __str__(self) -> str:
        return str(self.value)
