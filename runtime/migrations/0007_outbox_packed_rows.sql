-- A consumer batch's messages to one topic can be written as one row (runtime/outbox.py,
-- write_outbox(packed=True)): one row, one index entry and one delete for the whole batch instead of one
-- each per message, the largest per-event writes of profile's ingest. `messages` holds their keys, values and
-- headers as one MessagePack document. A table of its own, numbered from the outbox's sequence (the relay
-- publishes both in id order): a replica of the previous release, running beside new ones during a rollout or
-- after a rollback, publishes flywheel_outbox as it always did and never sees a packed row it cannot read.
CREATE TABLE IF NOT EXISTS flywheel_outbox_packed (
    id            bigint      PRIMARY KEY DEFAULT nextval('flywheel_outbox_id_seq'),
    topic         text        NOT NULL,
    message_count integer     NOT NULL,
    messages      bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
-- A packed row lives until the relay's next round: compressing it (pglz) would cost PostgreSQL CPU for nothing.
ALTER TABLE flywheel_outbox_packed ALTER COLUMN messages SET STORAGE EXTERNAL;
