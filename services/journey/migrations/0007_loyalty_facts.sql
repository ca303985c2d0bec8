-- What journeys know of each customer's loyalty membership (services/journey/domain/facts.py): the tier, the
-- points balance and the latest expiry notice, each with the time of the loyalty event that set it (the latest
-- by event time wins), read by conditions (`loyalty.tier`, `loyalty.balance`) and message templates.
ALTER TABLE customer_facts ADD COLUMN loyalty jsonb NOT NULL DEFAULT '{}';
