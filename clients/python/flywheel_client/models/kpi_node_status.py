from enum import StrEnum


class KpiNodeStatus(StrEnum):
    BEHIND = "behind"
    NO_TARGET = "no_target"
    ON_TRACK = "on_track"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)
