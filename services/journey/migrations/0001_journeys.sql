-- Journey: journey documents and their versions, enrolments (with their timers), the actions taken
-- (for idempotency), webhook deliveries, and the customer facts conditions and templates read.

CREATE TABLE journeys (
    workspace       text        NOT NULL,
    journey_id      text        NOT NULL,
    name            text        NOT NULL,
    status          text        NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'paused', 'archived')),
    latest_version  integer     NOT NULL,           -- the version being edited
    active_version  integer,                        -- the frozen version new enrolments get
    template        text,                           -- the built-in template it was created from
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, journey_id)
);

-- Activating freezes a version: later edits write a new version; enrolled customers finish on theirs.
CREATE TABLE journey_versions (
    workspace    text        NOT NULL,
    journey_id   text        NOT NULL,
    version      integer     NOT NULL,
    document     jsonb       NOT NULL,
    frozen_at    timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, journey_id, version),
    FOREIGN KEY (workspace, journey_id) REFERENCES journeys ON DELETE CASCADE
);

CREATE TABLE enrolments (
    workspace      text        NOT NULL,
    enrolment_id   text        NOT NULL,
    journey_id     text        NOT NULL,
    version        integer     NOT NULL,
    customer_id    text        NOT NULL,
    step_id        text,
    seq            integer     NOT NULL DEFAULT 0,  -- steps run so far: part of action ids
    status         text        NOT NULL CHECK (status IN ('active', 'waiting', 'converted', 'exited', 'completed')),
    variant        text,
    holdout        boolean     NOT NULL DEFAULT false,
    waiting_for    jsonb,                  -- the event a wait step waits for, if any
    due_at         timestamptz,            -- the durable timer: when the enrolment next moves on its own
    entered_at     timestamptz NOT NULL,
    ended_at       timestamptz,
    end_reason     text,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, enrolment_id)
);
-- Timers are polled in batches across workspaces (FOR UPDATE SKIP LOCKED), oldest due first.
CREATE INDEX enrolments_due ON enrolments (due_at) WHERE due_at IS NOT NULL AND status IN ('active', 'waiting');
CREATE INDEX enrolments_customer ON enrolments (workspace, customer_id, journey_id);
CREATE INDEX enrolments_journey ON enrolments (workspace, journey_id, status);

-- Every action taken, keyed by its action id (enrolment and step): a step that runs again after a crash
-- finds its action recorded and does not act twice.
CREATE TABLE actions (
    workspace     text        NOT NULL,
    action_id     text        NOT NULL,
    enrolment_id  text        NOT NULL,
    kind          text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, action_id)
);

-- Outreach through the workspace's webhook; delivered by the delivery loop with retries.
CREATE TABLE webhook_deliveries (
    workspace        text        NOT NULL,
    delivery_id      text        NOT NULL,   -- the action id: the Idempotency-Key of every attempt
    enrolment_id     text        NOT NULL,
    journey_id       text        NOT NULL,   -- for per-journey stats without a join
    customer_id      text        NOT NULL,
    body             jsonb       NOT NULL,
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_status      integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    PRIMARY KEY (workspace, delivery_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_journey ON webhook_deliveries (workspace, journey_id, status);

-- Messages sent per customer, across journeys: frequency caps count these.
CREATE TABLE messages_sent (
    workspace    text        NOT NULL,
    customer_id  text        NOT NULL,
    action_id    text        NOT NULL,
    sent_at      timestamptz NOT NULL,
    PRIMARY KEY (workspace, customer_id, sent_at, action_id)
);

-- What conditions and templates read about a customer, folded from resolved events and scoring's changes.
CREATE TABLE customer_facts (
    workspace     text        NOT NULL,
    customer_id   text        NOT NULL,
    traits        jsonb       NOT NULL DEFAULT '{}',
    trait_times   jsonb       NOT NULL DEFAULT '{}',
    stats         jsonb       NOT NULL DEFAULT '{}',
    scores        jsonb       NOT NULL DEFAULT '{}',
    segments      text[]      NOT NULL DEFAULT '{}',
    event_counts  jsonb       NOT NULL DEFAULT '{}',
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, customer_id)
);

-- How far date triggers (birthday, renewal) have been looked at, per journey version: the next scan
-- covers (scanned_until, now], so a date is neither skipped while the service is down nor fired twice.
CREATE TABLE date_scans (
    workspace      text        NOT NULL,
    journey_id     text        NOT NULL,
    version        integer     NOT NULL,
    scanned_until  timestamptz NOT NULL,
    PRIMARY KEY (workspace, journey_id, version)
);
-- Where a workspace's outreach goes, and the secret its webhook requests are signed with.
CREATE TABLE workspace_channels (
    workspace       text        PRIMARY KEY,
    webhook_url     text        NOT NULL,
    webhook_secret  text        NOT NULL,
    timezone        text        NOT NULL DEFAULT 'UTC',
    updated_at      timestamptz NOT NULL DEFAULT now()
);
