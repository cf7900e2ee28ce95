//! The small machinery every concern of the store runs on: a statement's parameters
//! ([`Arg`]), a result row ([`Columns`]), a connection that runs one statement ([`Conn`]),
//! the helpers that read rows into domain values ([`first`], [`all`]), and what a backend
//! is ([`Backend`], with [`CoreTx`], the write transaction of any backend).
//!
//! A backend implements [`Conn`] and [`Columns`] for its driver and [`Backend`] for its
//! store; the concern files (`accounts.rs`, `credentials.rs` …) then give it the whole
//! [`super::Store`] and [`super::Tx`].

use anyhow::Result;

use super::sql::Sql;
use crate::exit::{Failure, database};
use crate::model::Event;

/// A server driver's error in words (`postgres`, `mysql`): the server's message with a
/// hint of what to do where it sent one, else the error and its causes. Never the URL, so
/// never a password.
pub(super) trait Describe: std::error::Error {
    /// The server's message and hint, if the server sent one.
    fn server_message(&self) -> Option<String>;

    fn describe(&self) -> String {
        if let Some(message) = self.server_message() {
            return message;
        }
        let mut msg = self.to_string();
        let mut source = self.source();
        while let Some(cause) = source {
            msg.push_str(": ");
            msg.push_str(&cause.to_string());
            source = cause.source();
        }
        msg
    }
}

/// Maps a server driver's errors to a database failure (exit 6) that says what failed.
pub(super) trait Db<T> {
    fn db(self, what: &str) -> Result<T>;
}

impl<T, E: Describe> Db<T> for std::result::Result<T, E> {
    fn db(self, what: &str) -> Result<T> {
        self.map_err(|e| Failure::Database(format!("{what}: {}", e.describe())).into())
    }
}

/// A statement parameter, which each backend binds as its own type.
#[derive(Debug, Clone, Copy)]
pub(super) enum Arg<'a> {
    Int(Option<i64>),
    Text(Option<&'a str>),
    Bytes(&'a [u8]),
    Flag(bool),
}

pub(super) fn int(v: i64) -> Arg<'static> {
    Arg::Int(Some(v))
}

pub(super) fn text(v: &str) -> Arg<'_> {
    Arg::Text(Some(v))
}

/// A column's value as the backend read it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Null,
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
    Flag(bool),
}

/// One result row, read by column number.
pub(super) trait Columns {
    fn get(&self, i: usize) -> Result<Value>;

    /// Text column `i` into `buf` (cleared first), reusing its memory; false when NULL.
    fn text_into(&self, i: usize, buf: &mut String) -> Result<bool> {
        text_value_into(self.get(i)?, i, buf)
    }
}

/// [`Columns::text_into`] of a value read.
pub(super) fn text_value_into(v: Value, i: usize, buf: &mut String) -> Result<bool> {
    buf.clear();
    match v {
        Value::Null => Ok(false),
        Value::Text(v) => {
            buf.push_str(&v);
            Ok(true)
        }
        other => Err(unexpected(i, &other)),
    }
}

impl dyn Columns + '_ {
    pub(super) fn int(&self, i: usize) -> Result<Option<i64>> {
        match self.get(i)? {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(v)),
            other => Err(unexpected(i, &other)),
        }
    }

    pub(super) fn text(&self, i: usize) -> Result<Option<String>> {
        match self.get(i)? {
            Value::Null => Ok(None),
            Value::Text(v) => Ok(Some(v)),
            other => Err(unexpected(i, &other)),
        }
    }

    /// A boolean: SQLite stores it as an integer.
    pub(super) fn flag(&self, i: usize) -> Result<Option<bool>> {
        match self.get(i)? {
            Value::Null => Ok(None),
            Value::Flag(v) => Ok(Some(v)),
            Value::Int(v) => Ok(Some(v != 0)),
            other => Err(unexpected(i, &other)),
        }
    }

    pub(super) fn bytes(&self, i: usize) -> Result<Option<Vec<u8>>> {
        match self.get(i)? {
            Value::Null => Ok(None),
            Value::Bytes(v) => Ok(Some(v)),
            other => Err(unexpected(i, &other)),
        }
    }
}

fn unexpected(i: usize, v: &Value) -> anyhow::Error {
    let kind = match v {
        Value::Null => "NULL",
        Value::Int(_) => "an integer",
        Value::Text(_) => "text",
        Value::Bytes(_) => "bytes",
        Value::Flag(_) => "a boolean",
    };
    database(format!("unexpected {kind} in result column {i}"))
}

/// A value a NOT NULL column must have.
pub(super) fn need<T>(v: Option<T>, i: usize) -> Result<T> {
    v.ok_or_else(|| database(format!("unexpected NULL in result column {i}")))
}

