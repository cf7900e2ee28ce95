//! `org policy`: show, require (with a dry run), or lift an organisation's 2FA policy.

use anyhow::Result;
use serde::Serialize;

use super::gated::{self, PolicyShown};
use super::{org, org_tx};
use crate::cli::PolicyArgs;
use crate::clock::{Timestamp, rfc3339};
use crate::ctx::Ctx;
use crate::exit::{ExitCode, usage};
use crate::foureyes::{self, Action};
use crate::model::{StatusRow, normalise_org};
use crate::output::{Human, Output, counted, flat_only};
use crate::policy::{self, Policy, State};
use crate::store::{AccountFilter, OpenMode, Store};

#[derive(Serialize)]
struct PolicyOut {
    #[serde(flatten)]
    policy: PolicyShown,
    #[serde(skip_serializing_if = "Option::is_none")]
    would_be_non_compliant: Option<Vec<StatusRow>>,
    /// With `--dry-run`: accounts without 2FA that an exemption keeps out of the policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    exempt: Option<Vec<StatusRow>>,
    /// With `--optional --dry-run`: the accounts without 2FA that are required now and
    /// would be no more.
    #[serde(skip_serializing_if = "Option::is_none")]
    would_no_longer_be_required: Option<Vec<StatusRow>>,
    /// With `--dry-run`: what a shorter grace period does to the deadlines, for people.
    #[serde(skip)]
    shortening: Option<String>,
}

