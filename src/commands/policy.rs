//! `org policy`: show, require (with a dry run), or lift an organisation's 2FA policy.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::{org, org_tx};
use crate::cli::PolicyArgs;
use crate::clock::{Timestamp, rfc3339};
use crate::ctx::Ctx;
use crate::exit::ExitCode;
use crate::model::{StatusRow, normalise_org};
use crate::output::{Human, Output, cell, flat_only, yes_no};
use crate::policy::{self, Policy, State};
use crate::store::{AccountFilter, OpenMode, Store};

#[derive(Serialize)]
struct PolicyOut {
    org: String,
    required: bool,
    grace_days: u32,
    #[serde(serialize_with = "crate::output::opt_time")]
    since: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    would_be_non_compliant: Option<Vec<StatusRow>>,
    /// With `--dry-run`: accounts without 2FA that an exemption keeps out of the policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    exempt: Option<Vec<StatusRow>>,
}

impl Human for PolicyOut {
    fn human(&self, out: &mut Output) -> Result<()> {
        out.fields(&[
            ("org", self.org.clone()),
            ("required", yes_no(self.required)),
            ("grace_days", self.grace_days.to_string()),
            ("since", cell(self.since.map(rfc3339))),
        ])?;
        if let Some(rows) = &self.would_be_non_compliant {
            out.line(format!(
                "\nDry run, nothing changed. {} without 2FA would be non-compliant from their deadline:",
                crate::output::counted(rows.len() as u64, "account", "accounts")
            ))?;
            for r in rows {
                let when = r.deadline.map(rfc3339).unwrap_or_default();
                let now = if r.compliant { "" } else { " (at once)" };
                out.line(format!(
                    "  {}  {}  deadline {when}{now}",
                    r.email,
                    r.state.as_str()
                ))?;
            }
        }
        if let Some(rows) = self.exempt.as_ref().filter(|rows| !rows.is_empty()) {
            out.line(format!(
                "{} account(s) without 2FA are exempt from the policy for now:",
                rows.len()
            ))?;
            for r in rows {
                let until = r.exempt_until.map(rfc3339).unwrap_or_default();
                out.line(format!("  {}  exempt until {until}", r.email))?;
            }
        }
        Ok(())
    }
}

fn shown(slug: &str, p: &Policy) -> PolicyOut {
    PolicyOut {
        org: slug.to_string(),
        required: p.required,
        grace_days: p.grace_days,
        since: p.since,
        would_be_non_compliant: None,
        exempt: None,
    }
}

/// The accounts of `slug` without 2FA under the policy `new`: those it makes required
/// (non-compliant at once or from their deadline), and those an exemption keeps out.
fn affected(
    store: &mut dyn Store,
    slug: &str,
    new: Policy,
    now: Timestamp,
) -> Result<(Vec<StatusRow>, Vec<StatusRow>)> {
    let (mut required, mut exempt) = (Vec::new(), Vec::new());
    let filter = AccountFilter {
        org: Some(slug.to_string()),
        now,
        ..AccountFilter::default()
    };
    store.records(&filter, &mut |mut record| {
        record.account.policy = Some(new);
        let row = StatusRow::new(record, now);
        if row.state != State::Enabled {
            if row.required {
                required.push(row);
            } else if policy::exempt(row.exempt_until, now) {
                exempt.push(row);
            }
        }
        Ok(())
    })?;
    Ok((required, exempt))
}

/// On a terminal, says what requiring 2FA does and asks first (`--yes` answers); without
/// one it proceeds, so scripts keep working.
fn confirm_require(ctx: &Ctx, slug: &str, new: &Policy, rows: &[StatusRow]) -> Result<()> {
    if ctx.yes || !ctx.stdin_tty || rows.is_empty() {
        return Ok(());
    }
    let at_once = rows.iter().filter(|r| !r.compliant).count();
    let later = rows.len() - at_once;
    let grace = if new.grace_days == 0 {
        String::new()
    } else {
        format!(
            ", and {later} more within the grace period of {} day(s) unless they enroll",
            new.grace_days
        )
    };
    let _ = writeln!(
        std::io::stderr(),
        "Requiring 2FA in '{slug}' makes {at_once} account(s) non-compliant at once{grace}."
    );
    crate::prompt::confirm(
        false,
        &format!("Require 2FA in '{slug}'?"),
        "org policy --require",
    )
}

/// `twofa org policy ORG [--require [--grace-days N] [--dry-run] | --optional]`.
pub fn run(ctx: &mut Ctx, args: &PolicyArgs) -> Result<ExitCode> {
    let slug = normalise_org(&args.org)?;
    if args.dry_run {
        flat_only(ctx.format(), "org policy --dry-run")?;
    }
    // Showing the policy and a dry run only read.
    let reads_only = args.dry_run || (!args.require && !args.optional);
    let mut store = ctx.open(if reads_only {
        OpenMode::ReadOnly
    } else {
        OpenMode::Existing
    })?;
    let now = ctx.now();
    if !args.require && !args.optional {
        let o = org(store.as_mut(), &slug)?;
        ctx.out.object(&shown(&slug, &o.policy))?;
        return Ok(ExitCode::Success);
    }
    let current = org(store.as_mut(), &slug)?;
    let new = if args.require {
        Policy {
            required: true,
            grace_days: args.grace_days.unwrap_or(0),
            // Changing the grace period of a running policy keeps its start.
            since: Some(
                current
                    .policy
                    .since
                    .filter(|_| current.policy.required)
                    .unwrap_or(now),
            ),
        }
    } else {
        Policy::default()
    };

    if args.dry_run {
        let (rows, exempt) = affected(store.as_mut(), &slug, new, now)?;
        let mut out = shown(&slug, &new);
        out.would_be_non_compliant = Some(rows);
        out.exempt = Some(exempt);
        ctx.out.object(&out)?;
        return Ok(ExitCode::Success);
    }
    if new.required && !ctx.yes && ctx.stdin_tty {
        let (rows, _) = affected(store.as_mut(), &slug, new, now)?;
        confirm_require(ctx, &slug, &new, &rows)?;
    }

    let mut tx = store.begin()?;
    let o = org_tx(tx.as_mut(), &slug)?;
    tx.set_policy(o.id, &new)?;
    let mut event = ctx.event(if new.required {
        "policy.require"
    } else {
        "policy.optional"
    });
    event.org = Some(slug.clone());
    event.detail = Some(if new.required {
        format!(
            "2FA required; grace {}",
            crate::output::counted(u64::from(new.grace_days), "day", "days")
        )
    } else {
        "2FA optional".to_string()
    });
    tx.log(event)?;
    let events = tx.commit()?;
    ctx.notify(&events);
    ctx.out.object(&shown(&slug, &new))?;
    Ok(ExitCode::Success)
}
