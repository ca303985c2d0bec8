from enum import StrEnum


class JourneySettingsReentry(StrEnum):
    AFTER_COOLDOWN = "after_cooldown"
    ALWAYS = "always"
    NEVER = "never"

    def __str__(self) -> str:
        return str(self.value)
