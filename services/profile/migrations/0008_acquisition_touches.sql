-- What a customer's acquisition source is derived from (services/profile/domain.py, acquisition_of): the earliest
-- event carrying a utm_source (its time, source and campaign), the channel of the first purchase (whose time is
-- first_purchase_at), and the referral attribution (program and first touch). Each keeps the earliest by event
-- time, so late or out-of-order events and merges give the same answer; an erasure clears them with the stats.
ALTER TABLE customers
    ADD COLUMN first_utm_at           timestamptz,
    ADD COLUMN first_utm_source       text,
    ADD COLUMN first_utm_campaign     text,
    ADD COLUMN first_purchase_channel text,
    ADD COLUMN referral_program_id    text,
    ADD COLUMN referral_at            timestamptz;
-- The acquisition report reads a period's new customers (first purchase in it).
CREATE INDEX customers_first_purchase ON customers (workspace, first_purchase_at)
    WHERE merged_into IS NULL AND erased_at IS NULL AND first_purchase_at IS NOT NULL;
