-- The weak-identifier rule of the identity guard (services/profile/guard.py, weak_joins): a join made only through
-- a weak identifier never gives a profile a second value of a stronger kind.
--
-- A workspace's weak identifier kinds; NULL (also for every workspace that set its limits before): the defaults
-- (guard.DEFAULT_WEAK_KINDS, anonymous_id); an empty array turns the rule off.
ALTER TABLE identity_settings ADD COLUMN weak_kinds text[];

-- Which rule recorded a conflict: the count of distinct others (shared_identifier, every conflict recorded before)
-- or the weak-identifier rule (weak_identifier).
ALTER TABLE identity_conflicts ADD COLUMN rule text NOT NULL DEFAULT 'shared_identifier';
