-- Outbox headers as two arrays (names, raw values) instead of base64 in JSON: no per-message encoding
-- on the hot path. Rows written before this migration keep their headers.
ALTER TABLE flywheel_outbox
    ADD COLUMN header_names  text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN header_values bytea[] NOT NULL DEFAULT '{}';
UPDATE flywheel_outbox SET
    header_names  = ARRAY(SELECT h.value ->> 0 FROM jsonb_array_elements(headers) WITH ORDINALITY AS h
                          ORDER BY h.ordinality),
    header_values = ARRAY(SELECT decode(h.value ->> 1, 'base64') FROM jsonb_array_elements(headers) WITH ORDINALITY AS h
                          ORDER BY h.ordinality);
ALTER TABLE flywheel_outbox DROP COLUMN headers;
