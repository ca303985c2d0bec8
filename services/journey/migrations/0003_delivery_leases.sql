-- Deliveries complete one by one: each is claimed with a lease (claimed_until, on the database's clock)
-- in a short transaction and sent outside any; its outcome is recorded by the claim that sent it (claim_id).
-- A replica that dies mid-attempt leaves the lease to run out; the delivery is then claimed again and sent
-- under the same Idempotency-Key.
ALTER TABLE webhook_deliveries
    ADD COLUMN claimed_until timestamptz,
    ADD COLUMN claim_id uuid;

-- Claims walk the workspaces that have due deliveries (a loose index scan) and take each one's oldest,
-- up to its free share: one index serves both.
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (workspace, next_attempt_at) WHERE status = 'pending';
DROP INDEX webhook_deliveries_due;

-- The receiver a workspace's deliveries go to (host:port of its webhook URL, lower case, without a trailing dot,
-- the scheme's port when none is written): in-flight attempts are limited per receiver, whichever workspaces
-- share it.
ALTER TABLE workspace_channels ADD COLUMN receiver text GENERATED ALWAYS AS (
    lower(regexp_replace(substring(webhook_url FROM '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)'), '\.(:[0-9]+)?$', '\1'))
    || CASE
           WHEN substring(webhook_url FROM '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)') ~ ':[0-9]+$' THEN ''
           WHEN webhook_url ~* '^https:' THEN ':443'
           ELSE ':80'
       END
) STORED;
