-- Who decided a quote: `approver` is now the owner of the API key that decided it (the gateway passes it; it is
-- never taken from the client's body), and `approver_key_id` that key. Quotes decided before keep only the name
-- the client sent then.

ALTER TABLE quotes ADD COLUMN approver_key_id text;
