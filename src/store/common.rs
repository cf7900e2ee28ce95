//! The backend-neutral half of the store: [`Store`] and [`Tx`] written once over a
//! backend's connection ([`Conn`]), its rows ([`Columns`]) and its statements ([`Sql`]),
//! the row → domain conversions, and the one migration driver ([`migrate`]).
//!
//! A backend is its connection handling plus one [`Sql`] table whose statements read and
//! write the columns in the order this module converts them. The column lists are here
//! (macros, so that each backend's statements stay `const` strings).

use anyhow::Result;

use super::events::{self as chain_upkeep, BACKFILL_BATCH};
use super::{
    AccountFilter, ChainEnds, EventFilter, NewCredential, SealedSecret, Spend, Store, StoredEvent,
    Tx,
};
use super::{EnabledSecret, SecretFilter};
use crate::chain;
use crate::clock::Timestamp;
use crate::crypto::{KeyId, key_id_hex};
use crate::exit::{database, refused, usage};
use crate::model::{
    AccessCodeRow, Account, AccountRecord, CredentialRow, Event, Org, OrgSummary,
    RecoveryCandidate, Replacement, SyncAccount,
};
use crate::policy::{self, Credential, Policy, State};
use crate::recovery::HashedCode;

/// The columns [`account`] reads, from `accounts a LEFT JOIN orgs o`.
macro_rules! account_columns {
    () => {
        "a.id, a.email, o.slug, a.name, a.created_at, a.failed_attempts, a.locked_until,
         o.require_2fa, o.grace_days, o.policy_since, a.exempt_until"
    };
}

/// The columns [`record`] reads after the account's: its credential's, as the account row
/// keeps them (migration 007).
macro_rules! record_columns {
    () => {
        "a.cred_state, a.cred_expires_at, a.cred_enrolled_at, a.cred_last_used_at"
    };
}

/// The columns [`record`] reads after the unspent recovery codes.
macro_rules! record_tail_columns {
    () => {
        "a.org_joined_at, a.external_id"
    };
}

/// The columns [`sync_account`] reads, from `accounts a`.
macro_rules! sync_columns {
    () => {
        "a.id, a.email, a.org_id, a.name, a.external_id"
    };
}

/// The columns [`org`] reads.
macro_rules! org_columns {
    () => {
        "id, slug, name, require_2fa, grace_days, policy_since"
    };
}

/// The columns [`credential`] reads.
macro_rules! credential_columns {
    () => {
        "state, expires_at, secret, enrolled_at, last_step, last_used_at,
         replacement_secret, replacement_expires_at, drift_steps"
    };
}

/// The columns [`event`] reads.
macro_rules! event_columns {
    () => {
        "at, actor, action, email, org, detail"
    };
}

/// The columns [`stored_event`] reads: [`event`]'s, then the row id and the chain hash.
macro_rules! stored_event_columns {
    () => {
        "at, actor, action, email, org, detail, id, hash"
    };
}

/// An account with its organisation ([`account`]); `$t` is the backend's table prefix
/// (`twofa_`, or the schema `twofa.`).
#[rustfmt::skip]
macro_rules! account_select {
    ($t:literal) => {
        concat!(
            "SELECT ", $crate::store::common::account_columns!(),
            " FROM ", $t, "accounts a LEFT JOIN ", $t, "orgs o ON o.id = a.org_id"
        )
    };
}

/// An account's credential ([`credential`]); `$t` as in [`account_select`].
macro_rules! credential_select {
    ($t:literal) => {
        concat!(
            "SELECT ",
            $crate::store::common::credential_columns!(),
            " FROM ",
            $t,
            "credentials"
        )
    };
}

/// Puts a credential row (`$values`, in the order of the column list) in place of the
/// account's, if it has one, and drops a replacement in progress; `$t` as in
/// [`account_select`].
#[rustfmt::skip]
macro_rules! put_credential {
    ($t:literal, $values:literal) => {
        concat!(
            "INSERT INTO ", $t, "credentials
               (account_id, state, secret, created_at, expires_at, enrolled_at,
                last_step, last_used_at)
             VALUES ", $values, "
             ON CONFLICT (account_id) DO UPDATE SET
               state = excluded.state, secret = excluded.secret,
               created_at = excluded.created_at, expires_at = excluded.expires_at,
               enrolled_at = excluded.enrolled_at, last_step = excluded.last_step,
               last_used_at = excluded.last_used_at, replacement_secret = NULL,
               replacement_created_at = NULL, replacement_expires_at = NULL,
               drift_steps = 0"
        )
    };
}

/// An account with everything `status` and `audit` show ([`record`]); `$t` as in
/// [`account_select`]. The credential's facts and the unspent recovery codes are the
/// account row's copies (migration 007), shown only where 2FA is enabled; on SQLite an index
/// holds all of it in email order, so an audit is one ordered read.
#[rustfmt::skip]
macro_rules! record_select {
    ($t:literal) => {
        concat!(
            "SELECT ",
            $crate::store::common::account_columns!(),
            ", ",
            $crate::store::common::record_columns!(),
            ", CASE WHEN a.cred_state = 'enabled' THEN a.codes_left ELSE 0 END, ",
            $crate::store::common::record_tail_columns!(),
            ", ",
            $crate::store::common::support_columns!(),
            "
             FROM ", $t, "accounts a
             LEFT JOIN ", $t, "orgs o ON o.id = a.org_id"
        )
    };
}

/// The columns [`record`] reads after [`record_tail_columns`]: the support desk's (the
/// expiry of an unspent access code is the account row's copy, migration 008).
macro_rules! support_columns {
    () => {
        "a.own_deadline, a.cred_drift_steps, a.access_code_expires_at"
    };
}

/// Defines a backend's `MIGRATIONS`, from its directory `migrations/$dir/`,
/// `CHAIN_MIGRATION`, the migration that adds the event chain (the events before it are
/// hashed after it runs: compare a migration with it to know), and `SKELETON_MIGRATION`, the
/// one that adds the accounts' skeletons (computed for the accounts before it).
///
/// Append-only: schema version N is the N-th entry. Never change or reorder an entry.
#[rustfmt::skip]
macro_rules! migrations {
    ($dir:literal) => {
        const MIGRATIONS: &[&str] = &[
            include_str!(concat!("migrations/", $dir, "/001_initial.sql")),
            include_str!(concat!("migrations/", $dir, "/004_external_id.sql")),
            include_str!(concat!("migrations/", $dir, "/005_exemptions_reminders.sql")),
            CHAIN_MIGRATION,
            include_str!(concat!("migrations/", $dir, "/002_replacement.sql")),
            include_str!(concat!("migrations/", $dir, "/003_support.sql")),
            include_str!(concat!("migrations/", $dir, "/007_account_facts.sql")),
            SKELETON_MIGRATION,
        ];

        const CHAIN_MIGRATION: &str =
            include_str!(concat!("migrations/", $dir, "/006_event_chain.sql"));

        /// The migration that adds the accounts' skeletons (filled in after it runs).
        const SKELETON_MIGRATION: &str =
            include_str!(concat!("migrations/", $dir, "/008_hardening.sql"));
    };
}

pub(super) use {
    account_columns, account_select, credential_columns, credential_select, event_columns,
    migrations, org_columns, put_credential, record_columns, record_select, stored_event_columns,
};
pub(super) use {record_tail_columns, support_columns, sync_columns};

