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
use ::postgres::{Client, Config, GenericClient, Row, Statement, Transaction};
use anyhow::Result;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::{AccountFilter, EventFilter, NewCredential, OpenMode, Opened, Spend, Store, Tx};
use super::{pgpass, pgtls};
use crate::clock::Timestamp;
use crate::crypto::KeyId;
use crate::exit::{Failure, database, refused};
use crate::model::{
    Account, AccountRecord, CredentialRow, Event, Org, OrgSummary, RecoveryCandidate,
};
use crate::policy::{Credential, Policy, State};
use crate::recovery::HashedCode;

/// Append-only: schema version N is the N-th entry. Never change or reorder an entry.
const MIGRATIONS: &[&str] = &[include_str!("migrations/postgres/001_initial.sql")];

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a statement waits for a lock (an account row another session holds) before it
/// fails, like SQLite's busy timeout. Only set when the URL sets no `options` of its own.
const LOCK_TIMEOUT_OPTION: &str = "-c lock_timeout=10s";

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
fn describe(e: &::postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
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
        return format!("{msg}{hint}");
    }
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        msg.push_str(": ");
        msg.push_str(&cause.to_string());
        source = cause.source();
    }
    msg
}

/// Maps driver errors to a database failure (exit 6) that says what failed.
trait Db<T> {
    fn db(self, what: &str) -> Result<T>;
}

impl<T> Db<T> for PgResult<T> {
    fn db(self, what: &str) -> Result<T> {
        self.map_err(|e| Failure::Database(format!("{what}: {}", describe(&e))).into())
    }
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

    fn query(
        &mut self,
        c: &mut impl GenericClient,
        what: &str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        let s = self.get(c, sql).db(what)?;
        c.query(&s, params).db(what)
    }

