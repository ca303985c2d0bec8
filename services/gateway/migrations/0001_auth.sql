-- Workspaces (tenants) and the API keys that act for them. Keys are stored as SHA-256 hashes only.
-- IF NOT EXISTS: the CLI and the service may each apply this file under their own namespace.

CREATE TABLE IF NOT EXISTS workspaces (
    name       text        PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS api_keys (
    id         uuid        PRIMARY KEY,
    workspace  text        NOT NULL REFERENCES workspaces (name),
    name       text        NOT NULL,
    prefix     text        NOT NULL,
    key_hash   text        NOT NULL UNIQUE,
    scopes     text[]      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

CREATE INDEX IF NOT EXISTS api_keys_workspace ON api_keys (workspace);
