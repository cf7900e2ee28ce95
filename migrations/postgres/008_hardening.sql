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
ALTER TABLE twofa.accounts ADD COLUMN skeleton TEXT COLLATE "C";
CREATE INDEX accounts_skeleton ON twofa.accounts (skeleton);
--
-- status and audit show when an account's unspent temporary access code expires. Like the
-- credential's facts (migration 007), the account row keeps a copy so that an audit reads
-- the accounts alone; the trigger keeps it in the transaction of every change to an access
-- code, whoever writes it. A spent code leaves it NULL; an expired one is told by the time
-- it holds.
ALTER TABLE twofa.accounts ADD COLUMN access_code_expires_at BIGINT; -- unspent access code

UPDATE twofa.accounts a SET access_code_expires_at =
    (SELECT expires_at FROM twofa.access_codes c
     WHERE c.account_id = a.id AND c.used_at IS NULL);

CREATE FUNCTION twofa.access_code_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE twofa.accounts SET access_code_expires_at = NULL
        WHERE id = OLD.account_id AND (TG_OP = 'DELETE' OR OLD.account_id <> NEW.account_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE twofa.accounts SET access_code_expires_at =
            CASE WHEN NEW.used_at IS NULL THEN NEW.expires_at END
        WHERE id = NEW.account_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER access_code_facts
AFTER INSERT OR DELETE OR UPDATE OF account_id, expires_at, used_at
ON twofa.access_codes FOR EACH ROW EXECUTE FUNCTION twofa.access_code_facts();
