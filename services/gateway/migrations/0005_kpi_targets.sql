-- A workspace's KPI targets (PUT/GET /v1/kpi-targets): one number per metric of the KPI tree and period (a year
-- `2026`, a quarter `2026-Q4` or a month `2026-12`); GET /v1/reports/kpi-tree shows progress against them.
-- IF NOT EXISTS: the CLI and the service may each apply this file under their own namespace.
CREATE TABLE IF NOT EXISTS kpi_targets (
    workspace   text             NOT NULL,
    metric      text             NOT NULL,
    period      text             NOT NULL,
    target      double precision NOT NULL,
    updated_at  timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, metric, period)
);
