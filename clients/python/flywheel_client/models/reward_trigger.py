from enum import StrEnum


class RewardTrigger(StrEnum):
    FIRST_PURCHASE = "first_purchase"
    SIGNUP = "signup"

    def __str__(self) -> str:
        return str(self.value)
