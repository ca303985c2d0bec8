-- Key rotation (the old secret keeps working until previous_expires_at), stored answers to writes sent
-- with an Idempotency-Key, and the audit log of key changes and erasures.
-- IF NOT EXISTS: the CLI and the service may each apply this file under their own namespace.

ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS previous_hash text;
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS previous_expires_at timestamptz;
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS rotated_at timestamptz;
CREATE UNIQUE INDEX IF NOT EXISTS api_keys_previous_hash ON api_keys (previous_hash);

CREATE TABLE IF NOT EXISTS idempotency_keys (
    workspace     text        NOT NULL,
    key           text        NOT NULL,
    fingerprint   text        NOT NULL,  -- sha256 of method, path, query and body
    started_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    status        integer,               -- null while the first request is in flight
    headers       jsonb,
    body          bytea,
    PRIMARY KEY (workspace, key)
);

CREATE INDEX IF NOT EXISTS idempotency_keys_expires_at ON idempotency_keys (expires_at);

CREATE TABLE IF NOT EXISTS audit_log (
    id           bigserial   PRIMARY KEY,
    workspace    text        NOT NULL,
    actor_key_id text,                   -- null: an operator on the command line
    action       text        NOT NULL,
    target       text        NOT NULL,
    at           timestamptz NOT NULL,
    request_id   text,
    trace_id     text
);

CREATE INDEX IF NOT EXISTS audit_log_workspace ON audit_log (workspace, id);
