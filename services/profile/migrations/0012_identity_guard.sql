-- The shared-device guard of identity resolution (services/profile/guard.py).
--
-- Sightings: for each identifier (its keyed digest, as the erasure ledger hashes it), the distinct identifiers of
-- each other kind seen with it in one event (their digests, never their values), with the first and last event
-- time. At most max_distinct + 1 of one kind are kept per identifier (what the guard needs to call it shared);
-- those out of the window are pruned when the identifier is seen again. Erasure deletes an erased identifier's
-- rows either way round.
CREATE TABLE identifier_sightings (
    workspace        text        NOT NULL,
    identifier_hash  text        NOT NULL,  -- hex HMAC-SHA256 of workspace, kind and normalised value
    other_kind       text        NOT NULL,
    other_hash       text        NOT NULL,
    first_seen_at    timestamptz NOT NULL,
    last_seen_at     timestamptz NOT NULL,
    PRIMARY KEY (workspace, identifier_hash, other_kind, other_hash)
);
CREATE INDEX identifier_sightings_other ON identifier_sightings (workspace, other_hash);

-- A workspace's limits (PUT /v1/identity-settings); no row: the defaults (guard.DEFAULT_LIMITS).
CREATE TABLE identity_settings (
    workspace   text        PRIMARY KEY,
    limits      jsonb       NOT NULL,   -- [{"kind", "other_kind", "max_distinct", "window_days"}, ...]
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Conflicts: an event that would have merged profiles through a shared identifier, attached instead to the
-- customer of its strongest identifier. One row per event and shared identifier (a replay adds nothing).
CREATE TABLE identity_conflicts (
    workspace           text        NOT NULL,
    event_id            text        NOT NULL,
    identifier_kind     text        NOT NULL,
    identifier_hash     text        NOT NULL,
    masked_identifier   text        NOT NULL,  -- e.g. 'a…@example.com', 'dev…42': enough to recognise, not to use
    customer_id         text        NOT NULL,  -- the customer the event was attached to
    other_customer_ids  text[]      NOT NULL,  -- the owner(s) of the shared identifier it was not merged with
    occurred_at         timestamptz NOT NULL,  -- the event's time
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, event_id, identifier_hash)
);
CREATE INDEX identity_conflicts_newest ON identity_conflicts (workspace, occurred_at DESC, event_id DESC, identifier_hash DESC);
CREATE INDEX identity_conflicts_customer ON identity_conflicts (workspace, customer_id);
CREATE INDEX identity_conflicts_others ON identity_conflicts USING gin (other_customer_ids);
