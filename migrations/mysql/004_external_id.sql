-- twofa schema for MySQL and MariaDB: accounts follow the application's users table (user
-- sync, user move). external_id: the application's stable id of the user, so that a user
-- deleted and re-created under the same email is recognised and never inherits the old
-- credential. org_joined_at: when the account moved into its current organisation; a
-- mandatory organisation's grace period starts then for it.
ALTER TABLE twofa_accounts ADD COLUMN external_id TEXT;
ALTER TABLE twofa_accounts ADD COLUMN org_joined_at BIGINT;
