-- The support desk: the device's clock drift on the credential (resync), an account's own
-- compliance deadline (reset --grace-days), and one temporary access code per account.
ALTER TABLE twofa.credentials ADD COLUMN drift_steps BIGINT NOT NULL DEFAULT 0;
ALTER TABLE twofa.accounts ADD COLUMN own_deadline BIGINT;

CREATE TABLE twofa.access_codes (
    account_id BIGINT PRIMARY KEY REFERENCES twofa.accounts(id) ON DELETE CASCADE,
    hash       TEXT NOT NULL,      -- Argon2id PHC string of the code
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
