-- A segment whose evaluation ran past the workspace's budget of database time is marked failing: every
-- later evaluation skips it (its members stay as they were) until it is saved again.
ALTER TABLE segments
    ADD COLUMN status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'failing')),
    ADD COLUMN failure_reason text,
    ADD COLUMN failing_since  timestamptz;
