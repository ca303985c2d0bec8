-- Every table the gateway's 360 view reads from this service sends `customer.changed` (runtime migration 0004).
SELECT flywheel_track_customer_changes('customers', 'scoring', 'customer_id');
SELECT flywheel_track_customer_changes('segment_members', 'scoring', 'customer_id');
-- A segment's name shows in every member's view: renaming or deleting one changes the whole workspace.
SELECT flywheel_track_customer_changes('segments', 'scoring');
SELECT flywheel_track_customer_changes('flywheel_merged_customers', 'scoring', 'merged_id', 'survivor_id');
