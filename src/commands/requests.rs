//! The four-eyes rule's commands: `requests` (what waits for approval), `approve` (the last
//! approval needed runs the action, in the approval's transaction), `deny`, and `user
//! protect`. Who may decide is `foureyes::may_decide`'s; the actions are `gated.rs`'s, which
//! their own commands run too.

use std::borrow::Cow;

use anyhow::Result;
use serde::Serialize;
use zeroize::Zeroizing;

use super::gated::{self, AccessIssued};
use super::{account_tx, org_tx};
use crate::cli::{ApproveArgs, DenyArgs, ProtectArgs, RequestsArgs};
use crate::clock::{Timestamp, rfc3339};
use crate::ctx::Ctx;
use crate::exit::{ExitCode, not_found, refused, usage};
use crate::foureyes::{self, Action, Approval, Outcome, Refusal, Request, RequestState};
use crate::model::{StatusRow, normalise_email};
use crate::output::{Human, Output, Row, cell, csv_cells};
use crate::policy::{self, Policy};
use crate::recovery;
use crate::store::{Closing, OpenMode, Tx};
use crate::text;

/// One approval, as `requests` shows it.
#[derive(Debug, Serialize)]
struct ApprovalOut {
    by: String,
    #[serde(serialize_with = "crate::output::time")]
    at: Timestamp,
}

/// A `requests` row.
#[derive(Debug, Serialize)]
struct RequestRow {
    id: i64,
    action: String,
    email: Option<String>,
    org: Option<String>,
    requested_by: String,
    #[serde(serialize_with = "crate::output::time")]
    requested_at: Timestamp,
    #[serde(serialize_with = "crate::output::time")]
    expires_at: Timestamp,
    reason: Option<String>,
    state: RequestState,
    approvals: Vec<ApprovalOut>,
}

impl RequestRow {
    fn new(r: Request, now: Timestamp) -> Self {
        RequestRow {
            id: r.id,
            state: r.state_at(now),
            action: r.action_name,
            email: r.email,
            org: r.org,
            requested_by: r.requested_by,
            requested_at: r.requested_at,
            expires_at: r.expires_at,
            reason: r.reason,
            approvals: r
                .approvals
                .into_iter()
                .map(|a| ApprovalOut { by: a.by, at: a.at })
                .collect(),
        }
    }

    /// The approvals in one cell: `by at`, comma-separated.
    fn approvals_cell(&self) -> String {
        self.approvals
            .iter()
            .map(|a| format!("{} {}", a.by, rfc3339(a.at)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Row for RequestRow {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "action",
        "email",
        "org",
        "requested_by",
        "requested_at",
        "expires_at",
        "reason",
        "state",
        "approvals",
    ];
    const DROP_ORDER: &'static [&'static str] =
        &["reason", "requested_at", "org", "approvals", "expires_at"];
    const FREE_TEXT: &'static [&'static str] = &["reason"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.action.clone(),
            cell(self.email.as_deref()),
            cell(self.org.as_deref()),
            self.requested_by.clone(),
            rfc3339(self.requested_at),
            rfc3339(self.expires_at),
            cell(self.reason.as_deref()),
            self.state.as_str().to_string(),
            if self.approvals.is_empty() {
                cell(None::<&str>)
            } else {
                self.approvals_cell()
            },
        ]
    }

    fn csv_record(&self) -> Result<Vec<Cow<'_, str>>> {
        let mut cells = csv_cells(self, &Self::FIELDS[..Self::FIELDS.len() - 1])?;
        cells.push(text::csv_cell(&self.approvals_cell()).into_owned());
        Ok(cells.into_iter().map(Cow::Owned).collect())
    }
}

/// `twofa requests [--all]`: closes the requests whose time ran out (each an event), then
/// lists the pending ones, or all.
pub fn list(ctx: &mut Ctx, args: &RequestsArgs) -> Result<ExitCode> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let mut tx = store.begin()?;
    gated::expire(ctx, tx.as_mut())?;
    let events = tx.commit()?;
    ctx.notify(&events);
    let now = ctx.now();
    let mut list = ctx.out.list::<RequestRow>()?;
    store.requests(args.all, &mut |r| list.push(&RequestRow::new(r, now)))?;
    if list.finish()? == 0 {
        ctx.nothing_found(if args.all {
            "no requests"
        } else {
            "no requests wait for approval"
        });
    }
    Ok(ExitCode::Success)
}

