from enum import StrEnum


class SearchCustomersSort(StrEnum):
    CREATED_AT = "created_at"
    FIRST_SEEN_AT = "first_seen_at"
    LAST_PURCHASE_AT = "last_purchase_at"
    ORDERS = "orders"
    REVENUE = "revenue"
    VALUE_1 = "-created_at"
    VALUE_3 = "-first_seen_at"
    VALUE_5 = "-revenue"
    VALUE_7 = "-orders"
    VALUE_9 = "-last_purchase_at"

    def __str__(self) -> str:
        return str(self.value)
