-- twofa schema: several named TOTP devices per account (a phone, a backup phone, a tablet).
-- Append-only: never edit a migration that has shipped; add the next one.
--
-- A credential is now keyed by its account and a device name (at most 64 characters),
-- each with its own secret, state, enrollment, last accepted step and drift. The one
-- credential an account had becomes its device 'default', in place (same secret, same
-- replay history). Recovery codes and access codes stay per account. The event log is not
-- touched, so its hash chain stays as it was. The new primary key starts with account_id,
-- so the foreign key to the account keeps an index throughout the one ALTER.
ALTER TABLE twofa_credentials
    ADD COLUMN device VARCHAR(64) COLLATE utf8mb4_bin NOT NULL DEFAULT 'default' AFTER account_id,
    DROP PRIMARY KEY,
    ADD PRIMARY KEY (account_id, device);
ALTER TABLE twofa_credentials ALTER COLUMN device DROP DEFAULT;

-- The account row's copies (migration 007) now sum up its devices: enabled when any device
-- is, else pending when any is; the earliest enrollment, the latest use, the latest
-- expiry of a pending one, the drift farthest from 0, and the count of enabled devices.
-- Each trigger recounts the rows of the accounts it touched (an account left without a
-- credential gets NULLs and 0 from the LEFT JOIN).
ALTER TABLE twofa_accounts ADD COLUMN cred_devices BIGINT NOT NULL DEFAULT 0; -- enabled devices

DROP TRIGGER twofa_credential_facts_insert;
DROP TRIGGER twofa_credential_facts_update;
DROP TRIGGER twofa_credential_facts_delete;

UPDATE twofa_accounts a LEFT JOIN (
    SELECT account_id,
           CASE WHEN sum(state = 'enabled') > 0 THEN 'enabled' ELSE 'pending' END AS state,
           max(expires_at) AS expires_at, min(enrolled_at) AS enrolled_at,
           max(last_used_at) AS last_used_at,
           CASE WHEN max(drift_steps) >= -min(drift_steps) THEN max(drift_steps)
                ELSE min(drift_steps) END AS drift_steps,
           sum(state = 'enabled') AS devices
    FROM twofa_credentials GROUP BY account_id
) c ON c.account_id = a.id
SET a.cred_state = c.state, a.cred_expires_at = c.expires_at,
    a.cred_enrolled_at = c.enrolled_at, a.cred_last_used_at = c.last_used_at,
    a.cred_drift_steps = c.drift_steps, a.cred_devices = coalesce(c.devices, 0);

CREATE TRIGGER twofa_credential_facts_insert AFTER INSERT ON twofa_credentials FOR EACH ROW
    UPDATE twofa_accounts a LEFT JOIN (
        SELECT account_id,
               CASE WHEN sum(state = 'enabled') > 0 THEN 'enabled' ELSE 'pending' END AS state,
               max(expires_at) AS expires_at, min(enrolled_at) AS enrolled_at,
               max(last_used_at) AS last_used_at,
               CASE WHEN max(drift_steps) >= -min(drift_steps) THEN max(drift_steps)
                    ELSE min(drift_steps) END AS drift_steps,
               sum(state = 'enabled') AS devices
        FROM twofa_credentials WHERE account_id = NEW.account_id GROUP BY account_id
    ) c ON c.account_id = a.id
    SET a.cred_state = c.state, a.cred_expires_at = c.expires_at,
        a.cred_enrolled_at = c.enrolled_at, a.cred_last_used_at = c.last_used_at,
        a.cred_drift_steps = c.drift_steps, a.cred_devices = coalesce(c.devices, 0)
    WHERE a.id = NEW.account_id;

CREATE TRIGGER twofa_credential_facts_update AFTER UPDATE ON twofa_credentials FOR EACH ROW
    UPDATE twofa_accounts a LEFT JOIN (
        SELECT account_id,
               CASE WHEN sum(state = 'enabled') > 0 THEN 'enabled' ELSE 'pending' END AS state,
               max(expires_at) AS expires_at, min(enrolled_at) AS enrolled_at,
               max(last_used_at) AS last_used_at,
               CASE WHEN max(drift_steps) >= -min(drift_steps) THEN max(drift_steps)
                    ELSE min(drift_steps) END AS drift_steps,
               sum(state = 'enabled') AS devices
        FROM twofa_credentials WHERE account_id IN (OLD.account_id, NEW.account_id)
        GROUP BY account_id
    ) c ON c.account_id = a.id
    SET a.cred_state = c.state, a.cred_expires_at = c.expires_at,
        a.cred_enrolled_at = c.enrolled_at, a.cred_last_used_at = c.last_used_at,
        a.cred_drift_steps = c.drift_steps, a.cred_devices = coalesce(c.devices, 0)
    WHERE a.id IN (OLD.account_id, NEW.account_id);

CREATE TRIGGER twofa_credential_facts_delete AFTER DELETE ON twofa_credentials FOR EACH ROW
    UPDATE twofa_accounts a LEFT JOIN (
        SELECT account_id,
               CASE WHEN sum(state = 'enabled') > 0 THEN 'enabled' ELSE 'pending' END AS state,
               max(expires_at) AS expires_at, min(enrolled_at) AS enrolled_at,
               max(last_used_at) AS last_used_at,
               CASE WHEN max(drift_steps) >= -min(drift_steps) THEN max(drift_steps)
                    ELSE min(drift_steps) END AS drift_steps,
               sum(state = 'enabled') AS devices
        FROM twofa_credentials WHERE account_id = OLD.account_id GROUP BY account_id
    ) c ON c.account_id = a.id
    SET a.cred_state = c.state, a.cred_expires_at = c.expires_at,
        a.cred_enrolled_at = c.enrolled_at, a.cred_last_used_at = c.last_used_at,
        a.cred_drift_steps = c.drift_steps, a.cred_devices = coalesce(c.devices, 0)
    WHERE a.id = OLD.account_id;
