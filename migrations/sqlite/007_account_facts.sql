-- twofa schema: the per-account facts that audit prints, kept on the account row.
-- Append-only: never edit a migration that has shipped; add the next one.
--
-- An audit prints one line per account in email order. Reading each account's credential
-- and counting its unspent recovery codes visits three tables at random for every account;
-- with these copies on the account row and the covering index below, the whole audit is one
-- ordered read of one index. The triggers keep the copies in the transaction of every change
-- to a credential or a recovery code, whoever writes it; the test suite compares them with a
-- recount after every command.
ALTER TABLE twofa_accounts ADD COLUMN cred_state TEXT;              -- credentials.state
ALTER TABLE twofa_accounts ADD COLUMN cred_expires_at INTEGER;      -- credentials.expires_at
ALTER TABLE twofa_accounts ADD COLUMN cred_enrolled_at INTEGER;     -- credentials.enrolled_at
ALTER TABLE twofa_accounts ADD COLUMN cred_last_used_at INTEGER;    -- credentials.last_used_at
ALTER TABLE twofa_accounts ADD COLUMN cred_drift_steps INTEGER;     -- credentials.drift_steps
ALTER TABLE twofa_accounts ADD COLUMN codes_left INTEGER NOT NULL DEFAULT 0; -- unspent recovery codes

UPDATE twofa_accounts SET
    (cred_state, cred_expires_at, cred_enrolled_at, cred_last_used_at, cred_drift_steps) =
        (SELECT state, expires_at, enrolled_at, last_used_at, drift_steps
         FROM twofa_credentials c WHERE c.account_id = twofa_accounts.id),
    codes_left =
        (SELECT count(*) FROM twofa_recovery_codes r
         WHERE r.account_id = twofa_accounts.id AND r.used_at IS NULL);

CREATE TRIGGER twofa_credential_added AFTER INSERT ON twofa_credentials BEGIN
    UPDATE twofa_accounts SET cred_state = NEW.state, cred_expires_at = NEW.expires_at,
        cred_enrolled_at = NEW.enrolled_at, cred_last_used_at = NEW.last_used_at,
        cred_drift_steps = NEW.drift_steps
    WHERE id = NEW.account_id;
END;

CREATE TRIGGER twofa_credential_changed
AFTER UPDATE OF account_id, state, expires_at, enrolled_at, last_used_at, drift_steps
ON twofa_credentials BEGIN
    UPDATE twofa_accounts SET cred_state = NULL, cred_expires_at = NULL,
        cred_enrolled_at = NULL, cred_last_used_at = NULL, cred_drift_steps = NULL
    WHERE id = OLD.account_id AND OLD.account_id <> NEW.account_id;
    UPDATE twofa_accounts SET cred_state = NEW.state, cred_expires_at = NEW.expires_at,
        cred_enrolled_at = NEW.enrolled_at, cred_last_used_at = NEW.last_used_at,
        cred_drift_steps = NEW.drift_steps
    WHERE id = NEW.account_id;
END;

CREATE TRIGGER twofa_credential_removed AFTER DELETE ON twofa_credentials BEGIN
    UPDATE twofa_accounts SET cred_state = NULL, cred_expires_at = NULL,
        cred_enrolled_at = NULL, cred_last_used_at = NULL, cred_drift_steps = NULL
    WHERE id = OLD.account_id;
END;

CREATE TRIGGER twofa_recovery_code_added AFTER INSERT ON twofa_recovery_codes
WHEN NEW.used_at IS NULL BEGIN
    UPDATE twofa_accounts SET codes_left = codes_left + 1 WHERE id = NEW.account_id;
END;

CREATE TRIGGER twofa_recovery_code_changed AFTER UPDATE OF account_id, used_at
ON twofa_recovery_codes
WHEN OLD.account_id IS NOT NEW.account_id OR (OLD.used_at IS NULL) <> (NEW.used_at IS NULL)
BEGIN
    UPDATE twofa_accounts SET codes_left = codes_left - 1
    WHERE id = OLD.account_id AND OLD.used_at IS NULL;
    UPDATE twofa_accounts SET codes_left = codes_left + 1
    WHERE id = NEW.account_id AND NEW.used_at IS NULL;
END;

CREATE TRIGGER twofa_recovery_code_removed AFTER DELETE ON twofa_recovery_codes
WHEN OLD.used_at IS NULL BEGIN
    UPDATE twofa_accounts SET codes_left = codes_left - 1 WHERE id = OLD.account_id;
END;

-- Everything audit, status and find read of an account, in email order.
CREATE INDEX twofa_accounts_audit ON twofa_accounts (
    email, org_id, name, created_at, failed_attempts, locked_until, exempt_until,
    org_joined_at, external_id, own_deadline, cred_state, cred_expires_at, cred_enrolled_at,
    cred_last_used_at, codes_left, cred_drift_steps
);
