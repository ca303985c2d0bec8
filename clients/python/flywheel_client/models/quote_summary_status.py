from enum import StrEnum


class QuoteSummaryStatus(StrEnum):
    ACCEPTED = "accepted"
    APPROVED = "approved"
    OPEN = "open"
    PENDING_APPROVAL = "pending_approval"
    REJECTED = "rejected"

    def __str__(self) -> str:
        return str(self.value)
