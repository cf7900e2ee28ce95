//! The actions the four-eyes rule may hold for approval (a reset, an access code, an
//! exemption, a policy change, ending an account's protection), each as it runs inside a
//! transaction: their own commands and `approve` run the same code, so an approved request
//! does exactly what the command would have, events included. And the rule's side of those
//! commands: how many approvals an account needs, filing a request instead of acting, and
//! closing the requests whose time ran out.

use anyhow::Result;
use serde::Serialize;
use zeroize::Zeroize;

use super::account_tx;
use crate::clock::{Timestamp, rfc3339};
use crate::ctx::Ctx;
use crate::foureyes::{self, Action, REQUEST_TTL, RequestState};
use crate::model::{Account, Org};
use crate::output::{Human, Output, cell, counted, yes_no};
use crate::policy::{self, Policy};
use crate::store::{Closing, NewAccessCode, NewRequest, Tx};

/// What a reset of one account did.
pub(crate) struct ResetDone {
    /// Anything changed (and was logged).
    pub changed: bool,
    /// The own deadline it set or kept (`--grace-days`), as people read it.
    pub deadline: Option<String>,
    /// The account had no 2FA to remove (the reset cleared failures or set a deadline).
    pub no_2fa: bool,
    /// It cleared failed attempts (and a lockout).
    pub cleared: bool,
}

/// `reset` of one account inside `tx`: every device and the live access code removed,
/// failures cleared, with `grace_days` an own deadline; `changed` false when there was
/// nothing to reset.
pub(crate) fn reset(
    ctx: &Ctx,
    tx: &mut dyn Tx,
    email: &str,
    reason: Option<&str>,
    grace_days: Option<u32>,
) -> Result<ResetDone> {
    let acct = account_tx(tx, email)?;
    let revoked = tx.revoke_access_code(acct.id, ctx.now())?.is_some();
    let had = tx.remove_credential(acct.id)? || revoked;
    let cleared = tx.clear_failures(acct.id)?;
    // With --grace-days the account's own deadline is the later of the one in force and N
    // days from now; without, the deadline stays as it is: a reset never shortens the time
    // an account has to enroll.
    let mut deadline = None;
    let mut deadline_changed = false;
    if let Some(days) = grace_days {
        let now = ctx.now();
        let current = tx.record(email)?.and_then(|r| {
            let start = r.policy_start();
            policy::account_deadline(r.account.policy.as_ref(), start, r.own_deadline)
        });
        let own = policy::reset_deadline(current, days, now);
        let in_days = counted(u64::from(days), "day", "days");
        // A deadline in force that is as late stays as it is (and keeps following its
        // organisation's grace period if it is the organisation's).
        deadline = Some(if Some(own) == current {
            format!(
                "deadline {} kept: later than {in_days} from now",
                rfc3339(own)
            )
        } else {
            deadline_changed = tx.set_own_deadline(acct.id, Some(own))?;
            format!("own deadline {} ({in_days} from now)", rfc3339(own))
        });
    }
    // Nothing to reset: no event, so no hook call (a notification would tell the user about
    // a change that did not happen).
    let changed = had || cleared || deadline_changed;
    if changed {
        let note = if revoked {
            super::ACCESS_CODE_REVOKED
        } else {
            ""
        };
        let e = ctx.event("reset").account(&acct);
        let e = match (reason, &deadline, note) {
            (_, Some(d), note) => {
                let why = reason.map_or(String::new(), |r| format!("{r}; "));
                e.detail(format!("{why}{d}{note}"))
            }
            (Some(r), None, note) => e.detail(format!("{r}{note}")),
            (None, None, "") => e,
            (None, None, note) => e.detail(note.trim_start_matches("; ")),
        };
        tx.log(e)?;
    }
    Ok(ResetDone {
        changed,
        deadline,
        no_2fa: !had,
        cleared,
    })
}

/// `access-code` inside `tx`: stores the code's `hash` for the account's enabled 2FA until
/// `now + ttl`; returns the expiry.
pub(crate) fn access_code(
    ctx: &Ctx,
    tx: &mut dyn Tx,
    email: &str,
    reason: &str,
    ttl: i64,
    hash: &str,
) -> Result<Timestamp> {
    let now = ctx.now();
    let expires_at = now + ttl;
    let acct = account_tx(tx, email)?;
    needs_access_code(tx, &acct)?;
    let replaced = tx.access_code(acct.id)?.is_some();
    let code = NewAccessCode {
        hash,
        created_at: now,
        expires_at,
    };
    tx.set_access_code(acct.id, &code)?;
    let mut detail = format!("{reason}; expires at {}", rfc3339(expires_at));
    if replaced {
        detail.push_str("; replaces the previous access code");
    }
    tx.log(ctx.event("access-code").account(&acct).detail(detail))?;
    Ok(expires_at)
}

