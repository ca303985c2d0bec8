-- 12 months ahead, with 80% intervals (services/scoring/domain/intervals.py, docs/scoring-intervals.md): expected
-- purchases and their p10/p90 (on the continuous-count scale: k purchases fill [k, k+1)), and the predicted CLV's
-- p10/p90 (decimals, the workspace's currency). Null until the customer is next scored (the daily sweep re-scores
-- everyone). The BG/NBD estimate's covariance is kept in workspace_models.bgnbd as `log_covariance`.
ALTER TABLE customers
    ADD COLUMN expected_purchases_12m  double precision,
    ADD COLUMN expected_purchases_12m_p10       double precision,
    ADD COLUMN expected_purchases_12m_p90       double precision,
    ADD COLUMN clv_p10                 numeric(14, 2),
    ADD COLUMN clv_p90                 numeric(14, 2);
