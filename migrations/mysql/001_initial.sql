-- twofa schema 1 for MySQL and MariaDB. Append-only: never edit a migration that has shipped; add the next one.
-- Every table is named twofa_*, beside the application's tables, which nothing here
-- touches. InnoDB (transactions, row locks, foreign keys); utf8mb4 text compared bytewise
-- (utf8mb4_bin) so that emails and organisation ids are told apart and listed in the same
-- order as on SQLite and PostgreSQL. Times are unix seconds (BIGINT). Keys are VARCHAR
-- (an index takes at most 3072 bytes): an email has at most 254 characters.
CREATE TABLE twofa_meta (
    `key` VARCHAR(255) NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE twofa_orgs (
    id           BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    slug         VARCHAR(255) NOT NULL UNIQUE,
    name         TEXT,
    require_2fa  BOOLEAN NOT NULL DEFAULT false,
    grace_days   BIGINT NOT NULL DEFAULT 0 CHECK (grace_days >= 0),
    policy_since BIGINT,
    created_at   BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE twofa_accounts (
    id              BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email           VARCHAR(320) NOT NULL UNIQUE,
    org_id          BIGINT,
    name            TEXT,
    created_at      BIGINT NOT NULL,
    failed_attempts BIGINT NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until    BIGINT,
    CONSTRAINT twofa_accounts_org FOREIGN KEY (org_id) REFERENCES twofa_orgs (id),
    INDEX twofa_accounts_org_email (org_id, email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One TOTP credential per account: pending until confirmed, then enabled.
CREATE TABLE twofa_credentials (
    account_id    BIGINT NOT NULL PRIMARY KEY,
    state         VARCHAR(16) NOT NULL CHECK (state IN ('pending', 'enabled')),
    secret        BLOB NOT NULL,   -- sealed: version, key id, nonce, AEAD ciphertext
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT,          -- pending enrollments only
    enrolled_at   BIGINT,
    last_step     BIGINT,          -- the last accepted time step (replay protection)
    last_used_at  BIGINT,
    CONSTRAINT twofa_credentials_account FOREIGN KEY (account_id)
        REFERENCES twofa_accounts (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE twofa_recovery_codes (
    id         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    lookup     VARCHAR(255) NOT NULL, -- non-secret prefix of the code
    hash       TEXT NOT NULL,         -- Argon2id PHC string of the whole code
    created_at BIGINT NOT NULL,
    used_at    BIGINT,
    CONSTRAINT twofa_recovery_codes_account FOREIGN KEY (account_id)
        REFERENCES twofa_accounts (id) ON DELETE CASCADE,
    INDEX twofa_recovery_codes_unspent (account_id, used_at),
    INDEX twofa_recovery_codes_lookup (account_id, lookup)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE twofa_events (
    id     BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    at     BIGINT NOT NULL,
    actor  TEXT NOT NULL,
    action VARCHAR(255) NOT NULL,
    email  VARCHAR(320),
    org    TEXT,
    detail TEXT,
    INDEX twofa_events_email (email, id),
    INDEX twofa_events_at (at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