/// Refuses (exit 4) an access code for an account without 2FA enabled.
pub(crate) fn needs_access_code(tx: &mut dyn Tx, acct: &Account) -> Result<()> {
    let enabled = crate::devices::enabled_count(&tx.credentials(acct.id)?) > 0;
    if !enabled {
        let email = &acct.email;
        return Err(crate::exit::refused(format!(
            "{email} has no 2FA enabled, so it needs no access code (to set 2FA up: 'twofa enroll {email}')"
        )));
    }
    Ok(())
}

/// `user exempt` inside `tx`: exempts the account until `until`, or with `None` ends its
/// exemption; returns the account and whether that changed it.
pub(crate) fn exempt(
    ctx: &Ctx,
    tx: &mut dyn Tx,
    email: &str,
    until: Option<Timestamp>,
    reason: Option<&str>,
) -> Result<(Account, bool)> {
    let account = account_tx(tx, email)?;
    let changed = tx.set_exempt(account.id, until)?;
    if changed {
        let event = match until {
            Some(t) => ctx.event("user.exempt").account(&account).detail(format!(
                "until {}; {}",
                rfc3339(t),
                reason.unwrap_or("")
            )),
            None => {
                let e = ctx.event("user.exempt.clear").account(&account);
                match reason {
                    Some(r) => e.detail(r),
                    None => e,
                }
            }
        };
        tx.log(event)?;
    }
    Ok((account, changed))
}

/// `org policy` inside `tx`: the organisation `o` (read in `tx`) gets the policy `new` and
/// requires `approvals`; each change is its event.
pub(crate) fn set_policy(
    ctx: &Ctx,
    tx: &mut dyn Tx,
    o: &Org,
    new: &Policy,
    approvals: u8,
) -> Result<()> {
    let old = o.policy;
    if *new != old {
        tx.set_policy(o.id, new)?;
        let mut event = ctx.event(if new.required {
            "policy.require"
        } else {
            "policy.optional"
        });
        event.org = Some(o.slug.clone());
        let days = |n: u32| counted(u64::from(n), "day", "days");
        event.detail = Some(if new.required && old.required {
            format!(
                "2FA required; grace {} → {}",
                days(old.grace_days),
                days(new.grace_days)
            )
        } else if new.required {
            format!("2FA required; grace {}", days(new.grace_days))
        } else {
            "2FA optional".to_string()
        });
        tx.log(event)?;
    }
    let old_approvals = tx.org_approvals(o.id)?;
    if approvals != old_approvals {
        tx.set_org_approvals(o.id, approvals)?;
        let mut event = ctx.event("policy.approvals");
        event.org = Some(o.slug.clone());
        event.detail = Some(format!("approvals {old_approvals} → {approvals}"));
        tx.log(event)?;
    }
    Ok(())
}

/// An organisation's policy as `org policy` shows it (`--format json`).
#[derive(Debug, Serialize)]
pub struct PolicyShown {
    pub org: String,
    pub required: bool,
    pub grace_days: u32,
    #[serde(serialize_with = "crate::output::opt_time")]
    pub since: Option<Timestamp>,
    /// Other operators who must approve a reset, access code, exemption or relaxation.
    pub approvals: u8,
}

impl PolicyShown {
    pub fn new(slug: &str, p: &Policy, approvals: u8) -> Self {
        PolicyShown {
            org: slug.to_string(),
            required: p.required,
            grace_days: p.grace_days,
            since: p.since,
            approvals,
        }
    }
}

impl Human for PolicyShown {
    fn human(&self, out: &mut Output) -> Result<()> {
        out.fields(&[
            ("org", self.org.clone()),
            ("required", yes_no(self.required)),
            ("grace_days", self.grace_days.to_string()),
            ("since", cell(self.since.map(rfc3339))),
            ("approvals", self.approvals.to_string()),
        ])
    }
}

/// `user protect` inside `tx`: protects the account or ends its protection; whether that
/// changed it.
pub(crate) fn protect(
    ctx: &Ctx,
    tx: &mut dyn Tx,
    email: &str,
    on: bool,
    reason: Option<&str>,
) -> Result<bool> {
    let account = account_tx(tx, email)?;
    let changed = tx.set_protected(account.id, on)?;
    if changed {
        let e = ctx
            .event(if on {
                "user.protect"
            } else {
                "user.protect.clear"
            })
            .account(&account);
        tx.log(match reason {
            Some(r) => e.detail(r),
            None => e,
        })?;
    }
    Ok(changed)
}

