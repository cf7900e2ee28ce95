//! The PostgreSQL backend (the synchronous `postgres` client): twofa's tables live in the
//! schema `twofa` of the application's own database, and nothing outside it is touched.
//!
//! The guarantees are SQLite's, reached differently: a [`Tx`] is a READ COMMITTED
//! transaction whose [`Tx::account`] locks the account row (`SELECT … FOR UPDATE`), so
//! concurrent verifies and confirms of one account take turns, and each reads (statement by
//! statement) what the one before it committed; a recovery code is spent by a conditional
//! `UPDATE … WHERE used_at IS NULL`. Lists stream row by row, never held whole.

use std::borrow::Cow;
use std::collections::HashMap;
use std::time::Duration;

use ::postgres::config::Host;
use ::postgres::error::SqlState;
use ::postgres::fallible_iterator::FallibleIterator;
use ::postgres::types::ToSql;
use ::postgres::types::{IsNull, Type};
use ::postgres::{CancelToken, Client, Config, GenericClient, Row, Statement, Transaction};
use anyhow::Result;
use tokio_postgres_rustls::MakeRustlsConnect;

mod pgpass;
mod pgtls;
mod source;
mod sql;

use super::conn::{Arg, Backend, Columns, Commit, Conn, Db, Describe, Each, Query, Value};
use super::migrate::{self, OpenMode, Opened, Schema, SchemaTx};
use super::sql::Sql;
use crate::exit::database;
pub use source::PgSource;
pub(super) use sql::SQL;

// `MIGRATIONS`, from `migrations/postgres/`.
migrate::migrations!("postgres");

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a statement waits for a lock (an account row another session holds) before it
/// fails, like SQLite's busy timeout. Only set when the URL sets no `options` of its own.
const LOCK_TIMEOUT_OPTION: &str = "-c lock_timeout=10s";

/// The advisory lock (per database) that every write transaction takes first, so that
/// events are chained one transaction at a time (see `transaction` below).
const EVENT_LOCK: i64 = 0x7477_6f66_615f_6576; // "twofa_ev"

/// The advisory lock (per database) that makes concurrent first runs migrate one at a time.
const MIGRATION_LOCK: i64 = 0x7477_6f66_615f_6d67; // "twofa_mg"

type PgResult<T> = std::result::Result<T, ::postgres::Error>;

/// Whether `target` names a PostgreSQL database (rather than an SQLite file).
pub fn is_url(target: &str) -> bool {
    target.starts_with("postgres://") || target.starts_with("postgresql://")
}

/// The URL with any password (`user:PASSWORD@`, `?password=`) replaced by `***`, for
/// messages. It splits the URL the way the `postgres` crate does, so what it hides is what
/// the client would send.
pub fn redact(url: &str) -> String {
    let Some(prefix) = ["postgres://", "postgresql://"]
        .into_iter()
        .find(|p| url.starts_with(p))
    else {
        return url.to_string();
    };
    let rest = &url[prefix.len()..];
    let mut out = String::from(prefix);
    let after_creds = match rest.find('@') {
        Some(at) => {
            let creds = &rest[..at];
            match creds.split_once(':') {
                Some((user, _)) => {
                    out.push_str(user);
                    out.push_str(":***");
                }
                None => out.push_str(creds),
            }
            out.push('@');
            &rest[at + 1..]
        }
        None => rest,
    };
    match after_creds.split_once('?') {
        None => out.push_str(after_creds),
        Some((base, params)) => {
            out.push_str(base);
            out.push('?');
            let params: Vec<Cow<'_, str>> = params
                .split('&')
                .map(|p| match p.split_once('=') {
                    Some((k, _))
                        if percent_encoding::percent_decode_str(k).decode_utf8_lossy()
                            == "password" =>
                    {
                        Cow::Owned(format!("{k}=***"))
                    }
                    _ => Cow::Borrowed(p),
                })
                .collect();
            out.push_str(&params.join("&"));
        }
    }
    out
}

