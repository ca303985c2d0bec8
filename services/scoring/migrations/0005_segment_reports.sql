-- What the segment report reads (services/scoring/segment_report_store.py).
--
-- Every NPS answer a customer gave (`survey` events and tickets carrying `nps`), one row per event (a replayed
-- event adds nothing), `answered_at` the event's time: a segment's NPS counts its members' latest answer in a
-- period (runtime/nps.py). Merges move the rows to the survivor; erasure deletes them.
CREATE TABLE nps_answers (
    workspace    text        NOT NULL,
    customer_id  text        NOT NULL,
    event_id     text        NOT NULL,
    answered_at  timestamptz NOT NULL,
    nps          smallint    NOT NULL CHECK (nps BETWEEN 0 AND 10),
    PRIMARY KEY (workspace, event_id)
);
-- A customer's answers (export in key order, merges, erasure) and the report's scan of a period.
CREATE INDEX nps_answers_customer ON nps_answers (workspace, customer_id, event_id);
CREATE INDEX nps_answers_time ON nps_answers (workspace, answered_at) INCLUDE (customer_id, nps, event_id);
-- Answers given before this table existed: the latest one of each customer is all scoring kept.
INSERT INTO nps_answers (workspace, customer_id, event_id, answered_at, nps)
SELECT workspace, customer_id, 'scoring-last-nps:' || customer_id, last_nps_at, last_nps
  FROM customers
 WHERE last_nps IS NOT NULL AND last_nps_at IS NOT NULL
ON CONFLICT DO NOTHING;

-- A segment's member count per UTC day: moved by every membership added or ended that day (evaluations, merges,
-- erasures; segment_store.record_size_changes), recounted by the sweep. A day without a row carries the day
-- before's count. Deleted with the segment.
CREATE TABLE segment_sizes (
    workspace   text    NOT NULL,
    segment_id  text    NOT NULL,
    day         date    NOT NULL,
    members     integer NOT NULL CHECK (members >= 0),
    PRIMARY KEY (workspace, segment_id, day),
    FOREIGN KEY (workspace, segment_id) REFERENCES segments ON DELETE CASCADE
);
-- Existing segments start with today's count.
INSERT INTO segment_sizes (workspace, segment_id, day, members)
SELECT s.workspace, s.segment_id, (now() AT TIME ZONE 'UTC')::date,
       (SELECT count(*) FROM segment_members m WHERE m.workspace = s.workspace AND m.segment_id = s.segment_id)
  FROM segments s;

-- The report's purchases of a period: the period's purchase days of the workspace, joined to the members.
CREATE INDEX purchase_days_day ON purchase_days (workspace, day) INCLUDE (customer_id, amount, purchases);