/// The approvals an action on `account` needs (read in `tx`, after `account_tx` locked it).
pub(crate) fn needed_for(tx: &mut dyn Tx, account: &Account) -> Result<u8> {
    let (protected, org_approvals) = tx.guard(account.id)?;
    Ok(foureyes::needed(org_approvals, protected))
}

/// The `access-code` object (`--format json`): the code, shown once.
#[derive(Serialize)]
pub struct AccessIssued {
    pub email: String,
    pub access_code: String,
    #[serde(serialize_with = "crate::output::time")]
    pub expires_at: Timestamp,
}

impl Drop for AccessIssued {
    fn drop(&mut self) {
        self.access_code.zeroize();
    }
}

impl Human for AccessIssued {
    fn human(&self, out: &mut Output) -> Result<()> {
        if out.quiet {
            return out.line(&self.access_code);
        }
        out.line(format!(
            "Temporary access code for {}, valid once until {}:\n\n  {}\n\nRead it to the user now; it is not shown again. 2FA stays enabled.",
            self.email,
            rfc3339(self.expires_at),
            self.access_code
        ))
    }
}

/// A request filed instead of acting (`--format json`).
#[derive(Debug, Serialize)]
pub struct Filed {
    pub request: i64,
    pub state: RequestState,
    pub approvals_needed: u8,
    #[serde(skip)]
    pub what: String,
}

impl Human for Filed {
    fn human(&self, out: &mut Output) -> Result<()> {
        if out.quiet {
            return out.line(self.request.to_string());
        }
        out.line(format!(
            "{} needs the approval of {}: filed as request {} (it expires in 24 hours). Ask a colleague to run:\n\n  twofa approve {}",
            self.what,
            counted(u64::from(self.approvals_needed), "other operator", "other operators"),
            self.request,
            self.request
        ))
    }
}

/// Files a request for `action` needing `needed` approvals, with its event, in `tx`.
pub(crate) fn file(
    ctx: &Ctx,
    tx: &mut dyn Tx,
    action: &Action,
    org: Option<&str>,
    needed: u8,
) -> Result<Filed> {
    let who = ctx.identity()?;
    let role = tx.db_role()?;
    let now = ctx.now();
    expire(ctx, tx)?;
    let args = serde_json::to_string(action)?;
    let id = tx.file_request(&NewRequest {
        action: action.name(),
        email: action.email(),
        org,
        args: &args,
        reason: action.reason(),
        needed,
        requested_by: &who,
        requested_role: role.as_deref(),
        requested_at: now,
        expires_at: now + REQUEST_TTL,
    })?;
    let mut event = crate::model::Event::new(now, &who, "request.created");
    event.email = action.email().map(str::to_string);
    event.org = org.map(str::to_string);
    event.detail = Some(format!(
        "request {id}: {}{}; needs {}; requested by {who}{}{}",
        action.name(),
        action.reason().map_or(String::new(), |r| format!(" ({r})")),
        counted(u64::from(needed), "approval", "approvals"),
        role.map_or(String::new(), |r| format!(" as database role {r}")),
        match &ctx.actor_given {
            Some(a) if *a != who => format!(", for {a}"),
            _ => String::new(),
        }
    ));
    tx.log(event)?;
    let what = match (action, action.email()) {
        (Action::Policy { org, .. }, _) => format!("Relaxing the policy of '{org}'"),
        (_, Some(email)) => format!("{} of {email}", action.name()),
        _ => action.name().to_string(),
    };
    Ok(Filed {
        request: id,
        state: RequestState::Pending,
        approvals_needed: needed,
        what,
    })
}

/// Closes the pending requests whose time ran out, each with its event, in `tx`.
pub(crate) fn expire(ctx: &Ctx, tx: &mut dyn Tx) -> Result<()> {
    let now = ctx.now();
    for r in tx.overdue_requests(now)? {
        let closing = Closing {
            state: RequestState::Expired,
            at: now,
            by: None,
            decision: None,
        };
        if tx.close_request(r.id, &closing)? {
            let mut event = ctx.event("request.expired");
            event.email = r.email.clone();
            event.org = r.org.clone();
            event.detail = Some(format!(
                "request {}: {} by {}, {} of {} approvals given, expired at {}",
                r.id,
                r.action_name,
                r.requested_by,
                r.approvals.len(),
                r.needed,
                rfc3339(r.expires_at)
            ));
            tx.log(event)?;
        }
    }
    Ok(())
}