/// What went wrong, with the server's message (never the URL, so never a password).
impl Describe for ::postgres::Error {
    fn server_message(&self) -> Option<String> {
        let db = self.as_db_error()?;
        let hint = match *db.code() {
            SqlState::INSUFFICIENT_PRIVILEGE => {
                " (the database user lacks a privilege twofa needs: CREATE on the database for \
                 'init', then USAGE and CREATE on schema twofa and its tables)"
            }
            SqlState::LOCK_NOT_AVAILABLE => {
                " (another session held the account too long; try again)"
            }
            SqlState::READ_ONLY_SQL_TRANSACTION => " (the server is read-only, a standby?)",
            SqlState::DISK_FULL => " (the server's disk is full)",
            SqlState::INVALID_CATALOG_NAME => {
                " (create the database first: twofa adds its schema to an existing database)"
            }
            SqlState::TOO_MANY_CONNECTIONS => " (the server has no connection to spare)",
            _ => "",
        };
        let mut msg = db.message().to_string();
        if let Some(detail) = db.detail() {
            msg.push_str(": ");
            msg.push_str(detail);
        }
        Some(format!("{msg}{hint}"))
    }
}

fn describe(e: &::postgres::Error) -> String {
    Describe::describe(e)
}

/// Prepared statements by their SQL, for the life of the connection: a repeated statement
/// (an import's inserts) costs one round trip instead of two.
#[derive(Default)]
struct Statements(HashMap<String, Statement>);

impl Statements {
    fn get(&mut self, c: &mut impl GenericClient, sql: &str) -> PgResult<Statement> {
        if let Some(s) = self.0.get(sql) {
            return Ok(s.clone());
        }
        let s = c.prepare(sql)?;
        self.0.insert(sql.to_string(), s.clone());
        Ok(s)
    }
}

pub struct PgStore {
    client: Client,
    stmts: Statements,
    /// The connection's TLS, which a cancel request (a connection of its own) uses too.
    tls: MakeRustlsConnect,
    keep_events: bool,
}

/// Connects to `url` (TLS, password from the environment or the password file as libpq
/// does); returns the client, its TLS (for cancel requests) and the URL as messages show it.
fn connect(url: &str) -> Result<(Client, MakeRustlsConnect, String)> {
    let shown = redact(url);
    let (url, tls) = pgtls::split_url(url)?;
    let mut config: Config = url.parse().map_err(|e: ::postgres::Error| {
        database(format!(
            "cannot use {shown} as a PostgreSQL URL: {}",
            describe(&e)
        ))
    })?;
    config.ssl_mode(tls.mode.driver());
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    if config.get_application_name().is_none() {
        config.application_name("twofa");
    }
    if config.get_options().is_none() {
        config.options(LOCK_TIMEOUT_OPTION);
    }
    // The password, where the URL has none: PGPASSWORD, else the password file.
    let mut unused_file = None;
    if config.get_password().is_none() {
        if let Some(password) = std::env::var_os("PGPASSWORD") {
            config.password(password.as_encoded_bytes());
        } else if let Some(file) = pgpass::path() {
            let found = pgpass::lookup(&file, &pgpass_target(&mut config));
            match found {
                pgpass::Lookup::Found(password) => {
                    config.password(password);
                }
                pgpass::Lookup::Insecure(file) => unused_file = Some(file),
                pgpass::Lookup::None => {}
            }
        }
    }
    let connector = pgtls::connector(&tls)?;
    let client = config.connect(connector.clone()).map_err(|e| {
        let hint = unused_file.map_or(String::new(), |f| {
            format!(
                " ({} was not used: its group or others can read it; chmod 600 it)",
                f.display()
            )
        });
        database(format!("cannot connect to {shown}: {}{hint}", describe(&e)))
    })?;
    Ok((client, connector, shown))
}

