-- Marketing spend as data (POST /v1/marketing-spend, `flywheel import spend`): what a workspace spent per day,
-- channel and campaign, for the acquisition report's CAC. Profile holds it because acquisition is profile's: the
-- customers' first touches live here, so spend and new customers per channel meet in one database and one query.
-- One row per (day, channel, campaign): a re-sent row replaces the earlier one. A row without a campaign is kept
-- with campaign '' (the API refuses an empty campaign, so '' only ever means "none given").
CREATE TABLE marketing_spend (
    workspace   text           NOT NULL,
    spend_date  date           NOT NULL,
    channel     text           NOT NULL,
    campaign    text           NOT NULL DEFAULT '',
    amount      numeric(18, 2) NOT NULL CHECK (amount >= 0),
    currency    char(3),                  -- ISO 4217; null: the workspace's currency
    updated_at  timestamptz    NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, spend_date, channel, campaign)
);
