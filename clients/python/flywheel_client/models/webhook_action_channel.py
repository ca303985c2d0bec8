from enum import StrEnum


class WebhookActionChannel(StrEnum):
    EMAIL = "email"
    OTHER = "other"
    PUSH = "push"
    SMS = "sms"
    WECHAT = "wechat"

    def __str__(self) -> str:
        return str(self.value)
