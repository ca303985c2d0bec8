"""Loyalty's pure rules: what a purchase earns, when points expire, which tier a member holds, what a refund takes
back and whether a redemption may go ahead. No I/O and no clock: the time comes in as a value."""
