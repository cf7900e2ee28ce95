//! `disable`, `reset`, `unlock` and `user remove`, for one account or in bulk
//! (`--from FILE|-`).
//!
//! A bulk run reads one email a line, works in batches of at most [`BATCH`] accounts and
//! [`BATCH_TIME`], one transaction each, and reports what changed and what failed and why;
//! it exits non-zero when anything failed. Unknown emails and refusals do not stop the run.

use std::io::BufReader;
use std::time::{Duration, Instant};

use anyhow::Result;
use serde::Serialize;

use super::account_tx;
use super::gated::{self, Filed};
use crate::cli::{BulkArgs, ResetArgs};
use crate::ctx::Ctx;
use crate::exit::{ExitCode, Failure, refused, usage};
use crate::foureyes::Action;
use crate::input::{self, Bounded};
use crate::model::{Account, normalise_email};
use crate::output::{Human, Output, flat_only};
use crate::text::quote;

use crate::store::{OpenMode, Tx};

/// Accounts per transaction in a bulk run, at most: every commit of a bulk run costs a
/// checkpoint (two fsyncs), so larger batches are faster (BENCHMARKS.md)...
pub const BATCH: usize = 10_000;
/// ...but a batch holds the write lock, which `verify` waits for: a batch ends after this
/// long even when it has fewer accounts.
pub const BATCH_TIME: Duration = Duration::from_millis(250);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Disable,
    Reset,
    Unlock,
    Remove,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Disable => "disable",
            Op::Reset => "reset",
            Op::Unlock => "unlock",
            Op::Remove => "remove",
        }
    }

    /// What the confirmation asks about.
    fn object(self, what: &str) -> String {
        match self {
            Op::Remove => format!("remove {what} and their 2FA records"),
            _ => format!("{} 2FA of {what}", self.name()),
        }
    }
}

/// Applies `op` to one account inside `tx`; Ok(false) when there was nothing to change.
fn apply(
    ctx: &Ctx,
    tx: &mut dyn Tx,
    op: Op,
    email: &str,
    reason: Option<&str>,
    grace_days: Option<u32>,
    note: &mut Note,
) -> Result<bool> {
    if op == Op::Reset {
        let done = gated::reset(ctx, tx, email, reason, grace_days)?;
        *note = Note {
            deadline: done.deadline,
            no_2fa: done.no_2fa,
            cleared: done.cleared,
        };
        return Ok(done.changed);
    }
    let acct = account_tx(tx, email)?;
    let event = |action: &str, revoked: bool| {
        let e = ctx.event(action).account(&acct);
        let note = if revoked {
            super::ACCESS_CODE_REVOKED
        } else {
            ""
        };
        match (reason, note) {
            (Some(r), note) => e.detail(format!("{r}{note}")),
            (None, "") => e,
            (None, note) => e.detail(note.trim_start_matches("; ")),
        }
    };
    // The access code dies with the credential (or the account) it was issued for; the
    // event says when a live one did.
    let refused_disable = op == Op::Disable && acct.policy.is_some_and(|p| p.required);
    let revoked = op != Op::Unlock
        && !refused_disable
        && tx.revoke_access_code(acct.id, ctx.now())?.is_some();
    match op {
        Op::Disable => {
            if refused_disable {
                tx.log(event("disable.refused", false))?;
                return Err(refused(mandatory_message(&acct)));
            }
            let changed = tx.remove_credential(acct.id)? || revoked;
            if changed {
                tx.log(event("disable", revoked))?;
            }
            Ok(changed)
        }
        Op::Reset => unreachable!("a reset is gated::reset"),
        Op::Unlock => {
            let changed = tx.clear_failures(acct.id)?;
            if changed {
                tx.log(event("unlock", false))?;
            }
            Ok(changed)
        }
        Op::Remove => {
            let removed = tx.remove_account(acct.id)?;
            if removed {
                tx.log(event("user.remove", revoked))?;
            }
            Ok(removed)
        }
    }
}

fn mandatory_message(acct: &Account) -> String {
    let org = acct.org.as_deref().unwrap_or("its organisation");
    format!(
        "cannot disable 2FA for {}: organisation '{org}' has made two-factor authentication mandatory for all its accounts. \
To replace a lost phone, use 'twofa reset {} --reason TEXT'; to lift the policy, 'twofa org policy {org} --optional'",
        acct.email, acct.email
    )
}

/// A target that failed, in a bulk report.
#[derive(Serialize)]
struct Failed {
    /// The line of `--from FILE` (`None` for an EMAIL argument).
    line: Option<u64>,
    /// What the line said (as a message may quote it: at most 80 characters, escaped).
    input: String,
    error: String,
    exit_code: u8,
}

/// An account whose change was filed as a request, in a bulk report.
#[derive(Serialize)]
struct Requested {
    email: String,
    request: i64,
    approvals_needed: u8,
}

