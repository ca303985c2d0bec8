-- Every table the gateway's 360 view reads from this service sends `customer.changed` (runtime migration 0004).
SELECT flywheel_track_customer_changes('enrolments', 'journey', 'customer_id');
SELECT flywheel_track_customer_changes('flywheel_merged_customers', 'journey', 'merged_id', 'survivor_id');
