from enum import StrEnum


class CustomerSimulationEnded(StrEnum):
    COMPLETED = "completed"
    CONVERTED = "converted"
    EXITED = "exited"
    HORIZON = "horizon"
    STEP_BUDGET = "step_budget"

    def __str__(self) -> str:
        return str(self.value)
