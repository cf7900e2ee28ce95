//! One module per command group: each validates its input, calls the core and the store,
//! and writes its result through `output`. What more than one command needs (account and
//! organisation look-ups, counting a failed code, showing recovery codes) is here: no
//! command imports another.

pub mod admin;
pub mod audit;
pub mod compliance;
pub mod enroll;
pub mod exempt;
pub mod generate;
pub mod key;
pub mod lifecycle;
pub mod log;
pub mod migrate;
pub mod orgs;
pub mod policy;
pub mod recovery;
pub mod remind;
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
use crate::store::{Store, Tx};
use crate::suggest;

pub(crate) fn no_account(email: &str) -> anyhow::Error {
    not_found(format!(
        "no account {email} (add it with 'twofa user add {email}')"
    ))
}

fn no_org(org: &str) -> anyhow::Error {
    not_found(format!(
        "no organisation '{org}' (add it with 'twofa org add {org}')"
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

/// The organisation, or exit 3 naming it.
pub(crate) fn org(store: &mut dyn Store, slug: &str) -> Result<Org> {
    store.org(slug)?.ok_or_else(|| no_org(slug))
}

/// The organisation read inside a transaction, or exit 3 naming it.
pub(crate) fn org_tx(tx: &mut dyn Tx, slug: &str) -> Result<Org> {
    tx.org(slug)?.ok_or_else(|| no_org(slug))
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
    let added = match tx.add_account(email, org_id, None, now) {
        Ok(_) => true,
        // Another twofa added it since the caller looked (on PostgreSQL, whose insert
        // waited for that one to commit): use that account, as SQLite's turn-taking would.
        Err(e) if is_refused(&e) => false,
        Err(e) => return Err(e),
    };
    let account = account_tx(tx, email)?;
    if added {
        tx.log(ctx.event("user.add").account(&account).detail(how))?;
    }
    Ok(account)
}
