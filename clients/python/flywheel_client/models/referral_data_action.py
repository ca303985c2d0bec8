from enum import StrEnum


class ReferralDataAction(StrEnum):
    INVITE_SENT = "invite_sent"
    LINK_CLICKED = "link_clicked"
    SIGNED_UP = "signed_up"

    def __str__(self) -> str:
        return str(self.value)
