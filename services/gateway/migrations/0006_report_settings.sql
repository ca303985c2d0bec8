-- A workspace's report settings (PUT/GET /v1/report-settings): the currency its reports' money is in. Spend rows
-- recorded in another currency are left out of CAC and named by the acquisition report (no exchange rates here).
-- IF NOT EXISTS: the CLI and the service may each apply this file under their own namespace.
CREATE TABLE IF NOT EXISTS report_settings (
    workspace   text        PRIMARY KEY,
    currency    char(3),                 -- ISO 4217; null: not set (money of every currency is counted as one)
    updated_at  timestamptz NOT NULL DEFAULT now()
);
