-- The timeline keeps each event exactly as it was received (the whole CloudEvent, written by COPY
-- without re-encoding it), and one index serves both the timeline pages and the per-customer moves of
-- merges and erasure. Event ids are unique per workspace already: the consumer de-duplicates on them.
ALTER TABLE timeline ADD COLUMN event jsonb;
UPDATE timeline SET event = jsonb_build_object(
    'specversion', '1.0', 'id', event_id, 'source', source, 'type', type,
    'time', occurred_at, 'workspace', workspace, 'data', data);
ALTER TABLE timeline ALTER COLUMN event SET NOT NULL;
ALTER TABLE timeline DROP COLUMN data;
ALTER TABLE timeline DROP CONSTRAINT timeline_pkey;
DROP INDEX timeline_customer;
ALTER TABLE timeline ADD PRIMARY KEY (workspace, customer_id, occurred_at, event_id);
