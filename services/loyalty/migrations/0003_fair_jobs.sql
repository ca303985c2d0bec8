-- The jobs (services/loyalty/jobs.py, due_store.py) claim due things per workspace, in turns, so one workspace
-- with a million due lots does not hold the others back: each claim reads one workspace's due things, the oldest
-- first, through an index that starts with the workspace and ends with the claim's tie-break (many lots share an
-- expiry: the end of one local day), so a claim reads its LIMIT and no more. The indexes by due time alone
-- served the old claim across all workspaces and are no longer read.
CREATE INDEX lots_due ON lots (workspace, expires_at, lot_id) WHERE remaining > 0 AND expires_at IS NOT NULL;
DROP INDEX lots_expiry;
DROP INDEX lots_notice;
CREATE INDEX lots_notice ON lots (workspace, expires_at, lot_id)
    WHERE remaining > 0 AND notified_at IS NULL AND expires_at IS NOT NULL;
CREATE INDEX redemptions_held_due ON redemptions (workspace, expires_at, redemption_id) WHERE status = 'held';
DROP INDEX redemptions_due;
CREATE INDEX members_tiered ON members (workspace, customer_id) WHERE tier IS NOT NULL;
DROP INDEX members_tier_review;
