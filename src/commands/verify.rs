//! `verify`: a TOTP code or a recovery code, with replay protection and lockout. The
//! command reads, lets `verify::decide` (the pure core) decide, applies the outcome in one
//! transaction, and answers.

use anyhow::Result;
use serde::Serialize;

use super::{account, account_tx, record_failure};
use crate::cli::CodeArgs;
use crate::clock::Timestamp;
use crate::code::{CodeInput, parse_code};
use crate::ctx::Ctx;
use crate::exit::ExitCode;
use crate::model::{Account, normalise_email};
use crate::output::{Human, Output};
use crate::policy::{self, Credential};
use crate::recovery;
use crate::store::{OpenMode, Spend, Store, Tx};
use crate::totp;
use crate::verify::{self, Attempt, Claim, Lost, Method, Outcome, Reason, Record, Rejection};

/// The `verify` object of CLI.md.
#[derive(Debug, Serialize)]
pub struct Verified {
    pub email: String,
    pub accepted: bool,
    pub method: Option<Method>,
    pub reason: Option<Reason>,
    pub recovery_codes_left: Option<u32>,
}

impl Human for Verified {
    fn human(&self, out: &mut Output) -> Result<()> {
        match (self.accepted, self.method, self.reason) {
            (true, Some(Method::Recovery), _) => out.line(format!(
                "{}: accepted (recovery code; {} left)",
                self.email,
                self.recovery_codes_left.unwrap_or(0)
            )),
            (true, _, _) => out.line(format!("{}: accepted", self.email)),
            (false, _, reason) => out.line(format!(
                "{}: rejected ({})",
                self.email,
                reason
                    .unwrap_or(Reason::WrongCode)
                    .as_str()
                    .replace('_', " ")
            )),
        }
    }
}

/// `twofa verify EMAIL [CODE|-]`.
pub fn run(ctx: &mut Ctx, args: &CodeArgs) -> Result<ExitCode> {
    let email = normalise_email(&args.email)?;
    let input = parse_code(&crate::prompt::read_code(args.code.as_deref())?)?;
    let mut store = ctx.open(OpenMode::Existing)?;
    let now = ctx.now();

    // The one Argon2 evaluation of a recovery attempt runs before the write lock is taken,
    // so concurrent verifies of other codes do not wait for it.
    let acct = account(store.as_mut(), &email)?;
    let (key, recovery_match) = match &input {
        CodeInput::Recovery(code) => (None, find_recovery_code(store.as_mut(), &acct, code, now)?),
        CodeInput::Totp(_) => (Some(ctx.key(store.as_mut())?), None),
    };

    let mut tx = store.begin()?;
    let acct = account_tx(tx.as_mut(), &email)?;
    let attempt = match (tx.credential(acct.id)?, &input) {
        (Some(cred), CodeInput::Totp(code)) if cred.state == Credential::Enabled => {
            let key = key.as_ref().expect("the key is loaded for TOTP codes");
            let secret = key.open(acct.id, &cred.sealed_secret)?;
            Attempt::Totp(totp::check(&secret, code, now, cred.last_step)?)
        }
        (Some(cred), CodeInput::Recovery(_)) if cred.state == Credential::Enabled => {
            Attempt::Recovery(recovery_match)
        }
        _ => Attempt::NotEnrolled,
    };
    // Ok: accepted by this method; Err: rejected for this reason.
    let answer = match verify::decide(acct.locked_until, attempt, now) {
        Outcome::Accept(claim) => match take(tx.as_mut(), acct.id, claim, now)? {
            None => Ok(accept(ctx, tx.as_mut(), &acct, claim)?),
            Some(why) => Err(reject(ctx, tx.as_mut(), &acct, verify::lost(why))?),
        },
        Outcome::Reject(rejection) => Err(reject(ctx, tx.as_mut(), &acct, rejection)?),
    };
    let mut result = Verified {
        email: email.clone(),
        accepted: answer.is_ok(),
        method: answer.ok(),
        reason: answer.err(),
        recovery_codes_left: None,
    };
    if result.reason != Some(Reason::NotEnrolled) {
        result.recovery_codes_left = Some(tx.recovery_codes_left(acct.id)?);
    }
    // A failure that just reached the limit is still this attempt's rejection (exit 1).
    let events = tx.commit()?;
    ctx.notify(&events);
    ctx.out.object(&result)?;
    if result.method == Some(Method::Recovery)
        && result.recovery_codes_left <= Some(recovery::LOW_WATER)
    {
        ctx.warn(format!(
            "{email} has {} left; make new ones with 'twofa recovery regenerate {email}'",
            crate::output::counted(
                u64::from(result.recovery_codes_left.unwrap_or(0)),
                "recovery code",
                "recovery codes"
            )
        ));
    }
    Ok(answer.map_or_else(Reason::exit_code, |_| ExitCode::Success))
}

/// The unspent recovery code that `code` matches, if any. Costs one Argon2 evaluation
/// whether or not its look-up prefix finds a candidate; none on a locked account.
fn find_recovery_code(
    store: &mut dyn Store,
    acct: &Account,
    code: &str,
    now: Timestamp,
) -> Result<Option<i64>> {
    if policy::locked(acct.locked_until, now) {
        return Ok(None);
    }
    let candidates = store.recovery_candidates(acct.id, recovery::lookup(code))?;
    if candidates.is_empty() {
        recovery::burn(code);
        return Ok(None);
    }
    Ok(candidates
        .iter()
        .find(|c| recovery::verify(code, &c.hash))
        .map(|c| c.id))
}

/// Takes the claim in the transaction; `Some(why)` when another verify won it meanwhile.
fn take(tx: &mut dyn Tx, account_id: i64, claim: Claim, now: Timestamp) -> Result<Option<Lost>> {
    Ok(match claim {
        Claim::Step(step) => (!tx.accept_step(account_id, step, now)?).then_some(Lost::StepTaken),
        Claim::RecoveryCode(id) => match tx.spend_recovery_code(id, now)? {
            Spend::Spent => None,
            Spend::AlreadySpent => Some(Lost::CodeSpent),
            Spend::Gone => Some(Lost::CodeGone),
        },
    })
}

/// Records an accepted code: the failure count starts again, and the event says how.
fn accept(ctx: &Ctx, tx: &mut dyn Tx, acct: &Account, claim: Claim) -> Result<Method> {
    tx.clear_failures(acct.id)?;
    let event = match claim.method() {
        Method::Totp => ctx.event("verify.accepted").account(acct).detail("totp"),
        Method::Recovery => {
            let left = tx.recovery_codes_left(acct.id)?;
            ctx.event("recovery.used").account(acct).detail(format!(
                "{} left",
                crate::output::counted(u64::from(left), "recovery code", "recovery codes")
            ))
        }
    };
    tx.log(event)?;
    Ok(claim.method())
}

/// Records a rejection as the decision says.
fn reject(ctx: &Ctx, tx: &mut dyn Tx, acct: &Account, rejection: Rejection) -> Result<Reason> {
    match rejection.record {
        Record::Failure => {
            record_failure(ctx, tx, acct, "verify.rejected", rejection.reason.as_str())?
        }
        Record::Event { action, detail } => {
            tx.log(ctx.event(action).account(acct).detail(detail))?;
        }
    }
    Ok(rejection.reason)
}
