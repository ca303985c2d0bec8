"""Quotes: line items, a percent discount, and the approval a discount above the workspace threshold
needs before the quote can be accepted."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from contracts.json_document import JsonDocument

QuoteStatus = Literal["open", "pending_approval", "approved", "rejected", "accepted"]
CENT = Decimal("0.01")
MAX_TOTAL = Decimal("999999999999999999.99")  # what the quote and deal columns (numeric(20,2)) hold


class QuoteLine(JsonDocument):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sku: str = Field(min_length=1, max_length=128, examples=["tea-01"])
    quantity: int = Field(ge=1, le=1_000_000, examples=[10])
    unit_price: Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=4)] = Field(examples=["12.50"])


class QuoteRuleError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def subtotal_problem(lines: list[QuoteLine]) -> str | None:
    """Why the lines add up to more than a quote can hold, or None."""
    subtotal = sum((line.unit_price * line.quantity for line in lines), Decimal(0))
    return f"the lines add up to more than {MAX_TOTAL}" if subtotal > MAX_TOTAL else None


def totals(lines: list[QuoteLine], discount_percent: Decimal) -> tuple[Decimal, Decimal]:
    """(subtotal, total after the discount), each rounded to cents."""
    subtotal = sum((line.unit_price * line.quantity for line in lines), Decimal(0))
    total = subtotal * (Decimal(100) - discount_percent) / Decimal(100)
    return subtotal.quantize(CENT, ROUND_HALF_UP), total.quantize(CENT, ROUND_HALF_UP)


def initial_status(discount_percent: Decimal, threshold_percent: Decimal) -> QuoteStatus:
    """A discount above the threshold waits for a manager; at or below it the quote can be accepted."""
    return "pending_approval" if discount_percent > threshold_percent else "open"


def decide(status: QuoteStatus, decision: Literal["approved", "rejected"], approver: str, managers: list[str]) -> bool:
    """True when the decision is to be recorded, False when the same decision was already taken. `approver` is
    the deciding API key's owner: it must be one of the workspace's managers (sales settings)."""
    if approver not in managers:
        raise QuoteRuleError(
            403, f"the API key acts for {approver!r}, who is not among the managers of the workspace's sales settings"
        )
    if status == decision:
        return False
    if status != "pending_approval":
        raise QuoteRuleError(409, f"the quote is {status}; only a quote pending approval can be {decision}")
    return True


def check_accept(status: QuoteStatus) -> bool:
    """True when the quote is to be accepted now, False when it already was."""
    if status == "accepted":
        return False
    if status == "pending_approval":
        raise QuoteRuleError(409, "the quote's discount is above the threshold: a manager must approve it first")
    if status == "rejected":
        raise QuoteRuleError(409, "the quote was rejected by a manager and cannot be accepted")
    return True