/// The bulk report (`--format json`): which accounts changed, which were already so, and what
/// failed. One account (an EMAIL argument) gets the same object.
#[derive(Serialize)]
struct Report {
    action: &'static str,
    changed: Vec<String>,
    unchanged: Vec<String>,
    failed: Vec<Failed>,
    /// The accounts whose change waits for approval: a request each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    requested: Vec<Requested>,
    #[serde(skip)]
    single: Option<String>,
    /// What a single account's change set besides, for people.
    #[serde(skip)]
    note: Note,
}

/// What a reset of one account did besides what its report says, for people.
#[derive(Default)]
struct Note {
    /// The own deadline it set or kept (`--grace-days`).
    deadline: Option<String>,
    /// The account had no 2FA to remove (the reset cleared failures or set a deadline).
    no_2fa: bool,
    /// The reset cleared failed attempts (and a lockout).
    cleared: bool,
}

impl Human for Report {
    fn human(&self, out: &mut Output) -> Result<()> {
        if let Some(email) = &self.single {
            let what = match (self.action, !self.changed.is_empty()) {
                ("disable", true) => "2FA disabled",
                ("disable", false) => "2FA was not on; nothing to disable",
                ("reset", true) if self.note.no_2fa && self.note.cleared => {
                    "no 2FA to reset; failed attempts and lockout cleared"
                }
                ("reset", true) if self.note.no_2fa => "no 2FA to reset",
                ("reset", true) => "2FA reset; the account must enroll again",
                ("reset", false) => "no 2FA and no lockout; nothing to reset",
                ("unlock", true) => "unlocked",
                ("remove", _) => {
                    "account removed with its 2FA records (its events stay in the log)"
                }
                (_, _) => "was not locked; nothing to unlock",
            };
            return match &self.note.deadline {
                Some(note) => out.line(format!("{email}: {what}; {note}")),
                None => out.line(format!("{email}: {what}")),
            };
        }
        out.line(format!(
            "{}: {} changed, {} unchanged, {} failed",
            self.action,
            self.changed.len(),
            self.unchanged.len(),
            self.failed.len()
        ))?;
        for f in &self.failed {
            let line = f.line.map_or(String::new(), |l| format!("line {l}: "));
            out.line(format!("  failed: {line}{}", f.error))?;
        }
        for r in &self.requested {
            out.line(format!(
                "  needs approval: {}: request {} ('twofa approve {}')",
                r.email, r.request, r.request
            ))?;
        }
        Ok(())
    }
}

/// The emails of `--from FILE|-`: one a line, `#` comments and blank lines skipped; at
/// most [`input::LIST_LINES_MAX`] lines of at most [`input::LINE_MAX`] bytes (exit 2 past
/// either, before anything changes).
fn read_emails(from: &str) -> Result<Vec<(u64, String)>> {
    let (reader, source) = input::open(from)?;
    let mut lines = Bounded::lines(
        BufReader::new(reader),
        input::LINE_MAX,
        input::LIST_LINES_MAX,
    );
    let mut out = Vec::new();
    let mut line = Vec::with_capacity(input::LINE_MAX + 1);
    while let Some(n) = lines
        .read_line(&mut line)
        .map_err(|e| input::error(&e, &source))?
    {
        let text = String::from_utf8_lossy(&line);
        let text = text.split('#').next().unwrap_or("").trim();
        if !text.is_empty() {
            out.push((n, text.to_string()));
        }
    }
    Ok(out)
}

