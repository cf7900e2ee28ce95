//! The SQLite backend (rusqlite, bundled SQLite): the embedded default.

use std::borrow::Cow;
use std::fs::OpenOptions;
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::Duration;

use anyhow::Result;
use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use rusqlite::{
    Connection, ErrorCode, OpenFlags, OptionalExtension, Row, Transaction, TransactionBehavior,
    params_from_iter,
};

mod source;
mod sql;

use super::conn::{Arg, Backend, Columns, Commit, Conn, Each, Query, Value, text_value_into};
use super::migrate::{self, OpenMode, Opened, Schema, SchemaTx};
use super::sql::Sql;
use crate::exit::{Failure, database};
pub use source::SqliteSource;
pub(super) use sql::SQL;

// `MIGRATIONS`, from `migrations/sqlite/`.
migrate::migrations!("sqlite");

const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// The page cache of a connection that writes, in KiB as `PRAGMA cache_size` takes it
/// (negative): 256 MiB at most, used only as a bulk change touches pages.
const WRITE_CACHE_KIB: i64 = -256 * 1024;
/// The page cache of a connection that mostly reads (SQLite's default size).
const SCAN_CACHE_KIB: i64 = -2000;
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

pub struct SqliteStore {
    conn: Connection,
    /// Whether the page cache has been grown for writing.
    write_cache: bool,
    /// Whether a write transaction grows the page cache (not for one that mostly reads).
    bulk_writes: bool,
    keep_events: bool,
}

impl SqliteStore {
    pub fn open(path: &Path, mode: OpenMode) -> Result<(Self, Opened)> {
        let shown = path.display();
        let exists = path.exists();
        if !exists && mode.must_exist() {
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
        // A command that only reads never opens the file for writing.
        let read_only = mode == OpenMode::ReadOnly;
        let conn = connect(path, read_only)?;
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
        if !has_tables && (mode.must_exist() || (!empty && mode != OpenMode::Init)) {
            return Err(database(format!(
                "{shown} has no twofa tables (add them with 'twofa --db {shown} init')"
            )));
        }
        if empty {
            // A new database is twofa's own file: never one another user put there.
            crate::owner::open_trusted(path, crate::owner::DATABASE)?;
            to_wal(&conn)?;
        }
        let wal: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .db("cannot read the journal mode")?;
        if wal.eq_ignore_ascii_case("wal") && !read_only {
            // In WAL mode NORMAL loses at most the last transactions on power loss, never
            // consistency; see BENCHMARKS.md.
            conn.pragma_update(None, "synchronous", "NORMAL")
                .db("cannot set synchronous")?;
        }
        let mut store = SqliteStore {
            conn,
            write_cache: false,
            bulk_writes: true,
            keep_events: true,
        };
        let opened = Opened {
            created,
            initialised: !created && !has_tables,
        };
        if mode == OpenMode::ReadOnly {
            migrate::check_current(&mut store.conn, &MIGRATIONS, &shown.to_string())?;
        } else {
            migrate::migrate(&mut store.conn, &MIGRATIONS, &SQL, &shown.to_string())?;
        }
        Ok((store, opened))
    }
}

/// A connection to the existing file at `path`, waiting up to [`BUSY_TIMEOUT`] for locks;
/// with `read_only`, one that never opens the file for writing (`SQLITE_OPEN_READ_ONLY`).
fn connect(path: &Path, read_only: bool) -> Result<Connection> {
    let access = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    };
    let conn = Connection::open_with_flags(path, access | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .db(&format!("cannot open database {}", path.display()))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .db("cannot set the busy timeout")?;
    Ok(conn)
}

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

/// The schema version recorded in `twofa_meta`; `None` without twofa tables.
fn stored_version(conn: &Connection) -> Result<Option<i64>> {
    let has_tables: bool = conn
        .query_row(&format!("SELECT {HAS_TABLES}"), [], |r| r.get(0))
        .db("cannot read the database")?;
    if !has_tables {
        return Ok(None);
    }
    let v: Option<String> = conn
        .prepare_cached(SQL.meta.meta)
        .and_then(|mut s| s.query_row(["schema_version"], |r| r.get(0)).optional())
        .db("cannot read the schema version")?;
    Ok(Some(v.and_then(|v| v.parse().ok()).unwrap_or(0)))
}

impl Schema for Connection {
    type Tx<'t> = Transaction<'t>;

    fn version(&mut self) -> Result<Option<i64>> {
        stored_version(self)
    }

    fn begin(&mut self) -> Result<Transaction<'_>> {
        self.transaction_with_behavior(TransactionBehavior::Immediate)
            .db("cannot lock the database to migrate it")
    }
}

