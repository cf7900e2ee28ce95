//! The MySQL and MariaDB backend (the synchronous `mysql` client): twofa's tables are
//! `twofa_*` in the application's own database (InnoDB, utf8mb4, text keys compared
//! bytewise with `utf8mb4_bin`), and nothing else there is touched.
//!
//! The guarantees are PostgreSQL's, reached the same way: a [`Tx`] is a READ COMMITTED
//! transaction that first locks twofa's `schema_version` row of `twofa_meta` (`SELECT …
//! FOR UPDATE`), so that write transactions take turns and events are chained one
//! transaction at a time, and whose [`AccountReads::account`] locks the account row; each
//! statement reads what the transactions before it committed. A recovery code is spent by
//! a conditional `UPDATE … WHERE used_at IS NULL`. Reads outside a transaction see one
//! snapshot per statement; [`Backend::snapshot`] is a consistent-snapshot REPEATABLE READ
//! transaction. Lists stream row by row, never held whole.
//!
//! Statements are written with numbered parameters (`?1`, as SQLite's); [`positional`]
//! turns them into the server's `?` and the arguments into its order. An `INSERT` that the
//! store reads as a query (an `… RETURNING id` elsewhere) returns the id it inserted, if
//! it inserted a row.
//!
//! [`Tx`]: super::Tx
//! [`AccountReads::account`]: super::AccountReads::account

use std::borrow::Cow;

use ::mysql::consts::ColumnType;
use ::mysql::prelude::Queryable;
use ::mysql::{AccessMode, IsolationLevel, Params, Row, Transaction, TxOpts};
use anyhow::Result;

mod source;
mod sql;
mod url;

use super::conn::{Arg, Backend, Columns, Commit, Conn, Db, Describe, Each, Query, Value};
use super::migrate::{self, OpenMode, Opened, Schema, SchemaTx};
use super::sql::Sql;
use crate::exit::database;
pub use source::MySource;
pub(super) use sql::SQL;
pub use url::is_url;

// `MIGRATIONS`, from `migrations/mysql/`.
migrate::migrations!("mysql");

/// The binary character set's number: a column of bytes, not of text.
const BINARY: u16 = 63;

/// What went wrong, with the server's message (never the URL, so never a password).
impl Describe for ::mysql::Error {
    fn server_message(&self) -> Option<String> {
        let ::mysql::Error::MySqlError(e) = self else {
            return None;
        };
        let hint = match e.code {
            1044 | 1142 | 1143 | 1227 | 1419 => {
                " (the database user lacks a privilege twofa needs: CREATE, ALTER, INDEX, \
                 TRIGGER, SELECT, INSERT, UPDATE and DELETE on twofa's tables)"
            }
            1045 => " (check the user and the password: the URL's, else MYSQL_PWD)",
            1049 => " (create the database first: twofa adds its tables to an existing database)",
            1205 => " (another session held the account too long; try again)",
            1213 => " (a deadlock with another session; try again)",
            1040 | 1203 => " (the server has no connection to spare)",
            1290 | 1792 | 1836 => " (the server or the transaction is read-only, a replica?)",
            1021 | 1114 => " (the server's disk or table is full)",
            _ => "",
        };
        Some(format!("{}{hint}", e.message))
    }
}

fn describe(e: &::mysql::Error) -> String {
    Describe::describe(e)
}

/// The URL with any password replaced by `***`, for messages.
pub fn redact(target: &str) -> String {
    let Some(scheme_end) = target.find("://").map(|i| i + 3) else {
        return target.to_string();
    };
    let rest = &target[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => match rest[..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &target[..scheme_end], &rest[at..]),
            None => target.to_string(),
        },
        None => target.to_string(),
    }
}

/// Connects to `url`: TLS as `ssl-mode` says (`preferred` falls back to plain TCP when the
/// server offers no TLS); returns the connection and the URL as messages show it.
fn connect(url: &str) -> Result<(::mysql::Conn, String)> {
    let shown = redact(url);
    let target = url::parse(url, &shown)?;
    let attempt = |mode| {
        let opts = target.opts.clone().ssl_opts(target.ssl(mode));
        ::mysql::Conn::new(opts)
    };
    let conn = match attempt(target.mode) {
        Err(::mysql::Error::DriverError(::mysql::DriverError::TlsNotSupported))
            if target.mode == url::Mode::Preferred =>
        {
            attempt(url::Mode::Disabled)
        }
        other => other,
    };
    let conn =
        conn.map_err(|e| database(format!("cannot connect to {shown}: {}", describe(&e))))?;
    Ok((conn, shown))
}

