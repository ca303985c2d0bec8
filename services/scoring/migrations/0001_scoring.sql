-- Scoring: each customer's model inputs (folded from resolved events), their current scores,
-- each workspace's fitted model, dynamic segments and their members.

CREATE TABLE customers (
    workspace          text        NOT NULL,
    customer_id        text        NOT NULL,
    traits             jsonb       NOT NULL DEFAULT '{}',
    trait_times        jsonb       NOT NULL DEFAULT '{}',
    first_seen_at      timestamptz NOT NULL,
    -- Purchases. A "transaction" of the models is a UTC day with at least one purchase.
    orders             integer     NOT NULL DEFAULT 0,
    revenue            numeric     NOT NULL DEFAULT 0,
    refunded           numeric     NOT NULL DEFAULT 0,
    historical_ltv     numeric     GENERATED ALWAYS AS (revenue - refunded) STORED,
    purchase_days      integer     NOT NULL DEFAULT 0,
    repeat_revenue     numeric     NOT NULL DEFAULT 0,  -- revenue of purchase days after the first
    first_purchase_at  timestamptz,
    last_purchase_at   timestamptz,
    -- Engagement and service.
    visits             integer     NOT NULL DEFAULT 0,
    last_visit_at      timestamptz,
    open_tickets       integer     NOT NULL DEFAULT 0,
    last_nps           smallint,
    last_nps_at        timestamptz,
    last_csat          smallint,
    last_csat_at       timestamptz,
    -- Scores, as of the UTC day `as_of` (recomputed on every change and in bulk after a refit).
    as_of              date,
    scored_at          timestamptz,
    recency_days       integer,           -- days from the last purchase day to as_of
    usual_gap_days     double precision,  -- mean days between purchase days (two or more of them)
    visits_30d         integer,
    visits_prior_90d   integer,           -- visits in the 90 days before the last 30
    r                  smallint,
    f                  smallint,
    m                  smallint,
    rfm_segment        text,
    p_alive            double precision,
    expected_purchases_90d double precision,
    predicted_clv      numeric(14, 2),
    ltv_basis          text,              -- 'model', 'default_parameters' or 'no_purchases'
    churn_risk         text CHECK (churn_risk IN ('low', 'medium', 'high')),
    churn_flags        integer NOT NULL DEFAULT 0,  -- bit set of churn reasons (services/scoring/domain/churn.py)
    dormant_since      timestamptz,       -- set by the dormancy sweep, cleared by the next purchase
    PRIMARY KEY (workspace, customer_id)
) WITH (fillfactor = 70);  -- room on each page: re-scoring updates rows in place (HOT), no index writes
CREATE INDEX customers_dormancy ON customers (workspace, last_purchase_at) WHERE dormant_since IS NULL;

-- One row per customer and UTC day with purchases: the transactions of the models.
CREATE TABLE purchase_days (
    workspace   text    NOT NULL,
    customer_id text    NOT NULL,
    day         date    NOT NULL,
    amount      numeric NOT NULL,
    purchases   integer NOT NULL,
    PRIMARY KEY (workspace, customer_id, day)
);

-- Which purchase a refund belongs to is not needed: refunds lower historical LTV only.
CREATE TABLE orders (
    workspace   text NOT NULL,
    order_id    text NOT NULL,
    customer_id text NOT NULL,
    PRIMARY KEY (workspace, order_id)
);

CREATE TABLE visit_days (
    workspace   text    NOT NULL,
    customer_id text    NOT NULL,
    day         date    NOT NULL,
    visits      integer NOT NULL,
    PRIMARY KEY (workspace, customer_id, day)
);

CREATE TABLE tickets (
    workspace   text        NOT NULL,
    ticket_id   text        NOT NULL,
    customer_id text        NOT NULL,
    status      text        NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (workspace, ticket_id)
);
CREATE INDEX tickets_customer ON tickets (workspace, customer_id);

-- The last good fit per workspace; a failed fit keeps these and records why in last_error.
CREATE TABLE workspace_models (
    workspace        text PRIMARY KEY,
    bgnbd            jsonb,   -- {"r", "alpha", "a", "b"}, time in days
    gamma_gamma      jsonb,   -- {"p", "q", "v"}
    rfm_boundaries   jsonb,   -- {"recency_days": [4], "frequency": [4], "monetary": [4]}
    customers        integer NOT NULL DEFAULT 0,
    log_likelihood   double precision,
    fitted_at        timestamptz,
    fit_seconds      double precision,
    last_attempt_at  timestamptz,
    last_error       text
);

CREATE TABLE workspace_settings (
    workspace          text PRIMARY KEY,
    dormancy_gap_multiple double precision NOT NULL DEFAULT 3 CHECK (dormancy_gap_multiple > 0),
    dormancy_min_days  integer NOT NULL DEFAULT 30 CHECK (dormancy_min_days > 0),
    dormancy_fixed_days integer NOT NULL DEFAULT 90 CHECK (dormancy_fixed_days > 0),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE segments (
    workspace   text        NOT NULL,
    segment_id  text        NOT NULL,
    name        text        NOT NULL,
    description text,
    condition   jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, segment_id),
    UNIQUE (workspace, name)
);

CREATE TABLE segment_members (
    workspace   text        NOT NULL,
    segment_id  text        NOT NULL,
    customer_id text        NOT NULL,
    entered_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, segment_id, customer_id),
    FOREIGN KEY (workspace, segment_id) REFERENCES segments ON DELETE CASCADE
);
CREATE INDEX segment_members_customer ON segment_members (workspace, customer_id);
