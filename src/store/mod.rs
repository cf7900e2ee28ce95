//! All SQL lives below this module, behind [`Store`] and [`Tx`]: commands see domain types
//! only.
//!
//! Three backends: SQLite (a file path, the embedded default), PostgreSQL (a
//! `postgres://` or `postgresql://` URL) and MySQL or MariaDB (a `mysql://` or
//! `mariadb://` URL); [`open`] picks one from the target.
//!
//! Reads that need no lock go through [`Store`]; every change runs in a [`Tx`], so a
//! read-then-write (replay check, failure count, recovery-code spend) is atomic across
//! processes: SQLite takes the write lock when the transaction begins (`BEGIN IMMEDIATE`),
//! PostgreSQL and MySQL make write transactions take turns and lock the account row when
//! [`AccountReads::account`] reads it (`SELECT … FOR UPDATE`). Events logged in a transaction are returned by [`Tx::commit`] for the
//! notification hook.
//!
//! The rooms, each one concern, each written once for every backend:
//!
//! | file | owns |
//! | --- | --- |
//! | `meta.rs` | `twofa_meta`, the key id, resealing in a key rotation |
//! | `orgs.rs` | organisations and their policies |
//! | `accounts.rs` | accounts, `status`/`audit` records, failures, look-alike emails |
//! | `credentials.rs` | credentials, replacement, accepted steps, recovery codes, import/export |
//! | `events.rs`, `event_chain.rs` | the event log; walking, pruning and backfilling its chain |
//! | `sync.rs` | `user sync`: the application's query ([`Source`]) and twofa's side |
//! | `support.rs` | exemptions, own deadlines, reminders, drift, access codes |
//! | `requests.rs` | the four-eyes rule: approvals required, protected accounts, requests |
//! | `migrate.rs` | [`OpenMode`], the migrations and their one driver |
//! | `conn.rs` | the machinery: parameters, rows, [`conn::Backend`], the transaction |
//! | `sql.rs` | the statements a backend writes, one table per concern |
//!
//! Each concern file declares its part of [`Store`] and [`Tx`] (e.g. [`AccountStore`],
//! [`AccountTx`]), its row conversions, and the implementation over any backend. A backend
//! (`sqlite/`, `postgres/`, `mysql/`) is its connection handling (`mod.rs`) and one table of SQL
//! (`sql.rs`), so a further backend is one more directory here.

mod accounts;
mod conn;
mod credentials;
mod event_chain;
mod events;
mod meta;
mod migrate;
mod mysql;
mod orgs;
mod postgres;
mod requests;
mod sql;
mod sqlite;
mod support;
mod sync;

use std::borrow::Cow;
use std::path::Path;

use anyhow::Result;

use conn::{Backend, Commit, Conn, CoreTx};
use meta::write_meta;

pub use accounts::{AccountFilter, AccountReads, AccountStore, AccountTx, NewAccount};
pub use credentials::Spend;
pub use credentials::{CredentialStore, CredentialTx, EnabledSecret, NewCredential, SecretFilter};
pub use credentials::{DeviceRename, ImportedSecret, StepUse, StoredSecret};
pub use event_chain::{ChainEnds, EventChainStore, EventChainTx};
pub use events::{EventFilter, EventStore, EventTx, StoredEvent};
pub use meta::{MetaStore, MetaTx, SealedSecret};
pub use migrate::{OpenMode, Opened};
pub use orgs::{OrgStore, OrgTx};
pub use requests::{Closing, NewRequest, RequestReads, RequestTx};
pub use support::{NewAccessCode, SentReminders, SupportReads, SupportTx};
pub use sync::{AppUser, Source, SyncTx};

use crate::model::Event;

/// Opens the database at `target`: a PostgreSQL or MySQL URL, or else an SQLite path.
pub fn open(target: &str, mode: OpenMode) -> Result<(Box<dyn Store>, Opened)> {
    if mysql::is_url(target) {
        let (store, opened) = mysql::MyStore::open(target, mode)?;
        return Ok((Box::new(store), opened));
    }
    if postgres::is_url(target) {
        let (store, opened) = postgres::PgStore::open(target, mode)?;
        return Ok((Box::new(store), opened));
    }
    let (store, opened) = sqlite::SqliteStore::open(Path::new(target), mode)?;
    Ok((Box::new(store), opened))
}

