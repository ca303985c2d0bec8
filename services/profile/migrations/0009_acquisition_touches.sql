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
-- The touches of the events profile already holds, as the ingest would have kept them (earliest by event time,
-- ties by value). Referral attributions need no backfill: profile's new subscription to flywheel.referral.events
-- starts at the earliest offset kept.
UPDATE customers c
   SET first_utm_at = t.occurred_at, first_utm_source = t.utm_source, first_utm_campaign = t.utm_campaign
  FROM (SELECT DISTINCT ON (workspace, customer_id) workspace, customer_id, occurred_at,
               event -> 'data' ->> 'utm_source' AS utm_source, event -> 'data' ->> 'utm_campaign' AS utm_campaign
          FROM timeline
         WHERE type IN ('visit', 'purchase') AND coalesce(event -> 'data' ->> 'utm_source', '') <> ''
         ORDER BY workspace, customer_id, occurred_at, event -> 'data' ->> 'utm_source',
                  coalesce(event -> 'data' ->> 'utm_campaign', '')) AS t
 WHERE c.workspace = t.workspace AND c.customer_id = t.customer_id;
UPDATE customers c
   SET first_purchase_channel = f.channel
  FROM (SELECT DISTINCT ON (o.workspace, o.customer_id) o.workspace, o.customer_id, t.event -> 'data' ->> 'channel' AS channel
          FROM orders o
          JOIN timeline t ON t.workspace = o.workspace AND t.customer_id = o.customer_id
                         AND t.occurred_at = o.occurred_at AND t.event_id = o.event_id
         ORDER BY o.workspace, o.customer_id, o.occurred_at, coalesce(t.event -> 'data' ->> 'channel', '')) AS f
 WHERE c.workspace = f.workspace AND c.customer_id = f.customer_id AND f.channel IS NOT NULL;
