from enum import StrEnum


class SubscriptionGroupInDefault(StrEnum):
    OPT_IN = "opt_in"
    OPT_OUT = "opt_out"

    def __str__(self) -> str:
        return str(self.value)
