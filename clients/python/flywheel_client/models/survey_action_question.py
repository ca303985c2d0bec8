from enum import StrEnum


class SurveyActionQuestion(StrEnum):
    BOTH = "both"
    CSAT = "csat"
    NPS = "nps"

    def __str__(self) -> str:
        return str(self.value)
