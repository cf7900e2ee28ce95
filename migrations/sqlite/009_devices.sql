-- twofa schema: several named TOTP devices per account (a phone, a backup phone, a tablet).
-- Append-only: never edit a migration that has shipped; add the next one.
--
-- A credential is now keyed by its account and a device name, each with its own secret,
-- state, enrollment, last accepted step and drift. The one credential an account had
-- becomes its device 'default', in place (same secret, same replay history). Recovery
-- codes and access codes stay per account. The event log is not touched, so its hash chain
-- stays as it was.
DROP TRIGGER twofa_credential_added;
DROP TRIGGER twofa_credential_changed;
DROP TRIGGER twofa_credential_removed;
DROP INDEX twofa_accounts_audit;

CREATE TABLE twofa_credentials_new (
    account_id    INTEGER NOT NULL REFERENCES twofa_accounts(id) ON DELETE CASCADE,
    device        TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'enabled')),
    secret        BLOB NOT NULL,  -- sealed: version, key id, nonce, AEAD ciphertext
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER,        -- pending enrollments only
    enrolled_at   INTEGER,
    last_step     INTEGER,        -- the last accepted time step (replay protection)
    last_used_at  INTEGER,
    replacement_secret     BLOB,  -- a re-enrollment of this device, sealed like secret
    replacement_created_at INTEGER,
    replacement_expires_at INTEGER,
    drift_steps   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, device)
);
INSERT INTO twofa_credentials_new
    (account_id, device, state, secret, created_at, expires_at, enrolled_at, last_step,
     last_used_at, replacement_secret, replacement_created_at, replacement_expires_at,
     drift_steps)
SELECT account_id, 'default', state, secret, created_at, expires_at, enrolled_at, last_step,
       last_used_at, replacement_secret, replacement_created_at, replacement_expires_at,
       drift_steps
FROM twofa_credentials;
DROP TABLE twofa_credentials;
ALTER TABLE twofa_credentials_new RENAME TO twofa_credentials;

-- The account row's copies (migration 007) now sum up its devices: enabled when any device
-- is, else pending when any is; the earliest enrollment, the latest use, the latest
-- expiry of a pending one, the drift farthest from 0, and the count of enabled devices.
ALTER TABLE twofa_accounts ADD COLUMN cred_devices INTEGER NOT NULL DEFAULT 0; -- enabled devices

UPDATE twofa_accounts SET
    (cred_state, cred_expires_at, cred_enrolled_at, cred_last_used_at, cred_drift_steps,
     cred_devices) =
    (SELECT CASE WHEN sum(CASE WHEN state = 'enabled' THEN 1 ELSE 0 END) > 0 THEN 'enabled'
                 WHEN count(*) > 0 THEN 'pending' END,
            max(expires_at), min(enrolled_at), max(last_used_at),
            CASE WHEN max(drift_steps) >= -min(drift_steps) THEN max(drift_steps)
                 ELSE min(drift_steps) END,
            coalesce(sum(CASE WHEN state = 'enabled' THEN 1 ELSE 0 END), 0)
     FROM twofa_credentials c WHERE c.account_id = twofa_accounts.id);

CREATE TRIGGER twofa_credential_added AFTER INSERT ON twofa_credentials BEGIN
    UPDATE twofa_accounts SET
        (cred_state, cred_expires_at, cred_enrolled_at, cred_last_used_at, cred_drift_steps,
         cred_devices) =
        (SELECT CASE WHEN sum(CASE WHEN state = 'enabled' THEN 1 ELSE 0 END) > 0 THEN 'enabled'
                     WHEN count(*) > 0 THEN 'pending' END,
                max(expires_at), min(enrolled_at), max(last_used_at),
                CASE WHEN max(drift_steps) >= -min(drift_steps) THEN max(drift_steps)
                     ELSE min(drift_steps) END,
                coalesce(sum(CASE WHEN state = 'enabled' THEN 1 ELSE 0 END), 0)
         FROM twofa_credentials c WHERE c.account_id = NEW.account_id)
    WHERE id = NEW.account_id;
END;

CREATE TRIGGER twofa_credential_changed
AFTER UPDATE OF account_id, state, expires_at, enrolled_at, last_used_at, drift_steps
ON twofa_credentials BEGIN
    UPDATE twofa_accounts SET
        (cred_state, cred_expires_at, cred_enrolled_at, cred_last_used_at, cred_drift_steps,
         cred_devices) =
        (SELECT CASE WHEN sum(CASE WHEN state = 'enabled' THEN 1 ELSE 0 END) > 0 THEN 'enabled'
                     WHEN count(*) > 0 THEN 'pending' END,
                max(expires_at), min(enrolled_at), max(last_used_at),
                CASE WHEN max(drift_steps) >= -min(drift_steps) THEN max(drift_steps)
                     ELSE min(drift_steps) END,
                coalesce(sum(CASE WHEN state = 'enabled' THEN 1 ELSE 0 END), 0)
         FROM twofa_credentials c WHERE c.account_id = twofa_accounts.id)
    WHERE id IN (OLD.account_id, NEW.account_id);
END;

CREATE TRIGGER twofa_credential_removed AFTER DELETE ON twofa_credentials BEGIN
    UPDATE twofa_accounts SET
        (cred_state, cred_expires_at, cred_enrolled_at, cred_last_used_at, cred_drift_steps,
         cred_devices) =
        (SELECT CASE WHEN sum(CASE WHEN state = 'enabled' THEN 1 ELSE 0 END) > 0 THEN 'enabled'
                     WHEN count(*) > 0 THEN 'pending' END,
                max(expires_at), min(enrolled_at), max(last_used_at),
                CASE WHEN max(drift_steps) >= -min(drift_steps) THEN max(drift_steps)
                     ELSE min(drift_steps) END,
                coalesce(sum(CASE WHEN state = 'enabled' THEN 1 ELSE 0 END), 0)
         FROM twofa_credentials c WHERE c.account_id = OLD.account_id)
    WHERE id = OLD.account_id;
END;

-- The audit's covering index (migration 008) with the new column.
CREATE INDEX twofa_accounts_audit ON twofa_accounts (
    email, org_id, name, created_at, failed_attempts, locked_until, exempt_until,
    org_joined_at, external_id, own_deadline, cred_state, cred_expires_at, cred_enrolled_at,
    cred_last_used_at, codes_left, cred_drift_steps, cred_devices, access_code_expires_at
);
