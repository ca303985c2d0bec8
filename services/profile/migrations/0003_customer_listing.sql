-- Customer listing (the gateway's GET /v1/customers/search): the default order, newest first, reads an
-- index; the tag filter uses a GIN index. Sorts on stats (revenue, orders, last purchase) are not indexed
-- on purpose: those columns change with every purchase, and more indexes on them would slow ingestion;
-- a workspace's live rows are sorted top-N instead.
CREATE INDEX customers_listing ON customers (workspace, created_at, customer_id)
    WHERE merged_into IS NULL AND erased_at IS NULL;
CREATE INDEX customers_tags ON customers USING gin (tags);
