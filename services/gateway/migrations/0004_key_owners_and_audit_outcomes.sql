-- API keys act for an owner (a person or a system), fixed when the key is made: approvals record it. Keys made
-- before owners act for themselves, `key:<id>` (what a key made without an owner gets too); a person's name
-- cannot be given to them afterwards: the owner never changes (a trigger refuses it), so an approval recorded
-- under a key names the same owner forever. Give someone approvals with a new key naming them.
--
-- The audit log also records the actor key's owner, and the outcome of changes made in another service's
-- database (journeys, the channel, quote decisions): the row is written as `requested` before the service is
-- called and completed after it answers (`done`, `refused`; `unknown` when the service did not answer clearly:
-- a timeout, a 5xx), so a change can never happen unlogged. A row left `requested` means the gateway stopped
-- or lost its database before it could record the outcome.
-- IF NOT EXISTS: the CLI and the service may each apply this file under their own namespace.

ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS owner text;
UPDATE api_keys SET owner = 'key:' || id WHERE owner IS NULL;
ALTER TABLE api_keys ALTER COLUMN owner SET NOT NULL;

CREATE OR REPLACE FUNCTION api_keys_owner_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.owner IS DISTINCT FROM OLD.owner THEN
        RAISE EXCEPTION 'an API key''s owner never changes (key %): make a new key for another owner', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS api_keys_owner_is_fixed ON api_keys;
CREATE TRIGGER api_keys_owner_is_fixed BEFORE UPDATE OF owner ON api_keys
    FOR EACH ROW EXECUTE FUNCTION api_keys_owner_is_fixed();

ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS actor_owner text;  -- null: an operator on the command line
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS outcome text NOT NULL DEFAULT 'done'
    CHECK (outcome IN ('requested', 'done', 'refused', 'unknown'));
UPDATE audit_log a SET actor_owner = k.owner FROM api_keys k WHERE a.actor_key_id = k.id::text AND a.actor_owner IS NULL;
