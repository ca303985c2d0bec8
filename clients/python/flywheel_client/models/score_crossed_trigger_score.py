from enum import StrEnum


class ScoreCrossedTriggerScore(StrEnum):
    PREDICTED_CLV = "predicted_clv"
    P_ALIVE = "p_alive"

    def __str__(self) -> str:
        return str(self.value)