/// A backend's statements. Parameters are numbered in the order each field's comment
/// gives; selects return the columns of the conversion named.
pub(super) struct Sql {
    /// The numbered-parameter prefix: `?` or `$`.
    pub mark: &'static str,
    /// (key) → value.
    pub meta: &'static str,
    /// (key, value): insert or replace.
    pub set_meta: &'static str,
    /// (key).
    pub delete_meta: &'static str,
    /// (value): insert the key id unless one is recorded.
    pub claim_key_id: &'static str,
    /// (key id, limit) → account_id, secret: enabled, pending and replacement secrets.
    pub sealed_without: &'static str,
    /// (key id) → whether any secret (replacements too) is sealed with another key.
    pub any_sealed_without: &'static str,
    /// (account_id, old, new): the secret or the replacement secret that is `old`.
    pub reseal: &'static str,
    /// (slug) → [`org`]: the one whose slug is `slug` in any case (organisation ids are
    /// case-insensitive; a database written by hand may hold upper case), `slug` itself
    /// first.
    pub org: &'static str,
    /// () → [`org`], accounts, enabled; by slug.
    pub orgs: &'static str,
    /// () → slug of every organisation, by slug.
    pub org_slugs: &'static str,
    /// () → id, slug of every organisation.
    pub org_ids: &'static str,
    /// (slug, name, created_at) → id, or no row when the slug exists.
    pub add_org: &'static str,
    /// (id, required, grace_days, since).
    pub set_policy: &'static str,
    /// (email) → [`account`].
    pub account: &'static str,
    /// (email) → [`account`], its row locked until the transaction ends.
    pub account_for_update: &'static str,
    /// (email, org_id, name, created_at, skeleton) → id, or no row when the email or the
    /// skeleton exists.
    pub add_account: &'static str,
    /// (email, skeleton) → the email of the account that has this email, else of one that
    /// has this skeleton: what refused an add or a rename.
    pub account_conflict: &'static str,
    /// (after, limit) → id, email of accounts without a skeleton, by id.
    pub unskeletoned: &'static str,
    /// The start of the statement that sets skeletons, `(id, skeleton)` rows after it
    /// ([`set_skeletons_sql`]).
    pub set_skeletons: &'static str,
    /// (email) → [`record`].
    pub record: &'static str,
    /// [`record`]s: a select that ends in `WHERE` for the conditions of [`records_sql`].
    pub records: &'static str,
    /// (account_id) → [`credential`].
    pub credential: &'static str,
    /// (account_id, secret, created_at, expires_at): insert or replace as pending.
    pub start_enrollment: &'static str,
    /// (account_id, now, step).
    pub confirm: &'static str,
    /// (account_id, secret, created_at, expires_at): only on an enabled credential.
    pub start_replacement: &'static str,
    /// (account_id, now, step): the replacement becomes the enabled secret.
    pub confirm_replacement: &'static str,
    /// (account_id, step, now): only a newer step, on an enabled credential.
    pub accept_step: &'static str,
    /// (account_id).
    pub delete_credential: &'static str,
    /// (account_id, failed, locked_until).
    pub set_failures: &'static str,
    /// (account_id).
    pub reset_failures: &'static str,
    /// (account_id): only where there is something to clear.
    pub clear_failures: &'static str,
    /// (account_id, lookup) → [`recovery_candidate`].
    pub recovery_candidates: &'static str,
    /// (account_id, lookup, hash, created_at).
    pub add_recovery_code: &'static str,
    /// (account_id).
    pub delete_recovery_codes: &'static str,
    /// (id, now): only an unspent code.
    pub spend_recovery_code: &'static str,
    /// (id) → whether it exists.
    pub recovery_code_exists: &'static str,
    /// (account_id) → how many are unspent.
    pub recovery_codes_left: &'static str,
    /// (account_id) → how many there are, spent or not.
    pub recovery_codes_issued: &'static str,
    /// () → account_id, email, secret (replacement secrets too); by account_id.
    pub secrets: &'static str,
    /// [`event`]s: a select that ends in `WHERE` for the conditions of [`events_sql`].
    pub events: &'static str,
    /// (at, actor, action, email, org, detail, hash).
    pub log: &'static str,
    /// (account_id, secret, now): insert or replace as enabled, enrolled at now.
    pub import_credential: &'static str,
    /// account_id, email, org slug, secret of enabled credentials: a select that ends in a
    /// condition, for the further conditions of [`enabled_secrets_sql`].
    pub enabled_secrets: &'static str,
    /// [`stored_event`]s: a select that ends in `WHERE`, like `events`.
    pub event_rows: &'static str,
    /// (before) → [`stored_event`]s from the oldest up to the first at or after `before`.
    pub events_before: &'static str,
    /// () → the newest event's id, 0 when there is none.
    pub last_event_id: &'static str,
    /// () → how many events there are.
    pub event_count: &'static str,
    /// () → action, count.
    pub event_counts: &'static str,
    /// (last_id) → action, count of the events up to it.
    pub prune_counts: &'static str,
    /// (last_id): delete the events up to it.
    pub prune_events: &'static str,
    /// () → key, value of the `events_pruned.ACTION` meta rows.
    pub pruned_counts: &'static str,
    /// (after_id, limit) → [`stored_event`]s without a hash, oldest first.
    pub unhashed_events: &'static str,
    /// (id, hash).
    pub set_event_hash: &'static str,
    /// [`sync_account`]s: a select that ends in `IN (` for the emails of [`sync_lookup_sql`].
    pub sync_lookup: &'static str,
    /// (after, limit) → [`sync_account`]s whose email sorts after `after` (bytewise), by
    /// email, at most `limit`: `user sync` reads every account this way, a chunk at a time.
    pub sync_scan: &'static str,
    /// (id, org_id, now): the account moves, and its organisation's grace starts now.
    pub set_account_org: &'static str,
    /// (id, name).
    pub set_account_name: &'static str,
    /// (id, external_id).
    pub set_external_id: &'static str,
    /// (id, new email, its skeleton): only while no other account has the new email or
    /// the skeleton.
    pub rename_account: &'static str,
    /// (id): the account with its credential and recovery codes (by cascade).
    pub remove_account: &'static str,
    /// (account_id, until): only where it changes the row.
    pub set_exempt: &'static str,
    /// (account_id, deadline) → threshold; ascending.
    pub reminders_sent: &'static str,
    /// (account_id, deadline, threshold, sent_at): unless recorded already.
    pub record_reminder: &'static str,
    /// (from, before, limit) → email; emails in `[from, before)`, by email.
    pub emails_between: &'static str,
    /// (pattern, limit) → email; emails `LIKE` the pattern (escape `\\`).
    pub emails_like: &'static str,
    /// (account_id, drift_steps): on the account's credential.
    pub set_drift: &'static str,
    /// (account_id, own_deadline or NULL): only where it changes the row.
    pub set_own_deadline: &'static str,
    /// (account_id) → [`access_code`].
    pub access_code: &'static str,
    /// (account_id, hash, created_at, expires_at): insert or replace.
    pub set_access_code: &'static str,
    /// (account_id, now, hash): only that code, unspent and unexpired.
    pub spend_access_code: &'static str,
    /// (account_id).
    pub delete_access_code: &'static str,
    /// (account_id, now) → the expiry of the code deleted if it was live (unspent and
    /// unexpired at now), else NULL; no row when there was none.
    pub revoke_access_code: &'static str,
}

/// A statement parameter, which each backend binds as its own type.
#[derive(Debug, Clone, Copy)]
pub(super) enum Arg<'a> {
    Int(Option<i64>),
    Text(Option<&'a str>),
    Bytes(&'a [u8]),
    Flag(bool),
}

fn int(v: i64) -> Arg<'static> {
    Arg::Int(Some(v))
}

