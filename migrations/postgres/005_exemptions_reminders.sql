-- twofa schema for PostgreSQL: policy exemptions and deadline reminders. Append-only.
-- An account exempt from its organisation's requirement until this time (unix seconds).
ALTER TABLE twofa.accounts ADD COLUMN exempt_until BIGINT;

-- Deadline reminders sent (remind --before): at most one per account, threshold (days
-- before the deadline) and deadline; a new deadline starts over.
CREATE TABLE twofa.reminders (
    account_id BIGINT NOT NULL REFERENCES twofa.accounts(id) ON DELETE CASCADE,
    deadline   BIGINT NOT NULL,
    threshold  BIGINT NOT NULL CHECK (threshold > 0),
    sent_at    BIGINT NOT NULL,
    PRIMARY KEY (account_id, deadline, threshold)
);
