-- The support desk: the device's clock drift on the credential (resync), an account's own
-- compliance deadline (reset --grace-days), and one temporary access code per account.
ALTER TABLE twofa_credentials ADD COLUMN drift_steps INTEGER NOT NULL DEFAULT 0;
ALTER TABLE twofa_accounts ADD COLUMN own_deadline INTEGER;

CREATE TABLE twofa_access_codes (
    account_id INTEGER PRIMARY KEY REFERENCES twofa_accounts(id) ON DELETE CASCADE,
    hash       TEXT NOT NULL,     -- Argon2id PHC string of the code
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