fn text(v: &str) -> Arg<'_> {
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
    fn int(&self, i: usize) -> Result<Option<i64>> {
        match self.get(i)? {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(v)),
            other => Err(unexpected(i, &other)),
        }
    }

    fn text(&self, i: usize) -> Result<Option<String>> {
        match self.get(i)? {
            Value::Null => Ok(None),
            Value::Text(v) => Ok(Some(v)),
            other => Err(unexpected(i, &other)),
        }
    }

    /// A boolean: SQLite stores it as an integer.
    fn flag(&self, i: usize) -> Result<Option<bool>> {
        match self.get(i)? {
            Value::Null => Ok(None),
            Value::Flag(v) => Ok(Some(v)),
            Value::Int(v) => Ok(Some(v != 0)),
            other => Err(unexpected(i, &other)),
        }
    }

    fn bytes(&self, i: usize) -> Result<Option<Vec<u8>>> {
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
fn need<T>(v: Option<T>, i: usize) -> Result<T> {
    v.ok_or_else(|| database(format!("unexpected NULL in result column {i}")))
}

/// Counters are 64-bit in the database; twofa writes them from `u32`.
fn count(r: &dyn Columns, i: usize) -> Result<u32> {
    Ok(need(r.int(i)?, i)?.clamp(0, i64::from(u32::MAX)) as u32)
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
fn first<T>(
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
fn all<T>(
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
fn flag_of(c: &mut (impl Conn + ?Sized), what: &str, sql: &str, args: &[Arg<'_>]) -> Result<bool> {
    let v = first(c, what, sql, args, |r| need(r.flag(0)?, 0))?;
    need(v, 0)
}

/// A stored credential's state column as the domain sees it.
pub(super) fn credential_state(
    state: Option<&str>,
    expires_at: Option<Timestamp>,
) -> Option<Credential> {
    match state {
        Some("enabled") => Some(Credential::Enabled),
        Some("pending") => Some(Credential::Pending {
            expires_at: expires_at.unwrap_or(0),
        }),
        _ => None,
    }
}

/// [`account_columns`] from column 0.
pub(super) fn account(r: &dyn Columns) -> Result<Account> {
    let policy = match r.flag(7)? {
        Some(required) => Some(Policy {
            required,
            grace_days: count(r, 8)?,
            since: r.int(9)?,
        }),
        None => None,
    };
    Ok(Account {
        id: need(r.int(0)?, 0)?,
        email: need(r.text(1)?, 1)?,
        org: r.text(2)?,
        name: r.text(3)?,
        created_at: need(r.int(4)?, 4)?,
        failed_attempts: count(r, 5)?,
        locked_until: r.int(6)?,
        policy,
        exempt_until: r.int(10)?,
    })
}

/// [`account_columns`], [`record_columns`], then the unspent recovery codes.
pub(super) fn record(r: &dyn Columns) -> Result<AccountRecord> {
    Ok(AccountRecord {
        account: account(r)?,
        credential: credential_state(r.text(11)?.as_deref(), r.int(12)?),
        enrolled_at: r.int(13)?,
        last_used_at: r.int(14)?,
        recovery_codes_left: count(r, 15)?,
        org_joined_at: r.int(16)?,
        external_id: r.text(17)?,
        own_deadline: r.int(18)?,
        drift_steps: r.int(19)?.unwrap_or(0),
        access_code_expires_at: r.int(20)?,
    })
}

/// A row of [`sync_columns`] into `a`, reusing its strings.
fn sync_account_into(r: &dyn Columns, a: &mut SyncAccount) -> Result<()> {
    a.id = need(r.int(0)?, 0)?;
    need(r.text_into(1, &mut a.email)?.then_some(()), 1)?;
    a.org_id = r.int(2)?;
    for (i, field) in [(3, &mut a.name), (4, &mut a.external_id)] {
        let mut buf = field.take().unwrap_or_default();
        if r.text_into(i, &mut buf)? {
            *field = Some(buf);
        }
    }
    Ok(())
}

/// A row of [`sync_columns`].
fn sync_account(r: &dyn Columns) -> Result<SyncAccount> {
    let mut a = SyncAccount::default();
    sync_account_into(r, &mut a)?;
    Ok(a)
}

/// The statement that looks up `n` emails at once: `… IN (?1, ?2, …)` in the backend's
/// marks, by email. Only two sizes are used (a full batch and the last), so each stays
/// prepared.
fn sync_lookup_sql(sql: &Sql, n: usize) -> String {
    let marks: Vec<String> = (1..=n).map(|i| format!("{}{i}", sql.mark)).collect();
    format!("{}{}) ORDER BY a.email", sql.sync_lookup, marks.join(", "))
}

/// [`org_columns`] from column 0.
pub(super) fn org(r: &dyn Columns) -> Result<Org> {
    Ok(Org {
        id: need(r.int(0)?, 0)?,
        slug: need(r.text(1)?, 1)?,
        name: r.text(2)?,
        policy: Policy {
            required: need(r.flag(3)?, 3)?,
            grace_days: count(r, 4)?,
            since: r.int(5)?,
        },
    })
}

/// [`org_columns`], then the counts of accounts and of enabled accounts.
fn org_summary(r: &dyn Columns) -> Result<OrgSummary> {
    Ok(OrgSummary {
        org: org(r)?,
        accounts: u64::from(count(r, 6)?),
        enabled: u64::from(count(r, 7)?),
    })
}

/// [`credential_columns`].
pub(super) fn credential(r: &dyn Columns) -> Result<CredentialRow> {
    Ok(CredentialRow {
        state: credential_state(r.text(0)?.as_deref(), r.int(1)?).unwrap_or(Credential::Enabled),
        sealed_secret: need(r.bytes(2)?, 2)?,
        enrolled_at: r.int(3)?,
        last_step: r.int(4)?.map(|s| s as u64),
        last_used_at: r.int(5)?,
        replacement: match r.bytes(6)? {
            Some(sealed_secret) => Some(Replacement {
                sealed_secret,
                expires_at: r.int(7)?.unwrap_or(0),
            }),
            None => None,
        },
        drift_steps: r.int(8)?.unwrap_or(0),
    })
}

/// hash, expires_at, used_at.
fn access_code(r: &dyn Columns) -> Result<AccessCodeRow> {
    Ok(AccessCodeRow {
        hash: need(r.text(0)?, 0)?,
        expires_at: need(r.int(1)?, 1)?,
        used_at: r.int(2)?,
    })
}

/// How many stored emails each way [`email_candidates`] reads at most.
const CANDIDATES: i64 = 500;

/// Emails that might be what someone meant by `email` (for "did you mean"), read through
/// the email index and bounded (never the whole table into memory): those that share the
/// first two characters of the local part and those with the same local part (index
/// ranges), and those with the same domain (a bounded `LIKE` scan).
fn email_candidates(c: &mut impl Conn, sql: &Sql, email: &str) -> Result<Vec<String>> {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let prefix: String = local.chars().take(2).collect();
    let same_local = format!("{local}@");
    let same_domain = format!("%@{}", like_escape(domain));
    let mut found: Vec<String> = Vec::new();
    let bounds: Vec<(String, String)> = [prefix.clone(), same_local.clone()]
        .into_iter()
        .filter_map(|p| next_prefix(&p).map(|after| (p, after)))
        .collect();
    let mut each = |r: &dyn Columns| {
        found.push(need(r.text(0)?, 0)?);
        Ok(())
    };
    const WHAT: &str = "cannot look for similar accounts";
    for (from, before) in &bounds {
        let args = [text(from), text(before), int(CANDIDATES)];
        c.each(WHAT, sql.emails_between, &args, &mut each)?;
    }
    if !domain.is_empty() {
        let args = [text(&same_domain), int(CANDIDATES)];
        c.each(WHAT, sql.emails_like, &args, &mut each)?;
    }
    found.sort();
    found.dedup();
    Ok(found)
}

/// The smallest string greater than every string that starts with `prefix` (its last
/// character incremented); `None` for an empty prefix.
fn next_prefix(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(last as u32 + 1) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// The `LIKE` pattern of `find TEXT`: TEXT anywhere, lower-cased, taken literally.
fn contains_pattern(text: &str) -> String {
    format!("%{}%", like_escape(&text.to_lowercase()))
}

/// `text` for a `LIKE … ESCAPE '\'` pattern that matches it literally.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// [`event_columns`].
pub(super) fn event(r: &dyn Columns) -> Result<Event> {
    Ok(Event {
        at: need(r.int(0)?, 0)?,
        actor: need(r.text(1)?, 1)?,
        action: need(r.text(2)?, 2)?,
        email: r.text(3)?,
        org: r.text(4)?,
        detail: r.text(5)?,
    })
}

/// [`stored_event_columns`].
pub(super) fn stored_event(r: &dyn Columns) -> Result<StoredEvent> {
    Ok(StoredEvent {
        event: event(r)?,
        id: need(r.int(6)?, 6)?,
        hash: r.text(7)?,
    })
}

/// A key and a text value, or an action and its count.
fn pair(r: &dyn Columns) -> Result<(String, String)> {
    Ok((need(r.text(0)?, 0)?, need(r.text(1)?, 1)?))
}

fn action_count(r: &dyn Columns) -> Result<(String, i64)> {
    Ok((need(r.text(0)?, 0)?, need(r.int(1)?, 1)?))
}

/// id, hash, whether spent.
fn recovery_candidate(r: &dyn Columns) -> Result<RecoveryCandidate> {
    Ok(RecoveryCandidate {
        id: need(r.int(0)?, 0)?,
        hash: need(r.text(1)?, 1)?,
        used: need(r.flag(2)?, 2)?,
    })
}

fn sealed(r: &dyn Columns) -> Result<SealedSecret> {
    Ok((need(r.int(0)?, 0)?, need(r.bytes(1)?, 1)?))
}

/// The statement and parameters that read `audit`'s accounts. Whether a pending enrollment
/// has expired is decided by [`policy::state`] on each row (see [`wanted`]), so the
/// statement only narrows by the stored state.
fn records_sql<'f>(
    sql: &Sql,
    filter: &'f AccountFilter,
    contains: Option<&'f str>,
) -> (String, Vec<Arg<'f>>) {
    let mut query = String::from(sql.records);
    let mut args = Vec::new();
    query.push_str(" true");
    if let Some(org) = &filter.org {
        args.push(text(org));
        query.push_str(&format!(" AND o.slug = {}{}", sql.mark, args.len()));
    }
    if filter.required_only {
        query.push_str(" AND o.require_2fa");
    }
    if let Some(pattern) = contains {
        // Both backends read lower() and LIKE … ESCAPE alike; emails are stored lower-case.
        args.push(text(pattern));
        let n = format!("{}{}", sql.mark, args.len());
        query.push_str(&format!(
            " AND (a.email LIKE {n} ESCAPE '\\' OR lower(coalesce(a.name, '')) LIKE {n} ESCAPE '\\')"
        ));
    }
    query.push_str(match filter.state {
        None => "",
        Some(State::Enabled) => " AND a.cred_state = 'enabled'",
        Some(State::Pending) => " AND a.cred_state = 'pending'",
        Some(State::Disabled) => " AND (a.cred_state IS NULL OR a.cred_state = 'pending')",
    });
    query.push_str(" ORDER BY a.email");
    (query, args)
}

/// Whether a row that [`records_sql`] read is one the filter asks for.
fn wanted(filter: &AccountFilter, record: &AccountRecord) -> bool {
    filter
        .state
        .is_none_or(|s| policy::state(record.credential, filter.now) == s)
}

/// Which events, in which order, after which row.
struct EventSelect<'f> {
    filter: &'f EventFilter,
    after_id: Option<i64>,
    oldest_first: bool,
}

/// The statement and parameters that read `log`'s events from `select` (a select that
/// ends in `WHERE`). Only the conditions in use are written: `(?1 IS NULL OR email = ?1)`
/// kept SQLite from the (email, id) index.
fn events_sql<'f>(sql: &Sql, select: &str, s: &EventSelect<'f>) -> (String, Vec<Arg<'f>>) {
    let mut query = String::from(select);
    let mut args = Vec::new();
    query.push_str(" true");
    let cond = |query: &mut String, args: &mut Vec<Arg<'f>>, template: &str, arg: Arg<'f>| {
        args.push(arg);
        let m = format!("{}{}", sql.mark, args.len());
        query.push_str(" AND ");
        query.push_str(&template.replace('?', &m));
    };
    let f = s.filter;
    if let Some(email) = &f.email {
        cond(&mut query, &mut args, "email = ?", text(email));
    }
    if let Some(org) = &f.org {
        cond(&mut query, &mut args, "org = ?", text(org));
    }
    if !f.actions.is_empty() {
        let mut marks = Vec::with_capacity(f.actions.len());
        for action in &f.actions {
            args.push(text(action));
            marks.push(format!("{}{}", sql.mark, args.len()));
        }
        query.push_str(&format!(" AND action IN ({})", marks.join(", ")));
    }
    if let Some(actor) = &f.actor {
        cond(&mut query, &mut args, "actor = ?", text(actor));
    }
    if let Some(since) = f.since {
        cond(&mut query, &mut args, "at >= ?", int(since));
    }
    if let Some(until) = f.until {
        cond(&mut query, &mut args, "at < ?", int(until));
    }
    if let Some(after) = s.after_id {
        cond(&mut query, &mut args, "id > ?", int(after));
    }
    let limit = f.limit.map(|l| l.min(i64::MAX as u64) as i64);
    match (s.oldest_first, limit) {
        (false, None) => query.push_str(" ORDER BY id DESC"),
        (false, Some(l)) => {
            args.push(int(l));
            query.push_str(&format!(
                " ORDER BY id DESC LIMIT {}{}",
                sql.mark,
                args.len()
            ));
        }
        (true, None) => query.push_str(" ORDER BY id"),
        // The newest `l`, oldest first.
        (true, Some(l)) => {
            args.push(int(l));
            query = format!(
                "SELECT * FROM ({query} ORDER BY id DESC LIMIT {}{}) AS newest ORDER BY id",
                sql.mark,
                args.len()
            );
        }
    }
    (query, args)
}

/// Streams the events `filter` selects, newest first ([`Store::events`], [`Tx::events`]).
fn read_events(
    c: &mut (impl Conn + ?Sized),
    sql: &Sql,
    filter: &EventFilter,
    each: &mut dyn FnMut(Event) -> Result<()>,
) -> Result<()> {
    let select = EventSelect {
        filter,
        after_id: None,
        oldest_first: false,
    };
    let (query, args) = events_sql(sql, sql.events, &select);
    c.each("cannot read the event log", &query, &args, &mut |r| {
        each(event(r)?)
    })
}

/// Reads the chain's ends (`twofa_meta`), then streams every event oldest first with its
/// hash to `each`, as `c` sees them, until `each` returns false ([`Store::event_chain`]).
/// Returns the ends and whether `each` stopped the walk (the query was then ended: on
/// PostgreSQL a transaction is unusable after that, so its caller drops it).
fn walk_chain(
    c: &mut (impl Conn + ?Sized),
    sql: &Sql,
    each: &mut dyn FnMut(&ChainEnds, StoredEvent) -> Result<bool>,
) -> Result<(ChainEnds, bool)> {
    let mut meta = |key: &str| {
        first(c, "cannot read twofa_meta", sql.meta, &[text(key)], |r| {
            need(r.text(0)?, 0)
        })
    };
    let ends = ChainEnds {
        anchor: meta(chain::ANCHOR)?,
        head: meta(chain::HEAD)?,
    };
    let all_events = EventFilter::default();
    let select = EventSelect {
        filter: &all_events,
        after_id: None,
        oldest_first: true,
    };
    let (query, args) = events_sql(sql, sql.event_rows, &select);
    // An error ends the query: `each` says stop with a marker error, told apart below.
    let mut stopped = false;
    let result = c.each("cannot read the event log", &query, &args, &mut |r| {
        if !each(&ends, stored_event(r)?)? {
            stopped = true;
            return Err(anyhow::anyhow!("stop"));
        }
        Ok(())
    });
    if !stopped {
        result?;
    }
    Ok((ends, stopped))
}

/// Accounts whose skeletons [`backfill_skeletons`] computes and stores with one statement.
const SKELETON_BATCH: i64 = 500;

/// The statement that sets the skeletons of `n` accounts: `sql.set_skeletons` and `n` rows
/// of (id, skeleton) in the backend's marks.
fn set_skeletons_sql(sql: &Sql, n: usize) -> String {
    let m = sql.mark;
    let rows: Vec<String> = (0..n)
        .map(|i| {
            let (a, b) = (2 * i + 1, 2 * i + 2);
            format!("(CAST({m}{a} AS BIGINT), CAST({m}{b} AS TEXT))")
        })
        .collect();
    format!(
        "{}{}) AS v WHERE a.id = v.column1",
        sql.set_skeletons,
        rows.join(", ")
    )
}

/// Computes and stores the skeleton of every account that has none, in batches: what the
/// migration that adds the column runs, in its transaction.
pub(super) fn backfill_skeletons(c: &mut (impl Conn + ?Sized), sql: &Sql) -> Result<()> {
    const WHAT: &str = "cannot compute the accounts' skeletons";
    let mut after = 0;
    loop {
        let args = [int(after), int(SKELETON_BATCH)];
        let accounts = all(c, WHAT, sql.unskeletoned, &args, |r| {
            Ok((need(r.int(0)?, 0)?, need(r.text(1)?, 1)?))
        })?;
        let Some((last, _)) = accounts.last() else {
            return Ok(());
        };
        after = *last;
        let skeletons: Vec<String> = accounts
            .iter()
            .map(|(_, email)| crate::text::skeleton(email))
            .collect();
        let args: Vec<Arg<'_>> = accounts
            .iter()
            .zip(&skeletons)
            .flat_map(|((id, _), s)| [int(*id), text(s)])
            .collect();
        c.exec(WHAT, &set_skeletons_sql(sql, accounts.len()), &args)?;
    }
}

/// The hash the next event chains to: the head, else the anchor, else genesis.
fn chain_head(c: &mut (impl Conn + ?Sized), sql: &Sql) -> Result<String> {
    for key in [chain::HEAD, chain::ANCHOR] {
        if let Some(h) = first(c, "cannot read twofa_meta", sql.meta, &[text(key)], |r| {
            need(r.text(0)?, 0)
        })? {
            return Ok(h);
        }
    }
    Ok(chain::GENESIS.to_string())
}

fn set_meta(c: &mut (impl Conn + ?Sized), sql: &Sql, key: &str, value: &str) -> Result<()> {
    c.exec(
        "cannot write twofa_meta",
        sql.set_meta,
        &[text(key), text(value)],
    )?;
    Ok(())
}

/// Hashes the events written before the chain existed, oldest first: what the migration
/// that added the chain runs, in its transaction.
pub(super) fn backfill_chain(c: &mut (impl Conn + ?Sized), sql: &Sql) -> Result<()> {
    const WHAT: &str = "cannot hash the event log";
    let start = Some(chain_head(c, sql)?);
    let c = std::cell::RefCell::new(c);
    let head = chain_upkeep::backfill(
        start,
        &mut |after| {
            all(
                *c.borrow_mut(),
                WHAT,
                sql.unhashed_events,
                &[int(after), int(BACKFILL_BATCH)],
                stored_event,
            )
        },
        &mut |id, hash| {
            c.borrow_mut()
                .exec(WHAT, sql.set_event_hash, &[int(id), text(hash)])
                .map(drop)
        },
    )?;
    if let Some(head) = head {
        set_meta(*c.borrow_mut(), sql, chain::HEAD, &head)?;
    }
    Ok(())
}

/// Where the users query's columns are: email, org, name, external_id (by name, in any
/// case); email and org must be there (exit 2 naming what the query returns instead).
pub(super) fn user_columns(names: &[String]) -> Result<[Option<usize>; 4]> {
    let find = |want: &str| names.iter().position(|n| n.eq_ignore_ascii_case(want));
    let cols = [
        find("email"),
        find("org"),
        find("name"),
        find("external_id"),
    ];
    if cols[0].is_none() || cols[1].is_none() {
        let shown: String = names.join(", ").chars().take(80).collect();
        return Err(usage(format!(
            "the users query must return the columns email and org (and optionally name and external_id); it returns: {}",
            if shown.is_empty() {
                "no columns"
            } else {
                &shown
            }
        )));
    }
    Ok(cols)
}

/// The refusal of a users query that could write.
pub(super) fn writing_query() -> anyhow::Error {
    usage("the users query must only read (a SELECT); it was refused and nothing ran")
}

/// A backend: a connection that runs statements, its [`Sql`], and its transactions.
pub(super) trait Backend: Conn {
    type Tx<'t>: Conn + Commit
    where
        Self: 't;
    const SQL: &'static Sql;
    /// Begins a write transaction (see [`Store::begin`]).
    fn transaction(&mut self) -> Result<Self::Tx<'_>>;
    /// Begins a read-only transaction whose statements all see one snapshot.
    fn snapshot(&mut self) -> Result<Self::Tx<'_>>;
    /// Whether transactions keep their events for `commit` to return ([`Store::keep_events`]).
    fn keep_events(&mut self) -> &mut bool;
    /// See [`Store::mostly_reading`].
    fn mostly_reading(&mut self) -> Result<()> {
        Ok(())
    }
    /// See [`Store::sync_every_commit`].
    fn sync_every_commit(&mut self) -> Result<()>;
    /// See [`Store::every_commit_synced`].
    fn every_commit_synced(&mut self) -> Result<bool>;
}

const KEY_ID: &str = "key_id";

impl<B: Backend> Store for B {
    fn key_id(&mut self) -> Result<Option<KeyId>> {
        Ok(self.meta(KEY_ID)?.as_deref().and_then(KeyId::from_hex))
    }

    fn meta(&mut self, key: &str) -> Result<Option<String>> {
        first(
            self,
            "cannot read twofa_meta",
            B::SQL.meta,
            &[text(key)],
            |r| need(r.text(0)?, 0),
        )
    }

    fn sealed_without(&mut self, key: KeyId, limit: u32) -> Result<Vec<SealedSecret>> {
        let args = [Arg::Bytes(key.as_slice()), int(i64::from(limit))];
        all(
            self,
            "cannot read the secrets",
            B::SQL.sealed_without,
            &args,
            sealed,
        )
    }

    fn begin(&mut self) -> Result<Box<dyn Tx + '_>> {
        let keep_events = *self.keep_events();
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

    fn org(&mut self, slug: &str) -> Result<Option<Org>> {
        first(
            self,
            "cannot read organisation",
            B::SQL.org,
            &[text(slug)],
            org,
        )
    }

    fn orgs(&mut self) -> Result<Vec<OrgSummary>> {
        all(
            self,
            "cannot list organisations",
            B::SQL.orgs,
            &[],
            org_summary,
        )
    }

    fn org_slugs(&mut self) -> Result<Vec<String>> {
        all(
            self,
            "cannot list organisations",
            B::SQL.org_slugs,
            &[],
            |r| need(r.text(0)?, 0),
        )
    }

    fn account(&mut self, email: &str) -> Result<Option<Account>> {
        first(
            self,
            "cannot read account",
            B::SQL.account,
            &[text(email)],
            account,
        )
    }

    fn record(&mut self, email: &str) -> Result<Option<AccountRecord>> {
        first(
            self,
            "cannot read account",
            B::SQL.record,
            &[text(email)],
            record,
        )
    }

    fn records(
        &mut self,
        filter: &AccountFilter,
        each: &mut dyn FnMut(AccountRecord) -> Result<()>,
    ) -> Result<()> {
        let pattern = filter.contains.as_deref().map(contains_pattern);
        let (sql, args) = records_sql(B::SQL, filter, pattern.as_deref());
        self.each("cannot read accounts", &sql, &args, &mut |r| {
            let r = record(r)?;
            if wanted(filter, &r) { each(r) } else { Ok(()) }
        })
    }

    fn credential(&mut self, account_id: i64) -> Result<Option<CredentialRow>> {
        let args = [int(account_id)];
        first(
            self,
            "cannot read credential",
            B::SQL.credential,
            &args,
            credential,
        )
    }

    fn recovery_candidates(
        &mut self,
        account_id: i64,
        lookup: &str,
    ) -> Result<Vec<RecoveryCandidate>> {
        let args = [int(account_id), text(lookup)];
        let sql = B::SQL.recovery_candidates;
        all(
            self,
            "cannot read recovery codes",
            sql,
            &args,
            recovery_candidate,
        )
    }

    fn secrets(&mut self, each: &mut dyn FnMut(i64, &str, &[u8]) -> Result<()>) -> Result<()> {
        self.each("cannot read the secrets", B::SQL.secrets, &[], &mut |r| {
            let email = need(r.text(1)?, 1)?;
            each(need(r.int(0)?, 0)?, &email, &need(r.bytes(2)?, 2)?)
        })
    }

    fn events(
        &mut self,
        filter: &EventFilter,
        each: &mut dyn FnMut(Event) -> Result<()>,
    ) -> Result<()> {
        read_events(self, B::SQL, filter, each)
    }

    fn events_after(
        &mut self,
        filter: &EventFilter,
        after_id: i64,
        each: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()> {
        let select = EventSelect {
            filter,
            after_id: Some(after_id),
            oldest_first: true,
        };
        let (sql, args) = events_sql(B::SQL, B::SQL.event_rows, &select);
        self.each("cannot read the event log", &sql, &args, &mut |r| {
            each(stored_event(r)?)
        })
    }

    fn last_event_id(&mut self) -> Result<i64> {
        let id = first(
            self,
            "cannot read the event log",
            B::SQL.last_event_id,
            &[],
            |r| need(r.int(0)?, 0),
        )?;
        Ok(id.unwrap_or(0))
    }

    fn event_chain(
        &mut self,
        each: &mut dyn FnMut(&ChainEnds, StoredEvent) -> Result<bool>,
    ) -> Result<ChainEnds> {
        // One snapshot: the ends and the events agree.
        let mut tx = self.snapshot()?;
        let (ends, stopped) = walk_chain(&mut tx, B::SQL, each)?;
        if !stopped {
            tx.commit()?;
        }
        // Stopped: the query was ended; dropping the read-only transaction rolls it back.
        Ok(ends)
    }

    fn log_head(&mut self) -> Result<(u64, Option<StoredEvent>)> {
        const WHAT: &str = "cannot read the event log";
        // One snapshot: the count and the newest event agree.
        let mut tx = self.snapshot()?;
        let count = first(&mut tx, WHAT, B::SQL.event_count, &[], |r| {
            need(r.int(0)?, 0)
        })?;
        let newest_only = EventFilter {
            limit: Some(1),
            ..EventFilter::default()
        };
        let select = EventSelect {
            filter: &newest_only,
            after_id: None,
            oldest_first: false,
        };
        let (sql, args) = events_sql(B::SQL, B::SQL.event_rows, &select);
        let newest = first(&mut tx, WHAT, &sql, &args, stored_event)?;
        tx.commit()?;
        Ok((count.unwrap_or(0).max(0) as u64, newest))
    }

    fn event_counts(&mut self) -> Result<Vec<(String, u64)>> {
        const WHAT: &str = "cannot count the events";
        let live = all(self, WHAT, B::SQL.event_counts, &[], action_count)?;
        let pruned = all(self, WHAT, B::SQL.pruned_counts, &[], pair)?;
        Ok(chain_upkeep::merge_counts(live, pruned))
    }

    fn reminders_sent(&mut self, account_id: i64, deadline: Timestamp) -> Result<Vec<u32>> {
        reminders_sent(self, B::SQL, account_id, deadline)
    }

    fn email_candidates(&mut self, email: &str) -> Result<Vec<String>> {
        email_candidates(self, B::SQL, email)
    }

    fn access_code(&mut self, account_id: i64) -> Result<Option<AccessCodeRow>> {
        let sql = B::SQL.access_code;
        let what = "cannot read the access code";
        first(self, what, sql, &[int(account_id)], access_code)
    }

    fn recovery_codes_issued(&mut self, account_id: i64) -> Result<u32> {
        let sql = B::SQL.recovery_codes_issued;
        let n = first(
            self,
            "cannot count recovery codes",
            sql,
            &[int(account_id)],
            |r| count(r, 0),
        )?;
        need(n, 0)
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

/// The thresholds recorded as sent for an account's deadline.
fn reminders_sent(
    c: &mut (impl Conn + ?Sized),
    sql: &Sql,
    account_id: i64,
    deadline: Timestamp,
) -> Result<Vec<u32>> {
    let args = [int(account_id), int(deadline)];
    all(
        c,
        "cannot read the reminders sent",
        sql.reminders_sent,
        &args,
        |r| count(r, 0),
    )
}

/// A write transaction of any backend.
struct CoreTx<C> {
    conn: C,
    sql: &'static Sql,
    /// The events written, for [`Tx::commit`] to return (when `keep_events`).
    events: Vec<Event>,
    keep_events: bool,
    /// The hash of the newest event, once this transaction has read or written it (the
    /// write lock keeps it current until commit).
    chain_head: Option<String>,
}

impl<C: Conn + Commit> Tx for CoreTx<C> {
    fn claim_key_id(&mut self, id: KeyId) -> Result<bool> {
        let hex = key_id_hex(&id);
        let sql = self.sql.claim_key_id;
        let added = self
            .conn
            .exec("cannot record the key id", sql, &[text(&hex)])?;
        Ok(added == 1)
    }

    fn set_key_id(&mut self, id: KeyId) -> Result<()> {
        self.set_meta(KEY_ID, Some(&key_id_hex(&id)))
    }

    fn set_meta(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        const WHAT: &str = "cannot write twofa_meta";
        match value {
            Some(v) => self
                .conn
                .exec(WHAT, self.sql.set_meta, &[text(key), text(v)])?,
            None => self.conn.exec(WHAT, self.sql.delete_meta, &[text(key)])?,
        };
        Ok(())
    }

    fn reseal(&mut self, account_id: i64, old: &[u8], new: &[u8]) -> Result<bool> {
        let args = [int(account_id), Arg::Bytes(old), Arg::Bytes(new)];
        let sql = self.sql.reseal;
        Ok(self
            .conn
            .exec("cannot store the resealed secret", sql, &args)?
            == 1)
    }

    fn any_sealed_without(&mut self, key: KeyId) -> Result<bool> {
        let sql = self.sql.any_sealed_without;
        flag_of(
            &mut self.conn,
            "cannot read the secrets",
            sql,
            &[Arg::Bytes(key.as_slice())],
        )
    }

    fn org(&mut self, slug: &str) -> Result<Option<Org>> {
        first(
            &mut self.conn,
            "cannot read organisation",
            self.sql.org,
            &[text(slug)],
            org,
        )
    }

    fn org_ids(&mut self) -> Result<Vec<(i64, String)>> {
        all(
            &mut self.conn,
            "cannot list organisations",
            self.sql.org_ids,
            &[],
            |r| Ok((need(r.int(0)?, 0)?, need(r.text(1)?, 1)?)),
        )
    }

    fn add_org(&mut self, slug: &str, name: Option<&str>, now: Timestamp) -> Result<i64> {
        // ON CONFLICT keeps the transaction usable; a concurrent insert of the same slug
        // is waited for, then counts as existing.
        let args = [text(slug), Arg::Text(name), int(now)];
        let sql = self.sql.add_org;
        match first(&mut self.conn, "cannot add organisation", sql, &args, id)? {
            Some(id) => Ok(id),
            None => Err(refused(format!("organisation '{slug}' already exists"))),
        }
    }

    fn set_policy(&mut self, org_id: i64, policy: &Policy) -> Result<()> {
        let args = [
            int(org_id),
            Arg::Flag(policy.required),
            int(i64::from(policy.grace_days)),
            Arg::Int(policy.since),
        ];
        self.conn
            .exec("cannot change the policy", self.sql.set_policy, &args)?;
        Ok(())
    }

    fn account(&mut self, email: &str) -> Result<Option<Account>> {
        let sql = self.sql.account_for_update;
        first(
            &mut self.conn,
            "cannot read account",
            sql,
            &[text(email)],
            account,
        )
    }

    fn record(&mut self, email: &str) -> Result<Option<AccountRecord>> {
        let sql = self.sql.record;
        first(
            &mut self.conn,
            "cannot read account",
            sql,
            &[text(email)],
            record,
        )
    }

    fn add_account(
        &mut self,
        email: &str,
        org_id: Option<i64>,
        name: Option<&str>,
        now: Timestamp,
    ) -> Result<i64> {
        let skeleton = crate::text::skeleton(email);
        let args = [
            text(email),
            Arg::Int(org_id),
            Arg::Text(name),
            int(now),
            text(&skeleton),
        ];
        let sql = self.sql.add_account;
        match first(&mut self.conn, "cannot add account", sql, &args, id)? {
            Some(id) => Ok(id),
            None => Err(self.conflict(email, &skeleton)?),
        }
    }

    fn credential(&mut self, account_id: i64) -> Result<Option<CredentialRow>> {
        let sql = self.sql.credential;
        first(
            &mut self.conn,
            "cannot read credential",
            sql,
            &[int(account_id)],
            credential,
        )
    }

    fn start_enrollment(&mut self, account_id: i64, c: &NewCredential<'_>) -> Result<()> {
        self.delete_recovery_codes(account_id)?;
        let args = [
            int(account_id),
            Arg::Bytes(c.sealed_secret),
            int(c.created_at),
            int(c.expires_at),
        ];
        let sql = self.sql.start_enrollment;
        self.conn.exec("cannot store the enrollment", sql, &args)?;
        Ok(())
    }

    fn confirm(&mut self, account_id: i64, step: u64, now: Timestamp) -> Result<()> {
        let args = [int(account_id), int(now), int(step as i64)];
        self.conn
            .exec("cannot confirm the enrollment", self.sql.confirm, &args)?;
        let sql = self.sql.reset_failures;
        self.conn
            .exec("cannot reset the failure count", sql, &[int(account_id)])?;
        Ok(())
    }

    fn start_replacement(&mut self, account_id: i64, c: &NewCredential<'_>) -> Result<bool> {
        let args = [
            int(account_id),
            Arg::Bytes(c.sealed_secret),
            int(c.created_at),
            int(c.expires_at),
        ];
        let sql = self.sql.start_replacement;
        Ok(self.conn.exec("cannot store the enrollment", sql, &args)? == 1)
    }

    fn confirm_replacement(&mut self, account_id: i64, step: u64, now: Timestamp) -> Result<()> {
        let args = [int(account_id), int(now), int(step as i64)];
        let sql = self.sql.confirm_replacement;
        self.conn
            .exec("cannot confirm the enrollment", sql, &args)?;
        let sql = self.sql.reset_failures;
        self.conn
            .exec("cannot reset the failure count", sql, &[int(account_id)])?;
        Ok(())
    }

    fn accept_step(&mut self, account_id: i64, step: u64, now: Timestamp) -> Result<bool> {
        let args = [int(account_id), int(step as i64), int(now)];
        let sql = self.sql.accept_step;
        Ok(self
            .conn
            .exec("cannot record the accepted code", sql, &args)?
            == 1)
    }

    fn set_failures(&mut self, id: i64, failed: u32, until: Option<Timestamp>) -> Result<()> {
        let args = [int(id), int(i64::from(failed)), Arg::Int(until)];
        let sql = self.sql.set_failures;
        self.conn
            .exec("cannot count the failed attempt", sql, &args)?;
        Ok(())
    }

    fn clear_failures(&mut self, account_id: i64) -> Result<bool> {
        let sql = self.sql.clear_failures;
        Ok(self
            .conn
            .exec("cannot clear the failure count", sql, &[int(account_id)])?
            == 1)
    }

    fn remove_credential(&mut self, account_id: i64) -> Result<bool> {
        self.delete_recovery_codes(account_id)?;
        let sql = self.sql.delete_access_code;
        self.conn
            .exec("cannot remove the access code", sql, &[int(account_id)])?;
        let sql = self.sql.delete_credential;
        Ok(self
            .conn
            .exec("cannot remove the credential", sql, &[int(account_id)])?
            == 1)
    }

    fn replace_recovery_codes(
        &mut self,
        account_id: i64,
        codes: &[HashedCode],
        now: Timestamp,
    ) -> Result<()> {
        self.delete_recovery_codes(account_id)?;
        for c in codes {
            let args = [int(account_id), text(&c.lookup), text(&c.hash), int(now)];
            let sql = self.sql.add_recovery_code;
            self.conn.exec("cannot store a recovery code", sql, &args)?;
        }
        Ok(())
    }

    fn spend_recovery_code(&mut self, code_id: i64, now: Timestamp) -> Result<Spend> {
        let sql = self.sql.spend_recovery_code;
        let args = [int(code_id), int(now)];
        if self
            .conn
            .exec("cannot spend the recovery code", sql, &args)?
            == 1
        {
            return Ok(Spend::Spent);
        }
        let sql = self.sql.recovery_code_exists;
        let exists = flag_of(
            &mut self.conn,
            "cannot read the recovery code",
            sql,
            &[int(code_id)],
        )?;
        Ok(if exists {
            Spend::AlreadySpent
        } else {
            Spend::Gone
        })
    }

    fn recovery_codes_left(&mut self, account_id: i64) -> Result<u32> {
        const WHAT: &str = "cannot count recovery codes";
        let sql = self.sql.recovery_codes_left;
        let n = first(&mut self.conn, WHAT, sql, &[int(account_id)], |r| {
            count(r, 0)
        })?;
        need(n, 0)
    }

    fn log(&mut self, e: Event) -> Result<()> {
        let prev = match self.chain_head.take() {
            Some(h) => h,
            None => chain_head(&mut self.conn, self.sql)?,
        };
        let hash = chain::link(&prev, &e);
        let args = [
            int(e.at),
            text(&e.actor),
            text(&e.action),
            Arg::Text(e.email.as_deref()),
            Arg::Text(e.org.as_deref()),
            Arg::Text(e.detail.as_deref()),
            text(&hash),
        ];
        self.conn
            .exec("cannot write the event log", self.sql.log, &args)?;
        self.chain_head = Some(hash);
        if self.keep_events {
            self.events.push(e);
        }
        Ok(())
    }

    fn events(
        &mut self,
        filter: &EventFilter,
        each: &mut dyn FnMut(Event) -> Result<()>,
    ) -> Result<()> {
        read_events(&mut self.conn, self.sql, filter, each)
    }

    fn sync_lookup(&mut self, emails: &[&str]) -> Result<Vec<SyncAccount>> {
        if emails.is_empty() {
            return Ok(Vec::new());
        }
        let sql = sync_lookup_sql(self.sql, emails.len());
        let args: Vec<Arg<'_>> = emails.iter().map(|e| text(e)).collect();
        all(
            &mut self.conn,
            "cannot look up accounts",
            &sql,
            &args,
            sync_account,
        )
    }

    fn sync_scan(&mut self, after: &str, limit: u32, into: &mut Vec<SyncAccount>) -> Result<()> {
        let args = [text(after), int(i64::from(limit))];
        let mut n = 0;
        self.conn.each(
            "cannot read accounts",
            self.sql.sync_scan,
            &args,
            &mut |r| {
                if n == into.len() {
                    into.push(SyncAccount::default());
                }
                sync_account_into(r, &mut into[n])?;
                n += 1;
                Ok(())
            },
        )?;
        into.truncate(n);
        Ok(())
    }

    fn set_account_org(&mut self, id: i64, org_id: Option<i64>, now: Timestamp) -> Result<()> {
        let args = [int(id), Arg::Int(org_id), int(now)];
        let sql = self.sql.set_account_org;
        self.conn.exec("cannot move the account", sql, &args)?;
        Ok(())
    }

    fn set_account_name(&mut self, id: i64, name: Option<&str>) -> Result<()> {
        let args = [int(id), Arg::Text(name)];
        let sql = self.sql.set_account_name;
        self.conn.exec("cannot rename the account", sql, &args)?;
        Ok(())
    }

    fn set_external_id(&mut self, id: i64, external_id: Option<&str>) -> Result<()> {
        let args = [int(id), Arg::Text(external_id)];
        let sql = self.sql.set_external_id;
        self.conn
            .exec("cannot record the external id", sql, &args)?;
        Ok(())
    }

    fn rename_account(&mut self, id: i64, new_email: &str) -> Result<()> {
        let skeleton = crate::text::skeleton(new_email);
        let args = [int(id), text(new_email), text(&skeleton)];
        let sql = self.sql.rename_account;
        if self.conn.exec("cannot rename the account", sql, &args)? == 0 {
            return Err(self.conflict(new_email, &skeleton)?);
        }
        Ok(())
    }

    fn set_exempt(&mut self, account_id: i64, until: Option<Timestamp>) -> Result<bool> {
        let args = [int(account_id), Arg::Int(until)];
        let sql = self.sql.set_exempt;
        Ok(self.conn.exec("cannot change the exemption", sql, &args)? == 1)
    }

    fn reminders_sent(&mut self, account_id: i64, deadline: Timestamp) -> Result<Vec<u32>> {
        reminders_sent(&mut self.conn, self.sql, account_id, deadline)
    }

    fn record_reminders(
        &mut self,
        account_id: i64,
        deadline: Timestamp,
        thresholds: &[u32],
        now: Timestamp,
    ) -> Result<()> {
        for threshold in thresholds {
            let args = [
                int(account_id),
                int(deadline),
                int(i64::from(*threshold)),
                int(now),
            ];
            let sql = self.sql.record_reminder;
            self.conn.exec("cannot record the reminder", sql, &args)?;
        }
        Ok(())
    }

    fn remove_account(&mut self, id: i64) -> Result<bool> {
        let sql = self.sql.remove_account;
        Ok(self
            .conn
            .exec("cannot remove the account", sql, &[int(id)])?
            == 1)
    }

    fn email_candidates(&mut self, email: &str) -> Result<Vec<String>> {
        email_candidates(&mut self.conn, self.sql, email)
    }

    fn set_drift(&mut self, account_id: i64, drift_steps: i64) -> Result<()> {
        let args = [int(account_id), int(drift_steps)];
        let sql = self.sql.set_drift;
        self.conn.exec("cannot store the drift", sql, &args)?;
        Ok(())
    }

    fn set_own_deadline(&mut self, account_id: i64, deadline: Option<Timestamp>) -> Result<bool> {
        let args = [int(account_id), Arg::Int(deadline)];
        let sql = self.sql.set_own_deadline;
        Ok(self.conn.exec("cannot store the deadline", sql, &args)? == 1)
    }

    fn set_access_code(
        &mut self,
        account_id: i64,
        hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        let args = [int(account_id), text(hash), int(now), int(expires_at)];
        let sql = self.sql.set_access_code;
        self.conn.exec("cannot store the access code", sql, &args)?;
        Ok(())
    }

    fn access_code(&mut self, account_id: i64) -> Result<Option<AccessCodeRow>> {
        let sql = self.sql.access_code;
        let what = "cannot read the access code";
        first(&mut self.conn, what, sql, &[int(account_id)], access_code)
    }

    fn spend_access_code(&mut self, account_id: i64, hash: &str, now: Timestamp) -> Result<bool> {
        let args = [int(account_id), int(now), text(hash)];
        let sql = self.sql.spend_access_code;
        Ok(self.conn.exec("cannot spend the access code", sql, &args)? == 1)
    }

    fn revoke_access_code(&mut self, account_id: i64, now: Timestamp) -> Result<Option<Timestamp>> {
        let args = [int(account_id), int(now)];
        let sql = self.sql.revoke_access_code;
        let what = "cannot revoke the access code";
        Ok(first(&mut self.conn, what, sql, &args, |r| r.int(0))?.flatten())
    }

    fn commit(self: Box<Self>) -> Result<Vec<Event>> {
        let CoreTx {
            mut conn,
            sql,
            events,
            chain_head,
            ..
        } = *self;
        if let Some(head) = chain_head {
            set_meta(&mut conn, sql, chain::HEAD, &head)?;
        }
        conn.commit()?;
        Ok(events)
    }
    fn event_chain(
        &mut self,
        each: &mut dyn FnMut(&ChainEnds, StoredEvent) -> Result<bool>,
    ) -> Result<ChainEnds> {
        walk_chain(&mut self.conn, self.sql, each).map(|(ends, _)| ends)
    }

    fn events_before(
        &mut self,
        before: Timestamp,
        each: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()> {
        let sql = self.sql.events_before;
        self.conn
            .each("cannot read the event log", sql, &[int(before)], &mut |r| {
                each(stored_event(r)?)
            })
    }

    fn prune_events(&mut self, last_id: i64, anchor: &str) -> Result<u64> {
        const WHAT: &str = "cannot prune the event log";
        let counts = all(
            &mut self.conn,
            WHAT,
            self.sql.prune_counts,
            &[int(last_id)],
            action_count,
        )?;
        let recorded = all(&mut self.conn, WHAT, self.sql.pruned_counts, &[], pair)?;
        for (key, value) in chain_upkeep::add_pruned(&recorded, &counts) {
            set_meta(&mut self.conn, self.sql, &key, &value)?;
        }
        let deleted = self
            .conn
            .exec(WHAT, self.sql.prune_events, &[int(last_id)])?;
        set_meta(&mut self.conn, self.sql, chain::ANCHOR, anchor)?;
        Ok(deleted)
    }

    fn import_credential(
        &mut self,
        account_id: i64,
        sealed_secret: &[u8],
        now: Timestamp,
    ) -> Result<()> {
        self.delete_recovery_codes(account_id)?;
        let args = [int(account_id), Arg::Bytes(sealed_secret), int(now)];
        let sql = self.sql.import_credential;
        self.conn
            .exec("cannot store the imported secret", sql, &args)?;
        Ok(())
    }

    fn enabled_secrets(&mut self, filter: &SecretFilter) -> Result<Vec<EnabledSecret>> {
        let (sql, args) = enabled_secrets_sql(self.sql, filter);
        all(
            &mut self.conn,
            "cannot read the enabled secrets",
            &sql,
            &args,
            enabled_secret,
        )
    }
}

/// The statement and parameters that read `export`'s credentials, by email.
fn enabled_secrets_sql<'f>(sql: &Sql, filter: &'f SecretFilter) -> (String, Vec<Arg<'f>>) {
    let mut query = String::from(sql.enabled_secrets);
    let mut args = Vec::new();
    if let Some(email) = &filter.email {
        args.push(text(email));
        query.push_str(&format!(" AND a.email = {}{}", sql.mark, args.len()));
    }
    if let Some(org) = &filter.org {
        args.push(text(org));
        query.push_str(&format!(" AND o.slug = {}{}", sql.mark, args.len()));
    }
    query.push_str(" ORDER BY a.email");
    (query, args)
}

fn enabled_secret(r: &dyn Columns) -> Result<EnabledSecret> {
    Ok(EnabledSecret {
        account_id: need(r.int(0)?, 0)?,
        email: need(r.text(1)?, 1)?,
        org: r.text(2)?,
        sealed_secret: need(r.bytes(3)?, 3)?,
    })
}

impl<C: Conn> CoreTx<C> {
    /// Why `email` (whose skeleton is `skeleton`) cannot be added or given: the account that
    /// has it, or one that looks the same (exit 4 naming it).
    fn conflict(&mut self, email: &str, skeleton: &str) -> Result<anyhow::Error> {
        let args = [text(email), text(skeleton)];
        let sql = self.sql.account_conflict;
        let what = "cannot look up the existing account";
        let found = first(&mut self.conn, what, sql, &args, |r| need(r.text(0)?, 0))?;
        Ok(refused(match found {
            Some(other) if other != email => format!(
                "{email} looks like the existing account {other} (Unicode TS #39 confusables; it is spelled {}): refused, so that neither passes for the other",
                crate::text::spelled(email)
            ),
            _ => format!("account {email} already exists"),
        }))
    }

    fn delete_recovery_codes(&mut self, account_id: i64) -> Result<()> {
        let sql = self.sql.delete_recovery_codes;
        self.conn.exec(
            "cannot remove the old recovery codes",
            sql,
            &[int(account_id)],
        )?;
        Ok(())
    }
}

/// The id an `INSERT … RETURNING id` returned.
fn id(r: &dyn Columns) -> Result<i64> {
    need(r.int(0)?, 0)
}

/// A backend's side of [`migrate`]: where it keeps the schema version, and how it locks.
pub(super) trait Schema {
    /// A transaction that holds the backend's migration lock until it ends.
    type Tx<'t>: SchemaTx
    where
        Self: 't;
    /// The recorded schema version, read without a lock; `None` without twofa tables.
    fn version(&mut self) -> Result<Option<i64>>;
    fn begin(&mut self) -> Result<Self::Tx<'_>>;
}

/// One migration's transaction.
pub(super) trait SchemaTx: Commit {
    /// The recorded schema version under the lock; `None` without twofa tables.
    fn version(&mut self) -> Result<Option<i64>>;
    /// Runs migration number `number` (from 1) and records it as the schema version.
    fn apply(&mut self, number: usize, sql: &str) -> Result<()>;
}

/// What a command that only reads ([`super::OpenMode::ReadOnly`]) checks instead of
/// migrating: the schema must be this twofa's, since it writes nothing to bring it there.
pub(super) fn check_current(db: &mut impl Schema, migrations: &[&str], shown: &str) -> Result<()> {
    let latest = migrations.len() as i64;
    match db.version()? {
        None | Some(0) => Err(database(format!(
            "{shown} has no twofa tables (add them with 'twofa --db {shown} init')"
        ))),
        Some(v) if v < latest => Err(database(format!(
            "{shown} has twofa schema version {v}, older than this twofa's ({latest}); \
upgrade it with 'twofa --db {shown} init' (a command that only reads changes nothing)"
        ))),
        Some(v) => check_not_newer(v, latest, shown),
    }
}

/// The refusal of a schema newer than this twofa knows (exit 6).
fn check_not_newer(current: i64, latest: i64, shown: &str) -> Result<()> {
    if current > latest {
        return Err(database(format!(
            "{shown} has twofa schema version {current}, newer than this twofa knows ({latest}); upgrade twofa"
        )));
    }
    Ok(())
}

/// Brings the schema to the last of `migrations` (append-only: schema version N is the
/// N-th entry), one migration a transaction, each under the backend's lock so that
/// concurrent first runs take turns. A current schema is left without taking the lock
/// (a reader must not wait for a writer). Returns the version found before (`None`: there
/// were no twofa tables).
pub(super) fn migrate(
    db: &mut impl Schema,
    migrations: &[&str],
    shown: &str,
) -> Result<Option<i64>> {
    let latest = migrations.len() as i64;
    let unlocked = db.version()?;
    if let Some(v) = unlocked {
        check_not_newer(v, latest, shown)?;
        if v == latest {
            return Ok(unlocked);
        }
    }
    let mut found = None;
    for attempt in 0.. {
        let mut tx = db.begin()?;
        // Read again under the lock: another twofa may have migrated in the meantime.
        let current = tx.version()?;
        if attempt == 0 {
            found = current;
        }
        let current = current.unwrap_or(0);
        check_not_newer(current, latest, shown)?;
        if current == latest {
            break;
        }
        let number = current as usize + 1;
        tx.apply(number, migrations[number - 1])?;
        tx.commit()?;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_states() {
        assert_eq!(
            credential_state(Some("enabled"), None),
            Some(Credential::Enabled)
        );
        assert_eq!(
            credential_state(Some("pending"), Some(7)),
            Some(Credential::Pending { expires_at: 7 })
        );
        assert_eq!(credential_state(None, Some(7)), None);
    }

    #[test]
    fn only_the_conditions_in_use_are_written() {
        const SQL: Sql = Sql {
            mark: "$",
            events: "SELECT at FROM events WHERE",
            records: "SELECT a.id FROM accounts a WHERE",
            ..crate::store::postgres::SQL
        };
        let filter = EventFilter {
            since: Some(5),
            limit: Some(3),
            ..Default::default()
        };
        let select = EventSelect {
            filter: &filter,
            after_id: None,
            oldest_first: false,
        };
        let (sql, args) = events_sql(&SQL, SQL.events, &select);
        assert_eq!(
            sql,
            "SELECT at FROM events WHERE true AND at >= $1 ORDER BY id DESC LIMIT $2"
        );
        assert_eq!(args.len(), 2);
        let filter = EventFilter {
            actions: vec!["reset".into(), "unlock".into()],
            actor: Some("carol".into()),
            until: Some(9),
            limit: Some(2),
            ..Default::default()
        };
        let select = EventSelect {
            filter: &filter,
            after_id: Some(7),
            oldest_first: true,
        };
        let (sql, args) = events_sql(&SQL, SQL.events, &select);
        assert_eq!(
            sql,
            "SELECT * FROM (SELECT at FROM events WHERE true \
             AND action IN ($1, $2) \
             AND actor = $3 AND at < $4 AND id > $5 ORDER BY id DESC LIMIT $6) AS newest ORDER BY id"
        );
        assert_eq!(args.len(), 6);
        let filter = AccountFilter {
            org: Some("acme".into()),
            state: Some(State::Disabled),
            required_only: false,
            now: 0,
            contains: None,
        };
        let (sql, _) = records_sql(&SQL, &filter, None);
        assert_eq!(
            sql,
            "SELECT a.id FROM accounts a WHERE true AND o.slug = $1 \
             AND (a.cred_state IS NULL OR a.cred_state = 'pending') ORDER BY a.email"
        );
    }

    #[test]
    fn an_expired_pending_enrollment_counts_as_disabled() {
        let filter = AccountFilter {
            state: Some(State::Disabled),
            now: 100,
            ..AccountFilter::default()
        };
        let mut record = AccountRecord {
            account: Account {
                id: 1,
                email: "a@example.com".into(),
                org: None,
                name: None,
                created_at: 0,
                failed_attempts: 0,
                locked_until: None,
                policy: None,
                exempt_until: None,
            },
            credential: Some(Credential::Pending { expires_at: 100 }),
            enrolled_at: None,
            last_used_at: None,
            recovery_codes_left: 0,
            own_deadline: None,
            drift_steps: 0,
            org_joined_at: None,
            external_id: None,
            access_code_expires_at: None,
        };
        assert!(wanted(&filter, &record));
        record.credential = Some(Credential::Pending { expires_at: 101 });
        assert!(!wanted(&filter, &record));
    }
}