/// The operator deciding: the login identity, which `--actor` may name but not change (exit
/// 2; `TWOFA_ACTOR`, set for every run of a shell, is ignored); the run's events are theirs.
fn operator(ctx: &mut Ctx, what: &str) -> Result<String> {
    let who = ctx.identity()?;
    if let Some(given) = &ctx.actor_given
        && *given != who
    {
        return Err(usage(format!(
            "--actor names {}, but you are {} (your login): a request is {what} by the login identity alone; run without --actor",
            text::quote(given),
            text::quote(&who)
        )));
    }
    ctx.actor = who.clone();
    Ok(who)
}

/// An optional `--reason`, held to the text rules.
fn optional_reason(reason: Option<&str>) -> Result<Option<String>> {
    Ok(reason
        .map(|r| text::label("reason", r))
        .transpose()?
        .flatten())
}

fn unknown(id: i64) -> anyhow::Error {
    not_found(format!(
        "no request {id} (list them with 'twofa requests --all')"
    ))
}

/// The pending request `id`, locked in `tx` after the requests whose time ran out are
/// closed; a refusal (the request closed, or `who` may not decide) is committed with those
/// closings and returned as the error.
fn decide<'t>(
    ctx: &Ctx,
    mut tx: Box<dyn Tx + 't>,
    id: i64,
    who: &str,
    approve: bool,
) -> Result<(Box<dyn Tx + 't>, Request, Outcome)> {
    gated::expire(ctx, tx.as_mut())?;
    let request = tx.request_for_update(id)?;
    let verdict = match &request {
        None => Err(unknown(id)),
        Some(r) => foureyes::may_decide(r, who, approve, ctx.now()).map_err(|why| {
            let verb = if approve { "approve" } else { "deny" };
            match why {
                Refusal::Closed(_) => refused(format!("cannot {verb} request {id}: {why}")),
                _ => refused(format!("you cannot {verb} request {id}: {why}")),
            }
        }),
    };
    match (request, verdict) {
        (Some(r), Ok(outcome)) => Ok((tx, r, outcome)),
        (_, verdict) => {
            // The closings of expired requests stand; the refusal is the answer.
            let events = tx.commit()?;
            ctx.notify(&events);
            Err(verdict.err().unwrap_or_else(|| unknown(id)))
        }
    }
}

/// What an approval that does not run the action yet answers (`--format json`).
#[derive(Debug, Serialize)]
struct Approved {
    request: i64,
    state: RequestState,
    approvals_needed: u8,
}

impl Human for Approved {
    fn human(&self, out: &mut Output) -> Result<()> {
        out.line(format!(
            "request {}: approved by you; it needs {} more before it runs",
            self.request, self.approvals_needed
        ))
    }
}

/// The event of a decision on `r`.
fn decision_event(ctx: &Ctx, action: &str, r: &Request, detail: String) -> crate::model::Event {
    let mut event = ctx.event(action);
    event.email = r.email.clone();
    event.org = r.org.clone();
    event.detail = Some(detail);
    event
}

