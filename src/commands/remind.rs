//! `remind`: deadline reminders for the accounts that must still enroll, made for cron.
//!
//! Whom to remind and at which threshold is decided by policy.rs; each reminder is one
//! transaction that records it as sent and logs its `policy.reminder` event together, so
//! two runs at once (or one run an hour later) never remind anyone twice.

use anyhow::Result;
use serde::Serialize;

use crate::cli::{Format, RemindArgs};
use crate::clock::{Timestamp, rfc3339};
use crate::ctx::Ctx;
use crate::devices::account_credential;
use crate::exit::ExitCode;
use crate::model::{StatusRow, normalise_org};
use crate::output::{Row, cell};
use crate::policy::{self, State};
use crate::store::{AccountFilter, OpenMode, SentReminders, Store};

/// One reminder, sent or (with `--dry-run`) due: a `remind` row (`--format json`).
#[derive(Debug, Clone, Serialize)]
pub struct Reminder {
    pub email: String,
    pub org: Option<String>,
    #[serde(serialize_with = "crate::output::time")]
    pub deadline: Timestamp,
    pub days_left: i64,
    pub threshold: u32,
}

impl Row for Reminder {
    const FIELDS: &'static [&'static str] = &["email", "org", "deadline", "days_left", "threshold"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.email.clone(),
            cell(self.org.as_ref()),
            rfc3339(self.deadline),
            self.days_left.to_string(),
            self.threshold.to_string(),
        ]
    }
}

/// The event's detail: what a hook needs to write the reminder.
#[derive(Serialize)]
struct Detail {
    #[serde(serialize_with = "crate::output::time")]
    deadline: Timestamp,
    days_left: i64,
    threshold: u32,
}

/// An account whose deadline is within a threshold, as the audit stream showed it.
struct Candidate {
    account_id: i64,
    email: String,
    org: Option<String>,
    deadline: Timestamp,
}

/// `twofa remind --before DAYS[,DAYS...] [--org ORG] [--dry-run]`.
pub fn run(ctx: &mut Ctx, args: &RemindArgs) -> Result<ExitCode> {
    let mut thresholds = args.before.clone();
    thresholds.sort_unstable();
    thresholds.dedup();
    let org = args.org.as_deref().map(normalise_org).transpose()?;
    let mut store = ctx.open(OpenMode::Existing)?;
    let org = super::org_filter(store.as_mut(), org)?;
    let now = ctx.now();
    let candidates = candidates(store.as_mut(), org, &thresholds, now)?;

    let mut reminded = Vec::new();
    for c in candidates {
        let reminder = if args.dry_run {
            let sent = store.reminders_sent(c.account_id, c.deadline)?;
            policy::reminder_due(&thresholds, &sent, c.deadline, now).map(|t| c.reminder(t, now))
        } else {
            send(ctx, store.as_mut(), &c, &thresholds, now)?
        };
        reminded.extend(reminder);
    }

    // For cron, --quiet prints nothing unless something failed (a failed hook warns on
    // stderr, a failure is an error): the table and its count are for people. Machine
    // formats are what a script asked for, --quiet or not.
    if ctx.quiet && ctx.format() == Format::Table {
        return Ok(ExitCode::Success);
    }
    let mut list = ctx.out.list::<Reminder>()?;
    for r in &reminded {
        list.push(r)?;
    }
    let n = list.finish()?;
    if ctx.format() == Format::Table {
        ctx.out.line(if args.dry_run {
            format!("Dry run: {n} account(s) would be reminded; nothing recorded.")
        } else {
            format!("{n} account(s) reminded.")
        })?;
    }
    Ok(ExitCode::Success)
}

/// The accounts that are required, without 2FA enabled, and with a threshold reached.
fn candidates(
    store: &mut dyn Store,
    org: Option<String>,
    thresholds: &[u32],
    now: Timestamp,
) -> Result<Vec<Candidate>> {
    let filter = AccountFilter {
        org,
        required_only: true,
        now,
        ..AccountFilter::default()
    };
    let mut out = Vec::new();
    store.records(&filter, &mut |record| {
        let account_id = record.account.id;
        let row = StatusRow::new(record, now);
        let Some(deadline) = row.deadline else {
            return Ok(());
        };
        if row.required
            && row.state != State::Enabled
            && !policy::thresholds_reached(thresholds, deadline, now).is_empty()
        {
            out.push(Candidate {
                account_id,
                email: row.email,
                org: row.org,
                deadline,
            });
        }
        Ok(())
    })?;
    Ok(out)
}

/// Sends the reminder due for `c`, if one still is, in one transaction: the account row
/// is locked and read again (it may have enrolled or been exempted since the stream read
/// it), the thresholds reached are recorded as sent, and the event is logged.
fn send(
    ctx: &Ctx,
    store: &mut dyn Store,
    c: &Candidate,
    thresholds: &[u32],
    now: Timestamp,
) -> Result<Option<Reminder>> {
    let mut tx = store.begin()?;
    let Some(account) = tx.account(&c.email)? else {
        return Ok(None); // removed meanwhile
    };
    let enabled =
        policy::state(account_credential(&tx.credentials(account.id)?), now) == State::Enabled;
    if enabled || !policy::required(account.policy.as_ref(), account.exempt_until, now) {
        return Ok(None);
    }
    let sent = tx.reminders_sent(account.id, c.deadline)?;
    let Some(threshold) = policy::reminder_due(thresholds, &sent, c.deadline, now) else {
        return Ok(None);
    };
    // The larger thresholds reached at the same time count as sent.
    let covered = policy::thresholds_reached(thresholds, c.deadline, now);
    let sent = SentReminders {
        deadline: c.deadline,
        thresholds: &covered,
        at: now,
    };
    tx.record_reminders(account.id, &sent)?;
    let reminder = c.reminder(threshold, now);
    let detail = serde_json::to_string(&Detail {
        deadline: c.deadline,
        days_left: reminder.days_left,
        threshold,
    })?;
    tx.log(
        ctx.event("policy.reminder")
            .account(&account)
            .detail(detail),
    )?;
    let events = tx.commit()?;
    ctx.notify(&events);
    Ok(Some(reminder))
}

impl Candidate {
    fn reminder(&self, threshold: u32, now: Timestamp) -> Reminder {
        Reminder {
            email: self.email.clone(),
            org: self.org.clone(),
            deadline: self.deadline,
            days_left: policy::days_left(self.deadline, now),
            threshold,
        }
    }
}