pub struct MyStore {
    conn: ::mysql::Conn,
    keep_events: bool,
}

impl MyStore {
    pub fn open(url: &str, mode: OpenMode) -> Result<(Self, Opened)> {
        let (conn, shown) = connect(url)?;
        let mut store = MyStore {
            conn,
            keep_events: true,
        };
        let not_created = Opened {
            created: false,
            initialised: false,
        };
        if mode == OpenMode::ReadOnly {
            migrate::check_current(&mut store.conn, &MIGRATIONS, &shown)?;
            return Ok((store, not_created));
        }
        if mode == OpenMode::Existing && Schema::version(&mut store.conn)?.is_none() {
            return Err(database(format!(
                "{shown} has no twofa tables (add them with 'twofa --db {shown} init')"
            )));
        }
        let found = migrate::migrate(&mut store.conn, &MIGRATIONS, &SQL, &shown)?;
        let opened = Opened {
            created: false,
            initialised: found.is_none(),
        };
        Ok((store, opened))
    }
}

/// `sql` with numbered parameters (`?1`, `?2`: any number of times, in any order) as the
/// server's positional `?`, and the number (from 0) of the argument each `?` takes. Quoted
/// text and names are left as they are.
fn positional(sql: &str) -> (Cow<'_, str>, Vec<usize>) {
    if !sql.contains('?') {
        return (Cow::Borrowed(sql), Vec::new());
    }
    let mut out = String::with_capacity(sql.len());
    let mut order = Vec::new();
    let mut chars = sql.char_indices().peekable();
    let mut quote = None;
    while let Some((_, c)) = chars.next() {
        out.push(c);
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '?') => {
                let mut n = 0usize;
                while let Some((_, d)) = chars.peek().filter(|(_, d)| d.is_ascii_digit()) {
                    n = n * 10 + d.to_digit(10).unwrap_or(0) as usize;
                    chars.next();
                }
                order.push(n.saturating_sub(1));
            }
            _ => {}
        }
    }
    (Cow::Owned(out), order)
}

fn value(a: &Arg<'_>) -> ::mysql::Value {
    use ::mysql::Value as V;
    match *a {
        Arg::Int(v) => v.map_or(V::NULL, V::Int),
        Arg::Text(v) => v.map_or(V::NULL, |v| V::Bytes(v.as_bytes().to_vec())),
        Arg::Bytes(v) => V::Bytes(v.to_vec()),
        Arg::Flag(v) => V::Int(i64::from(v)),
    }
}

impl Columns for Row {
    fn get(&self, i: usize) -> Result<Value> {
        use ::mysql::Value as V;
        let column = self.columns_ref().get(i);
        let bad = || database(format!("cannot read result column {i}"));
        Ok(match self.as_ref(i).ok_or_else(bad)? {
            V::NULL => Value::Null,
            V::Int(v) => Value::Int(*v),
            V::UInt(v) => Value::Int(i64::try_from(*v).map_err(|_| bad())?),
            V::Bytes(b) => {
                let column = column.ok_or_else(bad)?;
                match column.column_type() {
                    // Numbers the server sends as text (a sum is a DECIMAL).
                    ColumnType::MYSQL_TYPE_NEWDECIMAL
                    | ColumnType::MYSQL_TYPE_DECIMAL
                    | ColumnType::MYSQL_TYPE_LONGLONG
                    | ColumnType::MYSQL_TYPE_LONG
                    | ColumnType::MYSQL_TYPE_INT24
                    | ColumnType::MYSQL_TYPE_SHORT
                    | ColumnType::MYSQL_TYPE_TINY => Value::Int(
                        std::str::from_utf8(b)
                            .ok()
                            .and_then(|s| s.parse().ok())
                            .ok_or_else(bad)?,
                    ),
                    _ if column.character_set() == BINARY => Value::Bytes(b.clone()),
                    _ => Value::Text(String::from_utf8(b.clone()).map_err(|_| bad())?),
                }
            }
            _ => return Err(bad()),
        })
    }
}