/// `twofa approve ID [--reason TEXT]`.
pub fn approve(ctx: &mut Ctx, args: &ApproveArgs) -> Result<ExitCode> {
    let who = operator(ctx, "approved")?;
    let reason = optional_reason(args.reason.as_deref())?;
    let mut store = ctx.open(OpenMode::Existing)?;
    // An access code is drawn (and hashed) before the transaction, as `access-code` does.
    let action: Option<Action> = match store.request(args.id)? {
        Some(r) => Some(serde_json::from_str(&r.args)?),
        None => None,
    };
    let code = match action {
        Some(Action::AccessCode { .. }) => {
            let code = recovery::generate_access_code()?;
            let hash = recovery::hash(&code, recovery::params())?;
            Some((code, hash))
        }
        _ => None,
    };
    let role = store.db_role()?;
    let tx = store.begin()?;
    let (mut tx, request, outcome) = decide(ctx, tx, args.id, &who, true)?;
    let now = ctx.now();
    let approval = Approval {
        by: who.clone(),
        at: now,
        role: role.clone(),
    };
    tx.approve(request.id, &approval, reason.as_deref())?;
    let given = request.approvals.len() + 1;
    let detail = format!(
        "request {}: {} by {}; approval {given} of {}{}{}",
        request.id,
        request.action_name,
        request.requested_by,
        request.needed,
        role.map_or(String::new(), |r| format!(" as database role {r}")),
        reason.map_or(String::new(), |r| format!("; {r}"))
    );
    tx.log(decision_event(ctx, "request.approved", &request, detail))?;
    let Outcome::Runs = outcome else {
        let events = tx.commit()?;
        ctx.notify(&events);
        ctx.out.object(&Approved {
            request: request.id,
            state: RequestState::Pending,
            approvals_needed: request.needed.saturating_sub(given as u8),
        })?;
        return Ok(ExitCode::Success);
    };
    let closing = Closing {
        state: RequestState::Approved,
        at: now,
        by: Some(&who),
        decision: None,
    };
    tx.close_request(request.id, &closing)?;
    let action: Action = serde_json::from_str(&request.args)?;
    run(ctx, tx, action, code)
}

/// Runs an approved request's action in `tx` (which holds the approval), commits, and
/// prints what its command prints.
fn run(
    ctx: &mut Ctx,
    mut tx: Box<dyn Tx + '_>,
    action: Action,
    code: Option<(Zeroizing<String>, String)>,
) -> Result<ExitCode> {
    let now = ctx.now();
    match action {
        Action::Reset {
            email,
            reason,
            grace_days,
        } => {
            let gated::ResetDone {
                changed,
                deadline: note,
                ..
            } = gated::reset(ctx, tx.as_mut(), &email, Some(&reason), grace_days)?;
            commit(ctx, tx)?;
            ctx.out.object(&ResetDone {
                action: "reset",
                changed: if changed { vec![email.clone()] } else { vec![] },
                unchanged: if changed { vec![] } else { vec![email.clone()] },
                failed: vec![],
                email,
                note,
            })?;
        }
        Action::AccessCode { email, reason, ttl } => {
            let (code, hash) = code.ok_or_else(|| usage("the request changed meanwhile"))?;
            let expires_at = gated::access_code(ctx, tx.as_mut(), &email, &reason, ttl, &hash)?;
            commit(ctx, tx)?;
            ctx.out.object(&AccessIssued {
                email,
                access_code: recovery::display_access(&code),
                expires_at,
            })?;
        }
        Action::Exempt {
            email,
            until,
            reason,
        } => {
            policy::check_exemption(until, now)
                .map_err(|why| refused(format!("the exemption cannot run: {why}")))?;
            gated::exempt(ctx, tx.as_mut(), &email, Some(until), Some(&reason))?;
            let record = tx
                .record(&email)?
                .ok_or_else(|| super::no_account(&email))?;
            commit(ctx, tx)?;
            ctx.out.object(&StatusRow::new(record, now))?;
        }
        Action::Policy {
            org,
            required,
            grace_days,
            since,
            approvals,
        } => {
            let o = org_tx(tx.as_mut(), &org)?;
            let new = Policy {
                required,
                grace_days,
                since,
            };
            gated::set_policy(ctx, tx.as_mut(), &o, &new, approvals)?;
            commit(ctx, tx)?;
            ctx.out
                .object(&gated::PolicyShown::new(&o.slug, &new, approvals))?;
        }
        Action::Unprotect { email, reason } => {
            gated::protect(ctx, tx.as_mut(), &email, false, reason.as_deref())?;
            commit(ctx, tx)?;
            ctx.out.object(&Protection {
                email,
                protected: false,
            })?;
        }
    }
    Ok(ExitCode::Success)
}

fn commit(ctx: &Ctx, tx: Box<dyn Tx + '_>) -> Result<()> {
    let events = tx.commit()?;
    ctx.notify(&events);
    Ok(())
}

