-- Loyalty: the program (every version of each workspace's document), members (balance, debt, holds, tier and
-- what the bonus rules need), the ledger (entries, each with an id derived from its cause, and lots: the earn
-- entries with what is left of them), orders (for proportional refunds and the qualifying spend), redemptions
-- (holds until their order confirms them) and anonymous daily totals (kept after erasure, for the reports).

-- One program per workspace, versioned: the current one is the highest version.
CREATE TABLE programs (
    workspace   text        NOT NULL,
    version     integer     NOT NULL CHECK (version >= 1),
    name        text        NOT NULL,
    active      boolean     NOT NULL,
    document    jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (workspace, version)
);

-- balance: the sum of the member's lots' remaining points (kept beside them in the same transaction, so a read
-- or a lock needs one row). debt: points a refund or reversal took that the lots did not hold; under the
-- `negative_balance` policy the balance shown is balance - debt, under `debt` it is shown apart; both are
-- repaid from the next points earned. held: the points of open redemption holds (available = balance - debt -
-- held, never below 0). A redemption locks this row (FOR UPDATE), so racing requests never overspend.
CREATE TABLE members (
    workspace            text        NOT NULL,
    customer_id          text        NOT NULL,
    balance              bigint      NOT NULL DEFAULT 0 CHECK (balance >= 0),
    debt                 bigint      NOT NULL DEFAULT 0 CHECK (debt >= 0),
    held                 bigint      NOT NULL DEFAULT 0 CHECK (held >= 0),
    tier                 text,
    tier_since           timestamptz,
    tier_anniversary     timestamptz,
    tier_grace_until     timestamptz,
    birthday_month       smallint    CHECK (birthday_month BETWEEN 1 AND 12),
    birthday_bonus_year  integer,     -- the local year the birthday bonus points were last given
    first_order_id       text,        -- the purchase that earned the first-purchase bonus
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    PRIMARY KEY (workspace, customer_id)
);
CREATE INDEX members_tier_review ON members (tier_anniversary) WHERE tier IS NOT NULL;

-- Every entry once: the id derives from its cause (`earn:order:o-17`, `reverse:refund:o-17:<time>:<amount>`,
-- `redeem:<redemption_id>`, `expire:<lot_id>`, `merge:<merged_id>`...), so a replay adds nothing.
CREATE TABLE entries (
    workspace        text        NOT NULL,
    entry_id         text        NOT NULL,
    customer_id      text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('earn', 'redeem', 'expire', 'adjust', 'reverse')),
    points           bigint      NOT NULL,  -- signed: earn > 0, redeem/expire/reverse < 0, adjust either
    reason           text        NOT NULL,  -- purchase, bonus, referral_reward, journey, refund, merge, ...
    rule             text,
    order_id         text,
    program_version  integer,
    at               timestamptz NOT NULL,  -- when its cause happened (the event's time)
    recorded_at      timestamptz NOT NULL,
    PRIMARY KEY (workspace, entry_id)
);
CREATE INDEX entries_member ON entries (workspace, customer_id, at);

-- A lot is an earn entry and what is left of it; spent and expired expiring-first, oldest first.
CREATE TABLE lots (
    workspace    text        NOT NULL,
    lot_id       text        NOT NULL,  -- the earn entry's id
    customer_id  text        NOT NULL,
    earned       bigint      NOT NULL CHECK (earned > 0),
    remaining    bigint      NOT NULL CHECK (remaining >= 0 AND remaining <= earned),
    earned_at    timestamptz NOT NULL,
    expires_at   timestamptz,            -- null: never
    notified_at  timestamptz,            -- when loyalty.points_expiring was sent (once per lot)
    PRIMARY KEY (workspace, lot_id)
);
CREATE INDEX lots_member ON lots (workspace, customer_id, expires_at, earned_at) WHERE remaining > 0;
CREATE INDEX lots_expiry ON lots (expires_at) WHERE remaining > 0 AND expires_at IS NOT NULL;

-- Purchases that earned (or could have): the base of proportional refunds and of the qualifying spend.
CREATE TABLE orders (
    workspace    text          NOT NULL,
    order_id     text          NOT NULL,
    customer_id  text          NOT NULL,
    amount       numeric(26,6) NOT NULL,
    currency     text,
    points       bigint        NOT NULL DEFAULT 0,  -- every point the order earned (own and bonuses)
    refunded     numeric(26,6) NOT NULL DEFAULT 0,
    reversed     bigint        NOT NULL DEFAULT 0,  -- points refunds took back so far
    at           timestamptz   NOT NULL,
    PRIMARY KEY (workspace, order_id)
);
CREATE INDEX orders_member ON orders (workspace, customer_id, at);

-- Refunds that arrived before their purchase (another batch, a replay out of order): kept until the purchase of
-- their order comes, then applied as if they had come after it. The id is the refund's entry id.
CREATE TABLE pending_refunds (
    workspace    text          NOT NULL,
    entry_id     text          NOT NULL,
    order_id     text          NOT NULL,
    customer_id  text          NOT NULL,
    amount       numeric(26,6) NOT NULL,
    at           timestamptz   NOT NULL,
    PRIMARY KEY (workspace, entry_id)
);
CREATE INDEX pending_refunds_order ON pending_refunds (workspace, order_id);
CREATE INDEX pending_refunds_member ON pending_refunds (workspace, customer_id);

-- A redemption holds points until the purchase of its order confirms it (then `redeemed`) or it expires
-- (`released`); its id derives from (workspace, customer, order), so asking twice for one order finds it.
CREATE TABLE redemptions (
    workspace      text          NOT NULL,
    redemption_id  text          NOT NULL,
    customer_id    text          NOT NULL,
    order_id       text          NOT NULL,
    points         bigint        NOT NULL CHECK (points > 0),
    value          numeric(26,6) NOT NULL,
    currency       text          NOT NULL,
    status         text          NOT NULL CHECK (status IN ('held', 'redeemed', 'released')),
    created_at     timestamptz   NOT NULL,
    expires_at     timestamptz   NOT NULL,
    settled_at     timestamptz,
    PRIMARY KEY (workspace, redemption_id)
);
CREATE UNIQUE INDEX redemptions_order ON redemptions (workspace, order_id);
CREATE INDEX redemptions_member ON redemptions (workspace, customer_id) WHERE status = 'held';
CREATE INDEX redemptions_due ON redemptions (expires_at) WHERE status = 'held';

-- Anonymous totals per workspace and day (UTC): what the liability and redemption reports count, kept when a
-- member is erased (a member's outstanding points at erasure are written off here as `erased`).
CREATE TABLE daily_totals (
    workspace  text   NOT NULL,
    day        date   NOT NULL,
    earned     bigint NOT NULL DEFAULT 0,
    redeemed   bigint NOT NULL DEFAULT 0,
    expired    bigint NOT NULL DEFAULT 0,
    reversed   bigint NOT NULL DEFAULT 0,
    erased     bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace, day)
);

-- Every table the gateway's 360 view reads from this service sends `customer.changed` (runtime migration 0004).
SELECT flywheel_track_customer_changes('members', 'loyalty', 'customer_id');
SELECT flywheel_track_customer_changes('lots', 'loyalty', 'customer_id');
SELECT flywheel_track_customer_changes('redemptions', 'loyalty', 'customer_id');