impl SchemaTx for Transaction<'_> {
    fn version(&mut self) -> Result<Option<i64>> {
        stored_version(self)
    }

    fn run_script(&mut self, number: usize, script: &str) -> Result<()> {
        self.execute_batch(script)
            .db(&format!("cannot apply migration {number}"))
    }
}

impl Commit for Transaction<'_> {
    fn commit(self) -> Result<()> {
        Transaction::commit(self).db("cannot commit")
    }
}

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match *self {
            Arg::Int(Some(v)) => ToSqlOutput::Owned(SqlValue::Integer(v)),
            Arg::Int(None) | Arg::Text(None) => ToSqlOutput::Owned(SqlValue::Null),
            Arg::Text(Some(s)) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Arg::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            Arg::Flag(f) => ToSqlOutput::Owned(SqlValue::Integer(i64::from(f))),
        })
    }
}

impl Columns for Row<'_> {
    fn get(&self, i: usize) -> Result<Value> {
        // The message is made only on failure: this runs for every column of every row.
        let v = self
            .get_ref(i)
            .or_else(|e| Err(e).db(&format!("cannot read result column {i}")))?;
        Ok(match v {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(n) => Value::Int(n),
            ValueRef::Text(t) => Value::Text(text_of(t).into_owned()),
            ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
            ValueRef::Real(_) => {
                return Err(database(format!("unexpected real in result column {i}")));
            }
        })
    }

    fn text_into(&self, i: usize, buf: &mut String) -> Result<bool> {
        match self.get_ref(i) {
            Ok(ValueRef::Text(t)) => {
                buf.clear();
                buf.push_str(&text_of(t));
                Ok(true)
            }
            _ => text_value_into(Columns::get(self, i)?, i, buf),
        }
    }
}

/// Runs a statement through the connection's statement cache; a query's rows to `each` as
/// SQLite steps to them.
fn run(conn: &Connection, q: Query<'_>, each: Option<Each<'_>>) -> Result<u64> {
    let mut stmt = conn.prepare_cached(q.sql).db(q.what)?;
    let Some(each) = each else {
        let changed = stmt.execute(params_from_iter(q.args)).db(q.what)?;
        return Ok(changed as u64);
    };
    let mut rows = stmt.query(params_from_iter(q.args)).db(q.what)?;
    while let Some(row) = rows.next().db(q.what)? {
        each(row)?;
    }
    Ok(0)
}

impl Conn for SqliteStore {
    fn run(&mut self, q: Query<'_>, each: Option<Each<'_>>) -> Result<u64> {
        run(&self.conn, q, each)
    }
}

impl Conn for Transaction<'_> {
    fn run(&mut self, q: Query<'_>, each: Option<Each<'_>>) -> Result<u64> {
        run(self, q, each)
    }
}

/// Stored text as a string; bytes that are not UTF-8 become U+FFFD. (The check of valid
/// text is the fast one: `from_utf8_lossy` walks it in chunks.)
fn text_of(t: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(t) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(t),
    }
}

impl Backend for SqliteStore {
    type Tx<'t> = Transaction<'t>;
    const SQL: &'static Sql = &SQL;

    fn snapshot(&mut self) -> Result<Transaction<'_>> {
        // WAL: a deferred transaction reads one snapshot from its first read on, and
        // writers go on meanwhile.
        self.conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .db("cannot begin a read transaction")
    }

    fn transaction(&mut self) -> Result<Transaction<'_>> {
        if self.bulk_writes && !self.write_cache {
            // Bulk writes (import, bulk reset) insert into indexes in random order: with
            // SQLite's default 2 MiB cache every insert re-reads and spills pages. Pages are
            // allocated as they are used, so a one-account change stays small; reads (audit)
            // keep the default and their flat memory.
            self.conn
                .pragma_update(None, "cache_size", WRITE_CACHE_KIB)
                .db("cannot size the page cache")?;
            self.write_cache = true;
        }
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db("cannot begin a transaction")
    }

    fn keep_events(&mut self) -> &mut bool {
        &mut self.keep_events
    }

    fn mostly_reading(&mut self) -> Result<()> {
        // A scan through the 256 MiB cache would keep every page it read (153 MiB for the
        // sync of a million accounts); SQLite's own 2 MiB holds what the merge needs.
        self.bulk_writes = false;
        if self.write_cache {
            self.conn
                .pragma_update(None, "cache_size", SCAN_CACHE_KIB)
                .db("cannot size the page cache")?;
            self.write_cache = false;
        }
        Ok(())
    }

    fn sync_every_commit(&mut self) -> Result<()> {
        self.conn
            .pragma_update(None, "synchronous", "FULL")
            .db("cannot set synchronous")
    }

    fn every_commit_synced(&mut self) -> Result<bool> {
        // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
        let level: i64 = self
            .conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .db("cannot read synchronous")?;
        Ok(level >= 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

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
        assert_eq!(v, MIGRATIONS.list.len().to_string());
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