    fn query_opt(
        &mut self,
        c: &mut impl GenericClient,
        what: &str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>> {
        let s = self.get(c, sql).db(what)?;
        c.query_opt(&s, params).db(what)
    }

    fn query_one(
        &mut self,
        c: &mut impl GenericClient,
        what: &str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Row> {
        let s = self.get(c, sql).db(what)?;
        c.query_one(&s, params).db(what)
    }

    fn execute(
        &mut self,
        c: &mut impl GenericClient,
        what: &str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64> {
        let s = self.get(c, sql).db(what)?;
        c.execute(&s, params).db(what)
    }
}

/// Counters are BIGINT like SQLite's INTEGER; twofa writes them from `u32`.
fn to_u32(v: i64) -> u32 {
    v.clamp(0, i64::from(u32::MAX)) as u32
}

pub struct PgStore {
    client: Client,
    stmts: Statements,
    /// The connection's TLS, which a cancel request (a connection of its own) uses too.
    tls: MakeRustlsConnect,
}

impl PgStore {
    pub fn open(url: &str, mode: OpenMode) -> Result<(Self, Opened)> {
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
        let mut store = PgStore {
            client,
            stmts: Statements::default(),
            tls: connector,
        };
        let has_tables = has_tables(&mut store.client, &shown)?;
        if !has_tables && mode == OpenMode::Existing {
            return Err(database(format!(
                "{shown} has no twofa tables (add them with 'twofa --db {shown} init')"
            )));
        }
        if has_tables {
            let current = schema_version(&mut store.client)?;
            check_not_newer(current, &shown)?;
            if current == MIGRATIONS.len() as i64 {
                return Ok((
                    store,
                    Opened {
                        created: false,
                        initialised: false,
                    },
                ));
            }
        }
        let opened = store.migrate(&shown)?;
        Ok((store, opened))
    }

    /// Creates the schema if needed and applies the migrations it lacks, in one
    /// transaction, one process at a time.
    fn migrate(&mut self, shown: &str) -> Result<Opened> {
        let latest = MIGRATIONS.len() as i64;
        let mut tx = self
            .client
            .transaction()
            .db(&format!("cannot begin a transaction on {shown}"))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .db(&format!("cannot lock {shown} to migrate it"))?;
        let schema_existed: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'twofa')",
                &[],
            )
            .and_then(|r| r.try_get(0))
            .db(&format!("cannot read database {shown}"))?;
        if !schema_existed {
            tx.batch_execute("CREATE SCHEMA twofa")
                .db(&format!("cannot create schema twofa in {shown}"))?;
        }
        let had_tables = has_tables(&mut tx, shown)?;
        let current = if had_tables {
            schema_version(&mut tx)?
        } else {
            0
        };
        check_not_newer(current, shown)?;
        if current < latest {
            for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
                tx.batch_execute(sql)
                    .db(&format!("cannot apply migration {}", i + 1))?;
            }
            tx.execute(
                "INSERT INTO twofa.meta (key, value) VALUES ('schema_version', $1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[&latest.to_string()],
            )
            .db("cannot record the schema version")?;
        }
        tx.commit().db("cannot commit the migration")?;
        Ok(Opened {
            created: !schema_existed,
            initialised: schema_existed && !had_tables,
        })
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

fn has_tables(c: &mut impl GenericClient, shown: &str) -> Result<bool> {
    c.query_one("SELECT to_regclass('twofa.meta') IS NOT NULL", &[])
        .and_then(|r| r.try_get(0))
        .db(&format!("cannot read database {shown}"))
}

fn schema_version(c: &mut impl GenericClient) -> Result<i64> {
    let v: Option<String> = c
        .query_opt(
            "SELECT value FROM twofa.meta WHERE key = 'schema_version'",
            &[],
        )
        .and_then(|r| r.map(|r| r.try_get(0)).transpose())
        .db("cannot read the schema version")?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

fn check_not_newer(current: i64, shown: &str) -> Result<()> {
    let latest = MIGRATIONS.len() as i64;
    if current > latest {
        return Err(database(format!(
            "{shown} has twofa schema version {current}, newer than this twofa knows ({latest}); upgrade twofa"
        )));
    }
    Ok(())
}

const ACCOUNT_COLUMNS: &str =
    "a.id, a.email, o.slug, a.name, a.created_at, a.failed_attempts, a.locked_until,
     o.require_2fa, o.grace_days, o.policy_since";

fn account_from_row(r: &Row) -> PgResult<Account> {
    let required: Option<bool> = r.try_get(7)?;
    Ok(Account {
        id: r.try_get(0)?,
        email: r.try_get(1)?,
        org: r.try_get(2)?,
        name: r.try_get(3)?,
        created_at: r.try_get(4)?,
        failed_attempts: to_u32(r.try_get(5)?),
        locked_until: r.try_get(6)?,
        policy: match required {
            Some(required) => Some(Policy {
                required,
                grace_days: to_u32(r.try_get(8)?),
                since: r.try_get(9)?,
            }),
            None => None,
        },
    })
}

fn credential_state(state: Option<&str>, expires_at: Option<Timestamp>) -> Option<Credential> {
    match state {
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
       (SELECT count(*) FROM twofa.recovery_codes r WHERE r.account_id = a.id AND r.used_at IS NULL)
     ELSE 0 END
 FROM twofa.accounts a
 LEFT JOIN twofa.orgs o ON o.id = a.org_id
 LEFT JOIN twofa.credentials c ON c.account_id = a.id";

fn record_from_row(r: &Row) -> PgResult<AccountRecord> {
    Ok(AccountRecord {
        account: account_from_row(r)?,
        credential: credential_state(r.try_get(10)?, r.try_get(11)?),
        enrolled_at: r.try_get(12)?,
        last_used_at: r.try_get(13)?,
        recovery_codes_left: to_u32(r.try_get(14)?),
    })
}

fn org_from_row(r: &Row) -> PgResult<Org> {
    Ok(Org {
        id: r.try_get(0)?,
        slug: r.try_get(1)?,
        name: r.try_get(2)?,
        policy: Policy {
            required: r.try_get(3)?,
            grace_days: to_u32(r.try_get(4)?),
            since: r.try_get(5)?,
        },
    })
}

fn query_org(c: &mut impl GenericClient, st: &mut Statements, slug: &str) -> Result<Option<Org>> {
    const WHAT: &str = "cannot read organisation";
    st.query_opt(
        c,
        WHAT,
        "SELECT id, slug, name, require_2fa, grace_days, policy_since FROM twofa.orgs WHERE slug = $1",
        &[&slug],
    )?
    .map(|r| org_from_row(&r))
    .transpose()
    .db(WHAT)
}

/// The account; with `lock`, its row stays locked until the transaction ends.
fn query_account(
    c: &mut impl GenericClient,
    st: &mut Statements,
    email: &str,
    lock: bool,
) -> Result<Option<Account>> {
    const WHAT: &str = "cannot read account";
    let sql = format!(
        "SELECT {ACCOUNT_COLUMNS} FROM twofa.accounts a LEFT JOIN twofa.orgs o ON o.id = a.org_id
         WHERE a.email = $1{}",
        if lock { " FOR UPDATE OF a" } else { "" }
    );
    st.query_opt(c, WHAT, &sql, &[&email])?
        .map(|r| account_from_row(&r))
        .transpose()
        .db(WHAT)
}

fn query_credential(
    c: &mut impl GenericClient,
    st: &mut Statements,
    account_id: i64,
) -> Result<Option<CredentialRow>> {
    const WHAT: &str = "cannot read credential";
    let row = st.query_opt(
        c,
        WHAT,
        "SELECT state, expires_at, secret, enrolled_at, last_step, last_used_at
         FROM twofa.credentials WHERE account_id = $1",
        &[&account_id],
    )?;
    row.map(|r| {
        Ok(CredentialRow {
            state: credential_state(r.try_get(0)?, r.try_get(1)?).unwrap_or(Credential::Enabled),
            sealed_secret: r.try_get(2)?,
            enrolled_at: r.try_get(3)?,
            last_step: r.try_get::<_, Option<i64>>(4)?.map(|s| s as u64),
            last_used_at: r.try_get(5)?,
        })
    })
    .transpose()
    .db(WHAT)
}

fn query_key_id(c: &mut impl GenericClient, st: &mut Statements) -> Result<Option<KeyId>> {
    const WHAT: &str = "cannot read the key id";
    let hex: Option<String> = st
        .query_opt(
            c,
            WHAT,
            "SELECT value FROM twofa.meta WHERE key = 'key_id'",
            &[],
        )?
        .map(|r| r.try_get(0))
        .transpose()
        .db(WHAT)?;
    Ok(hex.and_then(|h| {
        let bytes: Vec<u8> = (0..h.len())
            .step_by(2)
            .filter_map(|i| h.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
            .collect();
        bytes.try_into().ok()
    }))
}

/// Runs `sql` and hands its rows to `each` as they arrive: the server sends the result in
/// one stream and the client reads it a socket buffer at a time (the connection stops
/// reading while `each` is busy), so memory stays flat however many rows there are. One
/// statement sees one snapshot.
///
/// When `each` fails (a closed pipe: `audit | head`), the query is cancelled: the rest of
/// the result would otherwise still have to be read before the connection can close.
fn stream(
    store: &mut PgStore,
    what: &str,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    each: &mut dyn FnMut(&Row) -> Result<()>,
) -> Result<()> {
    let cancel = store.client.cancel_token();
    let mut rows = store
        .client
        .query_raw(sql, params.iter().copied())
        .db(what)?;
    while let Some(row) = rows.next().db(what)? {
        if let Err(e) = each(&row) {
            // Best effort: if the cancel request cannot be sent, closing reads the rest.
            let _ = cancel.cancel_query(store.tls.clone());
            return Err(e);
        }
    }
    Ok(())
}

impl Store for PgStore {
    fn key_id(&mut self) -> Result<Option<KeyId>> {
        query_key_id(&mut self.client, &mut self.stmts)
    }

    fn meta(&mut self, key: &str) -> Result<Option<String>> {
        const WHAT: &str = "cannot read twofa.meta";
        self.stmts
            .query_opt(
                &mut self.client,
                WHAT,
                "SELECT value FROM twofa.meta WHERE key = $1",
                &[&key],
            )?
            .map(|r| r.try_get(0))
            .transpose()
            .db(WHAT)
    }

    fn sealed_without(&mut self, key: KeyId, limit: u32) -> Result<Vec<(i64, Vec<u8>)>> {
        const WHAT: &str = "cannot read the secrets";
        // The sealed secret's bytes 2-5 are the id of the key that sealed it.
        self.stmts
            .query(
                &mut self.client,
                WHAT,
                "SELECT account_id, secret FROM twofa.credentials
                 WHERE substring(secret FROM 2 FOR 4) <> $1 ORDER BY account_id LIMIT $2",
                &[&key.as_slice(), &i64::from(limit)],
            )?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<PgResult<Vec<_>>>()
            .db(WHAT)
    }

    fn begin(&mut self) -> Result<Box<dyn Tx + '_>> {
        let tx = self.client.transaction().db("cannot begin a transaction")?;
        Ok(Box::new(PgTx {
            tx,
            stmts: &mut self.stmts,
            events: Vec::new(),
        }))
    }

    fn org(&mut self, slug: &str) -> Result<Option<Org>> {
        query_org(&mut self.client, &mut self.stmts, slug)
    }

    fn orgs(&mut self) -> Result<Vec<OrgSummary>> {
        const WHAT: &str = "cannot list organisations";
        let rows = self.stmts.query(
            &mut self.client,
            WHAT,
            "SELECT o.id, o.slug, o.name, o.require_2fa, o.grace_days, o.policy_since,
                    (SELECT count(*) FROM twofa.accounts a WHERE a.org_id = o.id),
                    (SELECT count(*) FROM twofa.accounts a JOIN twofa.credentials c
                       ON c.account_id = a.id AND c.state = 'enabled' WHERE a.org_id = o.id)
             FROM twofa.orgs o ORDER BY o.slug",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                Ok(OrgSummary {
                    org: org_from_row(r)?,
                    accounts: r.try_get::<_, i64>(6)?.max(0) as u64,
                    enabled: r.try_get::<_, i64>(7)?.max(0) as u64,
                })
            })
            .collect::<PgResult<Vec<_>>>()
            .db(WHAT)
    }

    fn account(&mut self, email: &str) -> Result<Option<Account>> {
        query_account(&mut self.client, &mut self.stmts, email, false)
    }

    fn record(&mut self, email: &str) -> Result<Option<AccountRecord>> {
        const WHAT: &str = "cannot read account";
        self.stmts
            .query_opt(
                &mut self.client,
                WHAT,
                &format!("{RECORD_SELECT} WHERE a.email = $1"),
                &[&email],
            )?
            .map(|r| record_from_row(&r))
            .transpose()
            .db(WHAT)
    }

    fn records(
        &mut self,
        filter: &AccountFilter,
        each: &mut dyn FnMut(AccountRecord) -> Result<()>,
    ) -> Result<()> {
        const WHAT: &str = "cannot read accounts";
        let mut sql = format!("{RECORD_SELECT} WHERE true");
        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::new();
        if let Some(org) = &filter.org {
            params.push(org);
            sql.push_str(&format!(" AND o.slug = ${}", params.len()));
        }
        if filter.required_only {
            sql.push_str(" AND o.require_2fa");
        }
        match filter.state {
            None => {}
            Some(State::Enabled) => sql.push_str(" AND c.state = 'enabled'"),
            Some(State::Pending) => {
                params.push(&filter.now);
                sql.push_str(&format!(
                    " AND c.state = 'pending' AND c.expires_at > ${}",
                    params.len()
                ));
            }
            Some(State::Disabled) => {
                params.push(&filter.now);
                sql.push_str(&format!(
                    " AND (c.state IS NULL OR (c.state = 'pending' AND c.expires_at <= ${}))",
                    params.len()
                ));
            }
        }
        sql.push_str(" ORDER BY a.email");
        stream(self, WHAT, &sql, &params, &mut |row| {
            each(record_from_row(row).db(WHAT)?)
        })
    }

    fn credential(&mut self, account_id: i64) -> Result<Option<CredentialRow>> {
        query_credential(&mut self.client, &mut self.stmts, account_id)
    }

    fn recovery_candidates(
        &mut self,
        account_id: i64,
        lookup: &str,
    ) -> Result<Vec<RecoveryCandidate>> {
        const WHAT: &str = "cannot read recovery codes";
        self.stmts
            .query(
                &mut self.client,
                WHAT,
                "SELECT id, hash, used_at IS NOT NULL FROM twofa.recovery_codes
                 WHERE account_id = $1 AND lookup = $2",
                &[&account_id, &lookup],
            )?
            .iter()
            .map(|r| {
                Ok(RecoveryCandidate {
                    id: r.try_get(0)?,
                    hash: r.try_get(1)?,
                    used: r.try_get(2)?,
                })
            })
            .collect::<PgResult<Vec<_>>>()
            .db(WHAT)
    }

    fn secrets(&mut self, each: &mut dyn FnMut(i64, &str, &[u8]) -> Result<()>) -> Result<()> {
        const WHAT: &str = "cannot read the secrets";
        stream(
            self,
            WHAT,
            "SELECT c.account_id, a.email, c.secret FROM twofa.credentials c
             JOIN twofa.accounts a ON a.id = c.account_id ORDER BY c.account_id",
            &[],
            &mut |row| {
                let id: i64 = row.try_get(0).db(WHAT)?;
                let email: &str = row.try_get(1).db(WHAT)?;
                let sealed: &[u8] = row.try_get(2).db(WHAT)?;
                each(id, email, sealed)
            },
        )
    }

    fn events(
        &mut self,
        filter: &EventFilter,
        each: &mut dyn FnMut(Event) -> Result<()>,
    ) -> Result<()> {
        const WHAT: &str = "cannot read the event log";
        let mut sql = String::from(
            "SELECT at, actor, action, email, org, detail FROM twofa.events WHERE true",
        );
        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::new();
        if let Some(email) = &filter.email {
            params.push(email);
            sql.push_str(&format!(" AND email = ${}", params.len()));
        }
        if let Some(since) = &filter.since {
            params.push(since);
            sql.push_str(&format!(" AND at >= ${}", params.len()));
        }
        sql.push_str(" ORDER BY id DESC");
        let limit = filter.limit.map(|l| l.min(i64::MAX as u64) as i64);
        if let Some(limit) = &limit {
            params.push(limit);
            sql.push_str(&format!(" LIMIT ${}", params.len()));
        }
        stream(self, WHAT, &sql, &params, &mut |r| {
            let event = (|| {
                Ok::<_, ::postgres::Error>(Event {
                    at: r.try_get(0)?,
                    actor: r.try_get(1)?,
                    action: r.try_get(2)?,
                    email: r.try_get(3)?,
                    org: r.try_get(4)?,
                    detail: r.try_get(5)?,
                })
            })()
            .db(WHAT)?;
            each(event)
        })
    }
}

struct PgTx<'c> {
    tx: Transaction<'c>,
    stmts: &'c mut Statements,
    events: Vec<Event>,
}

impl PgTx<'_> {
    fn exec(&mut self, what: &str, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        self.stmts.execute(&mut self.tx, what, sql, params)
    }
}

