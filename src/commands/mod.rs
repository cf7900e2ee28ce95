//! One module per command group: each validates its input, calls the core and the store,
//! and writes its result through `output`. What more than one command needs (account and
//! organisation look-ups, counting a failed code, showing recovery codes) is here: no
//! command imports another.

pub mod admin;
pub mod audit;
pub mod compliance;
pub mod devices;
pub mod enroll;
pub mod exempt;
pub mod export;
pub mod gated;
pub mod generate;
pub mod key;
pub mod lifecycle;
pub mod log;
pub mod migrate;
pub mod orgs;
pub mod policy;
pub mod recovery;
pub mod remind;
pub mod requests;
pub mod support;
pub mod sync;
pub mod users;
pub mod verify;

use anyhow::Result;
use serde::Serialize;
use zeroize::Zeroize;

use crate::clock::{Timestamp, rfc3339};
use crate::ctx::Ctx;
use crate::exit::{is_refused, not_found};
use crate::model::{Account, Event, Org};
use crate::output::{Human, Output};
use crate::policy::{Lock, after_failure};
use crate::store::{NewAccount, Store, Tx};
use crate::suggest;

pub(crate) fn no_account(email: &str) -> anyhow::Error {
    not_found(format!(
        "no account {email} (add it with 'twofa user add {email}')"
    ))
}

/// "No such organisation" (exit 3), with up to three existing ones close to it.
fn no_org(org: &str, candidates: Result<Vec<String>>) -> anyhow::Error {
    // As for accounts: a failed look for suggestions must not hide the answer.
    let close = suggest::closest(org, &candidates.unwrap_or_default());
    if close.is_empty() {
        return not_found(format!(
            "no organisation '{org}' (add it with 'twofa org add {org}')"
        ));
    }
    let quoted: Vec<String> = close.iter().map(|c| format!("'{c}'")).collect();
    not_found(format!(
        "no organisation '{org}'; did you mean {}?",
        suggest::or_list(&quoted)
    ))
}

/// "No such account" (exit 3), with up to three existing emails close to it.
fn unknown_account(email: &str, candidates: Result<Vec<String>>) -> anyhow::Error {
    // A failed look for suggestions must not hide the answer: the account does not exist.
    let close = suggest::closest(email, &candidates.unwrap_or_default());
    if close.is_empty() {
        return no_account(email);
    }
    not_found(format!(
        "no account {email}; did you mean {}?",
        suggest::or_list(&close)
    ))
}

/// The exit-3 error for an email that names no account, with suggestions from the store.
pub(crate) fn no_account_in(store: &mut dyn Store, email: &str) -> anyhow::Error {
    unknown_account(email, store.email_candidates(email))
}

/// The account, or exit 3 naming it (and what may have been meant).
pub(crate) fn account(store: &mut dyn Store, email: &str) -> Result<Account> {
    match store.account(email)? {
        Some(a) => Ok(a),
        None => Err(no_account_in(store, email)),
    }
}

/// The account read inside a transaction, or exit 3 naming it (and what may have been
/// meant).
pub(crate) fn account_tx(tx: &mut dyn Tx, email: &str) -> Result<Account> {
    match tx.account(email)? {
        Some(a) => Ok(a),
        None => Err(unknown_account(email, tx.email_candidates(email))),
    }
}

/// The organisation (its slug in any case: see [`Store::org`]), or exit 3 naming it and
/// what may have been meant. Filters take the returned `slug`, as stored.
pub(crate) fn org(store: &mut dyn Store, slug: &str) -> Result<Org> {
    match store.org(slug)? {
        Some(o) => Ok(o),
        None => Err(no_org(slug, store.org_slugs())),
    }
}

/// The organisation `--org` names (normalised), as filters take it: its slug as stored;
/// exit 3 when there is none.
pub(crate) fn org_filter(store: &mut dyn Store, slug: Option<String>) -> Result<Option<String>> {
    match slug {
        None => Ok(None),
        Some(slug) => Ok(Some(org(store, &slug)?.slug)),
    }
}

/// The organisation read inside a transaction, or exit 3 naming it (and what may have been
/// meant).
pub(crate) fn org_tx(tx: &mut dyn Tx, slug: &str) -> Result<Org> {
    match tx.org(slug)? {
        Some(o) => Ok(o),
        None => {
            let slugs = tx
                .org_ids()
                .map(|ids| ids.into_iter().map(|(_, slug)| slug).collect());
            Err(no_org(slug, slugs))
        }
    }
}

/// Bad lines (or rows) an all-or-nothing input lists in its error, at most; the rest are
/// counted.
pub const BAD_SHOWN: usize = 50;

/// The bad lines of a file or rows of a query, reported all at once by an input that is
/// all or nothing (`user import`, `user sync`): kept in order, the first [`BAD_SHOWN`].
pub(crate) struct BadInput {
    /// What one and several are called: `line`/`lines`, `row of the users query`/….
    unit: (&'static str, &'static str),
    /// What names one in the list: `line`, `users query row`.
    label: &'static str,
    /// What happened instead: `nothing was imported`.
    outcome: &'static str,
    kept: Vec<(u64, anyhow::Error)>,
    total: u64,
}

impl BadInput {
    pub(crate) fn new(
        unit: (&'static str, &'static str),
        label: &'static str,
        outcome: &'static str,
    ) -> Self {
        BadInput {
            unit,
            label,
            outcome,
            kept: Vec::new(),
            total: 0,
        }
    }

