-- Every table the gateway's 360 view reads from this service sends `customer.changed` (runtime migration 0004).
SELECT flywheel_track_customer_changes('deals', 'sales', 'customer_id');
SELECT flywheel_track_customer_changes('tasks', 'sales', 'customer_id');