impl PgStore {
    pub fn open(url: &str, mode: OpenMode) -> Result<(Self, Opened)> {
        let (client, connector, shown) = connect(url)?;
        let mut store = PgStore {
            client,
            stmts: Statements::default(),
            tls: connector,
            keep_events: true,
        };
        let mut schema = PgSchema {
            client: &mut store.client,
            created: false,
        };
        if mode == OpenMode::ReadOnly {
            migrate::check_current(&mut schema, &MIGRATIONS, &shown)?;
            return Ok((
                store,
                Opened {
                    created: false,
                    initialised: false,
                },
            ));
        }
        if mode == OpenMode::Existing && schema.version()?.is_none() {
            return Err(database(format!(
                "{shown} has no twofa tables (add them with 'twofa --db {shown} init')"
            )));
        }
        let found = migrate::migrate(&mut schema, &MIGRATIONS, &SQL, &shown)?;
        let opened = Opened {
            created: schema.created,
            initialised: found.is_none() && !schema.created,
        };
        Ok((store, opened))
    }
}

/// What the password file is searched for, with libpq's defaults: the first host
/// (`localhost` for a Unix-domain socket), port 5432, the OS user (which the connection then
/// uses too), a database named after the user.
fn pgpass_target(config: &mut Config) -> pgpass::Target<'_> {
    if config.get_user().is_none()
        && let Ok(user) = whoami::username()
    {
        config.user(&user);
    }
    let config = &*config;
    let user = config.get_user().unwrap_or_default();
    pgpass::Target {
        host: match config.get_hosts().first() {
            Some(Host::Tcp(host)) => host,
            _ => "localhost",
        },
        port: config.get_ports().first().copied().unwrap_or(5432),
        database: config.get_dbname().unwrap_or(user),
        user,
    }
}

/// The schema version recorded in `twofa.meta`; `None` without twofa tables.
fn stored_version(c: &mut impl GenericClient) -> Result<Option<i64>> {
    let has_tables: bool = c
        .query_one("SELECT to_regclass('twofa.meta') IS NOT NULL", &[])
        .and_then(|r| r.try_get(0))
        .db("cannot read the database")?;
    if !has_tables {
        return Ok(None);
    }
    let v: Option<String> = c
        .query_opt(SQL.meta.meta, &[&"schema_version"])
        .and_then(|r| r.map(|r| r.try_get(0)).transpose())
        .db("cannot read the schema version")?;
    Ok(Some(v.and_then(|v| v.parse().ok()).unwrap_or(0)))
}

/// The connection while it migrates: it notes whether it created the schema `twofa`.
pub(super) struct PgSchema<'c> {
    client: &'c mut Client,
    created: bool,
}

impl Schema for PgSchema<'_> {
    type Tx<'t>
        = Transaction<'t>
    where
        Self: 't;

    fn version(&mut self) -> Result<Option<i64>> {
        stored_version(self.client)
    }

    /// A transaction under an advisory lock (per database), with the schema `twofa`.
    fn begin(&mut self) -> Result<Transaction<'_>> {
        let mut tx = self.client.transaction().db("cannot begin a transaction")?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .db("cannot lock the database to migrate it")?;
        let schema_existed: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'twofa')",
                &[],
            )
            .and_then(|r| r.try_get(0))
            .db("cannot read the database")?;
        if !schema_existed {
            tx.batch_execute("CREATE SCHEMA twofa")
                .db("cannot create schema twofa")?;
            self.created = true;
        }
        Ok(tx)
    }
}

impl SchemaTx for Transaction<'_> {
    fn version(&mut self) -> Result<Option<i64>> {
        stored_version(self)
    }

    fn run_script(&mut self, number: usize, script: &str) -> Result<()> {
        self.batch_execute(script)
            .db(&format!("cannot apply migration {number}"))
    }
}

impl Commit for Transaction<'_> {
    fn commit(self) -> Result<()> {
        Transaction::commit(self).db("cannot commit")
    }
}

impl ToSql for Arg<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut ::postgres::types::private::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match *self {
            Arg::Int(v) => v.to_sql_checked(ty, out),
            Arg::Text(v) => v.to_sql_checked(ty, out),
            Arg::Bytes(v) => v.to_sql_checked(ty, out),
            Arg::Flag(v) => v.to_sql_checked(ty, out),
        }
    }

    /// Each variant checks its own type in `to_sql`.
    fn accepts(_: &Type) -> bool {
        true
    }

    ::postgres::types::to_sql_checked!();
}

