-- twofa schema: several named TOTP devices per account (a phone, a backup phone, a tablet).
-- Append-only: never edit a migration that has shipped; add the next one.
--
-- A credential is now keyed by its account and a device name, each with its own secret,
-- state, enrollment, last accepted step and drift. The one credential an account had
-- becomes its device 'default', in place (same secret, same replay history). Recovery
-- codes and access codes stay per account. The event log is not touched, so its hash chain
-- stays as it was.
ALTER TABLE twofa.credentials DROP CONSTRAINT credentials_pkey;
ALTER TABLE twofa.credentials ADD COLUMN device TEXT COLLATE "C" NOT NULL DEFAULT 'default';
ALTER TABLE twofa.credentials ALTER COLUMN device DROP DEFAULT;
ALTER TABLE twofa.credentials ADD PRIMARY KEY (account_id, device);

-- The account row's copies (migration 007) now sum up its devices: enabled when any device
-- is, else pending when any is; the earliest enrollment, the latest use, the latest
-- expiry of a pending one, the drift farthest from 0, and the count of enabled devices.
ALTER TABLE twofa.accounts ADD COLUMN cred_devices BIGINT NOT NULL DEFAULT 0; -- enabled devices

CREATE OR REPLACE FUNCTION twofa.credential_facts_of(account BIGINT) RETURNS void
LANGUAGE sql AS $$
    UPDATE twofa.accounts SET
        (cred_state, cred_expires_at, cred_enrolled_at, cred_last_used_at, cred_drift_steps,
         cred_devices) =
        (SELECT CASE WHEN sum(CASE WHEN state = 'enabled' THEN 1 ELSE 0 END) > 0 THEN 'enabled'
                     WHEN count(*) > 0 THEN 'pending' END,
                max(expires_at), min(enrolled_at), max(last_used_at),
                CASE WHEN max(drift_steps) >= -min(drift_steps) THEN max(drift_steps)
                     ELSE min(drift_steps) END,
                coalesce(sum(CASE WHEN state = 'enabled' THEN 1 ELSE 0 END), 0)
         FROM twofa.credentials c WHERE c.account_id = account)
    WHERE id = account;
$$;

SELECT twofa.credential_facts_of(id) FROM twofa.accounts;

CREATE OR REPLACE FUNCTION twofa.credential_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM twofa.credential_facts_of(OLD.account_id);
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR OLD.account_id <> NEW.account_id) THEN
        PERFORM twofa.credential_facts_of(NEW.account_id);
    END IF;
    RETURN NULL;
END
$$;
