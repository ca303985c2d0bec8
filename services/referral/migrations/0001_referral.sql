-- Referral: programs (documents), codes, what the service knows of customers (identifiers for the
-- self-referral check, first purchase), touches (invites, clicks, sign-ups, purchases with a code),
-- attributions (one referrer per new customer), rewards (the ledger), purchases (for refunds and LTV)
-- and scoring segment membership (who may refer).

CREATE TABLE programs (
    workspace   text        NOT NULL,
    program_id  text        NOT NULL,
    name        text        NOT NULL,
    document    jsonb       NOT NULL,
    version     integer     NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, program_id)
);

-- POST /programs with an Idempotency-Key answers the program it made the first time.
CREATE TABLE program_requests (
    workspace        text        NOT NULL,
    idempotency_key  text        NOT NULL,
    program_id       text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, idempotency_key)
);

-- The code is derived from (workspace, program, customer), so asking again finds the same one; after a
-- merge the survivor keeps the merged customer's codes too (links already sent keep working).
CREATE TABLE codes (
    workspace    text        NOT NULL,
    code         text        NOT NULL,
    program_id   text        NOT NULL,
    customer_id  text        NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (workspace, code)
);
CREATE INDEX codes_customer ON codes (workspace, customer_id, program_id);

CREATE TABLE customers (
    workspace          text        NOT NULL,
    customer_id        text        NOT NULL,
    first_purchase_at  timestamptz,
    identifiers        text[]      NOT NULL DEFAULT '{}',  -- 'email:ada@example.com', 'anonymous_id:dev-1', ...
    PRIMARY KEY (workspace, customer_id)
);
CREATE INDEX customers_first_purchase ON customers (workspace, first_purchase_at);

CREATE TABLE touches (
    workspace    text        NOT NULL,
    customer_id  text        NOT NULL,   -- the actor: the referrer for invite_sent, the friend otherwise
    action       text        NOT NULL CHECK (action IN ('invite_sent', 'link_clicked', 'signed_up', 'purchase')),
    code         text        NOT NULL,
    at           timestamptz NOT NULL,
    program_id   text        NOT NULL,
    referrer_id  text        NOT NULL,
    PRIMARY KEY (workspace, customer_id, action, code, at)
);
CREATE INDEX touches_program ON touches (workspace, program_id, at);

CREATE TABLE attributions (
    workspace       text        NOT NULL,
    friend_id       text        NOT NULL,
    program_id      text        NOT NULL,
    referrer_id     text        NOT NULL,
    code            text        NOT NULL,
    first_touch_at  timestamptz NOT NULL,
    attributed_at   timestamptz NOT NULL,
    status          text        NOT NULL CHECK (status IN ('signed_up', 'purchased', 'rejected')),
    reason          text,
    fraud           text,
    signed_up_at    timestamptz,
    purchased_at    timestamptz,
    order_id        text,
    qualified       boolean     NOT NULL DEFAULT false,
    device_id       text,
    email_domain    text,
    PRIMARY KEY (workspace, friend_id)
);
CREATE INDEX attributions_referrer ON attributions (workspace, referrer_id, program_id);
CREATE INDEX attributions_program ON attributions (workspace, program_id, attributed_at);

CREATE TABLE rewards (
    workspace       text          NOT NULL,
    reward_id       text          NOT NULL,  -- program, friend and role (or referrer and tier): issued once
    program_id      text          NOT NULL,
    beneficiary_id  text          NOT NULL,
    role            text          NOT NULL CHECK (role IN ('referrer', 'friend')),
    kind            text          NOT NULL CHECK (kind IN ('amount', 'percent', 'points')),
    value           numeric(20,4) NOT NULL,
    trigger         text          NOT NULL,
    referrer_id     text          NOT NULL,
    friend_id       text,
    tier            text,
    order_id        text,
    status          text          NOT NULL CHECK (status IN ('granted', 'held', 'rejected', 'reversed')),
    reason          text,
    review_comment  text,
    created_at      timestamptz   NOT NULL,
    updated_at      timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, reward_id)
);
CREATE INDEX rewards_beneficiary ON rewards (workspace, beneficiary_id, created_at);
CREATE INDEX rewards_friend ON rewards (workspace, friend_id);
CREATE INDEX rewards_referrer ON rewards (workspace, referrer_id, program_id);
CREATE INDEX rewards_held ON rewards (workspace, created_at) WHERE status = 'held';

CREATE TABLE purchases (
    workspace     text          NOT NULL,
    order_id      text          NOT NULL,
    customer_id   text          NOT NULL,
    amount        numeric(26,6) NOT NULL,
    refunded      numeric(26,6) NOT NULL DEFAULT 0,
    purchased_at  timestamptz   NOT NULL,
    PRIMARY KEY (workspace, order_id)
);
CREATE INDEX purchases_customer ON purchases (workspace, customer_id);

CREATE TABLE segment_members (
    workspace     text NOT NULL,
    segment_id    text NOT NULL,
    segment_name  text NOT NULL,
    customer_id   text NOT NULL,
    PRIMARY KEY (workspace, segment_id, customer_id)
);
CREATE INDEX segment_members_customer ON segment_members (workspace, customer_id);
