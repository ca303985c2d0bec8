-- Each customer's events per type (built-in and a workspace's own, its tracking plan) per UTC hour, for segment
-- conditions such as `events.cart_abandoned.count gte 1 within_last 7d` (services/scoring/domain/segments.py).
-- Added batch-wise (one row per customer, type and hour, not per event); a merge adds the merged customer's rows to
-- the survivor's; erasure deletes them.
CREATE TABLE event_counts (
    workspace    text        NOT NULL,
    customer_id  text        NOT NULL,
    type         text        NOT NULL,
    hour         timestamptz NOT NULL,
    events       integer     NOT NULL CHECK (events > 0),
    PRIMARY KEY (workspace, customer_id, type, hour)
);
