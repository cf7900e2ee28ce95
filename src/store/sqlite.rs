//! The SQLite backend (rusqlite, bundled SQLite): the embedded default.

use std::fs::OpenOptions;
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::Duration;

use anyhow::Result;
use rusqlite::{
    Connection, ErrorCode, OpenFlags, OptionalExtension, Row, Transaction, TransactionBehavior,
    params,
};

use super::{
    AccountFilter, EventFilter, NewCredential, OpenMode, Opened, SealedSecret, Spend, Store, Tx,
};
use crate::clock::Timestamp;
use crate::crypto::KeyId;
use crate::exit::{Failure, database, refused};
use crate::model::{
    Account, AccountRecord, CredentialRow, Event, Org, OrgSummary, RecoveryCandidate,
};
use crate::policy::{Credential, Policy, State};
use crate::recovery::HashedCode;

/// Append-only: schema version N is the N-th entry. Never change or reorder an entry.
const MIGRATIONS: &[&str] = &[include_str!("migrations/sqlite/001_initial.sql")];

const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// The page cache of a connection that writes, in KiB as `PRAGMA cache_size` takes it
/// (negative): 256 MiB at most, used only as a bulk change touches pages.
const WRITE_CACHE_KIB: i64 = -256 * 1024;
/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 64;

/// Maps rusqlite errors to a database failure (exit 6) that says what failed.
trait Db<T> {
    fn db(self, what: &str) -> Result<T>;
}

impl<T> Db<T> for rusqlite::Result<T> {
    fn db(self, what: &str) -> Result<T> {
        self.map_err(|e| {
            let hint = match e.sqlite_error_code() {
                Some(ErrorCode::ReadOnly) => " (the database is read-only)",
                Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
                    " (another process held the database too long; try again)"
                }
                Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => {
                    " (the file is not an SQLite database, or it is corrupt)"
                }
                Some(ErrorCode::DiskFull) => " (the disk is full)",
                _ => "",
            };
            Failure::Database(format!("{what}: {e}{hint}")).into()
        })
    }
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}

pub struct SqliteStore {
    conn: Connection,
    /// Whether the page cache has been grown for writing.
    write_cache: bool,
}

