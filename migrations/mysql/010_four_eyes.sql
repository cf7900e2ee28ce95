-- twofa schema for MySQL and MariaDB: the four-eyes rule. Append-only: never edit a
-- migration that has shipped; add the next one.
--
-- An organisation may require N approvals (0-3) by other operators for a reset, an access
-- code, an exemption or a relaxation of its policy; a protected account needs at least one
-- in any organisation. A command that needs approval files a request instead of acting;
-- the last approval runs it. A request names its account and organisation by text, so
-- that it outlives an account removed meanwhile; its arguments are JSON. No trigger reads
-- or writes these tables.
ALTER TABLE twofa_orgs ADD COLUMN approvals BIGINT NOT NULL DEFAULT 0
    CHECK (approvals BETWEEN 0 AND 3);
ALTER TABLE twofa_accounts ADD COLUMN protected BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE twofa_requests (
    id             BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    action         TEXT NOT NULL,
    email          VARCHAR(320),
    org            VARCHAR(255),
    args           TEXT NOT NULL,          -- JSON: what the action runs with
    reason         TEXT,
    needed         BIGINT NOT NULL CHECK (needed BETWEEN 1 AND 3),
    requested_by   VARCHAR(255) NOT NULL,  -- login identity
    requested_role VARCHAR(512),           -- database account (CURRENT_USER())
    requested_at   BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    state          VARCHAR(16) NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'approved', 'denied', 'expired')),
    decided_at     BIGINT,
    decided_by     VARCHAR(255),
    decision       TEXT,                   -- the denial's reason
    INDEX twofa_requests_state (state, expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE twofa_approvals (
    request_id  BIGINT NOT NULL,
    approved_by VARCHAR(255) NOT NULL,     -- login identity
    role        VARCHAR(512),              -- database account (CURRENT_USER())
    approved_at BIGINT NOT NULL,
    reason      TEXT,
    PRIMARY KEY (request_id, approved_by),
    CONSTRAINT twofa_approvals_request FOREIGN KEY (request_id)
        REFERENCES twofa_requests (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
