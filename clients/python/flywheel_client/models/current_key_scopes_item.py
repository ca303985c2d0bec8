from enum import StrEnum


class CurrentKeyScopesItem(StrEnum):
    ADMIN = "admin"
    ATTRIBUTESWRITE = "attributes:write"
    CUSTOMERSERASE = "customers:erase"
    CUSTOMERSREAD = "customers:read"
    EVENTSWRITE = "events:write"
    JOURNEYSWRITE = "journeys:write"
    LOYALTYWRITE = "loyalty:write"
    REFERRALSWRITE = "referrals:write"
    REPORTSWRITE = "reports:write"
    SALESAPPROVE = "sales:approve"
    SALESWRITE = "sales:write"
    SEGMENTSWRITE = "segments:write"

    def __str__(self) -> str:
        return str(self.value)
