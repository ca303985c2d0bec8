-- Every NPS / CSAT answer a customer gave, from `survey` events and from tickets carrying `nps` or `csat`: what
-- the NPS report counts (each customer's latest answer in a period). One row per event (a replayed event adds
-- nothing); `answered_at` is the event's time. Merges move the rows to the survivor; erasure deletes them.
CREATE TABLE survey_answers (
    workspace    text        NOT NULL,
    event_id     text        NOT NULL,
    customer_id  text        NOT NULL,
    answered_at  timestamptz NOT NULL,
    source       text        NOT NULL CHECK (source IN ('survey', 'ticket')),
    nps          smallint    CHECK (nps BETWEEN 0 AND 10),
    csat         smallint    CHECK (csat BETWEEN 1 AND 5),
    survey_id    text,
    channel      text,
    comment      text,
    CHECK (nps IS NOT NULL OR csat IS NOT NULL),
    PRIMARY KEY (workspace, event_id)
);
-- A customer's answers (export in key order, merges, erasure) and the report's scan of a period.
CREATE INDEX survey_answers_customer ON survey_answers (workspace, customer_id, event_id);
CREATE INDEX survey_answers_time ON survey_answers (workspace, answered_at) WHERE nps IS NOT NULL;

-- Tickets' answers given before this table existed are answers too (the timeline keeps every event as received).
INSERT INTO survey_answers (workspace, event_id, customer_id, answered_at, source, nps, csat)
SELECT workspace, event_id, customer_id, occurred_at, 'ticket',
       (event -> 'data' ->> 'nps')::numeric::smallint, (event -> 'data' ->> 'csat')::numeric::smallint
  FROM timeline
 WHERE type = 'ticket' AND (event -> 'data' ->> 'nps' IS NOT NULL OR event -> 'data' ->> 'csat' IS NOT NULL)
ON CONFLICT DO NOTHING;
