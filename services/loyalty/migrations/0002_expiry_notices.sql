-- The expiry-notice job (services/loyalty/jobs.py) looks, for each workspace with a program, at its lots not yet
-- noticed that expire within its notice days: this index answers that per workspace without scanning the lots
-- of every other workspace, or the lots that expire later.
CREATE INDEX lots_notice ON lots (workspace, expires_at)
    WHERE remaining > 0 AND notified_at IS NULL AND expires_at IS NOT NULL;
