-- Customers erased (`profile.erased`), as every consumer of the lifecycle keeps them: ids only, the same
-- tombstone profile keeps. An event for an erased id that is still in flight, replayed from the dead letters
-- or re-published is dropped (runtime.handlers.with_customers), so nothing the service held comes back.
CREATE TABLE IF NOT EXISTS flywheel_erased_customers (
    workspace    text        NOT NULL,
    customer_id  text        NOT NULL,
    erased_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, customer_id)
);
