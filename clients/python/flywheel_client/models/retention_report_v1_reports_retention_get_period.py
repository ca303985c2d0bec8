from enum import StrEnum


class RetentionReportV1ReportsRetentionGetPeriod(StrEnum):
    MONTH = "month"
    WEEK = "week"

    def __str__(self) -> str:
        return str(self.value)
