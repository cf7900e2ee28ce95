-- twofa schema: policy exemptions and deadline reminders. Append-only.
-- An account exempt from its organisation's requirement until this time (unix seconds).
ALTER TABLE twofa_accounts ADD COLUMN exempt_until INTEGER;

-- Deadline reminders sent (remind --before): at most one per account, threshold (days
-- before the deadline) and deadline; a new deadline starts over.
CREATE TABLE twofa_reminders (
    account_id INTEGER NOT NULL REFERENCES twofa_accounts(id) ON DELETE CASCADE,
    deadline   INTEGER NOT NULL,
    threshold  INTEGER NOT NULL CHECK (threshold > 0),
    sent_at    INTEGER NOT NULL,
    PRIMARY KEY (account_id, deadline, threshold)
);
