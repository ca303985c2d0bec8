-- Timer rounds give each workspace with due timers a share of the round (its oldest first), so one tenant's
-- burst of due timers does not hold back another's: a loose index scan finds the workspaces with due timers
-- and the same index gives each one's oldest. It replaces the index on due_at alone.
CREATE INDEX enrolments_due_by_workspace ON enrolments (workspace, due_at)
    WHERE due_at IS NOT NULL AND status IN ('active', 'waiting');
DROP INDEX enrolments_due;
