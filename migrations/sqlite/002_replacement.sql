-- twofa: a re-enrollment beside the enabled credential. Append-only: never edit a migration that has shipped; add the next one.
-- Re-enrolling an account with enabled 2FA keeps its credential and recovery codes working
-- until the new secret is confirmed: the new secret waits here, beside the enabled one,
-- until its first code (or its expiry, which leaves the enabled credential as it was).
ALTER TABLE twofa_credentials ADD COLUMN replacement_secret BLOB;      -- sealed like secret
ALTER TABLE twofa_credentials ADD COLUMN replacement_created_at INTEGER;
ALTER TABLE twofa_credentials ADD COLUMN replacement_expires_at INTEGER;
