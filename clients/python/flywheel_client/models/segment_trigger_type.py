from enum import StrEnum


class SegmentTriggerType(StrEnum):
    SEGMENT_ENTERED = "segment_entered"
    SEGMENT_EXITED = "segment_exited"

    def __str__(self) -> str:
        return str(self.value)
