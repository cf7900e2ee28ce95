-- twofa schema: the per-account facts that audit prints, kept on the account row.
-- Append-only: never edit a migration that has shipped; add the next one.
--
-- Copies of the account's credential and its count of unspent recovery codes, so that an
-- audit reads the accounts alone. The triggers keep them in the transaction of every change
-- to a credential or a recovery code, whoever writes it; the test suite compares them with a
-- recount after every command. (MySQL runs no trigger for the rows a foreign key's cascade
-- deletes: those go with their account's row.)
ALTER TABLE twofa_accounts
    ADD COLUMN cred_state VARCHAR(16),        -- credentials.state
    ADD COLUMN cred_expires_at BIGINT,        -- credentials.expires_at
    ADD COLUMN cred_enrolled_at BIGINT,       -- credentials.enrolled_at
    ADD COLUMN cred_last_used_at BIGINT,      -- credentials.last_used_at
    ADD COLUMN cred_drift_steps BIGINT,       -- credentials.drift_steps
    ADD COLUMN codes_left BIGINT NOT NULL DEFAULT 0; -- unspent recovery codes

UPDATE twofa_accounts a LEFT JOIN twofa_credentials c ON c.account_id = a.id SET
    a.cred_state = c.state, a.cred_expires_at = c.expires_at,
    a.cred_enrolled_at = c.enrolled_at, a.cred_last_used_at = c.last_used_at,
    a.cred_drift_steps = c.drift_steps,
    a.codes_left = (SELECT count(*) FROM twofa_recovery_codes r
                    WHERE r.account_id = a.id AND r.used_at IS NULL);

CREATE TRIGGER twofa_credential_facts_insert AFTER INSERT ON twofa_credentials FOR EACH ROW
    UPDATE twofa_accounts SET cred_state = NEW.state, cred_expires_at = NEW.expires_at,
        cred_enrolled_at = NEW.enrolled_at, cred_last_used_at = NEW.last_used_at,
        cred_drift_steps = NEW.drift_steps
    WHERE id = NEW.account_id;

-- An update that moves the credential to another account clears the old one's facts.
CREATE TRIGGER twofa_credential_facts_update AFTER UPDATE ON twofa_credentials FOR EACH ROW
    UPDATE twofa_accounts SET
        cred_state = IF(id = NEW.account_id, NEW.state, NULL),
        cred_expires_at = IF(id = NEW.account_id, NEW.expires_at, NULL),
        cred_enrolled_at = IF(id = NEW.account_id, NEW.enrolled_at, NULL),
        cred_last_used_at = IF(id = NEW.account_id, NEW.last_used_at, NULL),
        cred_drift_steps = IF(id = NEW.account_id, NEW.drift_steps, NULL)
    WHERE id IN (OLD.account_id, NEW.account_id);

CREATE TRIGGER twofa_credential_facts_delete AFTER DELETE ON twofa_credentials FOR EACH ROW
    UPDATE twofa_accounts SET cred_state = NULL, cred_expires_at = NULL,
        cred_enrolled_at = NULL, cred_last_used_at = NULL, cred_drift_steps = NULL
    WHERE id = OLD.account_id;

CREATE TRIGGER twofa_recovery_code_facts_insert AFTER INSERT ON twofa_recovery_codes
FOR EACH ROW
    UPDATE twofa_accounts SET codes_left = codes_left + 1
    WHERE id = NEW.account_id AND NEW.used_at IS NULL;

CREATE TRIGGER twofa_recovery_code_facts_update AFTER UPDATE ON twofa_recovery_codes
FOR EACH ROW
    UPDATE twofa_accounts SET codes_left = codes_left
        - (id = OLD.account_id AND OLD.used_at IS NULL)
        + (id = NEW.account_id AND NEW.used_at IS NULL)
    WHERE id IN (OLD.account_id, NEW.account_id);

CREATE TRIGGER twofa_recovery_code_facts_delete AFTER DELETE ON twofa_recovery_codes
FOR EACH ROW
    UPDATE twofa_accounts SET codes_left = codes_left - 1
    WHERE id = OLD.account_id AND OLD.used_at IS NULL;
