//! `recovery regenerate` and `recovery status`.

use anyhow::Result;
use serde::Serialize;

use super::{CodesShown, account, account_tx};
use crate::ctx::Ctx;
use crate::devices::account_credential;
use crate::exit::{ExitCode, refused};
use crate::model::{Account, normalise_email};
use crate::output::{Human, Output, flat_only};
use crate::policy::{self, Credential, State};
use crate::recovery;
use crate::store::{OpenMode, Store};

fn require_enabled(store_state: Option<Credential>, account: &Account, now: i64) -> Result<()> {
    if policy::state(store_state, now) != State::Enabled {
        return Err(refused(format!(
            "{} has no enabled 2FA, so no recovery codes (enroll first: 'twofa enroll {}')",
            account.email, account.email
        )));
    }
    Ok(())
}

/// `twofa recovery regenerate EMAIL`.
pub fn regenerate(ctx: &mut Ctx, email: &str) -> Result<ExitCode> {
    flat_only(ctx.format(), "recovery regenerate")?;
    let email = normalise_email(email)?;
    let mut store = ctx.open(OpenMode::Existing)?;
    let now = ctx.now();
    let acct = account(store.as_mut(), &email)?;
    require_enabled(account_credential(&store.credentials(acct.id)?), &acct, now)?;
    // Every code the user printed stops working: ask first (or --yes; no terminal, exit 2).
    crate::prompt::confirm(
        ctx.yes,
        &format!("Replace the recovery codes of {email}? Every code issued before stops working."),
        &format!("regenerating the recovery codes of {email}"),
    )?;
    // Hash before taking the write lock; the swap itself is one transaction.
    let codes = recovery::generate_set()?;
    let hashed = recovery::hash_set(&codes, recovery::params())?;
    let mut tx = store.begin()?;
    let acct = account_tx(tx.as_mut(), &email)?;
    require_enabled(account_credential(&tx.credentials(acct.id)?), &acct, now)?;
    tx.replace_recovery_codes(acct.id, &hashed, now)?;
    tx.log(
        ctx.event("recovery.regenerate")
            .account(&acct)
            .detail("10 new recovery codes; the previous set is void"),
    )?;
    let events = tx.commit()?;
    ctx.notify(&events);
    ctx.out.object(&CodesShown {
        email,
        recovery_codes: codes.iter().map(|c| recovery::display(c)).collect(),
    })?;
    Ok(ExitCode::Success)
}

#[derive(Serialize)]
struct Left {
    email: String,
    recovery_codes_left: u32,
    /// Whether the account has 2FA enabled (recovery codes exist only then).
    #[serde(skip)]
    enabled: bool,
    /// Whether any were issued for its credential (an imported one has none until
    /// `recovery regenerate`).
    #[serde(skip)]
    issued: bool,
}

impl Human for Left {
    fn human(&self, out: &mut Output) -> Result<()> {
        if !self.enabled {
            return out.line(format!(
                "{}: no recovery codes: the account has no 2FA enabled (they come with 'twofa enroll {}')",
                self.email, self.email
            ));
        }
        if !self.issued {
            return out.line(format!(
                "{}: no recovery codes yet (its 2FA was imported without them): issue them with 'twofa recovery regenerate {}' and hand them over",
                self.email, self.email
            ));
        }
        out.line(format!(
            "{}: {} of {} recovery codes left",
            self.email,
            self.recovery_codes_left,
            recovery::SET_SIZE
        ))
    }
}

/// `twofa recovery status EMAIL`.
pub fn status(ctx: &mut Ctx, email: &str) -> Result<ExitCode> {
    let email = normalise_email(email)?;
    let mut store = ctx.open(OpenMode::ReadOnly)?;
    let (left, enabled, issued) = recovery_left(store.as_mut(), &email, ctx.now())?;
    ctx.out.object(&Left {
        email: email.clone(),
        recovery_codes_left: left,
        enabled,
        issued,
    })?;
    // Without enabled 2FA there are no codes to run out of, and regenerate is refused; an
    // imported credential that never had any was told so above.
    if enabled && issued && left <= recovery::LOW_WATER {
        ctx.warn(format!(
            "{email} has {} left; make new ones with 'twofa recovery regenerate {email}'",
            crate::output::counted(u64::from(left), "recovery code", "recovery codes")
        ));
    }
    Ok(ExitCode::Success)
}

/// The codes left, whether 2FA is enabled, and whether any codes were issued for it.
fn recovery_left(store: &mut dyn Store, email: &str, now: i64) -> Result<(u32, bool, bool)> {
    let Some(record) = store.record(email)? else {
        return Err(super::no_account_in(store, email));
    };
    let id = record.account.id;
    let row = crate::model::StatusRow::new(record, now);
    let enabled = row.state == State::Enabled;
    let issued = !enabled || row.recovery_codes_left > 0 || store.recovery_codes_issued(id)? > 0;
    Ok((row.recovery_codes_left, enabled, issued))
}