impl SqliteStore {
    pub fn open(path: &Path, mode: OpenMode) -> Result<(Self, Opened)> {
        let shown = path.display();
        let exists = path.exists();
        if !exists && mode == OpenMode::Existing {
            return Err(database(format!(
                "no account database at {shown} (create it with 'twofa init')"
            )));
        }
        let mut created = false;
        if !exists {
            // Create the file ourselves so that it is 0600 from its first byte.
            match OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
            {
                Ok(_) => created = true,
                // Another twofa created it a moment ago: set it up together (below).
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(database(format!("cannot create database {shown}: {e}"))),
            }
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .db(&format!("cannot open database {shown}"))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .db("cannot set the busy timeout")?;
        // Every statement of a command (and of a bulk run's loop) stays prepared.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        conn.pragma_update(None, "foreign_keys", true)
            .db(&format!("cannot open database {shown}"))?;
        // Reading the schema is the first real access: a file that is not a database, or
        // is corrupt, fails here. An empty database (no schema at all) is a new one: this
        // process's, or another twofa's that is setting it up at the same moment.
        // One statement, so that both answers come from one snapshot.
        let (has_tables, empty): (bool, bool) = conn
            .query_row(
                &format!("SELECT {HAS_TABLES}, NOT EXISTS (SELECT 1 FROM sqlite_master)"),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .db(&format!("cannot read database {shown}"))?;
        if !has_tables && (mode == OpenMode::Existing || (!empty && mode != OpenMode::Init)) {
            return Err(database(format!(
                "{shown} has no twofa tables (add them with 'twofa --db {shown} init')"
            )));
        }
        if empty {
            to_wal(&conn)?;
        }
        let wal: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .db("cannot read the journal mode")?;
        if wal.eq_ignore_ascii_case("wal") {
            // In WAL mode NORMAL loses at most the last transactions on power loss, never
            // consistency; see BENCHMARKS.md.
            conn.pragma_update(None, "synchronous", "NORMAL")
                .db("cannot set synchronous")?;
        }
        let mut store = SqliteStore {
            conn,
            write_cache: false,
        };
        let opened = Opened {
            created,
            initialised: !created && !has_tables,
        };
        store.migrate(has_tables, &shown.to_string())?;
        Ok((store, opened))
    }

    fn migrate(&mut self, has_tables: bool, shown: &str) -> Result<()> {
        let latest = MIGRATIONS.len() as i64;
        if has_tables && schema_version(&self.conn)? == latest {
            // Current: no need for the write lock (a reader must not wait for a writer).
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db(&format!("cannot lock database {shown}"))?;
        // Read again under the lock: another twofa may have migrated in the meantime.
        let has_tables = has_twofa_tables(&tx, shown)?;
        let current: i64 = if has_tables { schema_version(&tx)? } else { 0 };
        if current > latest {
            return Err(database(format!(
                "{shown} has twofa schema version {current}, newer than this twofa knows ({latest}); upgrade twofa"
            )));
        }
        if current == latest {
            return Ok(());
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            tx.execute_batch(sql)
                .db(&format!("cannot apply migration {}", i + 1))?;
        }
        tx.execute(
            "INSERT INTO twofa_meta (key, value) VALUES ('schema_version', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [latest.to_string()],
        )
        .db("cannot record the schema version")?;
        tx.commit().db("cannot commit the migration")?;
        Ok(())
    }
}

/// The email parameter of a join. A bare `?1` compared with a column of a join makes SQLite
/// mark the statement as depending on the parameter's value, so that the statement cache
/// (which clears bindings) re-prepares it on every use: 2000 parses for a 2000-account bulk
/// reset. The cast keeps the plan (the email index) and the statement prepared.
const EMAIL_PARAM: &str = "CAST(?1 AS TEXT)";

/// Switches a new database to WAL. Two twofa setting up one new file at once may both ask:
/// SQLite answers the one that waits for the other "busy" at once, without its busy
/// handler, so this waits and asks again (at most the busy timeout).
fn to_wal(conn: &Connection) -> Result<()> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(e)
                if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            other => return other.db("cannot switch the new database to WAL"),
        }
    }
}

/// Whether the database holds twofa's tables (an SQL expression).
const HAS_TABLES: &str =
    "EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'twofa_meta')";

fn has_twofa_tables(conn: &Connection, shown: &str) -> Result<bool> {
    conn.query_row(&format!("SELECT {HAS_TABLES}"), [], |r| r.get(0))
        .db(&format!("cannot read database {shown}"))
}