/// Runs a statement on `c` (a connection or a transaction). The server's statement cache
/// of the client keeps it prepared. A query's rows go to `each` as they arrive: the client
/// reads the result from the socket row by row, so memory stays flat however many rows
/// there are.
fn run(c: &mut impl Queryable, q: Query<'_>, each: Option<Each<'_>>) -> Result<u64> {
    let (sql, order) = positional(q.sql);
    let params = if order.is_empty() {
        Params::Empty
    } else {
        Params::Positional(order.iter().map(|&i| value(&q.args[i])).collect())
    };
    let Some(each) = each else {
        let result = c.exec_iter(sql.as_ref(), params).db(q.what)?;
        return Ok(result.affected_rows());
    };
    let mut result = c.exec_iter(sql.as_ref(), params).db(q.what)?;
    if result.columns().as_ref().is_empty() {
        // An INSERT read as a query: the id it inserted, as `RETURNING id` would.
        if result.affected_rows() == 1
            && let Some(id) = result.last_insert_id().filter(|&id| id > 0)
        {
            let row = IdRow(i64::try_from(id).map_err(|_| database("an id out of range"))?);
            each(&row)?;
        }
        return Ok(0);
    }
    for row in result.by_ref() {
        let row = row.db(q.what)?;
        // An error from `each` drops the result, which reads the rest of it first.
        each(&row)?;
    }
    Ok(0)
}

/// The one column of an inserted row's id.
struct IdRow(i64);

impl Columns for IdRow {
    fn get(&self, i: usize) -> Result<Value> {
        match i {
            0 => Ok(Value::Int(self.0)),
            _ => Err(database(format!("no result column {i}"))),
        }
    }
}

impl Conn for MyStore {
    fn run(&mut self, q: Query<'_>, each: Option<Each<'_>>) -> Result<u64> {
        run(&mut self.conn, q, each)
    }
}

impl Conn for ::mysql::Conn {
    fn run(&mut self, q: Query<'_>, each: Option<Each<'_>>) -> Result<u64> {
        run(self, q, each)
    }
}

impl Conn for Transaction<'_> {
    fn run(&mut self, q: Query<'_>, each: Option<Each<'_>>) -> Result<u64> {
        run(self, q, each)
    }
}

impl Commit for Transaction<'_> {
    fn commit(self) -> Result<()> {
        Transaction::commit(self).db("cannot commit")
    }
}

/// Whether twofa's tables are there, and the schema version recorded; `None` without them.
fn stored_version(c: &mut impl Queryable) -> Result<Option<i64>> {
    let what = "cannot read the database";
    let tables: Option<i64> = c
        .query_first(
            "SELECT count(*) FROM information_schema.tables
             WHERE table_schema = DATABASE() AND table_name = 'twofa_meta'",
        )
        .db(what)?;
    if tables.unwrap_or(0) == 0 {
        return Ok(None);
    }
    let v: Option<String> = c
        .exec_first(
            "SELECT value FROM twofa_meta WHERE `key` = ?",
            ("schema_version",),
        )
        .db("cannot read the schema version")?;
    Ok(Some(v.and_then(|v| v.parse().ok()).unwrap_or(0)))
}

/// The lock (per database, for the session) that makes concurrent first runs migrate one
/// at a time.
const MIGRATION_LOCK: &str = "CONCAT('twofa_migrate.', DATABASE())";

impl Schema for ::mysql::Conn {
    type Tx<'t>
        = Migration<'t>
    where
        Self: 't;

    fn version(&mut self) -> Result<Option<i64>> {
        stored_version(self)
    }

    fn begin(&mut self) -> Result<Migration<'_>> {
        let locked: Option<Option<i64>> = self
            .query_first(format!("SELECT GET_LOCK({MIGRATION_LOCK}, 60)"))
            .db("cannot lock the database to migrate it")?;
        if locked.flatten() != Some(1) {
            return Err(database(
                "cannot lock the database to migrate it: another twofa held the lock for a minute",
            ));
        }
        Ok(Migration { conn: self })
    }
}

/// One migration: its statements (each of which commits, as DDL does in MySQL), then a
/// transaction that fills in what they added and records the version, all under the
/// migration lock, which ends with it.
pub(super) struct Migration<'c> {
    conn: &'c mut ::mysql::Conn,
}

