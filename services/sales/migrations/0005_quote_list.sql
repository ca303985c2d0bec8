-- The list of quotes (GET /v1/quotes): oldest first, of one status or deal, a page at a time by
-- (created_at, quote_id). And who asked for a quote: `requested_by` is the owner of the API key that created it
-- and `requested_key_id` that key (the gateway passes both; never taken from the client's body). Quotes made
-- before keep them null.

ALTER TABLE quotes
    ADD COLUMN requested_by      text,
    ADD COLUMN requested_key_id  text;

CREATE INDEX quotes_list ON quotes (workspace, created_at, quote_id);
CREATE INDEX quotes_by_status ON quotes (workspace, status, created_at, quote_id);
CREATE INDEX quotes_by_deal ON quotes (workspace, deal_id, created_at, quote_id);
