from enum import StrEnum


class KpiTargetInMetric(StrEnum):
    ACTIVE = "active"
    AVERAGE_ORDER_VALUE = "average_order_value"
    CAC = "cac"
    CUSTOMERS = "customers"
    DORMANT = "dormant"
    LTV = "ltv"
    LTV_TO_CAC = "ltv_to_cac"
    NEW_CUSTOMERS = "new_customers"
    NPS = "nps"
    REACTIVATED = "reactivated"
    REFERRAL_SHARE = "referral_share"
    REPURCHASE_RATE = "repurchase_rate"
    RETENTION_90D = "retention_90d"
    REVENUE = "revenue"
    REWARD_COST = "reward_cost"
    VISIT_FREQUENCY = "visit_frequency"

    def __str__(self) -> str:
        return str(self.value)
