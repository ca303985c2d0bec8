-- A consumer batch's messages to one topic can be written as one outbox row (runtime/outbox.py,
-- write_outbox(packed=True)): one row, one index entry and one delete for the whole batch instead of one
-- each per message, the largest per-event writes of profile's ingest. `packed` holds the messages' keys,
-- values and headers as one MessagePack document; message_count says how many messages a row holds (1 for
-- every other row), so the relay sizes its rounds without reading them.
ALTER TABLE flywheel_outbox
    ADD COLUMN message_count integer NOT NULL DEFAULT 1,
    ADD COLUMN packed        bytea;
-- A packed row lives until the relay's next round: compressing it (pglz) would cost PostgreSQL CPU for nothing.
ALTER TABLE flywheel_outbox ALTER COLUMN packed SET STORAGE EXTERNAL;
