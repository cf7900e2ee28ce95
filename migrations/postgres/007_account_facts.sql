-- twofa schema: the per-account facts that audit prints, kept on the account row.
-- Append-only: never edit a migration that has shipped; add the next one.
--
-- Copies of the account's credential and its count of unspent recovery codes, so that an
-- audit reads the accounts alone. The triggers keep them in the transaction of every change
-- to a credential or a recovery code, whoever writes it; the test suite compares them with a
-- recount after every command.
ALTER TABLE twofa.accounts
    ADD COLUMN cred_state TEXT,               -- credentials.state
    ADD COLUMN cred_expires_at BIGINT,        -- credentials.expires_at
    ADD COLUMN cred_enrolled_at BIGINT,       -- credentials.enrolled_at
    ADD COLUMN cred_last_used_at BIGINT,      -- credentials.last_used_at
    ADD COLUMN cred_drift_steps BIGINT,       -- credentials.drift_steps
    ADD COLUMN codes_left BIGINT NOT NULL DEFAULT 0; -- unspent recovery codes

UPDATE twofa.accounts a SET
    (cred_state, cred_expires_at, cred_enrolled_at, cred_last_used_at, cred_drift_steps) =
        (SELECT state, expires_at, enrolled_at, last_used_at, drift_steps
         FROM twofa.credentials c WHERE c.account_id = a.id),
    codes_left =
        (SELECT count(*) FROM twofa.recovery_codes r
         WHERE r.account_id = a.id AND r.used_at IS NULL);

CREATE FUNCTION twofa.credential_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE twofa.accounts SET cred_state = NULL, cred_expires_at = NULL,
            cred_enrolled_at = NULL, cred_last_used_at = NULL, cred_drift_steps = NULL
        WHERE id = OLD.account_id AND (TG_OP = 'DELETE' OR OLD.account_id <> NEW.account_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE twofa.accounts SET cred_state = NEW.state, cred_expires_at = NEW.expires_at,
            cred_enrolled_at = NEW.enrolled_at, cred_last_used_at = NEW.last_used_at,
            cred_drift_steps = NEW.drift_steps
        WHERE id = NEW.account_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER credential_facts
AFTER INSERT OR DELETE OR UPDATE OF account_id, state, expires_at, enrolled_at, last_used_at,
    drift_steps
ON twofa.credentials FOR EACH ROW EXECUTE FUNCTION twofa.credential_facts();

CREATE FUNCTION twofa.recovery_code_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.used_at IS NULL THEN
        UPDATE twofa.accounts SET codes_left = codes_left - 1 WHERE id = OLD.account_id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.used_at IS NULL THEN
        UPDATE twofa.accounts SET codes_left = codes_left + 1 WHERE id = NEW.account_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER recovery_code_facts
AFTER INSERT OR DELETE OR UPDATE OF account_id, used_at
ON twofa.recovery_codes FOR EACH ROW EXECUTE FUNCTION twofa.recovery_code_facts();
