from enum import StrEnum


class ScoreChangedTriggerFromType0(StrEnum):
    ABOUT_TO_SLEEP = "About to Sleep"
    AT_RISK = "At Risk"
    CANT_LOSE_THEM = "Can't Lose Them"
    CHAMPIONS = "Champions"
    HIBERNATING = "Hibernating"
    LOST = "Lost"
    LOYAL = "Loyal"
    NEED_ATTENTION = "Need Attention"
    NEW = "New"
    POTENTIAL_LOYALIST = "Potential Loyalist"
    PROMISING = "Promising"

    def __str__(self) -> str:
        return str(self.value)
