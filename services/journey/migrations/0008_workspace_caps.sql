-- One frequency cap across journeys, per channel, with priority (services/journey/domain/caps.py).
-- A message counted against caps now says on which channel and from which journey it went (rows from before
-- say neither: they count against every channel's cap).
ALTER TABLE messages_sent ADD COLUMN channel text, ADD COLUMN journey_id text;

-- The workspace's messaging settings, versioned: every PUT writes the next version, the latest applies (the
-- last 100 are kept). `caps`: {"email": {"messages": 1, "per": "1d"}, ...}.
CREATE TABLE messaging_settings (
    workspace   text        NOT NULL,
    version     integer     NOT NULL,
    caps        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (workspace, version)
);

-- Messages a cap held back, per journey: each message (action id) counted once per outcome and reason, whatever
-- how often it was re-checked (GET .../journeys/{id}/stats).
CREATE TABLE message_decisions (
    workspace   text        NOT NULL,
    journey_id  text        NOT NULL,
    outcome     text        NOT NULL CHECK (outcome IN ('deferred', 'skipped')),
    reason      text        NOT NULL,
    action_id   text        NOT NULL,
    decided_at  timestamptz NOT NULL,
    PRIMARY KEY (workspace, journey_id, outcome, reason, action_id)
);
