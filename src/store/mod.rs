//! All SQL lives below this module, behind [`Store`] and [`Tx`]: commands see domain types
//! only. `common.rs` implements both once, with the row conversions and the migration
//! driver; a backend (`sqlite.rs`, `postgres.rs`) is its connection handling and one table
//! of SQL, so a further backend is one more file here.
//!
//! Two backends: SQLite (a file path, the embedded default) and PostgreSQL (a
//! `postgres://` or `postgresql://` URL); [`open`] picks one from the target.
//!
//! Reads that need no lock go through [`Store`]; every change runs in a [`Tx`], so a
//! read-then-write (replay check, failure count, recovery-code spend) is atomic across
//! processes: SQLite takes the write lock when the transaction begins (`BEGIN IMMEDIATE`),
//! PostgreSQL locks the account row when [`Tx::account`] reads it (`SELECT … FOR UPDATE`).
//! Events logged in a transaction are returned by [`Tx::commit`] for the notification hook.

mod common;
mod events;
mod pgpass;
mod pgtls;
mod postgres;
mod sorter;
mod sqlite;

use std::borrow::Cow;
use std::path::Path;

use anyhow::Result;

use crate::clock::Timestamp;
use crate::crypto::KeyId;
use crate::model::{
    AccessCodeRow, Account, AccountRecord, CredentialRow, Event, Org, OrgSummary,
    RecoveryCandidate, SyncAccount,
};
use crate::policy::{Policy, State};
use crate::recovery::HashedCode;

/// How to treat a database that is missing or has no twofa tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// It must exist and hold twofa's tables.
    Existing,
    /// It must exist and hold twofa's tables at this twofa's schema version; nothing is
    /// written (no migration, no key recorded): for the commands that only read.
    ReadOnly,
    /// Create the file if it is missing: only `enroll --create` where no database was
    /// named (the README's first run); every other command but `init` needs one.
    Create,
    /// Create the file if missing, and add twofa's tables to an existing file.
    Init,
}

/// What opening did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opened {
    /// The database file was created.
    pub created: bool,
    /// twofa's tables were added to a database that did not have them.
    pub initialised: bool,
}

/// Which accounts `audit` reads.
#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    pub org: Option<String>,
    pub state: Option<State>,
    /// Only accounts whose organisation requires 2FA (non-compliance is decided by policy.rs).
    pub required_only: bool,
    /// The time that decides whether a pending enrollment has expired.
    pub now: Timestamp,
    /// Only accounts whose email or name contains this text, case-insensitive (`find`).
    pub contains: Option<String>,
}

/// Which events `log` reads.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub email: Option<String>,
    pub since: Option<Timestamp>,
    pub limit: Option<u64>,
    pub org: Option<String>,
    /// Only these actions (exact names: `actions::matching` expands a family and old
    /// names); empty: every action.
    pub actions: Vec<String>,
    pub actor: Option<String>,
    /// Only events before this time.
    pub until: Option<Timestamp>,
}

/// An event as stored: its row id and chain hash (`None` for a row written outside twofa).
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub id: i64,
    pub event: Event,
    pub hash: Option<String>,
}

/// A credential's account row and sealed secret.
pub type SealedSecret = (i64, Vec<u8>);

/// What spending a recovery code did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spend {
    /// It was unspent and is now spent.
    Spent,
    /// It had been spent before.
    AlreadySpent,
    /// It no longer exists (the set was replaced meanwhile).
    Gone,
}

/// A new or replaced credential.
pub struct NewCredential<'a> {
    pub sealed_secret: &'a [u8],
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// Which enabled credentials `export` reads: one account, one organisation, or every one.
#[derive(Debug, Clone, Default)]
pub struct SecretFilter {
    pub email: Option<String>,
    pub org: Option<String>,
}

/// An enabled credential as `export` reads it: the account and its sealed secret.
pub struct EnabledSecret {
    pub account_id: i64,
    pub email: String,
    pub org: Option<String>,
    pub sealed_secret: Vec<u8>,
}

impl OpenMode {
    /// Whether a database that is missing, or has no twofa tables, is an error.
    pub fn must_exist(self) -> bool {
        matches!(self, OpenMode::Existing | OpenMode::ReadOnly)
    }
}

