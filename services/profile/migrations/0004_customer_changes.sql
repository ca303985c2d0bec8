-- Every table the gateway's 360 view reads from this service sends `customer.changed` (runtime migration 0004).
SELECT flywheel_track_customer_changes('customers', 'profile', 'customer_id', 'merged_into');
SELECT flywheel_track_customer_changes('identifiers', 'profile', 'customer_id');
