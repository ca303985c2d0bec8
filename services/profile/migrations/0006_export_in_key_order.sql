-- A customer's export reads orders, refunds and tickets in pages, in key order: the per-customer indexes now
-- hold that order too (an index of the same size as before, so ingest writes no more), and a page starts
-- where the last one ended instead of sorting every fact of the customer again.
CREATE INDEX orders_customer_order ON orders (workspace, customer_id, order_id);
DROP INDEX orders_customer;
CREATE INDEX refunds_customer_order ON refunds (workspace, customer_id, order_id, event_id);
DROP INDEX refunds_customer;
CREATE INDEX tickets_customer_ticket ON tickets (workspace, customer_id, ticket_id);
DROP INDEX tickets_customer;
