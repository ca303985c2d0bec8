-- Idempotency-Key answers belong to the API key that made the request, not to its workspace: another key of
-- the same workspace (with fewer scopes) must never be answered with them. Rows kept so far were keyed by
-- workspace and could hold secrets (new API keys, webhook signing secrets) in plain text: they are dropped,
-- so a retry of a write made before this migration runs it again (the TTL is a day; writes are few).

DROP TABLE IF EXISTS idempotency_keys;

CREATE TABLE idempotency_keys (
    key_id      uuid        NOT NULL,  -- the API key that made the first request
    key         text        NOT NULL,  -- the client's Idempotency-Key
    workspace   text        NOT NULL,  -- for the per-workspace quota and erasure of the workspace
    fingerprint text        NOT NULL,  -- sha256 of key id, method, path, query and body
    started_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    status      integer,               -- null while the first request is in flight
    headers     jsonb,
    body        bytea,                 -- null when the answer carried a secret: never stored, never replayed
    withheld    boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (key_id, key)
);

CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
CREATE INDEX idempotency_keys_workspace ON idempotency_keys (workspace, expires_at);
