//! Accounts: reading one (with its organisation's policy), what `status` and `audit` show
//! of it ([`record`]), adding, moving, renaming and removing it, its failure count and
//! lock, and the emails that look alike (each account's skeleton, and "did you mean").

use anyhow::Result;

use super::conn::{Arg, Backend, Columns, Commit, Conn, CoreTx, all, count, first, id, int};
use super::conn::{need, one_row, text};
use super::credentials::credential_state;
use super::sql::Sql;
use crate::clock::Timestamp;
use crate::exit::refused;
use crate::model::{Account, AccountRecord};
use crate::policy::{self, Credential, Policy, State};

/// The columns [`account`] reads, from `accounts a LEFT JOIN orgs o`.
macro_rules! account_columns {
    () => {
        "a.id, a.email, o.slug, a.name, a.created_at, a.failed_attempts, a.locked_until,
         o.require_2fa, o.grace_days, o.policy_since, a.exempt_until, a.codes_left"
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

/// The columns [`record`] reads after [`record_tail_columns`]: the support desk's (the
/// expiry of an unspent access code is the account row's copy, migration 008).
macro_rules! support_columns {
    () => {
        "a.own_deadline, a.cred_drift_steps, a.access_code_expires_at, a.cred_devices"
    };
}

/// An account with its organisation ([`account`]); `$t` is the backend's table prefix
/// (`twofa_`, or the schema `twofa.`).
#[rustfmt::skip]
macro_rules! account_select {
    ($t:literal) => {
        concat!(
            "SELECT ", $crate::store::accounts::account_columns!(),
            " FROM ", $t, "accounts a LEFT JOIN ", $t, "orgs o ON o.id = a.org_id"
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
            $crate::store::accounts::account_columns!(),
            ", ",
            $crate::store::accounts::record_columns!(),
            ", ",
            $crate::store::accounts::record_tail_columns!(),
            ", ",
            $crate::store::accounts::support_columns!(),
            "
             FROM ", $t, "accounts a
             LEFT JOIN ", $t, "orgs o ON o.id = a.org_id"
        )
    };
}

pub(super) use {account_columns, account_select, record_columns, record_select};
pub(super) use {record_tail_columns, support_columns};

/// The account statements of the backends that mark parameters `?N` (SQLite, MySQL), the same
/// text on both; each gives how the email parameter is written (`$email`), what locks the
/// row read for an update (`$lock`: SQLite's write transaction holds its lock already) and
/// its own way of adding an account only once (`add_account`). The other accounts of a
/// rename are read through a derived table: MySQL does not let an UPDATE read its own table
/// in a subquery.
macro_rules! marked_account_sql {
    (email: $email:literal, lock: $lock:literal, add_account: $add_account:expr $(,)?) => {
        $crate::store::sql::AccountSql {
            account: concat!(
                $crate::store::accounts::account_select!("twofa_"),
                " WHERE a.email = ",
                $email
            ),
            account_for_update: concat!(
                $crate::store::accounts::account_select!("twofa_"),
                " WHERE a.email = ",
                $email,
                $lock
            ),
            record: concat!(
                $crate::store::accounts::record_select!("twofa_"),
                " WHERE a.email = ",
                $email
            ),
            records: concat!($crate::store::accounts::record_select!("twofa_"), " WHERE"),
            add_account: $add_account,
            account_conflict: "SELECT email FROM twofa_accounts WHERE email = ?1 OR skeleton = ?2
                               ORDER BY email <> ?1, email LIMIT 1",
            unskeletoned: "SELECT id, email FROM twofa_accounts WHERE skeleton IS NULL AND id > ?1
                           ORDER BY id LIMIT ?2",
            set_skeletons: "UPDATE twofa_accounts SET skeleton = CASE id",
            set_failures: "UPDATE twofa_accounts SET failed_attempts = ?2, locked_until = ?3
                           WHERE id = ?1",
            reset_failures: "UPDATE twofa_accounts SET failed_attempts = 0, locked_until = NULL
                             WHERE id = ?1",
            clear_failures: "UPDATE twofa_accounts SET failed_attempts = 0, locked_until = NULL
                             WHERE id = ?1 AND (failed_attempts <> 0 OR locked_until IS NOT NULL)",
            set_account_org: "UPDATE twofa_accounts SET org_id = ?2, org_joined_at = ?3 WHERE id = ?1",
            set_account_name: "UPDATE twofa_accounts SET name = ?2 WHERE id = ?1",
            set_external_id: "UPDATE twofa_accounts SET external_id = ?2 WHERE id = ?1",
            rename_account: "UPDATE twofa_accounts SET email = ?2, skeleton = ?3
                             WHERE id = ?1 AND NOT EXISTS (
                               SELECT 1 FROM (SELECT id FROM twofa_accounts
                                              WHERE (email = ?2 OR skeleton = ?3) AND id <> ?1
                                              LIMIT 1) AS other)",
            remove_account: "DELETE FROM twofa_accounts WHERE id = ?1",
            emails_between: "SELECT email FROM twofa_accounts WHERE email >= ?1 AND email < ?2
                             ORDER BY email LIMIT ?3",
            emails_like: "SELECT email FROM twofa_accounts WHERE email LIKE ?1 ESCAPE '\\' LIMIT ?2",
        }
    };
}
pub(super) use marked_account_sql;

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

/// A new account.
pub struct NewAccount<'a> {
    pub email: &'a str,
    pub org_id: Option<i64>,
    pub name: Option<&'a str>,
    pub created_at: Timestamp,
}

/// Accounts, as both [`super::Store`] and [`super::Tx`] read them.
pub trait AccountReads {
    /// The account. In a [`super::Tx`], kept from other transactions' changes until the
    /// transaction ends (read it before the credential or the recovery codes it decides
    /// about).
    fn account(&mut self, email: &str) -> Result<Option<Account>>;
    /// What `status` shows of the account (in a [`super::Tx`], read after
    /// [`AccountReads::account`] locked its row).
    fn record(&mut self, email: &str) -> Result<Option<AccountRecord>>;
    /// Stored emails that may be what someone meant by `email` ("did you mean"): a
    /// bounded set read through the email index, never every email.
    fn email_candidates(&mut self, email: &str) -> Result<Vec<String>>;
}

/// Accounts, as [`super::Store`] reads them.
pub trait AccountStore {
    /// Streams the accounts that match, ordered by email, to `each`.
    fn records(
        &mut self,
        filter: &AccountFilter,
        each: &mut dyn FnMut(AccountRecord) -> Result<()>,
    ) -> Result<()>;
}

/// Accounts, as a [`super::Tx`] changes them.
pub trait AccountTx {
    /// Adds an account; an existing email is refused (exit 4).
    fn add_account(&mut self, account: &NewAccount<'_>) -> Result<i64>;
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
        codes_left: count(r, 11)?,
    })
}