/// The schema version recorded in `twofa_meta` (0 when there is none).
fn schema_version(conn: &Connection) -> Result<i64> {
    let v = meta_value(conn, "schema_version").db("cannot read the schema version")?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

const ACCOUNT_COLUMNS: &str =
    "a.id, a.email, o.slug, a.name, a.created_at, a.failed_attempts, a.locked_until,
     o.require_2fa, o.grace_days, o.policy_since";

fn account_from_row(r: &Row<'_>) -> rusqlite::Result<Account> {
    let required: Option<bool> = r.get(7)?;
    Ok(Account {
        id: r.get(0)?,
        email: r.get(1)?,
        org: r.get(2)?,
        name: r.get(3)?,
        created_at: r.get(4)?,
        failed_attempts: r.get(5)?,
        locked_until: r.get(6)?,
        policy: match required {
            Some(required) => Some(Policy {
                required,
                grace_days: r.get(8)?,
                since: r.get(9)?,
            }),
            None => None,
        },
    })
}

fn credential_state(state: Option<String>, expires_at: Option<Timestamp>) -> Option<Credential> {
    match state.as_deref() {
        Some("enabled") => Some(Credential::Enabled),
        Some("pending") => Some(Credential::Pending {
            expires_at: expires_at.unwrap_or(0),
        }),
        _ => None,
    }
}

/// One account with everything `status` and `audit` show, in one statement. Recovery codes
/// are counted only where 2FA is enabled (nobody shows them otherwise), which spares an
/// index search for every other account.
const RECORD_SELECT: &str =
    "SELECT a.id, a.email, o.slug, a.name, a.created_at, a.failed_attempts, a.locked_until,
     o.require_2fa, o.grace_days, o.policy_since,
     c.state, c.expires_at, c.enrolled_at, c.last_used_at,
     CASE WHEN c.state = 'enabled' THEN
       (SELECT count(*) FROM twofa_recovery_codes r WHERE r.account_id = a.id AND r.used_at IS NULL)
     ELSE 0 END
 FROM twofa_accounts a
 LEFT JOIN twofa_orgs o ON o.id = a.org_id
 LEFT JOIN twofa_credentials c ON c.account_id = a.id";

fn record_from_row(r: &Row<'_>) -> rusqlite::Result<AccountRecord> {
    Ok(AccountRecord {
        account: account_from_row(r)?,
        credential: credential_state(r.get(10)?, r.get(11)?),
        enrolled_at: r.get(12)?,
        last_used_at: r.get(13)?,
        recovery_codes_left: r.get(14)?,
    })
}

fn org_from_row(r: &Row<'_>) -> rusqlite::Result<Org> {
    Ok(Org {
        id: r.get(0)?,
        slug: r.get(1)?,
        name: r.get(2)?,
        policy: Policy {
            required: r.get(3)?,
            grace_days: r.get(4)?,
            since: r.get(5)?,
        },
    })
}

const ORG_SELECT: &str =
    "SELECT id, slug, name, require_2fa, grace_days, policy_since FROM twofa_orgs";

fn query_org(conn: &Connection, slug: &str) -> Result<Option<Org>> {
    conn.prepare_cached(&format!("{ORG_SELECT} WHERE slug = ?1"))
        .and_then(|mut s| s.query_row([slug], org_from_row).optional())
        .db("cannot read organisation")
}

fn query_account(conn: &Connection, email: &str) -> Result<Option<Account>> {
    conn.prepare_cached(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM twofa_accounts a LEFT JOIN twofa_orgs o ON o.id = a.org_id WHERE a.email = {EMAIL_PARAM}"
    ))
    .and_then(|mut s| s.query_row([email], account_from_row).optional())
    .db("cannot read account")
}

fn query_credential(conn: &Connection, account_id: i64) -> Result<Option<CredentialRow>> {
    conn.prepare_cached(
        "SELECT state, expires_at, secret, enrolled_at, last_step, last_used_at
         FROM twofa_credentials WHERE account_id = ?1",
    )
    .and_then(|mut s| {
        s.query_row([account_id], |r| {
            Ok(CredentialRow {
                state: credential_state(r.get(0)?, r.get(1)?).unwrap_or(Credential::Enabled),
                sealed_secret: r.get(2)?,
                enrolled_at: r.get(3)?,
                last_step: r.get::<_, Option<i64>>(4)?.map(|s| s as u64),
                last_used_at: r.get(5)?,
            })
        })
        .optional()
    })
    .db("cannot read credential")
}

/// A row of `twofa_meta`, through one cached statement for every key (a verify reads four).
fn meta_value(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT value FROM twofa_meta WHERE key = ?1")
        .and_then(|mut s| s.query_row([key], |r| r.get(0)).optional())
}

