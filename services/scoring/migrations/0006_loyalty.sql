-- Each customer's loyalty membership as the loyalty service announces it on flywheel.loyalty.events: the points
-- balance (every loyalty event carries the balance after it) and the tier (loyalty.tier_changed), each the latest
-- by the event's time (`*_at`), so redelivery, replays and late events never roll it back. Segments read them
-- as `loyalty.balance` and `loyalty.tier` (services/scoring/domain/segments.py). Merges keep the later of the two
-- customers' values; erasure deletes the row.
ALTER TABLE customers
    ADD COLUMN loyalty_balance     bigint,
    ADD COLUMN loyalty_balance_at  timestamptz,
    ADD COLUMN loyalty_tier        text,
    ADD COLUMN loyalty_tier_at     timestamptz;
