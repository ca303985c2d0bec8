-- Tables the shared runtime keeps in every service's database.

-- Consumer de-duplication: an event id has effect once per workspace.
CREATE TABLE IF NOT EXISTS flywheel_processed_events (
    workspace    text        NOT NULL,
    event_id     text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, event_id)
);

-- Transactional outbox: messages written with the effects that caused them, published after commit.
CREATE TABLE IF NOT EXISTS flywheel_outbox (
    id         bigserial   PRIMARY KEY,
    topic      text        NOT NULL,
    key        bytea,
    value      bytea,
    headers    jsonb       NOT NULL DEFAULT '[]',
    created_at timestamptz NOT NULL DEFAULT now()
);
