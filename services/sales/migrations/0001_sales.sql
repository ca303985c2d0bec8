-- Sales: pipelines (documents; two built-ins live in code), deals and their stage history, tasks,
-- quotes, owners and teams, workspace settings, and the customer signals lead scores and cross-sell read.

CREATE TABLE pipelines (
    workspace    text        NOT NULL,
    pipeline_id  text        NOT NULL,
    name         text        NOT NULL,
    document     jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, pipeline_id)
);

CREATE TABLE deals (
    workspace     text          NOT NULL,
    deal_id       text          NOT NULL,
    pipeline_id   text          NOT NULL,
    title         text          NOT NULL,
    customer_id   text,                      -- null once the customer was erased
    amount        numeric(20,2) NOT NULL,
    currency      text          NOT NULL,
    products      text[]        NOT NULL DEFAULT '{}',
    owner         text,
    fields        jsonb         NOT NULL DEFAULT '{}',
    stage         text          NOT NULL,
    stage_seq     integer       NOT NULL DEFAULT 0,  -- the current stage entry (deal_stage_history.seq)
    status        text          NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
    close_reason  text,
    created_at    timestamptz   NOT NULL,
    updated_at    timestamptz   NOT NULL,
    closed_at     timestamptz,
    PRIMARY KEY (workspace, deal_id)
);
CREATE INDEX deals_customer ON deals (workspace, customer_id, created_at, deal_id);
CREATE INDEX deals_pipeline ON deals (workspace, pipeline_id, created_at);

-- One row per stage entry: when the deal entered and left it, and any override that let it leave.
CREATE TABLE deal_stage_history (
    workspace        text        NOT NULL,
    deal_id          text        NOT NULL,
    seq              integer     NOT NULL,
    stage            text        NOT NULL,
    entered_at       timestamptz NOT NULL,
    left_at          timestamptz,
    override_reason  text,                   -- why the deal was let out with open requirements
    overridden       text[]      NOT NULL DEFAULT '{}',
    PRIMARY KEY (workspace, deal_id, seq),
    FOREIGN KEY (workspace, deal_id) REFERENCES deals ON DELETE CASCADE
);

CREATE TABLE tasks (
    workspace            text        NOT NULL,
    task_id              text        NOT NULL,
    title                text        NOT NULL,
    reason               text        NOT NULL DEFAULT '',
    status               text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    assignee             text,
    team                 text,
    due_at               timestamptz NOT NULL,
    source               text        NOT NULL CHECK (source IN ('journey', 'sop', 'manual', 'signal')),
    customer_id          text,
    deal_id              text,
    stage_seq            integer,            -- SOP tasks: the stage entry that created them
    checklist_item       text,               -- SOP tasks: the checklist item
    required             boolean     NOT NULL DEFAULT false,
    created_at           timestamptz NOT NULL,
    completed_at         timestamptz,
    completed_by         text,
    due_notified_at      timestamptz,        -- sales.task_due published
    overdue_notified_at  timestamptz,        -- sales.task_overdue published
    PRIMARY KEY (workspace, task_id)
);
CREATE INDEX tasks_customer ON tasks (workspace, customer_id);
CREATE INDEX tasks_assignee ON tasks (workspace, assignee, status, due_at);
CREATE INDEX tasks_deal ON tasks (workspace, deal_id, stage_seq) WHERE deal_id IS NOT NULL;
-- The reminder job scans open tasks that still owe a reminder, across workspaces, by due time.
CREATE INDEX tasks_reminders ON tasks (due_at) WHERE status = 'open' AND overdue_notified_at IS NULL;

CREATE TABLE quotes (
    workspace         text          NOT NULL,
    quote_id          text          NOT NULL,
    deal_id           text          NOT NULL,
    lines             jsonb         NOT NULL,
    discount_percent  numeric(7,4)  NOT NULL,
    threshold_percent numeric(7,4)  NOT NULL,   -- the workspace threshold when the quote was made
    subtotal          numeric(20,2) NOT NULL,
    total             numeric(20,2) NOT NULL,
    currency          text          NOT NULL,
    status            text          NOT NULL
                      CHECK (status IN ('open', 'pending_approval', 'approved', 'rejected', 'accepted')),
    approver          text,
    decision_comment  text,
    decided_at        timestamptz,
    accepted_at       timestamptz,
    created_at        timestamptz   NOT NULL,
    PRIMARY KEY (workspace, quote_id),
    FOREIGN KEY (workspace, deal_id) REFERENCES deals ON DELETE CASCADE
);

CREATE TABLE customer_owners (
    workspace    text NOT NULL,
    customer_id  text NOT NULL,
    owner        text NOT NULL,
    PRIMARY KEY (workspace, customer_id)
);

CREATE TABLE teams (
    workspace   text    NOT NULL,
    team        text    NOT NULL,
    members     text[]  NOT NULL,
    next_index  integer NOT NULL DEFAULT 0,   -- round robin: who gets the next task
    PRIMARY KEY (workspace, team)
);

CREATE TABLE sales_settings (
    workspace  text  NOT NULL PRIMARY KEY,
    settings   jsonb NOT NULL
);

CREATE TABLE lead_rules (
    workspace  text  NOT NULL PRIMARY KEY,
    rules      jsonb NOT NULL
);

-- What lead scores read, folded from resolved events and scoring's changes.
CREATE TABLE customer_signals (
    workspace         text          NOT NULL,
    customer_id       text          NOT NULL,
    visits            integer       NOT NULL DEFAULT 0,
    purchases         integer       NOT NULL DEFAULT 0,
    revenue           numeric(20,6) NOT NULL DEFAULT 0,
    last_activity_at  timestamptz,
    traits            jsonb         NOT NULL DEFAULT '{}',
    trait_times       jsonb         NOT NULL DEFAULT '{}',
    rfm_segment       text,
    churn_band        text,
    at_risk_since     timestamptz,   -- set while a high-value customer is in churn band high (one task per spell)
    PRIMARY KEY (workspace, customer_id)
);

-- Which categories each customer has bought: the baskets of the co-purchase suggestions.
CREATE TABLE customer_categories (
    workspace    text NOT NULL,
    customer_id  text NOT NULL,
    category     text NOT NULL,
    PRIMARY KEY (workspace, customer_id, category)
);
CREATE INDEX customer_categories_category ON customer_categories (workspace, category);
