-- What a task made from a churn signal (scoring's churn.risk_changed, directly or through a journey's sales_task
-- action) tells the salesperson: the human-readable churn reasons and the customer's predicted 12-month CLV when
-- the signal came. Empty / null for other tasks. Personal data of the task's customer (personal_data.py): exported
-- with the task, deleted with it on erasure.
ALTER TABLE tasks
    ADD COLUMN churn_reasons  text[]         NOT NULL DEFAULT '{}',
    ADD COLUMN predicted_clv  numeric(14, 2);
