from enum import StrEnum


class RetentionReportOutGranularity(StrEnum):
    MONTH = "month"
    WEEK = "week"

    def __str__(self) -> str:
        return str(self.value)
