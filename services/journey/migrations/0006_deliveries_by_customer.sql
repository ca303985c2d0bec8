-- A customer's webhook deliveries (the messages journeys sent or will send them) are read for the data-subject
-- export, and deleted by an erasure: both by customer, which no index served (every delivery of the workspace
-- was scanned).
CREATE INDEX webhook_deliveries_customer ON webhook_deliveries (workspace, customer_id, created_at, delivery_id);
