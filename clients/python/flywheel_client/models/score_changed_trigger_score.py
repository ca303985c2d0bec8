from enum import StrEnum


class ScoreChangedTriggerScore(StrEnum):
    CHURN_RISK = "churn_risk"
    RFM_SEGMENT = "rfm_segment"

    def __str__(self) -> str:
        return str(self.value)