/// Opens the application's database at `target` (an SQLite path, a PostgreSQL or a MySQL
/// URL) to read it only.
pub fn open_source(target: &str) -> Result<Box<dyn Source>> {
    if mysql::is_url(target) {
        return Ok(Box::new(mysql::MySource::open(target)?));
    }
    if postgres::is_url(target) {
        return Ok(Box::new(postgres::PgSource::open(target)?));
    }
    Ok(Box::new(sqlite::SqliteSource::open(Path::new(target))?))
}

/// Whether `target` is a database server's URL (PostgreSQL, MySQL) rather than a file path.
pub fn is_url(target: &str) -> bool {
    postgres::is_url(target) || mysql::is_url(target)
}

/// `target` as messages may show it: a URL without its password.
pub fn display_target(target: &str) -> Cow<'_, str> {
    if mysql::is_url(target) {
        Cow::Owned(mysql::redact(target))
    } else if postgres::is_url(target) {
        Cow::Owned(postgres::redact(target))
    } else {
        Cow::Borrowed(target)
    }
}

/// Reads that take no write lock: each concern's part (its `…Store` trait), and the
/// connection's own settings below.
pub trait Store:
    MetaStore
    + OrgStore
    + AccountReads
    + AccountStore
    + CredentialStore
    + EventStore
    + EventChainStore
    + SupportReads
    + RequestReads
{
    /// Begins a write transaction. SQLite holds the write lock until commit or drop;
    /// PostgreSQL locks each account row as [`AccountReads::account`] reads it.
    fn begin(&mut self) -> Result<Box<dyn Tx + '_>>;
    /// Whether the transactions begun from now on keep the events they write, for
    /// [`Tx::commit`] to return (the notification hook's); on by default. A bulk command
    /// without a hook would otherwise hold every event of its transaction in memory.
    fn keep_events(&mut self, keep: bool);
    /// The next write transactions read far more than they change (`user sync` reads
    /// every account): SQLite keeps a small page cache for them rather than the one of up
    /// to 256 MiB that bulk writes grow, so memory stays flat however large the database
    /// (the operating system caches the file anyway); PostgreSQL has nothing to change.
    fn mostly_reading(&mut self) -> Result<()>;
    /// Makes every later commit durable before it returns, also against a power loss
    /// (`verify --batch`, which answers after each commit and keeps the database open for
    /// as long as it runs): SQLite syncs the WAL at each commit (`synchronous = FULL`;
    /// other commands keep `NORMAL`, whose commits reach the disk when the command closes
    /// the database); PostgreSQL's commits are durable already, unless the server turned
    /// `synchronous_commit` off, which this session then turns on.
    fn sync_every_commit(&mut self) -> Result<()>;
    /// Whether every commit is durable before it returns, as the database reports its
    /// setting.
    fn every_commit_synced(&mut self) -> Result<bool>;
}

/// One write transaction, each concern's part (its `…Tx` trait). Dropped without
/// [`Tx::commit`], it rolls back.
pub trait Tx:
    MetaTx
    + OrgTx
    + AccountReads
    + AccountTx
    + CredentialTx
    + EventTx
    + EventChainTx
    + SyncTx
    + SupportReads
    + SupportTx
    + RequestReads
    + RequestTx
{
    /// Commits; returns the events it logged (none when the store was told not to keep them:
    /// [`Store::keep_events`]).
    fn commit(self: Box<Self>) -> Result<Vec<Event>>;
}

impl<B: Backend> Store for B {
    fn begin(&mut self) -> Result<Box<dyn Tx + '_>> {
        let keep_events = *Backend::keep_events(self);
        Ok(Box::new(CoreTx {
            conn: self.transaction()?,
            sql: B::SQL,
            events: Vec::new(),
            keep_events,
            chain_head: None,
        }))
    }

    fn keep_events(&mut self, keep: bool) {
        *Backend::keep_events(self) = keep;
    }

    fn mostly_reading(&mut self) -> Result<()> {
        Backend::mostly_reading(self)
    }

    fn sync_every_commit(&mut self) -> Result<()> {
        Backend::sync_every_commit(self)
    }

    fn every_commit_synced(&mut self) -> Result<bool> {
        Backend::every_commit_synced(self)
    }
}

impl<C: Conn + Commit> Tx for CoreTx<C> {
    fn commit(self: Box<Self>) -> Result<Vec<Event>> {
        let CoreTx {
            mut conn,
            sql,
            events,
            chain_head,
            ..
        } = *self;
        if let Some(head) = chain_head {
            write_meta(&mut conn, sql, crate::chain::HEAD, &head)?;
        }
        conn.commit()?;
        Ok(events)
    }
}