impl Columns for Row {
    fn get(&self, i: usize) -> Result<Value> {
        let what = format!("cannot read result column {i}");
        let ty = self.columns().get(i).map(|c| c.type_().clone());
        Ok(match ty {
            Some(Type::INT8) => self.try_get::<_, Option<i64>>(i).db(&what)?.map(Value::Int),
            Some(Type::BOOL) => self
                .try_get::<_, Option<bool>>(i)
                .db(&what)?
                .map(Value::Flag),
            Some(Type::BYTEA) => self
                .try_get::<_, Option<Vec<u8>>>(i)
                .db(&what)?
                .map(Value::Bytes),
            _ => self
                .try_get::<_, Option<String>>(i)
                .db(&what)?
                .map(Value::Text),
        }
        .unwrap_or(Value::Null))
    }
}

/// Runs a statement, prepared once per connection. A query's rows go to `each` as they
/// arrive: the server sends the result in one stream and the client reads it a socket
/// buffer at a time (the connection stops reading while `each` is busy), so memory stays
/// flat however many rows there are. One statement sees one snapshot.
///
/// When `each` fails (a closed pipe: `audit | head`), the query is cancelled: the rest of
/// the result would otherwise still have to be read before the connection can close.
fn run(
    (c, stmts, tls): (&mut impl GenericClient, &mut Statements, &MakeRustlsConnect),
    cancel: CancelToken,
    q: Query<'_>,
    each: Option<Each<'_>>,
) -> Result<u64> {
    let s = stmts.get(c, q.sql).db(q.what)?;
    let Some(each) = each else {
        let params: Vec<&(dyn ToSql + Sync)> = q.args.iter().map(|a| a as _).collect();
        return c.execute(&s, &params).db(q.what);
    };
    let mut rows = c.query_raw(&s, q.args.iter()).db(q.what)?;
    while let Some(row) = rows.next().db(q.what)? {
        if let Err(e) = each(&row) {
            // Best effort: if the cancel request cannot be sent, closing reads the rest.
            let _ = cancel.cancel_query(tls.clone());
            return Err(e);
        }
    }
    Ok(0)
}

impl Conn for PgStore {
    fn run(&mut self, q: Query<'_>, each: Option<Each<'_>>) -> Result<u64> {
        let cancel = self.client.cancel_token();
        run(
            (&mut self.client, &mut self.stmts, &self.tls),
            cancel,
            q,
            each,
        )
    }
}

/// The migration's transaction runs the chain backfill's statements unprepared.
impl Conn for Transaction<'_> {
    fn run(&mut self, q: Query<'_>, each: Option<Each<'_>>) -> Result<u64> {
        let Some(each) = each else {
            let params: Vec<&(dyn ToSql + Sync)> = q.args.iter().map(|a| a as _).collect();
            return self.execute(q.sql, &params).db(q.what);
        };
        let mut rows = self.query_raw(q.sql, q.args.iter()).db(q.what)?;
        while let Some(row) = rows.next().db(q.what)? {
            each(&row)?;
        }
        Ok(0)
    }
}

/// A READ COMMITTED transaction and the connection's prepared statements.
pub(super) struct PgTx<'c> {
    tx: Transaction<'c>,
    stmts: &'c mut Statements,
    tls: &'c MakeRustlsConnect,
}

impl Conn for PgTx<'_> {
    fn run(&mut self, q: Query<'_>, each: Option<Each<'_>>) -> Result<u64> {
        let cancel = self.tx.cancel_token();
        run((&mut self.tx, self.stmts, self.tls), cancel, q, each)
    }
}

impl Commit for PgTx<'_> {
    fn commit(self) -> Result<()> {
        self.tx.commit().db("cannot commit")
    }
}

impl Backend for PgStore {
    type Tx<'t> = PgTx<'t>;
    const SQL: &'static Sql = &SQL;

    fn keep_events(&mut self) -> &mut bool {
        &mut self.keep_events
    }