fn run(ctx: &mut Ctx, args: &BulkArgs, op: Op, grace_days: Option<u32>) -> Result<ExitCode> {
    flat_only(ctx.format(), op.name())?;
    let reason = args
        .reason
        .as_deref()
        .map(|r| crate::text::label("reason", r))
        .transpose()?
        .flatten();
    let reason = reason.as_deref();
    if op == Op::Reset && reason.is_none() {
        return Err(usage(
            "reset needs --reason TEXT (who asked, and how their identity was checked)",
        ));
    }
    let single = match (&args.email, &args.from) {
        (Some(email), _) => Some(normalise_email(email)?),
        _ => None,
    };
    let targets: Vec<(u64, String)> = match (&single, &args.from) {
        (Some(email), _) => vec![(0, email.clone())],
        (None, Some(from)) => read_emails(from)?,
        (None, None) => return Err(usage("give an EMAIL or --from FILE")),
    };
    let mut store = ctx.open(OpenMode::Existing)?;
    if op != Op::Unlock
        && !ctx.yes
        && let Some(email) = &single
    {
        // Nothing to confirm when the answer is no anyway: an unknown account (exit 3), or
        // a disable that the organisation's policy refuses (exit 4, logged as always).
        match store.account(email)? {
            None => return Err(super::no_account_in(store.as_mut(), email)),
            Some(a) if op == Op::Disable && a.policy.is_some_and(|p| p.required) => {
                let mut tx = store.begin()?;
                let mut note = Note::default();
                if let Err(e) = apply(ctx, tx.as_mut(), op, email, reason, grace_days, &mut note) {
                    let events = tx.commit()?;
                    ctx.notify(&events);
                    return Err(e);
                }
                // The policy was lifted meanwhile: roll back (drop) and ask as usual.
            }
            Some(_) => {}
        }
    }
    if op != Op::Unlock {
        let what = match &single {
            Some(email) => op.object(email),
            None => op.object(&crate::output::counted(
                targets.len() as u64,
                "account",
                "accounts",
            )),
        };
        crate::prompt::confirm(ctx.yes, &format!("{}?", capitalise(&what)), &what)?;
    }

    let mut report = Report {
        action: op.name(),
        changed: Vec::new(),
        unchanged: Vec::new(),
        failed: Vec::new(),
        requested: Vec::new(),
        single: single.clone(),
        note: Note::default(),
    };
    let mut worst = ExitCode::Success;
    let progress = ctx.progress(Some(targets.len() as u64), op.name());
    let mut rest = targets.iter().peekable();
    while rest.peek().is_some() {
        let mut tx = store.begin()?;
        let (started, mut size) = (Instant::now(), 0);
        while let Some((line, raw)) =
            rest.next_if(|_| size < BATCH && started.elapsed() < BATCH_TIME)
        {
            size += 1;
            let mut note = Note::default();
            let outcome = normalise_email(raw).and_then(|email| {
                if op == Op::Reset
                    && let Some(filed) =
                        request_reset(ctx, tx.as_mut(), &email, reason, grace_days)?
                {
                    return Ok((Done::Filed(filed), email));
                }
                apply(ctx, tx.as_mut(), op, &email, reason, grace_days, &mut note)
                    .map(|changed| (Done::Changed(changed), email))
            });
            if single.is_some() {
                report.note = note;
            }
            match outcome {
                Ok((Done::Changed(true), email)) => report.changed.push(email),
                Ok((Done::Changed(false), email)) => report.unchanged.push(email),
                Ok((Done::Filed(filed), email)) => {
                    if single.is_some() {
                        let events = tx.commit()?;
                        ctx.notify(&events);
                        ctx.out.object(&filed)?;
                        return Ok(ExitCode::Refused);
                    }
                    worst = worst.max_by_severity(ExitCode::Refused);
                    report.requested.push(Requested {
                        email,
                        request: filed.request,
                        approvals_needed: filed.approvals_needed,
                    });
                }
                Err(e) => {
                    let code = match e.downcast_ref::<Failure>() {
                        Some(
                            f @ (Failure::NotFound(_) | Failure::Refused(_) | Failure::Usage(_)),
                        ) => f.exit_code(),
                        _ => return Err(e),
                    };
                    if single.is_some() {
                        // One account: its failure is the command's error, once the
                        // refusal's event is committed.
                        let events = tx.commit()?;
                        ctx.notify(&events);
                        return Err(e);
                    }
                    worst = worst.max_by_severity(code);
                    // The input as typed, but never more than a message may quote.
                    let shown = quote(raw);
                    report.failed.push(Failed {
                        line: Some(*line),
                        input: shown[1..shown.len() - 1].to_string(),
                        error: format!("{e:#}"),
                        exit_code: code as u8,
                    });
                }
            }
            progress.inc();
        }
        let events = tx.commit()?;
        ctx.notify(&events);
    }
    progress.finish();
    ctx.out.object(&report)?;
    Ok(worst)
}

/// What became of one account of a run.
enum Done {
    /// Changed, or not (nothing to change).
    Changed(bool),
    /// Filed as a request: the change needs approval.
    Filed(Filed),
}

/// Files a request for a reset of `email` when the account needs approval for it.
fn request_reset(
    ctx: &Ctx,
    tx: &mut dyn Tx,
    email: &str,
    reason: Option<&str>,
    grace_days: Option<u32>,
) -> Result<Option<Filed>> {
    let acct = account_tx(tx, email)?;
    let needed = gated::needed_for(tx, &acct)?;
    if needed == 0 {
        return Ok(None);
    }
    let action = Action::Reset {
        email: email.to_string(),
        reason: reason.unwrap_or_default().to_string(),
        grace_days,
    };
    gated::file(ctx, tx, &action, acct.org.as_deref(), needed).map(Some)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

impl ExitCode {
    /// The more specific of two failure codes (refused over not found over usage).
    fn max_by_severity(self, other: ExitCode) -> ExitCode {
        if (other as u8) > (self as u8) {
            other
        } else {
            self
        }
    }
}

/// `twofa disable EMAIL|--from FILE [--reason TEXT]`.
pub fn disable(ctx: &mut Ctx, args: &BulkArgs) -> Result<ExitCode> {
    run(ctx, args, Op::Disable, None)
}

/// `twofa reset EMAIL|--from FILE --reason TEXT [--grace-days N]`.
pub fn reset(ctx: &mut Ctx, args: &ResetArgs) -> Result<ExitCode> {
    run(ctx, &args.bulk, Op::Reset, args.grace_days)
}

/// `twofa user remove EMAIL|--from FILE [--reason TEXT]`.
pub fn remove(ctx: &mut Ctx, args: &BulkArgs) -> Result<ExitCode> {
    run(ctx, args, Op::Remove, None)
}

/// `twofa unlock EMAIL|--from FILE`.
pub fn unlock(ctx: &mut Ctx, args: &BulkArgs) -> Result<ExitCode> {
    run(ctx, args, Op::Unlock, None)
}
