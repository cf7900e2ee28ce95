-- twofa schema for MySQL and MariaDB: policy exemptions and deadline reminders. Append-only.
-- An account exempt from its organisation's requirement until this time (unix seconds).
ALTER TABLE twofa_accounts ADD COLUMN exempt_until BIGINT;

-- Deadline reminders sent (remind --before): at most one per account, threshold (days
-- before the deadline) and deadline; a new deadline starts over.
CREATE TABLE twofa_reminders (
    account_id BIGINT NOT NULL,
    deadline   BIGINT NOT NULL,
    threshold  BIGINT NOT NULL CHECK (threshold > 0),
    sent_at    BIGINT NOT NULL,
    PRIMARY KEY (account_id, deadline, threshold),
    CONSTRAINT twofa_reminders_account FOREIGN KEY (account_id)
        REFERENCES twofa_accounts (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
