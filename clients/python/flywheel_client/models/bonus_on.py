from enum import StrEnum


class BonusOn(StrEnum):
    BIRTHDAY_MONTH = "birthday_month"
    FIRST_PURCHASE = "first_purchase"
    SURVEY_ANSWER = "survey_answer"

    def __str__(self) -> str:
        return str(self.value)
