-- The amounts and times of customers' purchases (resolved `purchase` events), kept to measure a journey's lift:
-- revenue per customer within a window after entry, enrolled against held out (simulation_store.py). One row per
-- event (a redelivery changes nothing); a merge moves the merged customer's rows to the survivor (noting whose
-- they were, so an undone merge gives them back); an erasure deletes them.
CREATE TABLE journey_purchases (
    workspace    text           NOT NULL,
    event_id     text           NOT NULL,
    customer_id  text           NOT NULL,
    amount       numeric(20, 4) NOT NULL,
    occurred_at  timestamptz    NOT NULL,
    merged_from  text,  -- the customer a merge took this purchase from (null: bought by customer_id itself)
    PRIMARY KEY (workspace, event_id)
);
CREATE INDEX journey_purchases_by_customer ON journey_purchases (workspace, customer_id, occurred_at);
