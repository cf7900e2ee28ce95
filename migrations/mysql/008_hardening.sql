-- twofa schema: each email's confusable skeleton, and the expiry of an account's live
-- access code kept on its account row. Append-only: never edit a migration that has
-- shipped; add the next one.
--
-- An email whose Unicode TS #39 skeleton equals an existing account's (a Cyrillic 'а' or a
-- fullwidth 'ａ' for an 'a') is refused where an account is created or renamed: the
-- skeleton is kept in an indexed column so that a bulk add checks it with one index
-- look-up a row. Existing confusable pairs stay; only new ones are refused, so the index is
-- not unique. (A skeleton may be longer than its email: 768 characters fill an index.)
ALTER TABLE twofa_accounts ADD COLUMN skeleton VARCHAR(768);
CREATE INDEX twofa_accounts_skeleton ON twofa_accounts (skeleton);
--
-- status and audit show when an account's unspent temporary access code expires. Like the
-- credential's facts (migration 007), the account row keeps a copy so that an audit reads
-- the accounts alone; the triggers keep it in the transaction of every change to an access
-- code, whoever writes it. A spent code leaves it NULL; an expired one is told by the time
-- it holds.
ALTER TABLE twofa_accounts ADD COLUMN access_code_expires_at BIGINT; -- unspent access code

UPDATE twofa_accounts a LEFT JOIN twofa_access_codes c
    ON c.account_id = a.id AND c.used_at IS NULL
SET a.access_code_expires_at = c.expires_at;

CREATE TRIGGER twofa_access_code_facts_insert AFTER INSERT ON twofa_access_codes FOR EACH ROW
    UPDATE twofa_accounts SET access_code_expires_at =
        CASE WHEN NEW.used_at IS NULL THEN NEW.expires_at END
    WHERE id = NEW.account_id;

CREATE TRIGGER twofa_access_code_facts_update AFTER UPDATE ON twofa_access_codes FOR EACH ROW
    UPDATE twofa_accounts SET access_code_expires_at =
        CASE WHEN id = NEW.account_id AND NEW.used_at IS NULL THEN NEW.expires_at END
    WHERE id IN (OLD.account_id, NEW.account_id);

CREATE TRIGGER twofa_access_code_facts_delete AFTER DELETE ON twofa_access_codes FOR EACH ROW
    UPDATE twofa_accounts SET access_code_expires_at = NULL WHERE id = OLD.account_id;