/// Counters are 64-bit in the database; twofa writes them from `u32`.
pub(super) fn count(r: &dyn Columns, i: usize) -> Result<u32> {
    Ok(need(r.int(i)?, i)?.clamp(0, i64::from(u32::MAX)) as u32)
}

/// The id an `INSERT … RETURNING id` returned.
pub(super) fn id(r: &dyn Columns) -> Result<i64> {
    need(r.int(0)?, 0)
}

/// What to run: a statement, its parameters, and what to say when it fails (exit 6).
pub(super) struct Query<'q> {
    pub what: &'q str,
    pub sql: &'q str,
    pub args: &'q [Arg<'q>],
}

/// Takes each row of a query as it arrives.
pub(super) type Each<'e> = &'e mut dyn FnMut(&dyn Columns) -> Result<()>;

/// A connection or a transaction: runs one statement.
pub(super) trait Conn {
    /// Runs a statement: with `each`, a query whose rows it takes as they arrive (an error
    /// from `each` ends the query and is returned as it is); without, a change, and the
    /// number of rows it changed.
    fn run(&mut self, q: Query<'_>, each: Option<Each<'_>>) -> Result<u64>;

    fn exec(&mut self, what: &str, sql: &str, args: &[Arg<'_>]) -> Result<u64> {
        self.run(Query { what, sql, args }, None)
    }

    fn each(&mut self, what: &str, sql: &str, args: &[Arg<'_>], each: Each<'_>) -> Result<()> {
        self.run(Query { what, sql, args }, Some(each)).map(drop)
    }
}

/// Ends a backend's transaction.
pub(super) trait Commit {
    fn commit(self) -> Result<()>;
}

/// The first row, converted.
pub(super) fn first<T>(
    c: &mut (impl Conn + ?Sized),
    what: &str,
    sql: &str,
    args: &[Arg<'_>],
    convert: fn(&dyn Columns) -> Result<T>,
) -> Result<Option<T>> {
    let mut found = None;
    c.each(what, sql, args, &mut |r| {
        if found.is_none() {
            found = Some(convert(r)?);
        }
        Ok(())
    })?;
    Ok(found)
}

/// Every row, converted.
pub(super) fn all<T>(
    c: &mut (impl Conn + ?Sized),
    what: &str,
    sql: &str,
    args: &[Arg<'_>],
    convert: fn(&dyn Columns) -> Result<T>,
) -> Result<Vec<T>> {
    let mut rows = Vec::new();
    c.each(what, sql, args, &mut |r| {
        rows.push(convert(r)?);
        Ok(())
    })?;
    Ok(rows)
}

/// The single value of a one-row query (`count(*)`, `EXISTS`).
pub(super) fn flag_of(
    c: &mut (impl Conn + ?Sized),
    what: &str,
    sql: &str,
    args: &[Arg<'_>],
) -> Result<bool> {
    let v = first(c, what, sql, args, |r| need(r.flag(0)?, 0))?;
    need(v, 0)
}

/// Whether a change touched exactly one row (a conditional update that applied).
pub(super) fn one_row(
    c: &mut (impl Conn + ?Sized),
    what: &str,
    sql: &str,
    args: &[Arg<'_>],
) -> Result<bool> {
    Ok(c.exec(what, sql, args)? == 1)
}

/// A backend: a connection that runs statements, its [`Sql`], and its transactions.
pub(super) trait Backend: Conn {
    type Tx<'t>: Conn + Commit
    where
        Self: 't;
    const SQL: &'static Sql;
    /// Begins a write transaction (see [`super::Store::begin`]).
    fn transaction(&mut self) -> Result<Self::Tx<'_>>;
    /// Begins a read-only transaction whose statements all see one snapshot.
    fn snapshot(&mut self) -> Result<Self::Tx<'_>>;
    /// Whether transactions keep their events for `commit` to return
    /// ([`super::Store::keep_events`]).
    fn keep_events(&mut self) -> &mut bool;
    /// See [`super::Store::mostly_reading`].
    fn mostly_reading(&mut self) -> Result<()> {
        Ok(())
    }
    /// See [`super::Store::sync_every_commit`].
    fn sync_every_commit(&mut self) -> Result<()>;
    /// See [`super::Store::every_commit_synced`].
    fn every_commit_synced(&mut self) -> Result<bool>;
}

/// A write transaction of any backend: the backend's transaction, its statements, and what
/// the event log needs until commit.
pub(super) struct CoreTx<C> {
    pub conn: C,
    pub sql: &'static Sql,
    /// The events written, for [`super::Tx::commit`] to return (when `keep_events`).
    pub events: Vec<Event>,
    pub keep_events: bool,
    /// The hash of the newest event, once this transaction has read or written it (the
    /// write lock keeps it current until commit).
    pub chain_head: Option<String>,
}