    fn sync_every_commit(&mut self) -> Result<()> {
        if !self.every_commit_synced()? {
            self.client
                .batch_execute("SET synchronous_commit = on")
                .db("cannot set synchronous_commit")?;
        }
        Ok(())
    }

    fn every_commit_synced(&mut self) -> Result<bool> {
        // `off` is the one setting whose commit returns before its WAL is flushed.
        let row = self
            .client
            .query_one("SHOW synchronous_commit", &[])
            .db("cannot read synchronous_commit")?;
        let setting: String = row.try_get(0).db("cannot read synchronous_commit")?;
        Ok(setting != "off")
    }

    fn snapshot(&mut self) -> Result<PgTx<'_>> {
        let tx = self
            .client
            .build_transaction()
            .isolation_level(::postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .db("cannot begin a read transaction")?;
        Ok(PgTx {
            tx,
            stmts: &mut self.stmts,
            tls: &self.tls,
        })
    }

    fn transaction(&mut self) -> Result<PgTx<'_>> {
        let mut tx = self.client.transaction().db("cannot begin a transaction")?;
        // Events are chained one transaction at a time, in the order of their ids. The
        // lock is taken first, before any row lock: a transaction that waited for it while
        // holding an account row could deadlock with one that holds it and wants that row.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&EVENT_LOCK])
            .db("cannot lock the event log")?;
        Ok(PgTx {
            tx,
            stmts: &mut self.stmts,
            tls: &self.tls,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_recognised() {
        assert!(is_url("postgres://u@h/db"));
        assert!(is_url("postgresql://h/db"));
        assert!(!is_url("twofa.db"));
        assert!(!is_url("/srv/postgres://x"));
    }

    #[test]
    fn redaction_hides_every_password_and_nothing_else() {
        assert_eq!(
            redact("postgres://app:s3cr%40t@db.example:5432/accounts"),
            "postgres://app:***@db.example:5432/accounts"
        );
        assert_eq!(
            redact("postgresql://app@db/accounts?sslmode=disable"),
            "postgresql://app@db/accounts?sslmode=disable"
        );
        assert_eq!(
            redact("postgres://db/accounts?user=app&password=hunter2&connect_timeout=3"),
            "postgres://db/accounts?user=app&password=***&connect_timeout=3"
        );
        assert_eq!(
            redact("postgres://app:p:w?x@db/a?pass%77ord=y"),
            "postgres://app:***@db/a?pass%77ord=***"
        );
        assert_eq!(redact("postgres://db"), "postgres://db");
        assert_eq!(redact("twofa.db"), "twofa.db");
    }

    #[test]
    fn the_client_reads_the_password_where_redaction_hides_it() {
        for (url, password) in [
            ("postgres://app:s3cr%40t@db/a", "s3cr@t"),
            ("postgres://app:p:w?x@db/a", "p:w?x"),
            ("postgres://db/a?password=hunter2", "hunter2"),
        ] {
            let config: Config = url.parse().unwrap();
            assert_eq!(config.get_password(), Some(password.as_bytes()), "{url}");
            assert!(!redact(url).contains(password), "{url}");
        }
    }

    #[test]
    fn migrations_stay_inside_schema_twofa() {
        for sql in MIGRATIONS.list {
            let code: String = sql
                .lines()
                .map(|l| l.split_once("--").map_or(l, |(code, _)| code))
                .collect::<Vec<_>>()
                .join(" ");
            // A function's body ($$ … $$) is part of its CREATE FUNCTION statement.
            let code: String = code
                .split("$$")
                .enumerate()
                .map(|(i, part)| {
                    if i % 2 == 1 {
                        part.replace(';', " ")
                    } else {
                        part.into()
                    }
                })
                .collect::<Vec<_>>()
                .join("$$");
            for code in code.split(';').map(str::trim) {
                if code.is_empty() {
                    continue;
                }
                assert!(
                    code.contains("twofa."),
                    "a migration statement names no twofa.* object: {code}"
                );
            }
        }
    }
}
