-- Survey answer links spent (POST /v1/survey-answers): one row per token id, so a link answers once. No customer
-- data: the token id is a hash of journey's delivery id, the digest a SHA-256 of the answer (so a retry of the
-- same answer after a failed publish goes through, a different one is refused). Rows go once the link expires
-- (it is refused by its expiry from then on).
-- IF NOT EXISTS: the CLI and the service may each apply this file under their own namespace.
CREATE TABLE IF NOT EXISTS survey_answer_links (
    token_id      text        PRIMARY KEY,
    workspace     text        NOT NULL,
    answer_digest text        NOT NULL,
    expires_at    timestamptz NOT NULL,
    spent_at      timestamptz NOT NULL,
    published_at  timestamptz
);
CREATE INDEX IF NOT EXISTS survey_answer_links_expiry ON survey_answer_links (expires_at);