/// [`account_columns`], [`record_columns`],
/// [`record_tail_columns`], then [`support_columns`].
pub(super) fn record(r: &dyn Columns) -> Result<AccountRecord> {
    let account = account(r)?;
    let credential = credential_state(r.text(12)?.as_deref(), r.int(13)?);
    Ok(AccountRecord {
        // The account row's count, shown only where 2FA is enabled.
        recovery_codes_left: match credential {
            Some(Credential::Enabled) => account.codes_left,
            _ => 0,
        },
        account,
        credential,
        enrolled_at: r.int(14)?,
        last_used_at: r.int(15)?,
        org_joined_at: r.int(16)?,
        external_id: r.text(17)?,
        own_deadline: r.int(18)?,
        drift_steps: r.int(19)?.unwrap_or(0),
        access_code_expires_at: r.int(20)?,
        devices: count(r, 21)?,
    })
}

/// The statement and parameters that read `audit`'s accounts. Whether a pending enrollment
/// has expired is decided by [`policy::state`] on each row (see [`wanted`]), so the
/// statement only narrows by the stored state.
fn records_sql<'f>(
    sql: &Sql,
    filter: &'f AccountFilter,
    contains: Option<&'f str>,
) -> (String, Vec<Arg<'f>>) {
    let mut query = String::from(sql.accounts.records);
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

/// How many stored emails each way [`email_candidates`] reads at most.
const CANDIDATES: i64 = 500;

/// Emails that might be what someone meant by `email` (for "did you mean"), read through
/// the email index and bounded (never the whole table into memory): those that share the
/// first two characters of the local part and those with the same local part (index
/// ranges), and those with the same domain (a bounded `LIKE` scan).
fn email_candidates(c: &mut (impl Conn + ?Sized), sql: &Sql, email: &str) -> Result<Vec<String>> {
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
        c.each(WHAT, sql.accounts.emails_between, &args, &mut each)?;
    }
    if !domain.is_empty() {
        let args = [text(&same_domain), int(CANDIDATES)];
        c.each(WHAT, sql.accounts.emails_like, &args, &mut each)?;
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

/// Why `email` (whose skeleton is `skeleton`) cannot be added or given: the account that
/// has it, or one that looks the same (exit 4 naming it).
fn conflict(
    c: &mut (impl Conn + ?Sized),
    sql: &Sql,
    email: &str,
    skeleton: &str,
) -> Result<anyhow::Error> {
    let args = [text(email), text(skeleton)];
    let what = "cannot look up the existing account";
    let found = first(c, what, sql.accounts.account_conflict, &args, |r| {
        need(r.text(0)?, 0)
    })?;
    Ok(refused(match found {
        Some(other) if other != email => format!(
            "{email} looks like the existing account {other} (Unicode TS #39 confusables; it is spelled {}): refused, so that neither passes for the other",
            crate::text::spelled(email)
        ),
        _ => format!("account {email} already exists"),
    }))
}

/// Accounts whose skeletons [`backfill_skeletons`] computes and stores with one statement.
const SKELETON_BATCH: i64 = 500;

/// The statement that sets the skeletons of `n` accounts: `set_skeletons` (which ends in
/// `CASE id`), then a `WHEN id THEN skeleton` for each of the `n` (id, skeleton) parameter
/// pairs in the backend's marks, and the ids it updates: one form every backend reads.
fn set_skeletons_sql(sql: &Sql, n: usize) -> String {
    let m = sql.mark;
    let whens: Vec<String> = (0..n)
        .map(|i| format!(" WHEN {m}{} THEN {m}{}", 2 * i + 1, 2 * i + 2))
        .collect();
    let ids: Vec<String> = (0..n).map(|i| format!("{m}{}", 2 * i + 1)).collect();
    format!(
        "{}{} END WHERE id IN ({})",
        sql.accounts.set_skeletons,
        whens.concat(),
        ids.join(", ")
    )
}

/// Computes and stores the skeleton of every account that has none, in batches: what the
/// migration that adds the column runs, in its transaction.
pub(super) fn backfill_skeletons(c: &mut (impl Conn + ?Sized), sql: &Sql) -> Result<()> {
    const WHAT: &str = "cannot compute the accounts' skeletons";
    let mut after = 0;
    loop {
        let args = [int(after), int(SKELETON_BATCH)];
        let accounts = all(c, WHAT, sql.accounts.unskeletoned, &args, |r| {
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

const READ: &str = "cannot read account";

impl<B: Backend> AccountReads for B {
    fn account(&mut self, email: &str) -> Result<Option<Account>> {
        first(self, READ, B::SQL.accounts.account, &[text(email)], account)
    }

    fn record(&mut self, email: &str) -> Result<Option<AccountRecord>> {
        first(self, READ, B::SQL.accounts.record, &[text(email)], record)
    }

    fn email_candidates(&mut self, email: &str) -> Result<Vec<String>> {
        email_candidates(self, B::SQL, email)
    }
}

impl<C: Conn + Commit> AccountReads for CoreTx<C> {
    fn account(&mut self, email: &str) -> Result<Option<Account>> {
        let sql = self.sql.accounts.account_for_update;
        first(&mut self.conn, READ, sql, &[text(email)], account)
    }

    fn record(&mut self, email: &str) -> Result<Option<AccountRecord>> {
        let sql = self.sql.accounts.record;
        first(&mut self.conn, READ, sql, &[text(email)], record)
    }

    fn email_candidates(&mut self, email: &str) -> Result<Vec<String>> {
        email_candidates(&mut self.conn, self.sql, email)
    }
}

impl<B: Backend> AccountStore for B {
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
}

impl<C: Conn + Commit> AccountTx for CoreTx<C> {
    fn add_account(&mut self, a: &NewAccount<'_>) -> Result<i64> {
        let email = a.email;
        let skeleton = crate::text::skeleton(email);
        let args = [
            text(email),
            Arg::Int(a.org_id),
            Arg::Text(a.name),
            int(a.created_at),
            text(&skeleton),
        ];
        let sql = self.sql.accounts.add_account;
        match first(&mut self.conn, "cannot add account", sql, &args, id)? {
            Some(id) => Ok(id),
            None => Err(conflict(&mut self.conn, self.sql, email, &skeleton)?),
        }
    }

    fn set_failures(&mut self, id: i64, failed: u32, until: Option<Timestamp>) -> Result<()> {
        let args = [int(id), int(i64::from(failed)), Arg::Int(until)];
        let sql = self.sql.accounts.set_failures;
        self.conn
            .exec("cannot count the failed attempt", sql, &args)?;
        Ok(())
    }

    fn clear_failures(&mut self, account_id: i64) -> Result<bool> {
        let sql = self.sql.accounts.clear_failures;
        let what = "cannot clear the failure count";
        one_row(&mut self.conn, what, sql, &[int(account_id)])
    }

    fn set_account_org(&mut self, id: i64, org_id: Option<i64>, now: Timestamp) -> Result<()> {
        let args = [int(id), Arg::Int(org_id), int(now)];
        let sql = self.sql.accounts.set_account_org;
        self.conn.exec("cannot move the account", sql, &args)?;
        Ok(())
    }

    fn set_account_name(&mut self, id: i64, name: Option<&str>) -> Result<()> {
        let args = [int(id), Arg::Text(name)];
        let sql = self.sql.accounts.set_account_name;
        self.conn.exec("cannot rename the account", sql, &args)?;
        Ok(())
    }

    fn set_external_id(&mut self, id: i64, external_id: Option<&str>) -> Result<()> {
        let args = [int(id), Arg::Text(external_id)];
        let sql = self.sql.accounts.set_external_id;
        self.conn
            .exec("cannot record the external id", sql, &args)?;
        Ok(())
    }

    fn rename_account(&mut self, id: i64, new_email: &str) -> Result<()> {
        let skeleton = crate::text::skeleton(new_email);
        let args = [int(id), text(new_email), text(&skeleton)];
        let sql = self.sql.accounts.rename_account;
        if self.conn.exec("cannot rename the account", sql, &args)? == 0 {
            return Err(conflict(&mut self.conn, self.sql, new_email, &skeleton)?);
        }
        Ok(())
    }

    fn remove_account(&mut self, id: i64) -> Result<bool> {
        let sql = self.sql.accounts.remove_account;
        one_row(&mut self.conn, "cannot remove the account", sql, &[int(id)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Credential;

    #[test]
    fn only_the_conditions_in_use_are_written() {
        let mut sql = crate::store::postgres::SQL;
        sql.accounts.records = "SELECT a.id FROM accounts a WHERE";
        let filter = AccountFilter {
            org: Some("acme".into()),
            state: Some(State::Disabled),
            required_only: false,
            now: 0,
            contains: None,
        };
        let (query, _) = records_sql(&sql, &filter, None);
        assert_eq!(
            query,
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
                codes_left: 0,
            },
            credential: Some(Credential::Pending { expires_at: 100 }),
            enrolled_at: None,
            last_used_at: None,
            recovery_codes_left: 0,
            own_deadline: None,
            drift_steps: 0,
            devices: 0,
            org_joined_at: None,
            external_id: None,
            access_code_expires_at: None,
        };
        assert!(wanted(&filter, &record));
        record.credential = Some(Credential::Pending { expires_at: 101 });
        assert!(!wanted(&filter, &record));
    }
}
