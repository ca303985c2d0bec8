-- Profile's ingest inserts every new customer and its identifiers: the hot path. A new customer cannot be in
-- the gateway's 360 view cache (a view is only cached once the customer exists), and an identifier linked to
-- a stored customer always comes with an UPDATE of that customer's row in the same transaction (its stats:
-- last_event_at), which sends the change. So inserts need no notification of their own.
DROP TRIGGER customers_customer_changed_insert ON customers;
DROP TRIGGER identifiers_customer_changed_insert ON identifiers;