fn query_key_id(conn: &Connection) -> Result<Option<KeyId>> {
    let hex = meta_value(conn, "key_id").db("cannot read the key id")?;
    Ok(hex.and_then(|h| {
        let bytes: Vec<u8> = (0..h.len())
            .step_by(2)
            .filter_map(|i| h.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
            .collect();
        bytes.try_into().ok()
    }))
}

impl Store for SqliteStore {
    fn key_id(&mut self) -> Result<Option<KeyId>> {
        query_key_id(&self.conn)
    }

    fn meta(&mut self, key: &str) -> Result<Option<String>> {
        meta_value(&self.conn, key).db("cannot read twofa_meta")
    }

    fn sealed_without(&mut self, key: KeyId, limit: u32) -> Result<Vec<SealedSecret>> {
        self.conn
            .prepare_cached(
                "SELECT account_id, secret FROM twofa_credentials
                 WHERE substr(secret, 2, 4) <> ?1 ORDER BY account_id LIMIT ?2",
            )
            .and_then(|mut s| {
                s.query_map(params![key.as_slice(), limit], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect()
            })
            .db("cannot read the secrets")
    }

    fn begin(&mut self) -> Result<Box<dyn Tx + '_>> {
        if !self.write_cache {
            // Bulk writes (import, bulk reset) insert into indexes in random order: with
            // SQLite's default 2 MiB cache every insert re-reads and spills pages. Pages are
            // allocated as they are used, so a one-account change stays small; reads (audit)
            // keep the default and their flat memory.
            self.conn
                .pragma_update(None, "cache_size", WRITE_CACHE_KIB)
                .db("cannot size the page cache")?;
            self.write_cache = true;
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db("cannot begin a transaction")?;
        Ok(Box::new(SqliteTx {
            tx,
            events: Vec::new(),
        }))
    }

    fn org(&mut self, slug: &str) -> Result<Option<Org>> {
        query_org(&self.conn, slug)
    }

    fn orgs(&mut self) -> Result<Vec<OrgSummary>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT o.id, o.slug, o.name, o.require_2fa, o.grace_days, o.policy_since,
                        (SELECT count(*) FROM twofa_accounts a WHERE a.org_id = o.id),
                        (SELECT count(*) FROM twofa_accounts a JOIN twofa_credentials c
                           ON c.account_id = a.id AND c.state = 'enabled' WHERE a.org_id = o.id)
                 FROM twofa_orgs o ORDER BY o.slug",
            )
            .db("cannot list organisations")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(OrgSummary {
                    org: org_from_row(r)?,
                    accounts: r.get::<_, i64>(6)? as u64,
                    enabled: r.get::<_, i64>(7)? as u64,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .db("cannot list organisations")?;
        Ok(rows)
    }

    fn account(&mut self, email: &str) -> Result<Option<Account>> {
        query_account(&self.conn, email)
    }

    fn record(&mut self, email: &str) -> Result<Option<AccountRecord>> {
        self.conn
            .prepare_cached(&format!("{RECORD_SELECT} WHERE a.email = {EMAIL_PARAM}"))
            .and_then(|mut s| s.query_row([email], record_from_row).optional())
            .db("cannot read account")
    }

    fn records(
        &mut self,
        filter: &AccountFilter,
        each: &mut dyn FnMut(AccountRecord) -> Result<()>,
    ) -> Result<()> {
        let mut sql = format!("{RECORD_SELECT} WHERE 1 = 1");
        if filter.org.is_some() {
            sql.push_str(" AND o.slug = ?1");
        }
        if filter.required_only {
            sql.push_str(" AND o.require_2fa = 1");
        }
        match filter.state {
            None => {}
            Some(State::Enabled) => sql.push_str(" AND c.state = 'enabled'"),
            Some(State::Pending) => {
                sql.push_str(" AND c.state = 'pending' AND c.expires_at > ?2");
            }
            Some(State::Disabled) => sql
                .push_str(" AND (c.state IS NULL OR (c.state = 'pending' AND c.expires_at <= ?2))"),
        }
        sql.push_str(" ORDER BY a.email");
        let mut stmt = self.conn.prepare(&sql).db("cannot read accounts")?;
        let uses_now = matches!(filter.state, Some(State::Pending | State::Disabled));
        let org = filter.org.as_deref().unwrap_or("");
        let mut rows = match (filter.org.is_some(), uses_now) {
            (true, true) => stmt.query(params![org, filter.now]),
            (true, false) => stmt.query(params![org]),
            (false, true) => stmt.query(params![rusqlite::types::Null, filter.now]),
            (false, false) => stmt.query([]),
        }
        .db("cannot read accounts")?;
        while let Some(row) = rows.next().db("cannot read accounts")? {
            each(record_from_row(row).db("cannot read accounts")?)?;
        }
        Ok(())
    }

    fn credential(&mut self, account_id: i64) -> Result<Option<CredentialRow>> {
        query_credential(&self.conn, account_id)
    }

    fn recovery_candidates(
        &mut self,
        account_id: i64,
        lookup: &str,
    ) -> Result<Vec<RecoveryCandidate>> {
        self.conn
            .prepare_cached(
                "SELECT id, hash, used_at IS NOT NULL FROM twofa_recovery_codes
                 WHERE account_id = ?1 AND lookup = ?2",
            )
            .and_then(|mut s| {
                s.query_map(params![account_id, lookup], |r| {
                    Ok(RecoveryCandidate {
                        id: r.get(0)?,
                        hash: r.get(1)?,
                        used: r.get(2)?,
                    })
                })?
                .collect()
            })
            .db("cannot read recovery codes")
    }

    fn secrets(&mut self, each: &mut dyn FnMut(i64, &str, &[u8]) -> Result<()>) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT c.account_id, a.email, c.secret FROM twofa_credentials c
                 JOIN twofa_accounts a ON a.id = c.account_id ORDER BY c.account_id",
            )
            .db("cannot read the secrets")?;
        let mut rows = stmt.query([]).db("cannot read the secrets")?;
        while let Some(r) = rows.next().db("cannot read the secrets")? {
            let id: i64 = r.get(0).db("cannot read the secrets")?;
            let email: String = r.get(1).db("cannot read the secrets")?;
            let sealed = r
                .get_ref(2)
                .and_then(|v| Ok(v.as_blob()?))
                .db("cannot read the secrets")?;
            each(id, &email, sealed)?;
        }
        Ok(())
    }

    fn events(
        &mut self,
        filter: &EventFilter,
        each: &mut dyn FnMut(Event) -> Result<()>,
    ) -> Result<()> {
        // Only the conditions in use: `(?1 IS NULL OR email = ?1)` kept SQLite from the
        // (email, id) index, so `log --user` read the whole log. Unused parameters are
        // still bound (SQLite counts up to the highest number), and ignored.
        let mut sql =
            String::from("SELECT at, actor, action, email, org, detail FROM twofa_events WHERE 1");
        if filter.email.is_some() {
            sql.push_str(" AND email = ?1");
        }
        if filter.since.is_some() {
            sql.push_str(" AND at >= ?2");
        }
        sql.push_str(" ORDER BY id DESC LIMIT ?3");
        let mut stmt = self.conn.prepare(&sql).db("cannot read the event log")?;
        let limit = filter.limit.map_or(-1, |l| l.min(i64::MAX as u64) as i64);
        let mut rows = stmt
            .query(params![filter.email, filter.since, limit])
            .db("cannot read the event log")?;
        while let Some(r) = rows.next().db("cannot read the event log")? {
            let event = (|| {
                Ok::<_, rusqlite::Error>(Event {
                    at: r.get(0)?,
                    actor: r.get(1)?,
                    action: r.get(2)?,
                    email: r.get(3)?,
                    org: r.get(4)?,
                    detail: r.get(5)?,
                })
            })()
            .db("cannot read the event log")?;
            each(event)?;
        }
        Ok(())
    }
}

