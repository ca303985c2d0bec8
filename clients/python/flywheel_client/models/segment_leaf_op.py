from enum import StrEnum


class SegmentLeafOp(StrEnum):
    AFTER = "after"
    BEFORE = "before"
    CONTAINS = "contains"
    EQ = "eq"
    EXISTS = "exists"
    GT = "gt"
    GTE = "gte"
    IN = "in"
    LT = "lt"
    LTE = "lte"
    NE = "ne"
    NOT_EXISTS = "not_exists"
    NOT_IN = "not_in"
    NOT_WITHIN_LAST = "not_within_last"
    WITHIN_LAST = "within_last"

    def __str__(self) -> str:
        return str(self.value)
