-- twofa schema: each email's confusable skeleton, and the expiry of an account's live
-- access code kept on its account row. Append-only: never edit a migration that has
-- shipped; add the next one.
--
-- An email whose Unicode TS #39 skeleton equals an existing account's (a Cyrillic 'а' or a
-- fullwidth 'ａ' for an 'a') is refused where an account is created or renamed: the
-- skeleton is kept in an indexed column so that a bulk add checks it with one index
-- look-up a row. SQL cannot compute it: twofa fills it in for the existing accounts right
-- after this migration, in its transaction. Existing confusable pairs stay; only new ones
-- are refused, so the index is not unique.
ALTER TABLE twofa_accounts ADD COLUMN skeleton TEXT;
CREATE INDEX twofa_accounts_skeleton ON twofa_accounts (skeleton);
--
-- status and audit show when an account's unspent temporary access code expires. Like the
-- credential's facts (migration 007), the account row keeps a copy so that an audit stays
-- one ordered read of one index; the triggers keep it in the transaction of every change to
-- an access code, whoever writes it. A spent code leaves it NULL; an expired one is told by
-- the time it holds.
ALTER TABLE twofa_accounts ADD COLUMN access_code_expires_at INTEGER; -- unspent access code

UPDATE twofa_accounts SET access_code_expires_at =
    (SELECT expires_at FROM twofa_access_codes c
     WHERE c.account_id = twofa_accounts.id AND c.used_at IS NULL);

CREATE TRIGGER twofa_access_code_added AFTER INSERT ON twofa_access_codes BEGIN
    UPDATE twofa_accounts SET access_code_expires_at =
        CASE WHEN NEW.used_at IS NULL THEN NEW.expires_at END
    WHERE id = NEW.account_id;
END;

CREATE TRIGGER twofa_access_code_changed
AFTER UPDATE OF account_id, expires_at, used_at ON twofa_access_codes BEGIN
    UPDATE twofa_accounts SET access_code_expires_at = NULL
    WHERE id = OLD.account_id AND OLD.account_id <> NEW.account_id;
    UPDATE twofa_accounts SET access_code_expires_at =
        CASE WHEN NEW.used_at IS NULL THEN NEW.expires_at END
    WHERE id = NEW.account_id;
END;

CREATE TRIGGER twofa_access_code_removed AFTER DELETE ON twofa_access_codes BEGIN
    UPDATE twofa_accounts SET access_code_expires_at = NULL WHERE id = OLD.account_id;
END;

-- The audit's covering index (migration 007) with the new column.
DROP INDEX twofa_accounts_audit;
CREATE INDEX twofa_accounts_audit ON twofa_accounts (
    email, org_id, name, created_at, failed_attempts, locked_until, exempt_until,
    org_joined_at, external_id, own_deadline, cred_state, cred_expires_at, cred_enrolled_at,
    cred_last_used_at, codes_left, cred_drift_steps, access_code_expires_at
);
