from enum import StrEnum


class EventsRejectedType(StrEnum):
    VALUE_0 = "/problems/validation"
    VALUE_1 = "/problems/malformed-request"
    VALUE_10 = "/problems/gone"
    VALUE_11 = "/problems/payload-too-large"
    VALUE_12 = "/problems/unsupported-media-type"
    VALUE_13 = "/problems/rate-limited"
    VALUE_14 = "/problems/loyalty-program-missing"
    VALUE_15 = "/problems/loyalty-program-inactive"
    VALUE_16 = "/problems/insufficient-points"
    VALUE_17 = "/problems/order-redeemed"
    VALUE_18 = "/problems/redemption-below-minimum"
    VALUE_19 = "/problems/redemption-over-order-share"
    VALUE_2 = "/problems/unauthorized"
    VALUE_20 = "/problems/order-total-required"
    VALUE_21 = "/problems/client-error"
    VALUE_22 = "/problems/internal-error"
    VALUE_23 = "/problems/bad-gateway"
    VALUE_24 = "/problems/service-unavailable"
    VALUE_3 = "/problems/forbidden"
    VALUE_4 = "/problems/not-found"
    VALUE_5 = "/problems/method-not-allowed"
    VALUE_6 = "/problems/conflict"
    VALUE_7 = "/problems/quota-exceeded"
    VALUE_8 = "/problems/idempotency-conflict"
    VALUE_9 = "/problems/idempotency-key-reused"

    def __str__(self) -> str:
        return str(self.value)