struct SqliteTx<'c> {
    tx: Transaction<'c>,
    events: Vec<Event>,
}

impl SqliteTx<'_> {
    fn exec(&self, what: &str, sql: &str, params: impl rusqlite::Params) -> Result<usize> {
        self.tx
            .prepare_cached(sql)
            .and_then(|mut s| s.execute(params))
            .db(what)
    }
}

impl Tx for SqliteTx<'_> {
    fn claim_key_id(&mut self, id: KeyId) -> Result<bool> {
        let hex = crate::crypto::key_id_hex(&id);
        let added = self.exec(
            "cannot record the key id",
            "INSERT INTO twofa_meta (key, value) VALUES ('key_id', ?1) ON CONFLICT (key) DO NOTHING",
            [hex],
        )?;
        Ok(added == 1)
    }

    fn set_key_id(&mut self, id: KeyId) -> Result<()> {
        let hex = crate::crypto::key_id_hex(&id);
        self.exec(
            "cannot record the key id",
            "INSERT INTO twofa_meta (key, value) VALUES ('key_id', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [hex],
        )?;
        Ok(())
    }

    fn set_meta(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(v) => self.exec(
                "cannot write twofa_meta",
                "INSERT INTO twofa_meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, v],
            )?,
            None => self.exec(
                "cannot write twofa_meta",
                "DELETE FROM twofa_meta WHERE key = ?1",
                [key],
            )?,
        };
        Ok(())
    }

    fn reseal(&mut self, account_id: i64, old: &[u8], new: &[u8]) -> Result<bool> {
        let n = self.exec(
            "cannot store the resealed secret",
            "UPDATE twofa_credentials SET secret = ?3 WHERE account_id = ?1 AND secret = ?2",
            params![account_id, old, new],
        )?;
        Ok(n == 1)
    }

    fn any_sealed_without(&mut self, key: KeyId) -> Result<bool> {
        self.tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM twofa_credentials WHERE substr(secret, 2, 4) <> ?1)",
            )
            .and_then(|mut s| s.query_row([key.as_slice()], |r| r.get(0)))
            .db("cannot read the secrets")
    }

    fn org(&mut self, slug: &str) -> Result<Option<Org>> {
        query_org(&self.tx, slug)
    }

    fn add_org(&mut self, slug: &str, name: Option<&str>, now: Timestamp) -> Result<i64> {
        match self
            .tx
            .prepare_cached("INSERT INTO twofa_orgs (slug, name, created_at) VALUES (?1, ?2, ?3)")
            .and_then(|mut s| s.insert(params![slug, name, now]))
        {
            Err(e) if is_unique_violation(&e) => {
                Err(refused(format!("organisation '{slug}' already exists")))
            }
            other => other.db("cannot add organisation"),
        }
    }

    fn set_policy(&mut self, org_id: i64, policy: &Policy) -> Result<()> {
        self.exec(
            "cannot change the policy",
            "UPDATE twofa_orgs SET require_2fa = ?2, grace_days = ?3, policy_since = ?4 WHERE id = ?1",
            params![org_id, policy.required, policy.grace_days, policy.since],
        )?;
        Ok(())
    }

    fn account(&mut self, email: &str) -> Result<Option<Account>> {
        query_account(&self.tx, email)
    }

    fn add_account(
        &mut self,
        email: &str,
        org_id: Option<i64>,
        name: Option<&str>,
        now: Timestamp,
    ) -> Result<i64> {
        match self
            .tx
            .prepare_cached(
                "INSERT INTO twofa_accounts (email, org_id, name, created_at) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| s.insert(params![email, org_id, name, now]))
        {
            Err(e) if is_unique_violation(&e) => {
                Err(refused(format!("account {email} already exists")))
            }
            other => other.db("cannot add account"),
        }
    }

    fn credential(&mut self, account_id: i64) -> Result<Option<CredentialRow>> {
        query_credential(&self.tx, account_id)
    }

    fn start_enrollment(&mut self, account_id: i64, c: &NewCredential<'_>) -> Result<()> {
        self.exec(
            "cannot remove the old recovery codes",
            "DELETE FROM twofa_recovery_codes WHERE account_id = ?1",
            [account_id],
        )?;
        self.exec(
            "cannot store the enrollment",
            "INSERT OR REPLACE INTO twofa_credentials
               (account_id, state, secret, created_at, expires_at, enrolled_at, last_step, last_used_at)
             VALUES (?1, 'pending', ?2, ?3, ?4, NULL, NULL, NULL)",
            params![account_id, c.sealed_secret, c.created_at, c.expires_at],
        )?;
        Ok(())
    }

    fn confirm(&mut self, account_id: i64, step: u64, now: Timestamp) -> Result<()> {
        self.exec(
            "cannot confirm the enrollment",
            "UPDATE twofa_credentials SET state = 'enabled', expires_at = NULL, enrolled_at = ?2,
                    last_step = ?3
             WHERE account_id = ?1 AND state = 'pending'",
            params![account_id, now, step as i64],
        )?;
        self.exec(
            "cannot reset the failure count",
            "UPDATE twofa_accounts SET failed_attempts = 0, locked_until = NULL WHERE id = ?1",
            [account_id],
        )?;
        Ok(())
    }

    fn accept_step(&mut self, account_id: i64, step: u64, now: Timestamp) -> Result<bool> {
        let n = self.exec(
            "cannot record the accepted code",
            "UPDATE twofa_credentials SET last_step = ?2, last_used_at = ?3
             WHERE account_id = ?1 AND state = 'enabled' AND (last_step IS NULL OR last_step < ?2)",
            params![account_id, step as i64, now],
        )?;
        Ok(n == 1)
    }

    fn set_failures(
        &mut self,
        account_id: i64,
        failed: u32,
        locked_until: Option<Timestamp>,
    ) -> Result<()> {
        self.exec(
            "cannot count the failed attempt",
            "UPDATE twofa_accounts SET failed_attempts = ?2, locked_until = ?3 WHERE id = ?1",
            params![account_id, failed, locked_until],
        )?;
        Ok(())
    }

    fn clear_failures(&mut self, account_id: i64) -> Result<bool> {
        let n = self.exec(
            "cannot clear the failure count",
            "UPDATE twofa_accounts SET failed_attempts = 0, locked_until = NULL
             WHERE id = ?1 AND (failed_attempts <> 0 OR locked_until IS NOT NULL)",
            [account_id],
        )?;
        Ok(n == 1)
    }

    fn remove_credential(&mut self, account_id: i64) -> Result<bool> {
        self.exec(
            "cannot remove the recovery codes",
            "DELETE FROM twofa_recovery_codes WHERE account_id = ?1",
            [account_id],
        )?;
        let n = self.exec(
            "cannot remove the credential",
            "DELETE FROM twofa_credentials WHERE account_id = ?1",
            [account_id],
        )?;
        Ok(n == 1)
    }

    fn replace_recovery_codes(
        &mut self,
        account_id: i64,
        codes: &[HashedCode],
        now: Timestamp,
    ) -> Result<()> {
        self.exec(
            "cannot remove the old recovery codes",
            "DELETE FROM twofa_recovery_codes WHERE account_id = ?1",
            [account_id],
        )?;
        for c in codes {
            self.exec(
                "cannot store a recovery code",
                "INSERT INTO twofa_recovery_codes (account_id, lookup, hash, created_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![account_id, c.lookup, c.hash, now],
            )?;
        }
        Ok(())
    }

    fn spend_recovery_code(&mut self, code_id: i64, now: Timestamp) -> Result<Spend> {
        let n = self.exec(
            "cannot spend the recovery code",
            "UPDATE twofa_recovery_codes SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL",
            params![code_id, now],
        )?;
        if n == 1 {
            return Ok(Spend::Spent);
        }
        let exists: bool = self
            .tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM twofa_recovery_codes WHERE id = ?1)")
            .and_then(|mut s| s.query_row([code_id], |r| r.get(0)))
            .db("cannot read the recovery code")?;
        Ok(if exists {
            Spend::AlreadySpent
        } else {
            Spend::Gone
        })
    }

    fn recovery_codes_left(&mut self, account_id: i64) -> Result<u32> {
        self.tx
            .prepare_cached(
                "SELECT count(*) FROM twofa_recovery_codes WHERE account_id = ?1 AND used_at IS NULL",
            )
            .and_then(|mut s| s.query_row([account_id], |r| r.get(0)))
            .db("cannot count recovery codes")
    }

    fn log(&mut self, e: Event) -> Result<()> {
        self.exec(
            "cannot write the event log",
            "INSERT INTO twofa_events (at, actor, action, email, org, detail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![e.at, e.actor, e.action, e.email, e.org, e.detail],
        )?;
        self.events.push(e);
        Ok(())
    }

    fn commit(self: Box<Self>) -> Result<Vec<Event>> {
        let SqliteTx { tx, events } = *self;
        tx.commit().db("cannot commit")?;
        Ok(events)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_twice_is_a_no_op() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let (_, opened) = SqliteStore::open(&path, OpenMode::Create).unwrap();
        assert!(opened.created);
        let (mut s, opened) = SqliteStore::open(&path, OpenMode::Existing).unwrap();
        assert!(!opened.created && !opened.initialised);
        let v: String = s
            .conn
            .query_row(
                "SELECT value FROM twofa_meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(v, MIGRATIONS.len().to_string());
        let uv: i64 = s
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(uv, 0, "user_version belongs to the application");
        assert!(s.begin().is_ok());
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let (s, _) = SqliteStore::open(&path, OpenMode::Create).unwrap();
        s.conn
            .execute(
                "UPDATE twofa_meta SET value = '999' WHERE key = 'schema_version'",
                [],
            )
            .unwrap();
        drop(s);
        let err = SqliteStore::open(&path, OpenMode::Existing).err().unwrap();
        assert!(format!("{err:#}").contains("newer"));
    }
}
