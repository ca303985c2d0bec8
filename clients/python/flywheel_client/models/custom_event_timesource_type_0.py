from enum import StrEnum


class CustomEventTimesourceType0(StrEnum):
    KAFKA_CREATETIME = "kafka-createtime"
    KAFKA_LOGAPPENDTIME = "kafka-logappendtime"
    RECEIVED = "received"

    def __str__(self) -> str:
        return str(self.value)
