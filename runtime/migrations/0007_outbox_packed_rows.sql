-- A consumer batch's messages to one topic can be written as one outbox row (runtime/outbox.py,
-- write_outbox(packed=True)): one row, one index entry and one delete for the whole batch instead of one
-- each per message, the largest per-event write of profile's ingest. Their keys, values and how many of the
-- flattened header_names/header_values each message has are arrays of equal length; message_count says how
-- many messages a row holds (1 for every other row), so the relay can size its rounds without reading them.
ALTER TABLE flywheel_outbox
    ADD COLUMN message_count        integer NOT NULL DEFAULT 1,
    ADD COLUMN packed_keys          bytea[],
    ADD COLUMN packed_values        bytea[],
    ADD COLUMN packed_header_counts integer[];
