-- Profile: one row per customer (merged and erased ones stay as id-only tombstones), their
-- identifiers, the timeline of every event, and the facts stats are derived from.

CREATE TABLE customers (
    workspace         text        NOT NULL,
    customer_id       text        NOT NULL,
    merged_into       text,
    erased_at         timestamptz,
    first_seen_at     timestamptz NOT NULL,
    last_event_at     timestamptz,
    traits            jsonb       NOT NULL DEFAULT '{}',
    trait_times       jsonb       NOT NULL DEFAULT '{}',
    tags              text[]      NOT NULL DEFAULT '{}',
    orders            integer     NOT NULL DEFAULT 0,
    revenue           numeric     NOT NULL DEFAULT 0,
    first_purchase_at timestamptz,
    last_purchase_at  timestamptz,
    visits            integer     NOT NULL DEFAULT 0,
    last_visit_at     timestamptz,
    open_tickets      integer     NOT NULL DEFAULT 0,
    last_nps          smallint,
    last_nps_at       timestamptz,
    csat_sum          integer     NOT NULL DEFAULT 0,
    csat_count        integer     NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, customer_id)
);
CREATE INDEX customers_merged_into ON customers (workspace, merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE identifiers (
    workspace   text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('external_id', 'email', 'phone', 'anonymous_id')),
    value       text        NOT NULL,
    customer_id text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, kind, value)
);
CREATE INDEX identifiers_customer ON identifiers (workspace, customer_id);

CREATE TABLE timeline (
    workspace   text        NOT NULL,
    event_id    text        NOT NULL,
    customer_id text        NOT NULL,
    type        text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    source      text        NOT NULL,
    data        jsonb       NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, event_id)
);
CREATE INDEX timeline_customer ON timeline (workspace, customer_id, occurred_at DESC, event_id DESC);

-- order_id is unique per workspace: a second purchase with a known order_id is not counted again.
CREATE TABLE orders (
    workspace   text        NOT NULL,
    order_id    text        NOT NULL,
    customer_id text        NOT NULL,
    event_id    text        NOT NULL,
    amount      numeric     NOT NULL,
    currency    text,
    occurred_at timestamptz NOT NULL,
    PRIMARY KEY (workspace, order_id)
);
CREATE INDEX orders_customer ON orders (workspace, customer_id);

CREATE TABLE refunds (
    workspace   text        NOT NULL,
    event_id    text        NOT NULL,
    order_id    text        NOT NULL,
    customer_id text        NOT NULL,
    amount      numeric     NOT NULL,
    occurred_at timestamptz NOT NULL,
    PRIMARY KEY (workspace, event_id)
);
CREATE INDEX refunds_customer ON refunds (workspace, customer_id);

-- The latest status per ticket by event time: open tickets come out right whatever the arrival order.
CREATE TABLE tickets (
    workspace   text        NOT NULL,
    ticket_id   text        NOT NULL,
    customer_id text        NOT NULL,
    status      text        NOT NULL,
    status_at   timestamptz NOT NULL,
    PRIMARY KEY (workspace, ticket_id)
);
CREATE INDEX tickets_customer ON tickets (workspace, customer_id);

-- Custom attributes a workspace defines as data; identify traits of a defined name must fit.
CREATE TABLE attribute_definitions (
    workspace   text        NOT NULL,
    name        text        NOT NULL,
    type        text        NOT NULL CHECK (type IN ('string', 'number', 'boolean', 'date', 'enum')),
    enum_values text[]      NOT NULL DEFAULT '{}',
    description text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, name)
);
