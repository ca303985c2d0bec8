-- Each customer's p_alive and predicted CLV as scoring last announced them (`scores.changed` on
-- flywheel.scoring.changes). A new announcement goes out only when a score moved by more than its epsilon since
-- these (services/scoring/domain/scoring.py `scores_moved`), and names these as the previous values, so a journey's
-- `score_crossed` threshold between the two is crossed once per crossing. Null: never announced.
ALTER TABLE customers
    ADD COLUMN announced_p_alive  float8,
    ADD COLUMN announced_clv      numeric(14, 2);
