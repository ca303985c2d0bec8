-- Every table the gateway's 360 view reads from this service sends `customer.changed` (runtime migration 0004).
SELECT flywheel_track_customer_changes('codes', 'referral', 'customer_id');
SELECT flywheel_track_customer_changes('attributions', 'referral', 'friend_id', 'referrer_id');
SELECT flywheel_track_customer_changes('rewards', 'referral', 'beneficiary_id');
