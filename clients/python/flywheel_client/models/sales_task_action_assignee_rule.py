from enum import StrEnum


class SalesTaskActionAssigneeRule(StrEnum):
    CUSTOMER_OWNER = "customer_owner"
    ROUND_ROBIN = "round_robin"

    def __str__(self) -> str:
        return str(self.value)