impl Tx for PgTx<'_> {
    fn claim_key_id(&mut self, id: KeyId) -> Result<bool> {
        let hex = crate::crypto::key_id_hex(&id);
        let added = self.exec(
            "cannot record the key id",
            "INSERT INTO twofa.meta (key, value) VALUES ('key_id', $1) ON CONFLICT (key) DO NOTHING",
            &[&hex],
        )?;
        Ok(added == 1)
    }

    fn set_key_id(&mut self, id: KeyId) -> Result<()> {
        let hex = crate::crypto::key_id_hex(&id);
        self.exec(
            "cannot record the key id",
            "INSERT INTO twofa.meta (key, value) VALUES ('key_id', $1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&hex],
        )?;
        Ok(())
    }

    fn set_meta(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(v) => self.exec(
                "cannot write twofa.meta",
                "INSERT INTO twofa.meta (key, value) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[&key, &v],
            )?,
            None => self.exec(
                "cannot write twofa.meta",
                "DELETE FROM twofa.meta WHERE key = $1",
                &[&key],
            )?,
        };
        Ok(())
    }

    fn reseal(&mut self, account_id: i64, old: &[u8], new: &[u8]) -> Result<bool> {
        let n = self.exec(
            "cannot store the resealed secret",
            "UPDATE twofa.credentials SET secret = $3 WHERE account_id = $1 AND secret = $2",
            &[&account_id, &old, &new],
        )?;
        Ok(n == 1)
    }

    fn any_sealed_without(&mut self, key: KeyId) -> Result<bool> {
        const WHAT: &str = "cannot read the secrets";
        self.stmts
            .query_one(
                &mut self.tx,
                WHAT,
                "SELECT EXISTS (SELECT 1 FROM twofa.credentials
                                WHERE substring(secret FROM 2 FOR 4) <> $1)",
                &[&key.as_slice()],
            )?
            .try_get(0)
            .db(WHAT)
    }

    fn org(&mut self, slug: &str) -> Result<Option<Org>> {
        query_org(&mut self.tx, self.stmts, slug)
    }

    fn add_org(&mut self, slug: &str, name: Option<&str>, now: Timestamp) -> Result<i64> {
        const WHAT: &str = "cannot add organisation";
        // ON CONFLICT keeps the transaction usable; a concurrent insert of the same slug
        // is waited for, then counts as existing.
        let row = self.stmts.query_opt(
            &mut self.tx,
            WHAT,
            "INSERT INTO twofa.orgs (slug, name, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (slug) DO NOTHING RETURNING id",
            &[&slug, &name, &now],
        )?;
        match row {
            Some(r) => r.try_get(0).db(WHAT),
            None => Err(refused(format!("organisation '{slug}' already exists"))),
        }
    }

    fn set_policy(&mut self, org_id: i64, policy: &Policy) -> Result<()> {
        self.exec(
            "cannot change the policy",
            "UPDATE twofa.orgs SET require_2fa = $2, grace_days = $3, policy_since = $4 WHERE id = $1",
            &[
                &org_id,
                &policy.required,
                &i64::from(policy.grace_days),
                &policy.since,
            ],
        )?;
        Ok(())
    }

    fn account(&mut self, email: &str) -> Result<Option<Account>> {
        query_account(&mut self.tx, self.stmts, email, true)
    }

    fn add_account(
        &mut self,
        email: &str,
        org_id: Option<i64>,
        name: Option<&str>,
        now: Timestamp,
    ) -> Result<i64> {
        const WHAT: &str = "cannot add account";
        let row = self.stmts.query_opt(
            &mut self.tx,
            WHAT,
            "INSERT INTO twofa.accounts (email, org_id, name, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (email) DO NOTHING RETURNING id",
            &[&email, &org_id, &name, &now],
        )?;
        match row {
            Some(r) => r.try_get(0).db(WHAT),
            None => Err(refused(format!("account {email} already exists"))),
        }
    }

    fn credential(&mut self, account_id: i64) -> Result<Option<CredentialRow>> {
        query_credential(&mut self.tx, self.stmts, account_id)
    }

    fn start_enrollment(&mut self, account_id: i64, c: &NewCredential<'_>) -> Result<()> {
        self.exec(
            "cannot remove the old recovery codes",
            "DELETE FROM twofa.recovery_codes WHERE account_id = $1",
            &[&account_id],
        )?;
        self.exec(
            "cannot store the enrollment",
            "INSERT INTO twofa.credentials
               (account_id, state, secret, created_at, expires_at, enrolled_at, last_step, last_used_at)
             VALUES ($1, 'pending', $2, $3, $4, NULL, NULL, NULL)
             ON CONFLICT (account_id) DO UPDATE SET
               state = 'pending', secret = excluded.secret, created_at = excluded.created_at,
               expires_at = excluded.expires_at, enrolled_at = NULL, last_step = NULL,
               last_used_at = NULL",
            &[&account_id, &c.sealed_secret, &c.created_at, &c.expires_at],
        )?;
        Ok(())
    }

    fn confirm(&mut self, account_id: i64, step: u64, now: Timestamp) -> Result<()> {
        self.exec(
            "cannot confirm the enrollment",
            "UPDATE twofa.credentials SET state = 'enabled', expires_at = NULL, enrolled_at = $2,
                    last_step = $3
             WHERE account_id = $1 AND state = 'pending'",
            &[&account_id, &now, &(step as i64)],
        )?;
        self.exec(
            "cannot reset the failure count",
            "UPDATE twofa.accounts SET failed_attempts = 0, locked_until = NULL WHERE id = $1",
            &[&account_id],
        )?;
        Ok(())
    }

    fn accept_step(&mut self, account_id: i64, step: u64, now: Timestamp) -> Result<bool> {
        let n = self.exec(
            "cannot record the accepted code",
            "UPDATE twofa.credentials SET last_step = $2, last_used_at = $3
             WHERE account_id = $1 AND state = 'enabled' AND (last_step IS NULL OR last_step < $2)",
            &[&account_id, &(step as i64), &now],
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
            "UPDATE twofa.accounts SET failed_attempts = $2, locked_until = $3 WHERE id = $1",
            &[&account_id, &i64::from(failed), &locked_until],
        )?;
        Ok(())
    }

    fn clear_failures(&mut self, account_id: i64) -> Result<bool> {
        let n = self.exec(
            "cannot clear the failure count",
            "UPDATE twofa.accounts SET failed_attempts = 0, locked_until = NULL
             WHERE id = $1 AND (failed_attempts <> 0 OR locked_until IS NOT NULL)",
            &[&account_id],
        )?;
        Ok(n == 1)
    }

    fn remove_credential(&mut self, account_id: i64) -> Result<bool> {
        self.exec(
            "cannot remove the recovery codes",
            "DELETE FROM twofa.recovery_codes WHERE account_id = $1",
            &[&account_id],
        )?;
        let n = self.exec(
            "cannot remove the credential",
            "DELETE FROM twofa.credentials WHERE account_id = $1",
            &[&account_id],
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
            "DELETE FROM twofa.recovery_codes WHERE account_id = $1",
            &[&account_id],
        )?;
        for c in codes {
            self.exec(
                "cannot store a recovery code",
                "INSERT INTO twofa.recovery_codes (account_id, lookup, hash, created_at)
                 VALUES ($1, $2, $3, $4)",
                &[&account_id, &c.lookup, &c.hash, &now],
            )?;
        }
        Ok(())
    }

    fn spend_recovery_code(&mut self, code_id: i64, now: Timestamp) -> Result<Spend> {
        let n = self.exec(
            "cannot spend the recovery code",
            "UPDATE twofa.recovery_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL",
            &[&code_id, &now],
        )?;
        if n == 1 {
            return Ok(Spend::Spent);
        }
        const WHAT: &str = "cannot read the recovery code";
        let exists: bool = self
            .stmts
            .query_one(
                &mut self.tx,
                WHAT,
                "SELECT EXISTS (SELECT 1 FROM twofa.recovery_codes WHERE id = $1)",
                &[&code_id],
            )?
            .try_get(0)
            .db(WHAT)?;
        Ok(if exists {
            Spend::AlreadySpent
        } else {
            Spend::Gone
        })
    }

    fn recovery_codes_left(&mut self, account_id: i64) -> Result<u32> {
        const WHAT: &str = "cannot count recovery codes";
        let n: i64 = self
            .stmts
            .query_one(
                &mut self.tx,
                WHAT,
                "SELECT count(*) FROM twofa.recovery_codes WHERE account_id = $1 AND used_at IS NULL",
                &[&account_id],
            )?
            .try_get(0)
            .db(WHAT)?;
        Ok(to_u32(n))
    }

    fn log(&mut self, e: Event) -> Result<()> {
        self.exec(
            "cannot write the event log",
            "INSERT INTO twofa.events (at, actor, action, email, org, detail)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[&e.at, &e.actor, &e.action, &e.email, &e.org, &e.detail],
        )?;
        self.events.push(e);
        Ok(())
    }

    fn commit(self: Box<Self>) -> Result<Vec<Event>> {
        let PgTx { tx, events, .. } = *self;
        tx.commit().db("cannot commit")?;
        Ok(events)
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
        for sql in MIGRATIONS {
            let code: String = sql
                .lines()
                .map(|l| l.split_once("--").map_or(l, |(code, _)| code))
                .collect::<Vec<_>>()
                .join(" ");
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
