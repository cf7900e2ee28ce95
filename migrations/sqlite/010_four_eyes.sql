-- twofa schema: the four-eyes rule. Append-only: never edit a migration that has shipped;
-- add the next one.
--
-- An organisation may require N approvals (0-3) by other operators for a reset, an access
-- code, an exemption or a relaxation of its policy; a protected account needs at least one
-- in any organisation. A command that needs approval files a request instead of acting;
-- the last approval runs it. A request names its account and organisation by text, so
-- that it outlives an account removed meanwhile; its arguments are JSON.
ALTER TABLE twofa_orgs ADD COLUMN approvals INTEGER NOT NULL DEFAULT 0
    CHECK (approvals BETWEEN 0 AND 3);
ALTER TABLE twofa_accounts ADD COLUMN protected INTEGER NOT NULL DEFAULT 0
    CHECK (protected IN (0, 1));

CREATE TABLE twofa_requests (
    id             INTEGER PRIMARY KEY,
    action         TEXT NOT NULL,
    email          TEXT,
    org            TEXT,
    args           TEXT NOT NULL,          -- JSON: what the action runs with
    reason         TEXT,
    needed         INTEGER NOT NULL CHECK (needed BETWEEN 1 AND 3),
    requested_by   TEXT NOT NULL,          -- login identity
    requested_role TEXT,                   -- database role, where the server has one
    requested_at   INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    state          TEXT NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'approved', 'denied', 'expired')),
    decided_at     INTEGER,
    decided_by     TEXT,
    decision       TEXT                    -- the denial's reason
);
CREATE INDEX twofa_requests_state ON twofa_requests (state, expires_at);

CREATE TABLE twofa_approvals (
    request_id  INTEGER NOT NULL REFERENCES twofa_requests(id) ON DELETE CASCADE,
    approved_by TEXT NOT NULL,
    role        TEXT,
    approved_at INTEGER NOT NULL,
    reason      TEXT,
    PRIMARY KEY (request_id, approved_by)
);
