-- Profiles merged away, as every consumer of `profile.merged` keeps them: events still in flight for a
-- merged id are applied to its survivor.
CREATE TABLE flywheel_merged_customers (
    workspace    text NOT NULL,
    merged_id    text NOT NULL,
    survivor_id  text NOT NULL,
    PRIMARY KEY (workspace, merged_id)
);
CREATE INDEX flywheel_merged_customers_survivor ON flywheel_merged_customers (workspace, survivor_id);
