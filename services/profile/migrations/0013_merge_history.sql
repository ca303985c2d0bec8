-- Every merge of two stored profiles, with its cause, so that it can be shown (GET /v1/customers/{id}/merges) and
-- undone (POST /v1/merges/{merge_id}/undo). `joined_identifiers`: the identifiers of the event that joined them
-- ([[kind, value], ...]); `merged_identifiers`: those the merged profile owned at the merge (what goes back on an
-- undo); the snapshots keep what events do not re-derive (traits as they stood, tags, the referral attribution and
-- the ids merged into each side before). An erasure of either side clears the personal columns (the row stays, so
-- an undo says so); `merged_at` is the merge's transaction time, the `received_at` of the events it took in.
CREATE TABLE merges (
    workspace          text        NOT NULL,
    merge_id           text        NOT NULL,
    survivor_id        text        NOT NULL,
    merged_id          text        NOT NULL,
    reason             text        NOT NULL,
    cause_event_id     text,
    joined_identifiers jsonb       NOT NULL DEFAULT '[]',
    merged_identifiers jsonb       NOT NULL DEFAULT '[]',
    survivor_snapshot  jsonb,
    merged_snapshot    jsonb,
    merged_at          timestamptz NOT NULL DEFAULT now(),
    undone_at          timestamptz,
    undo_reason        text,
    erased_at          timestamptz,
    PRIMARY KEY (workspace, merge_id)
);
CREATE INDEX merges_survivor ON merges (workspace, survivor_id, merged_at, merge_id);
CREATE INDEX merges_merged ON merges (workspace, merged_id, merged_at, merge_id);

-- Profiles an undone merge split: kept apart for good (an event carrying identifiers of both attaches to the
-- customer of its strongest identifier instead of merging them again). One row per direction.
CREATE TABLE kept_apart (
    workspace   text        NOT NULL,
    customer_id text        NOT NULL,
    other_id    text        NOT NULL,
    merge_id    text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, customer_id, other_id)
);

-- When a merge of this profile (as either side) was last undone: ingest batches holding links to it read them
-- again after locking it (an undo may have moved identifiers away meanwhile).
ALTER TABLE customers ADD COLUMN split_at timestamptz;