/// Opens the database at `target`: a PostgreSQL URL, or else an SQLite path.
pub fn open(target: &str, mode: OpenMode) -> Result<(Box<dyn Store>, Opened)> {
    if is_url(target) {
        let (store, opened) = postgres::PgStore::open(target, mode)?;
        return Ok((Box::new(store), opened));
    }
    let (store, opened) = sqlite::SqliteStore::open(Path::new(target), mode)?;
    Ok((Box::new(store), opened))
}

/// A row of the application's users query (`user sync`), every value as text, borrowed
/// from the row where it can be; `name` and `external_id` are `None` when the query
/// returns no such column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppUser<'a> {
    pub email: Option<Cow<'a, str>>,
    pub org: Option<Cow<'a, str>>,
    pub name: Option<Option<Cow<'a, str>>>,
    pub external_id: Option<Option<Cow<'a, str>>>,
}

/// The application's database, opened to read only: `user sync` runs its query there.
pub trait Source {
    /// Runs `sql` and streams its rows to `each`. A statement that could write is refused
    /// (exit 2) and does not run: SQLite checks the prepared statement on a `query_only`
    /// connection, PostgreSQL runs it in a `READ ONLY` transaction. The rows come ordered
    /// by the email column (bytewise, as twofa's accounts are), so that `user sync` can read
    /// both side by side: SQLite's are sorted by twofa in bounded memory, PostgreSQL's by
    /// the server. An order that is not (a collation) costs look-ups, never correctness.
    fn users(&mut self, sql: &str, each: &mut dyn FnMut(AppUser<'_>) -> Result<()>) -> Result<()>;
}

/// Opens the application's database at `target` (an SQLite path or a PostgreSQL URL) to
/// read it only.
pub fn open_source(target: &str) -> Result<Box<dyn Source>> {
    if is_url(target) {
        return Ok(Box::new(postgres::PgSource::open(target)?));
    }
    Ok(Box::new(sqlite::SqliteSource::open(Path::new(target))?))
}

/// Whether `target` is a database server's URL (PostgreSQL) rather than a file path.
pub fn is_url(target: &str) -> bool {
    postgres::is_url(target)
}

/// `target` as messages may show it: a URL without its password.
pub fn display_target(target: &str) -> Cow<'_, str> {
    if is_url(target) {
        Cow::Owned(postgres::redact(target))
    } else {
        Cow::Borrowed(target)
    }
}

/// Reads that take no write lock.
pub trait Store {
    /// The id of the key that seals the secrets, as recorded at `init`.
    fn key_id(&mut self) -> Result<Option<KeyId>>;
    /// A row of `twofa_meta` (e.g. a key rotation in progress).
    fn meta(&mut self, key: &str) -> Result<Option<String>>;
    /// Up to `limit` credentials whose secret is not sealed with `key`: (account row,
    /// sealed secret). A key rotation works through them in batches.
    fn sealed_without(&mut self, key: KeyId, limit: u32) -> Result<Vec<SealedSecret>>;
    /// Begins a write transaction. SQLite holds the write lock until commit or drop;
    /// PostgreSQL locks each account row as [`Tx::account`] reads it.
    fn begin(&mut self) -> Result<Box<dyn Tx + '_>>;
    /// Whether the transactions begun from now on keep the events they write, for
    /// [`Tx::commit`] to return (the notification hook's); on by default. A bulk command
    /// without a hook would otherwise hold every event of its transaction in memory.
    fn keep_events(&mut self, keep: bool);
    /// The organisation whose slug is `slug` in any case (`slug` itself first).
    fn org(&mut self, slug: &str) -> Result<Option<Org>>;
    fn orgs(&mut self) -> Result<Vec<OrgSummary>>;
    /// Every organisation's slug, by slug: [`Store::orgs`] without its counts, which read
    /// every account.
    fn org_slugs(&mut self) -> Result<Vec<String>>;
    fn account(&mut self, email: &str) -> Result<Option<Account>>;
    fn record(&mut self, email: &str) -> Result<Option<AccountRecord>>;
    /// Streams the accounts that match, ordered by email, to `each`.
    fn records(
        &mut self,
        filter: &AccountFilter,
        each: &mut dyn FnMut(AccountRecord) -> Result<()>,
    ) -> Result<()>;
    /// The account's credential (read-only look, e.g. to check a code before hashing).
    fn credential(&mut self, account_id: i64) -> Result<Option<CredentialRow>>;
    /// The account's recovery codes whose look-up prefix is `lookup`.
    fn recovery_candidates(
        &mut self,
        account_id: i64,
        lookup: &str,
    ) -> Result<Vec<RecoveryCandidate>>;
    /// Streams every stored secret: (account row, email, sealed secret).
    #[allow(clippy::type_complexity)] // a callback; an alias would only hide its shape
    fn secrets(&mut self, each: &mut dyn FnMut(i64, &str, &[u8]) -> Result<()>) -> Result<()>;
    /// Streams events, newest first.
    fn events(
        &mut self,
        filter: &EventFilter,
        each: &mut dyn FnMut(Event) -> Result<()>,
    ) -> Result<()>;
    /// Streams the events after row `after_id` that match, oldest first (`log --follow`);
    /// `filter.limit` keeps the newest that many.
    fn events_after(
        &mut self,
        filter: &EventFilter,
        after_id: i64,
        each: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()>;
    /// The row id of the newest event (0 when the log is empty).
    fn last_event_id(&mut self) -> Result<i64>;
    /// The chain's anchor and head (`twofa_meta`) and every event oldest first with its
    /// hash, from one snapshot, for `log verify`; stops when `each` returns false. Returns
    /// the ends (also when there is no event).
    fn event_chain(
        &mut self,
        each: &mut dyn FnMut(&ChainEnds, StoredEvent) -> Result<bool>,
    ) -> Result<ChainEnds>;
    /// How many events the log holds, and the newest of them, from one snapshot (`log
    /// head`).
    fn log_head(&mut self) -> Result<(u64, Option<StoredEvent>)>;
    /// How many events the log has had per action, pruned ones included.
    fn event_counts(&mut self) -> Result<Vec<(String, u64)>>;
    /// The reminder thresholds (days) recorded as sent for the account and this deadline.
    fn reminders_sent(&mut self, account_id: i64, deadline: Timestamp) -> Result<Vec<u32>>;
    /// Stored emails that may be what someone meant by `email` ("did you mean"): a
    /// bounded set read through the email index, never every email.
    fn email_candidates(&mut self, email: &str) -> Result<Vec<String>>;
    /// The account's temporary access code, if one was issued.
    fn access_code(&mut self, account_id: i64) -> Result<Option<AccessCodeRow>>;
    /// How many recovery codes the account has, spent or not: 0 when none were issued for
    /// its credential (an imported one, until `recovery regenerate`).
    fn recovery_codes_issued(&mut self, account_id: i64) -> Result<u32>;
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

/// Where the event chain starts and ends, as `twofa_meta` records them.
#[derive(Debug, Clone, Default)]
pub struct ChainEnds {
    pub anchor: Option<String>,
    pub head: Option<String>,
}

/// One write transaction. Dropped without [`Tx::commit`], it rolls back.
pub trait Tx {
    /// Records the key of a database that has none; false when one is recorded already
    /// (another twofa set the database up at the same moment).
    fn claim_key_id(&mut self, id: KeyId) -> Result<bool>;
    /// Records the key the secrets are sealed with, replacing the one before (rekey).
    fn set_key_id(&mut self, id: KeyId) -> Result<()>;
    /// Sets (or with `None` removes) a row of `twofa_meta`.
    fn set_meta(&mut self, key: &str, value: Option<&str>) -> Result<()>;
    /// Replaces a sealed secret if it is still `old` (a concurrent enroll wins); true when
    /// replaced.
    fn reseal(&mut self, account_id: i64, old: &[u8], new: &[u8]) -> Result<bool>;
    /// Whether any credential's secret is not sealed with `key`.
    fn any_sealed_without(&mut self, key: KeyId) -> Result<bool>;
    /// See [`Store::org`].
    fn org(&mut self, slug: &str) -> Result<Option<Org>>;
    /// Every organisation: (id, slug).
    fn org_ids(&mut self) -> Result<Vec<(i64, String)>>;
    /// Adds an organisation; an existing one is refused (exit 4).
    fn add_org(&mut self, slug: &str, name: Option<&str>, now: Timestamp) -> Result<i64>;
    fn set_policy(&mut self, org_id: i64, policy: &Policy) -> Result<()>;
    /// The account, kept from other transactions' changes until this one ends (read it
    /// before the credential or the recovery codes it decides about).
    fn account(&mut self, email: &str) -> Result<Option<Account>>;
    /// What `status` shows of the account, read in this transaction (after [`Tx::account`]
    /// locked its row).
    fn record(&mut self, email: &str) -> Result<Option<AccountRecord>>;
    /// Adds an account; an existing email is refused (exit 4).
    fn add_account(
        &mut self,
        email: &str,
        org_id: Option<i64>,
        name: Option<&str>,
        now: Timestamp,
    ) -> Result<i64>;
    fn credential(&mut self, account_id: i64) -> Result<Option<CredentialRow>>;
    /// Replaces the account's credential with a pending one (and drops its recovery codes).
    fn start_enrollment(&mut self, account_id: i64, credential: &NewCredential<'_>) -> Result<()>;
    /// Turns the pending credential into an enabled one, with `step` as accepted.
    fn confirm(&mut self, account_id: i64, step: u64, now: Timestamp) -> Result<()>;
    /// Sets (or replaces) the re-enrollment of an enabled credential, which keeps working
    /// with its recovery codes until the new secret is confirmed; false when the account
    /// has no enabled credential.
    fn start_replacement(
        &mut self,
        account_id: i64,
        credential: &NewCredential<'_>,
    ) -> Result<bool>;
    /// Makes the re-enrollment's secret the enabled one, with `step` as its first accepted
    /// step (a new credential starts its own replay history), and clears the failure count.
    fn confirm_replacement(&mut self, account_id: i64, step: u64, now: Timestamp) -> Result<()>;
    /// Records `step` as accepted if it is newer than the last accepted step; false when
    /// it is not (a replay that raced this one). The caller clears the failure count.
    fn accept_step(&mut self, account_id: i64, step: u64, now: Timestamp) -> Result<bool>;
    /// Sets the failure count and lock (decided by policy.rs from the row read in this
    /// transaction).
    fn set_failures(
        &mut self,
        account_id: i64,
        failed: u32,
        locked_until: Option<Timestamp>,
    ) -> Result<()>;
    /// Clears the failure count and any lock; true when there was something to clear.
    fn clear_failures(&mut self, account_id: i64) -> Result<bool>;
    /// Removes the credential and the recovery codes; true when there was a credential.
    fn remove_credential(&mut self, account_id: i64) -> Result<bool>;
    /// Replaces the whole recovery-code set.
    fn replace_recovery_codes(
        &mut self,
        account_id: i64,
        codes: &[HashedCode],
        now: Timestamp,
    ) -> Result<()>;
    /// Spends a code if it is still unspent (`… WHERE used_at IS NULL`).
    fn spend_recovery_code(&mut self, code_id: i64, now: Timestamp) -> Result<Spend>;
    fn recovery_codes_left(&mut self, account_id: i64) -> Result<u32>;
    /// Writes an event-log row in this transaction, chained to the one before (chain.rs).
    fn log(&mut self, event: Event) -> Result<()>;
    /// Streams events, newest first, as this transaction sees them (see
    /// [`Store::events`]): what an account did recently, decided under the write lock.
    fn events(
        &mut self,
        filter: &EventFilter,
        each: &mut dyn FnMut(Event) -> Result<()>,
    ) -> Result<()>;
    /// [`Store::event_chain`] as this transaction sees it (under the write lock, so that
    /// `log prune` removes only what it verified). After `each` stopped the walk, drop the
    /// transaction.
    fn event_chain(
        &mut self,
        each: &mut dyn FnMut(&ChainEnds, StoredEvent) -> Result<bool>,
    ) -> Result<ChainEnds>;
    /// Streams the oldest events, up to the first one at or after `before`, oldest first:
    /// the part of the chain that `log prune` may remove.
    fn events_before(
        &mut self,
        before: Timestamp,
        each: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()>;
    /// Deletes the events up to row `last_id`, makes `anchor` (the last one's hash) the
    /// chain's new anchor, and adds their counts per action to the pruned counts; returns
    /// how many it deleted.
    fn prune_events(&mut self, last_id: i64, anchor: &str) -> Result<u64>;
    /// The accounts of these emails (at most a few hundred at a time), by email: `user
    /// sync` looks up the application's users a batch at a time.
    fn sync_lookup(&mut self, emails: &[&str]) -> Result<Vec<SyncAccount>>;
    /// Up to `limit` accounts whose email sorts after `after` (bytewise; `""` for the
    /// first), by email, in place of `into`'s (whose strings it reuses): `user sync` reads
    /// every account in email order, a chunk at a time, beside the application's rows in
    /// the same order (a merge join).
    fn sync_scan(&mut self, after: &str, limit: u32, into: &mut Vec<SyncAccount>) -> Result<()>;
    /// Moves the account to `org_id` (or none); that organisation's grace starts at `now`.
    fn set_account_org(&mut self, id: i64, org_id: Option<i64>, now: Timestamp) -> Result<()>;
    fn set_account_name(&mut self, id: i64, name: Option<&str>) -> Result<()>;
    /// Records the application's id of the user.
    fn set_external_id(&mut self, id: i64, external_id: Option<&str>) -> Result<()>;
    /// Changes the account's email; an email that another account has is refused (exit 4).
    fn rename_account(&mut self, id: i64, new_email: &str) -> Result<()>;
    /// Deletes the account, its credential and recovery codes (its events stay); false
    /// when it was gone already.
    fn remove_account(&mut self, id: i64) -> Result<bool>;
    /// Sets (or with `None` ends) the account's exemption from its organisation's policy;
    /// true when that changed the row.
    fn set_exempt(&mut self, account_id: i64, until: Option<Timestamp>) -> Result<bool>;
    /// The reminder thresholds recorded as sent for the account and this deadline (read
    /// after [`Tx::account`] locked the row, so two runs at once decide one after the other).
    fn reminders_sent(&mut self, account_id: i64, deadline: Timestamp) -> Result<Vec<u32>>;
    /// Records reminders at `thresholds` as sent for the account and this deadline (those
    /// recorded already stay as they are).
    fn record_reminders(
        &mut self,
        account_id: i64,
        deadline: Timestamp,
        thresholds: &[u32],
        now: Timestamp,
    ) -> Result<()>;
    /// See [`Store::email_candidates`].
    fn email_candidates(&mut self, email: &str) -> Result<Vec<String>>;
    /// Stores the device's drift (in steps) on the account's credential (`resync`).
    fn set_drift(&mut self, account_id: i64, drift_steps: i64) -> Result<()>;
    /// Sets (or with `None` clears) the account's own compliance deadline; true when that
    /// changed the row.
    fn set_own_deadline(&mut self, account_id: i64, deadline: Option<Timestamp>) -> Result<bool>;
    /// Issues the account's access code (its hash), replacing any earlier one.
    fn set_access_code(
        &mut self,
        account_id: i64,
        hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()>;
    fn access_code(&mut self, account_id: i64) -> Result<Option<AccessCodeRow>>;
    /// Spends the access code whose hash is `hash` if it is unspent and unexpired at `now`
    /// (a conditional update); true when spent.
    fn spend_access_code(&mut self, account_id: i64, hash: &str, now: Timestamp) -> Result<bool>;
    /// Deletes the account's access code, whatever its state; returns its expiry when it was
    /// live (unspent and unexpired at `now`): the credential it was issued for is gone or
    /// replaced, or support cancelled it.
    fn revoke_access_code(&mut self, account_id: i64, now: Timestamp) -> Result<Option<Timestamp>>;
    /// Commits; returns the events it logged (none when the store was told not to keep them:
    /// [`Store::keep_events`]).
    fn commit(self: Box<Self>) -> Result<Vec<Event>>;
    /// Replaces the account's credential with an enabled one holding an imported secret
    /// (enrolled at `now`, no step accepted yet) and drops its recovery codes (`import`).
    fn import_credential(
        &mut self,
        account_id: i64,
        sealed_secret: &[u8],
        now: Timestamp,
    ) -> Result<()>;
    /// The enabled credentials of the accounts `filter` selects, ordered by email (`export`).
    fn enabled_secrets(&mut self, filter: &SecretFilter) -> Result<Vec<EnabledSecret>>;
}
