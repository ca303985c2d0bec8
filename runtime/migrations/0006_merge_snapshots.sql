-- What a service's fold of `profile.merged` changed, kept so `profile.unmerged` can give both customers their
-- rows back (runtime/merge_undo.py): per merge, the rows of both customers in each table the fold touches, as
-- JSON (to_jsonb of each row), taken just before the fold. Dropped after the retention
-- (FLYWHEEL_MERGE_UNDO_RETENTION_DAYS) and when either customer is erased.
CREATE TABLE IF NOT EXISTS flywheel_merge_snapshots (
    workspace    text        NOT NULL,
    merge_id     text        NOT NULL,
    survivor_id  text        NOT NULL,
    merged_id    text        NOT NULL,
    tables       jsonb       NOT NULL,   -- {"table": [row, ...]}
    taken_at     timestamptz NOT NULL DEFAULT now(),
    restored_at  timestamptz,            -- set once `profile.unmerged` applied it: a redelivery changes nothing
    PRIMARY KEY (workspace, merge_id)
);
CREATE INDEX IF NOT EXISTS flywheel_merge_snapshots_pair ON flywheel_merge_snapshots (workspace, merged_id, survivor_id);
CREATE INDEX IF NOT EXISTS flywheel_merge_snapshots_taken ON flywheel_merge_snapshots (taken_at);