impl Drop for Migration<'_> {
    fn drop(&mut self) {
        let _ = self.conn.query_drop("ROLLBACK");
        let _ = self
            .conn
            .query_drop(format!("DO RELEASE_LOCK({MIGRATION_LOCK})"));
    }
}

impl Conn for Migration<'_> {
    fn run(&mut self, q: Query<'_>, each: Option<Each<'_>>) -> Result<u64> {
        run(self.conn, q, each)
    }
}

impl Commit for Migration<'_> {
    fn commit(self) -> Result<()> {
        self.conn.query_drop("COMMIT").db("cannot commit")
    }
}

impl SchemaTx for Migration<'_> {
    fn version(&mut self) -> Result<Option<i64>> {
        stored_version(self.conn)
    }

    fn run_script(&mut self, number: usize, script: &str) -> Result<()> {
        let what = format!("cannot apply migration {number}");
        self.conn.query_drop(script).db(&what)?;
        self.conn.query_drop("START TRANSACTION").db(&what)
    }
}

/// The statement that makes a write transaction wait for the one before it to end.
const TAKE_TURN: &str = "SELECT value FROM twofa_meta WHERE `key` = 'schema_version' FOR UPDATE";

impl Backend for MyStore {
    type Tx<'t> = Transaction<'t>;
    const SQL: &'static Sql = &SQL;

    fn keep_events(&mut self) -> &mut bool {
        &mut self.keep_events
    }

    /// InnoDB's commits are durable when `innodb_flush_log_at_trx_commit` is 1 (its
    /// default), a setting of the whole server that a session cannot change: this checks
    /// it, and refuses to go on without it.
    fn sync_every_commit(&mut self) -> Result<()> {
        if !self.every_commit_synced()? {
            return Err(database(
                "the server's innodb_flush_log_at_trx_commit is not 1, so a commit may be lost \
                 in a crash: set it to 1 (the default) for verify --batch",
            ));
        }
        Ok(())
    }

    fn every_commit_synced(&mut self) -> Result<bool> {
        let v: Option<i64> = self
            .conn
            .query_first("SELECT @@innodb_flush_log_at_trx_commit")
            .db("cannot read innodb_flush_log_at_trx_commit")?;
        Ok(v == Some(1))
    }

    fn snapshot(&mut self) -> Result<Transaction<'_>> {
        let opts = TxOpts::default()
            .set_isolation_level(Some(IsolationLevel::RepeatableRead))
            .set_access_mode(Some(AccessMode::ReadOnly))
            .set_with_consistent_snapshot(true);
        self.conn
            .start_transaction(opts)
            .db("cannot begin a read transaction")
    }

    fn transaction(&mut self) -> Result<Transaction<'_>> {
        let opts = TxOpts::default().set_isolation_level(Some(IsolationLevel::ReadCommitted));
        let mut tx = self
            .conn
            .start_transaction(opts)
            .db("cannot begin a transaction")?;
        // Taken first, before any account row: a transaction that waited for it while
        // holding an account row could deadlock with one that holds it and wants that row.
        tx.query_drop(TAKE_TURN).db("cannot lock the event log")?;
        Ok(tx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_parameters_become_positional() {
        let (sql, order) = positional("SELECT ?2, '?1', `a?`, ?1 WHERE x = ?2 OR y = ?10");
        assert_eq!(sql, "SELECT ?, '?1', `a?`, ? WHERE x = ? OR y = ?");
        assert_eq!(order, [1, 0, 1, 9]);
        assert_eq!(positional("SELECT 1").1, Vec::<usize>::new());
    }

    #[test]
    fn redaction_hides_the_password_and_nothing_else() {
        assert_eq!(
            redact("mysql://app:s3cr%40t@db.example:3306/accounts?ssl-mode=required"),
            "mysql://app:***@db.example:3306/accounts?ssl-mode=required"
        );
        assert_eq!(redact("mariadb://app@db/a"), "mariadb://app@db/a");
        assert_eq!(redact("mysql://app:p:w@x@db/a"), "mysql://app:***@db/a");
        assert_eq!(redact("mysql://db/a"), "mysql://db/a");
    }

    #[test]
    fn migrations_touch_only_twofa_tables() {
        for sql in MIGRATIONS.list {
            for code in sql
                .lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join(" ")
                .split(';')
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                assert!(
                    code.contains("twofa_"),
                    "a statement names no twofa_ table: {code}"
                );
            }
        }
    }
}
