-- The erasure ledger: what identified each erased customer, so that their later events (replayed dead letters,
-- a producer re-sending history) do not bring them back under a new id. Only HMAC-SHA256 hashes of the
-- normalised identifiers are kept (keyed by FLYWHEEL_IDENTIFIER_HASH_KEY, salted with the workspace), never the
-- identifiers. An event carrying one is dropped, unless it happened at or after an explicit re-consent of it
-- (POST /v1/customers/reconsent).
CREATE TABLE erasure_ledger (
    workspace        text        NOT NULL,
    identifier_hash  text        NOT NULL,  -- hex HMAC-SHA256 of workspace, kind and normalised value
    erased_at        timestamptz NOT NULL,
    reconsented_at   timestamptz,           -- events that happened from then on are accepted again
    PRIMARY KEY (workspace, identifier_hash)
);
