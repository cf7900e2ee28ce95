-- The support desk: the device's clock drift on the credential (resync), an account's own
-- compliance deadline (reset --grace-days), and one temporary access code per account.
ALTER TABLE twofa_credentials ADD COLUMN drift_steps BIGINT NOT NULL DEFAULT 0;
ALTER TABLE twofa_accounts ADD COLUMN own_deadline BIGINT;

CREATE TABLE twofa_access_codes (
    account_id BIGINT NOT NULL PRIMARY KEY,
    hash       TEXT NOT NULL,      -- Argon2id PHC string of the code
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    CONSTRAINT twofa_access_codes_account FOREIGN KEY (account_id)
        REFERENCES twofa_accounts (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