    /// Records that line or row `n` is bad, and why (its exit code stays the error's).
    pub(crate) fn add(&mut self, n: u64, e: anyhow::Error) {
        self.total += 1;
        self.kept
            .push((n, e.context(format!("{} {n}", self.label))));
        // Input may be checked out of order (an import adds in email order), so a later
        // error may name an earlier line than one already kept: keep the earliest.
        if self.kept.len() > BAD_SHOWN {
            self.kept.sort_by_key(|(n, _)| *n);
            self.kept.truncate(BAD_SHOWN);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// One error naming every kept line or row, in order, with the exit code of the first.
    pub(crate) fn into_error(mut self) -> anyhow::Error {
        self.kept.sort_by_key(|(n, _)| *n);
        let code = self
            .kept
            .first()
            .map_or(crate::exit::ExitCode::Usage, |(_, e)| {
                crate::exit::classify(e).0
            });
        let (one, many) = self.unit;
        let mut msg = if self.total == 1 {
            format!("1 {one} is bad; {}:", self.outcome)
        } else {
            format!("{} {many} are bad; {}:", self.total, self.outcome)
        };
        for (_, e) in &self.kept {
            msg.push_str(&format!("\n  {e:#}"));
        }
        let more = self.total - self.kept.len() as u64;
        if more > 0 {
            msg.push_str(&format!("\n  … and {more} more"));
        }
        crate::exit::failure(code, msg)
    }
}

/// Counts a failed code (and locks the account where the escalation rule says so), logging
/// both; returns the lock this failure set.
pub(crate) fn record_failure(
    ctx: &Ctx,
    tx: &mut dyn Tx,
    account: &Account,
    action: &str,
    reason: &str,
) -> Result<Option<Lock>> {
    let now = ctx.now();
    let (count, lock) = after_failure(account.failed_attempts, now);
    tx.set_failures(account.id, count, lock.map(Lock::stored))?;
    tx.log(ctx.event(action).account(account).detail(format!(
        "{reason}; {}",
        crate::output::counted(
            u64::from(count),
            "consecutive failure",
            "consecutive failures"
        )
    )))?;
    if let Some(lock) = lock {
        tx.log(
            Event::new(now, &ctx.actor, "account.locked")
                .account(account)
                .detail(format!(
                    "{count} consecutive failed codes; {}",
                    lock_text(lock)
                )),
        )?;
    }
    Ok(lock)
}

/// `locked until 2027-01-15T08:15:00Z`, or until `unlock` or `reset`.
pub(crate) fn lock_text(lock: Lock) -> String {
    match lock {
        Lock::Until(t) => format!("locked until {}", rfc3339(t)),
        Lock::UntilUnlock => "locked until 'twofa unlock' or 'twofa reset'".to_string(),
    }
}

/// The message of the failed code that locked `email`: says so, and until when.
pub(crate) fn locked_message(email: &str, lock: Lock) -> String {
    let why = match lock {
        Lock::Until(_) => "too many failed codes",
        Lock::UntilUnlock => "100 consecutive failed codes",
    };
    format!("{email} is now {} ({why})", lock_text(lock))
}

/// What an event's detail adds when the change revoked a live temporary access code (the
/// credential it was issued for is gone or replaced).
pub(crate) const ACCESS_CODE_REVOKED: &str = "; the live access code was revoked";

/// The recovery codes, shown once (after `confirm`, `enroll`, `recovery regenerate`).
#[derive(Serialize)]
pub struct CodesShown {
    pub email: String,
    pub recovery_codes: Vec<String>,
}

impl Drop for CodesShown {
    fn drop(&mut self) {
        self.recovery_codes.iter_mut().for_each(Zeroize::zeroize);
    }
}

impl Human for CodesShown {
    fn human(&self, out: &mut Output) -> Result<()> {
        if !out.quiet {
            out.line(format!(
                "Recovery codes for {}. Store these now, they will not be shown again.\nEach works once, in place of a code from the app:\n",
                self.email
            ))?;
        }
        for code in &self.recovery_codes {
            out.line(if out.quiet {
                code.clone()
            } else {
                format!("  {code}")
            })?;
        }
        Ok(())
    }
}

/// Adds the missing account `email` (into `org_id`) with a `user.add` event saying `how`,
/// and returns it: the `--create` path of `enroll` and `import`.
pub(crate) fn create_account(
    ctx: &Ctx,
    tx: &mut dyn Tx,
    email: &str,
    org_id: Option<i64>,
    how: &str,
) -> Result<Account> {
    let now: Timestamp = ctx.now();
    let account = NewAccount {
        email,
        org_id,
        name: None,
        created_at: now,
    };
    let added = match tx.add_account(&account) {
        Ok(_) => true,
        // Another twofa added it since the caller looked (on PostgreSQL, whose insert
        // waited for that one to commit): use that account, as SQLite's turn-taking would.
        // An account that only looks like it is the refusal itself.
        Err(e) if is_refused(&e) && tx.account(email)?.is_some() => false,
        Err(e) => return Err(e),
    };
    let account = account_tx(tx, email)?;
    if added {
        tx.log(ctx.event("user.add").account(&account).detail(how))?;
    }
    Ok(account)
}
