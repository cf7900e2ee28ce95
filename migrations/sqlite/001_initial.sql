-- twofa schema 1. Append-only: never edit a migration that has shipped; add the next one.
CREATE TABLE twofa_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE twofa_orgs (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT,
    require_2fa  INTEGER NOT NULL DEFAULT 0 CHECK (require_2fa IN (0, 1)),
    grace_days   INTEGER NOT NULL DEFAULT 0 CHECK (grace_days >= 0),
    policy_since INTEGER,
    created_at   INTEGER NOT NULL
);

CREATE TABLE twofa_accounts (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    org_id          INTEGER REFERENCES twofa_orgs(id),
    name            TEXT,
    created_at      INTEGER NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER
);
CREATE INDEX twofa_accounts_org ON twofa_accounts(org_id, email);

-- One TOTP credential per account: pending until confirmed, then enabled.
CREATE TABLE twofa_credentials (
    account_id    INTEGER PRIMARY KEY REFERENCES twofa_accounts(id) ON DELETE CASCADE,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'enabled')),
    secret        BLOB NOT NULL,  -- sealed: version, key id, nonce, AEAD ciphertext
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER,        -- pending enrollments only
    enrolled_at   INTEGER,
    last_step     INTEGER,        -- the last accepted time step (replay protection)
    last_used_at  INTEGER
);

CREATE TABLE twofa_recovery_codes (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES twofa_accounts(id) ON DELETE CASCADE,
    lookup     TEXT NOT NULL,     -- non-secret prefix of the code
    hash       TEXT NOT NULL,     -- Argon2id PHC string of the whole code
    created_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX twofa_recovery_codes_account ON twofa_recovery_codes(account_id, used_at);
CREATE INDEX twofa_recovery_codes_lookup ON twofa_recovery_codes(account_id, lookup);

CREATE TABLE twofa_events (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    email  TEXT,
    org    TEXT,
    detail TEXT
);
CREATE INDEX twofa_events_email ON twofa_events(email, id);
CREATE INDEX twofa_events_at ON twofa_events(at);
