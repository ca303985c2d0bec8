-- What the growth reports read from scoring (services/scoring/report_store.py).
--
-- Each customer's acquisition source as profile decides it (profile.acquisition_changed): the latest decision by
-- the event's time wins (acquisition_decided_at), so redelivery or replays never roll it back. No source: `direct`.
ALTER TABLE customers
    ADD COLUMN acquisition_source      text,
    ADD COLUMN acquisition_campaign    text,
    ADD COLUMN acquisition_program_id  text,
    ADD COLUMN acquisition_decided_at  timestamptz;

-- A period's new customers (first purchase in it): the predicted CLV by source and the KPI tree.
CREATE INDEX customers_first_purchase ON customers (workspace, first_purchase_at) WHERE first_purchase_at IS NOT NULL;

-- Periods' purchase days and visits (retention base, cohorts' activity, visit frequency), read by day.
CREATE INDEX purchase_days_by_day ON purchase_days (workspace, day) INCLUDE (customer_id, amount);
CREATE INDEX visit_days_by_day ON visit_days (workspace, day) INCLUDE (customer_id, visits);

-- Every end of a dormancy (customer.reactivated): one row per customer and dormancy spell, so replays add none.
CREATE TABLE reactivations (
    workspace      text        NOT NULL,
    customer_id    text        NOT NULL,
    dormant_since  timestamptz NOT NULL,
    reactivated_at timestamptz NOT NULL,  -- the purchase that ended the dormancy
    PRIMARY KEY (workspace, customer_id, dormant_since)
);
CREATE INDEX reactivations_by_time ON reactivations (workspace, reactivated_at);
