//! `verify`: a TOTP code or a recovery code, with replay protection and lockout.

use anyhow::Result;
use serde::Serialize;

use super::{account, account_tx};
use crate::app::Ctx;
use crate::cli::CodeArgs;
use crate::commands::enroll::record_failure;
use crate::exit::ExitCode;
use crate::model::normalise_email;
use crate::output::{Human, Output};
use crate::policy::{self, Credential};
use crate::recovery;
use crate::store::{OpenMode, Spend};
use crate::totp::{self, Check, CodeInput};

/// The `verify` object of CLI.md.
#[derive(Debug, Serialize)]
pub struct Verified {
    pub email: String,
    pub accepted: bool,
    pub method: Option<&'static str>,
    pub reason: Option<&'static str>,
    pub recovery_codes_left: Option<u32>,
}

impl Human for Verified {
    fn human(&self, out: &mut Output) -> Result<()> {
        match (self.accepted, self.method, self.reason) {
            (true, Some("recovery"), _) => out.line(format!(
                "{}: accepted (recovery code; {} left)",
                self.email,
                self.recovery_codes_left.unwrap_or(0)
            )),
            (true, _, _) => out.line(format!("{}: accepted", self.email)),
            (false, _, reason) => out.line(format!(
                "{}: rejected ({})",
                self.email,
                reason.unwrap_or("wrong_code").replace('_', " ")
            )),
        }
    }
}

/// `twofa verify EMAIL [CODE|-]`.
pub fn run(ctx: &mut Ctx, args: &CodeArgs) -> Result<ExitCode> {
    let email = normalise_email(&args.email)?;
    let input = totp::parse_code(&crate::prompt::read_code(args.code.as_deref())?)?;
    let mut store = ctx.open(OpenMode::Existing)?;
    let now = ctx.now();

    // The one Argon2 evaluation of a recovery attempt runs before the write lock is taken,
    // so concurrent verifies of other codes do not wait for it.
    let mut recovery_match = None;
    let mut key = None;
    match &input {
        CodeInput::Recovery(code) => {
            let acct = account(store.as_mut(), &email)?;
            if !policy::locked(acct.locked_until, now) {
                let candidates = store.recovery_candidates(acct.id, recovery::lookup(code))?;
                match candidates.first() {
                    None => recovery::burn(code),
                    Some(_) => {
                        recovery_match = candidates
                            .iter()
                            .find(|c| recovery::verify(code, &c.hash))
                            .map(|c| c.id);
                    }
                }
            }
        }
        CodeInput::Totp(_) => {
            account(store.as_mut(), &email)?;
            key = Some(ctx.key(store.as_mut())?);
        }
    }

    let mut tx = store.begin()?;
    let acct = account_tx(tx.as_mut(), &email)?;
    let mut result = Verified {
        email: email.clone(),
        accepted: false,
        method: None,
        reason: None,
        recovery_codes_left: None,
    };
    let reject = |result: &mut Verified, reason| {
        result.reason = Some(reason);
        ExitCode::Rejected
    };
    let code = if policy::locked(acct.locked_until, now) {
        tx.log(
            ctx.event("verify.locked")
                .account(&acct)
                .detail("attempt while locked"),
        )?;
        result.reason = Some("locked");
        ExitCode::Locked
    } else {
        match tx.credential(acct.id)? {
            Some(cred) if cred.state == Credential::Enabled => match &input {
                CodeInput::Totp(code) => {
                    let key = key.as_ref().expect("the key is loaded for TOTP codes");
                    let secret = key.open(acct.id, &cred.sealed_secret)?;
                    match totp::check(&secret, code, now, cred.last_step)? {
                        Check::Accepted(step) if tx.accept_step(acct.id, step, now)? => {
                            tx.clear_failures(acct.id)?;
                            tx.log(ctx.event("verify.accepted").account(&acct).detail("totp"))?;
                            result.accepted = true;
                            result.method = Some("totp");
                            ExitCode::Success
                        }
                        Check::Accepted(_) | Check::Reused => {
                            tx.log(
                                ctx.event("verify.reused")
                                    .account(&acct)
                                    .detail("totp code of an already accepted time step"),
                            )?;
                            reject(&mut result, "reused")
                        }
                        Check::Wrong => {
                            record_failure(
                                ctx,
                                tx.as_mut(),
                                &acct,
                                "verify.rejected",
                                "wrong_code",
                            )?;
                            reject(&mut result, "wrong_code")
                        }
                    }
                }
                CodeInput::Recovery(_) => match recovery_match {
                    Some(id) => match tx.spend_recovery_code(id, now)? {
                        Spend::Spent => {
                            tx.clear_failures(acct.id)?;
                            let left = tx.recovery_codes_left(acct.id)?;
                            tx.log(
                                ctx.event("recovery.used")
                                    .account(&acct)
                                    .detail(format!("{left} recovery code(s) left")),
                            )?;
                            result.accepted = true;
                            result.method = Some("recovery");
                            ExitCode::Success
                        }
                        Spend::AlreadySpent => {
                            tx.log(
                                ctx.event("verify.reused")
                                    .account(&acct)
                                    .detail("recovery code already spent"),
                            )?;
                            reject(&mut result, "reused")
                        }
                        Spend::Gone => {
                            record_failure(
                                ctx,
                                tx.as_mut(),
                                &acct,
                                "verify.rejected",
                                "wrong_code",
                            )?;
                            reject(&mut result, "wrong_code")
                        }
                    },
                    None => {
                        record_failure(ctx, tx.as_mut(), &acct, "verify.rejected", "wrong_code")?;
                        reject(&mut result, "wrong_code")
                    }
                },
            },
            _ => {
                tx.log(
                    ctx.event("verify.rejected")
                        .account(&acct)
                        .detail("not_enrolled"),
                )?;
                reject(&mut result, "not_enrolled")
            }
        }
    };
    if result.reason != Some("not_enrolled") {
        result.recovery_codes_left = Some(tx.recovery_codes_left(acct.id)?);
    }
    // A failure that just reached the limit is still this attempt's rejection (exit 1).
    let events = tx.commit()?;
    ctx.notify(&events);
    ctx.out.object(&result)?;
    if result.method == Some("recovery") && result.recovery_codes_left <= Some(recovery::LOW_WATER)
    {
        ctx.warn(format!(
            "{email} has {} recovery code(s) left; make new ones with 'twofa recovery regenerate {email}'",
            result.recovery_codes_left.unwrap_or(0)
        ));
    }
    Ok(code)
}
