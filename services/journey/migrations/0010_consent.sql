-- Consent and subscriptions (services/journey/domain/consent.py decides with these before every delivery).

-- The workspace's subscription groups: a channel's marketing lists, opt-in or opt-out by default.
CREATE TABLE subscription_groups (
    workspace     text        NOT NULL,
    group_id      text        NOT NULL,
    name          text        NOT NULL,
    channel       text        NOT NULL,
    default_status text       NOT NULL CHECK (default_status IN ('opt_in', 'opt_out')),
    description   text,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, group_id)
);

-- Every consent change a customer made (identify traits, `consent` events, the unsubscribe link), once per
-- (event, group): the history; `consent_state` holds the latest by event time (ties: the larger event id).
CREATE TABLE consent_history (
    workspace    text        NOT NULL,
    customer_id  text        NOT NULL,
    group_id     text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('subscribed', 'unsubscribed')),
    source       text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    event_id     text        NOT NULL,
    PRIMARY KEY (workspace, event_id, group_id)
);
CREATE INDEX consent_history_customer ON consent_history (workspace, customer_id, occurred_at);

CREATE TABLE consent_state (
    workspace    text        NOT NULL,
    customer_id  text        NOT NULL,
    group_id     text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('subscribed', 'unsubscribed')),
    source       text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    event_id     text        NOT NULL,
    PRIMARY KEY (workspace, customer_id, group_id)
);

-- The sha256 of each normalised email and phone number a customer's events carried (to match the suppression
-- list); personal data: deleted on erasure.
CREATE TABLE customer_identifier_hashes (
    workspace    text NOT NULL,
    customer_id  text NOT NULL,
    hash         text NOT NULL,
    PRIMARY KEY (workspace, customer_id, hash)
);
CREATE INDEX customer_identifier_hashes_hash ON customer_identifier_hashes (workspace, hash);

-- The workspace's suppression list: hashed identifiers no outreach may reach, transactional included.
CREATE TABLE suppressions (
    workspace  text        NOT NULL,
    hash       text        NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    added_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, hash)
);

-- A delivery the consent check stopped: status 'suppressed', its reason in last_error.
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_status_check;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_status_check
    CHECK (status IN ('pending', 'delivered', 'failed', 'suppressed'));