/// An approved reset, as `reset EMAIL` reports it (`--format json`).
#[derive(Serialize)]
struct ResetDone {
    action: &'static str,
    changed: Vec<String>,
    unchanged: Vec<String>,
    failed: Vec<String>,
    #[serde(skip)]
    email: String,
    #[serde(skip)]
    note: Option<String>,
}

impl Human for ResetDone {
    fn human(&self, out: &mut Output) -> Result<()> {
        let what = if self.changed.is_empty() {
            "no 2FA and no lockout; nothing to reset"
        } else {
            "2FA reset; the account must enroll again"
        };
        match &self.note {
            Some(note) => out.line(format!("{}: {what}; {note}", self.email)),
            None => out.line(format!("{}: {what}", self.email)),
        }
    }
}

/// `deny ID --reason TEXT`.
pub fn deny(ctx: &mut Ctx, args: &DenyArgs) -> Result<ExitCode> {
    let who = operator(ctx, "denied")?;
    let Some(reason) = text::label("reason", &args.reason)? else {
        return Err(usage(
            "deny needs --reason TEXT: say why the request is denied",
        ));
    };
    let mut store = ctx.open(OpenMode::Existing)?;
    let tx = store.begin()?;
    let (mut tx, request, _) = decide(ctx, tx, args.id, &who, false)?;
    let closing = Closing {
        state: RequestState::Denied,
        at: ctx.now(),
        by: Some(&who),
        decision: Some(&reason),
    };
    tx.close_request(request.id, &closing)?;
    let detail = format!(
        "request {}: {} by {}; {reason}",
        request.id, request.action_name, request.requested_by
    );
    tx.log(decision_event(ctx, "request.denied", &request, detail))?;
    commit(ctx, tx)?;
    ctx.out.object(&Denied {
        request: request.id,
        state: RequestState::Denied,
    })?;
    Ok(ExitCode::Success)
}

/// What `deny` answers (`--format json`).
#[derive(Serialize)]
struct Denied {
    request: i64,
    state: RequestState,
}

impl Human for Denied {
    fn human(&self, out: &mut Output) -> Result<()> {
        out.line(format!(
            "request {}: denied; its action will not run",
            self.request
        ))
    }
}

/// What `user protect` answers (`--format json`).
#[derive(Serialize)]
struct Protection {
    email: String,
    protected: bool,
}

impl Human for Protection {
    fn human(&self, out: &mut Output) -> Result<()> {
        if self.protected {
            out.line(format!(
                "{}: protected; a reset, an access code or an exemption needs approval",
                self.email
            ))
        } else {
            out.line(format!("{}: no longer protected", self.email))
        }
    }
}

/// `twofa user protect EMAIL [--clear] [--reason TEXT]`: protecting acts at once; ending the
/// protection waits for the approvals the account needs (one at least).
pub fn protect(ctx: &mut Ctx, args: &ProtectArgs) -> Result<ExitCode> {
    let email = normalise_email(&args.email)?;
    let reason = optional_reason(args.reason.as_deref())?;
    let mut store = ctx.open(OpenMode::Existing)?;
    let mut tx = store.begin()?;
    let account = account_tx(tx.as_mut(), &email)?;
    if args.clear {
        let (protected, _) = tx.guard(account.id)?;
        let needed = gated::needed_for(tx.as_mut(), &account)?;
        if protected && needed > 0 {
            let action = Action::Unprotect {
                email: email.clone(),
                reason: reason.clone(),
            };
            let filed = gated::file(ctx, tx.as_mut(), &action, account.org.as_deref(), needed)?;
            commit(ctx, tx)?;
            ctx.out.object(&filed)?;
            return Ok(ExitCode::Refused);
        }
    }
    let changed = gated::protect(ctx, tx.as_mut(), &email, !args.clear, reason.as_deref())?;
    commit(ctx, tx)?;
    if !changed {
        ctx.note(format!(
            "{email} {} protected already; nothing changed",
            if args.clear { "was not" } else { "is" }
        ));
    }
    ctx.out.object(&Protection {
        email,
        protected: !args.clear,
    })?;
    Ok(ExitCode::Success)
}
