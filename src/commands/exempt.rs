//! `user exempt`: exempt one account from its organisation's 2FA requirement until a date,
//! or end the exemption. Whether an exemption is allowed and in force is policy.rs's.

use anyhow::Result;

use super::{account_tx, gated};
use crate::cli::ExemptArgs;
use crate::clock::{Timestamp, parse_time, rfc3339};
use crate::ctx::Ctx;
use crate::exit::{ExitCode, usage};
use crate::foureyes::Action;
use crate::model::{StatusRow, normalise_email};
use crate::policy::{self, DAY};
use crate::store::OpenMode;
use crate::text;

/// The reason, checked by the text rules; it must be given.
fn reason(input: &str) -> Result<String> {
    text::label("reason", input)?
        .ok_or_else(|| usage("--reason is empty: say why the account is exempt"))
}

/// The exemption's end from `--until` or `--days`, checked against `now`.
fn until(args: &ExemptArgs, now: Timestamp) -> Result<Timestamp> {
    let (until, given) = match (&args.until, args.days) {
        (Some(text), _) => (parse_time(text)?, format!("--until {}", text::quote(text))),
        (None, Some(days)) => (
            now.saturating_add(i64::from(days).saturating_mul(DAY)),
            format!("--days {days}"),
        ),
        (None, None) => return Err(usage("give --until TIME, --days N or --clear")),
    };
    policy::check_exemption(until, now).map_err(|why| usage(format!("{given}: {why}")))?;
    Ok(until)
}

/// `twofa user exempt EMAIL (--until TIME | --days N) --reason TEXT`, and `--clear`.
pub fn run(ctx: &mut Ctx, args: &ExemptArgs) -> Result<ExitCode> {
    let email = normalise_email(&args.email)?;
    let now = ctx.now();
    let reason = args.reason.as_deref().map(reason).transpose()?;
    let until = if args.clear {
        None
    } else {
        Some(until(args, now)?)
    };
    let mut store = ctx.open(OpenMode::Existing)?;
    let mut tx = store.begin()?;
    // An exemption (not its end) waits for approval where the account needs it.
    if let Some(until) = until {
        let account = account_tx(tx.as_mut(), &email)?;
        let needed = gated::needed_for(tx.as_mut(), &account)?;
        if needed > 0 {
            let action = Action::Exempt {
                email: email.clone(),
                until,
                reason: reason.clone().unwrap_or_default(),
            };
            let filed = gated::file(ctx, tx.as_mut(), &action, account.org.as_deref(), needed)?;
            let events = tx.commit()?;
            ctx.notify(&events);
            ctx.out.object(&filed)?;
            return Ok(ExitCode::Refused);
        }
    }
    let (account, changed) = gated::exempt(ctx, tx.as_mut(), &email, until, reason.as_deref())?;
    let events = tx.commit()?;
    ctx.notify(&events);
    match (changed, until) {
        (false, None) => ctx.note(format!("{email} was not exempt; nothing changed")),
        (false, Some(t)) => ctx.note(format!(
            "{email} is exempt until {} already; nothing changed",
            rfc3339(t)
        )),
        (true, Some(t)) => {
            ctx.note(format!("{email} is exempt from 2FA until {}", rfc3339(t)));
            match (&account.org, account.policy.is_some_and(|p| p.required)) {
                (None, _) => ctx.note(format!(
                    "note: {email} belongs to no organisation, so nothing requires 2FA of it now"
                )),
                (Some(org), false) => ctx.note(format!(
                    "note: organisation '{org}' does not require 2FA now; the exemption applies if it does before then"
                )),
                (Some(_), true) => {}
            }
        }
        (true, None) => ctx.note(format!("{email} is no longer exempt")),
    }
    let record = store
        .record(&email)?
        .ok_or_else(|| super::no_account(&email))?;
    ctx.out.object(&StatusRow::new(record, now))?;
    Ok(ExitCode::Success)
}