impl Human for PolicyOut {
    fn human(&self, out: &mut Output) -> Result<()> {
        self.policy.human(out)?;
        if let Some(text) = &self.shortening {
            out.line(format!("\n{text}"))?;
        }
        if let Some(rows) = &self.would_be_non_compliant {
            out.line(format!(
                "\nDry run, nothing changed. {} without 2FA would be non-compliant from their deadline:",
                counted(rows.len() as u64, "account", "accounts")
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
        if self
            .would_no_longer_be_required
            .as_ref()
            .is_some_and(Vec::is_empty)
        {
            out.line(format!(
                "\nDry run, nothing changed: no account without 2FA is required in '{}' now, so none would be freed of it.",
                self.policy.org
            ))?;
        }
        if let Some(rows) = self
            .would_no_longer_be_required
            .as_ref()
            .filter(|r| !r.is_empty())
        {
            let non_compliant = rows.iter().filter(|r| !r.compliant).count() as u64;
            out.line(format!(
                "\nDry run, nothing changed. 2FA would be optional in '{}': {} without 2FA would be required no more ({non_compliant} of them non-compliant now), and 'disable' would be allowed:",
                self.policy.org,
                counted(rows.len() as u64, "account", "accounts")
            ))?;
            for r in rows {
                let deadline = r.deadline.map(rfc3339).unwrap_or_default();
                out.line(format!(
                    "  {}  {}  deadline {deadline}",
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

fn shown(slug: &str, p: &Policy, approvals: u8) -> PolicyOut {
    PolicyOut {
        policy: PolicyShown::new(slug, p, approvals),
        would_be_non_compliant: None,
        exempt: None,
        would_no_longer_be_required: None,
        shortening: None,
    }
}

/// What a policy change does to the accounts of an organisation that have no 2FA enabled.
#[derive(Default)]
struct Impact {
    /// Required under the new policy: non-compliant at once or from their deadline.
    required: Vec<StatusRow>,
    /// Kept out of the new policy by an exemption.
    exempt: Vec<StatusRow>,
    /// Whose deadline the change moves earlier.
    earlier: Vec<Earlier>,
}

/// An account whose deadline moves earlier.
struct Earlier {
    from: Timestamp,
    to: Timestamp,
    /// Compliant before the change and not after it.
    at_once: bool,
}

/// What moving from the policy `old` to `new` does to the accounts of `slug` without 2FA.
fn impact(
    store: &mut dyn Store,
    slug: &str,
    old: Policy,
    new: Policy,
    now: Timestamp,
) -> Result<Impact> {
    let mut impact = Impact::default();
    let filter = AccountFilter {
        org: Some(slug.to_string()),
        now,
        ..AccountFilter::default()
    };
    store.records(&filter, &mut |mut record| {
        if policy::state(record.credential, now) == State::Enabled {
            return Ok(());
        }
        let (start, own) = (record.policy_start(), record.own_deadline);
        let before = policy::account_deadline(Some(&old), start, own);
        let was_compliant = policy::exempt(record.account.exempt_until, now)
            || policy::compliant_by(before, State::Disabled, now);
        record.account.policy = Some(new);
        let row = StatusRow::new(record, now);
        if let (Some(from), Some(to)) = (before, row.deadline)
            && to < from
        {
            impact.earlier.push(Earlier {
                from,
                to,
                at_once: was_compliant && !row.compliant,
            });
        }
        if row.required {
            impact.required.push(row);
        } else if policy::exempt(row.exempt_until, now) {
            impact.exempt.push(row);
        }
        Ok(())
    })?;
    Ok(impact)
}

/// What a shorter grace period does, in one sentence: how many deadlines move earlier, the
/// soonest of them from and to, and how many accounts that makes non-compliant at once.
fn shortening(slug: &str, old: &Policy, new: &Policy, earlier: &[Earlier]) -> Option<String> {
    let soonest = earlier.iter().min_by_key(|e| (e.to, e.from))?;
    let at_once = earlier.iter().filter(|e| e.at_once).count() as u64;
    let days = |n: u32| counted(u64::from(n), "day", "days");
    Some(format!(
        "Shortening the grace period of '{slug}' from {} to {} moves the deadline of {} without 2FA earlier (the soonest: {} → {}); {} of them {} non-compliant at once.",
        days(old.grace_days),
        days(new.grace_days),
        counted(earlier.len() as u64, "account", "accounts"),
        rfc3339(soonest.from),
        rfc3339(soonest.to),
        at_once,
        if at_once == 1 { "becomes" } else { "become" },
    ))
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
            ", and {later} more within the grace period of {} unless they enroll",
            counted(u64::from(new.grace_days), "day", "days")
        )
    };
    ctx.say(format!(
        "Requiring 2FA in '{slug}' makes {at_once} account(s) non-compliant at once{grace}."
    ));
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
        if !args.require && !args.optional {
            return Err(usage(
                "--dry-run shows what --require or --optional would change: give one of them",
            ));
        }
        flat_only(ctx.format(), "org policy --dry-run")?;
    }
    // Showing the policy and a dry run only read.
    let changes = args.require || args.optional || args.approvals.is_some();
    let reads_only = args.dry_run || !changes;
    let mut store = ctx.open(if reads_only {
        OpenMode::ReadOnly
    } else {
        OpenMode::Existing
    })?;
    let now = ctx.now();
    if !changes {
        let o = org(store.as_mut(), &slug)?;
        let approvals = store.org_approvals(o.id)?;
        ctx.out.object(&shown(&o.slug, &o.policy, approvals))?;
        return Ok(ExitCode::Success);
    }
    let current = org(store.as_mut(), &slug)?;
    let slug = current.slug.clone();
    let old = current.policy;
    let old_approvals = store.org_approvals(current.id)?;
    let approvals = args.approvals.unwrap_or(old_approvals);
    let new = if args.require {
        policy::required_policy(&old, args.grace_days, now)
    } else if args.optional {
        Policy::default()
    } else {
        old
    };
    // Shortening a running policy's grace period moves deadlines earlier (only that: a
    // running policy keeps its start): said always, asked on a terminal.
    let shrinks = old.required && new.grace_days < old.grace_days;
    let asks = !old.required && !ctx.yes && ctx.stdin_tty;
    let effect = if new.required && (args.dry_run || shrinks || asks) {
        impact(store.as_mut(), &slug, old, new, now)?
    } else {
        Impact::default()
    };
    let shorter = if shrinks {
        shortening(&slug, &old, &new, &effect.earlier)
    } else {
        None
    };

    if args.dry_run && !new.required {
        let mut out = shown(&slug, &new, approvals);
        out.would_no_longer_be_required = Some(if old.required {
            impact(store.as_mut(), &slug, old, old, now)?.required
        } else {
            Vec::new()
        });
        ctx.out.object(&out)?;
        return Ok(ExitCode::Success);
    }
    if args.dry_run {
        let mut out = shown(&slug, &new, approvals);
        out.shortening = shorter;
        out.would_be_non_compliant = Some(effect.required);
        out.exempt = Some(effect.exempt);
        ctx.out.object(&out)?;
        return Ok(ExitCode::Success);
    }
    if new == old && approvals == old_approvals {
        ctx.note(format!("'{slug}' has this policy already; nothing changed"));
        ctx.out.object(&shown(&slug, &new, approvals))?;
        return Ok(ExitCode::Success);
    }
    // Lowering the approvals, or making 2FA optional, waits for the approvals in force.
    let needed = foureyes::relaxing(old_approvals, approvals, old.required, new.required);
    if needed > 0 {
        let action = Action::Policy {
            org: slug.clone(),
            required: new.required,
            grace_days: new.grace_days,
            since: new.since,
            approvals,
        };
        let mut tx = store.begin()?;
        let filed = gated::file(ctx, tx.as_mut(), &action, Some(&slug), needed)?;
        let events = tx.commit()?;
        ctx.notify(&events);
        ctx.out.object(&filed)?;
        return Ok(ExitCode::Refused);
    }
    match &shorter {
        Some(text) => {
            ctx.warn(text);
            if !ctx.yes && ctx.stdin_tty {
                crate::prompt::confirm(
                    false,
                    &format!(
                        "Shorten the grace period of '{slug}' to {}?",
                        counted(u64::from(new.grace_days), "day", "days")
                    ),
                    "org policy --require",
                )?;
            }
        }
        None if new.required && !old.required => {
            confirm_require(ctx, &slug, &new, &effect.required)?;
        }
        None => {}
    }

    let mut tx = store.begin()?;
    let o = org_tx(tx.as_mut(), &slug)?;
    gated::set_policy(ctx, tx.as_mut(), &o, &new, approvals)?;
    let events = tx.commit()?;
    ctx.notify(&events);
    ctx.out.object(&shown(&slug, &new, approvals))?;
    Ok(ExitCode::Success)
}
