//! `enroll` and `confirm`: a fresh secret, the otpauth URI and QR code, and the first code
//! that turns a pending enrollment into enabled 2FA with its recovery codes.

use anyhow::Result;
use serde::Serialize;
use zeroize::Zeroize;

use super::{CodesShown, account, account_tx, create_account, org_tx, record_failure};
use crate::cli::{CodeArgs, EnrollArgs, Format, QrMode};
use crate::clock::rfc3339;
use crate::code::parse_totp;
use crate::crypto::Keyring;
use crate::ctx::Ctx;
use crate::exit::{ExitCode, refused};
use crate::model::{normalise_email, normalise_org};
use crate::output::{Human, Output, flat_only, group_by_four};
use crate::policy::{self, Credential, Lock, State};
use crate::qr::{self, QrStyle};
use crate::recovery;
use crate::store::{NewCredential, OpenMode, Store};
use crate::totp::{self, Check};

/// How long a pending enrollment waits for its first code (SECURITY.md 12).
pub const PENDING_SECONDS: i64 = 15 * 60;
/// Tries at the interactive prompt (input that is not a 6-digit code does not count).
const PROMPT_TRIES: u32 = 3;
/// Entries that are not a 6-digit code, in a row, after which the prompt gives up.
const PROMPT_MALFORMED: u32 = 10;

#[derive(Serialize)]
struct Enrolled {
    email: String,
    issuer: String,
    uri: String,
    secret: String,
    state: State,
    recovery_codes: Option<Vec<String>>,
    #[serde(skip)]
    expires_at: i64,
}

impl Drop for Enrolled {
    fn drop(&mut self) {
        self.uri.zeroize();
        self.secret.zeroize();
    }
}

impl Human for Enrolled {
    fn human(&self, out: &mut Output) -> Result<()> {
        if out.quiet {
            return out.line(&self.uri);
        }
        out.line(format!(
            "Scan this URI with the authenticator app:\n\n  {}\n",
            self.uri
        ))?;
        out.line(format!(
            "Or type the secret in by hand:\n\n  {}\n",
            group_by_four(&self.secret)
        ))
    }
}

/// `twofa enroll EMAIL`.
pub fn enroll(ctx: &mut Ctx, args: &EnrollArgs) -> Result<ExitCode> {
    flat_only(ctx.format(), "enroll")?;
    let email = normalise_email(&args.email)?;
    totp::validate_label_part("issuer", &ctx.issuer)?;
    let org = args.org.as_deref().map(normalise_org).transpose()?;
    // Only the README's first run creates a database: `enroll --create` where no database
    // was named (the default twofa.db). A named one that is missing is a mistyped path.
    let mut store = ctx.open(if args.create && !ctx.db_named {
        OpenMode::Create
    } else {
        OpenMode::Existing
    })?;
    let key = ctx.key(store.as_mut())?;
    let now = ctx.now();

    // Ask before taking the write lock: re-enrolling replaces a working secret (once the new
    // one is confirmed).
    if let Some(existing) = store.account(&email)? {
        let enabled = store
            .credential(existing.id)?
            .is_some_and(|c| c.state == Credential::Enabled);
        if enabled && !ctx.yes {
            if !ctx.stdin_tty {
                return Err(refused(format!(
                    "{email} already has 2FA enabled; enrolling again replaces its secret and recovery codes once the new secret is confirmed: pass --yes to do it"
                )));
            }
            crate::prompt::confirm(
                false,
                &format!(
                    "{email} already has 2FA enabled. Replace its secret and recovery codes (the old ones work until the new secret is confirmed)?"
                ),
                "re-enrolling",
            )?;
        }
    } else if !args.create {
        account(store.as_mut(), &email)?;
    }

    let secret = totp::generate_secret()?;
    let secret_b32 = totp::secret_base32(&secret);
    let uri = totp::otpauth_uri(&ctx.issuer, &email, &secret_b32)?;

    let mut tx = store.begin()?;
    let account = match tx.account(&email)? {
        Some(a) => a,
        None => {
            let org_id = match &org {
                Some(slug) => Some(org_tx(tx.as_mut(), slug)?.id),
                None => None,
            };
            create_account(
                ctx,
                tx.as_mut(),
                &email,
                org_id,
                "created by enroll --create",
            )?
        }
    };
    let sealed = key.seal(account.id, &secret)?;
    let new = NewCredential {
        sealed_secret: &sealed,
        created_at: now,
        expires_at: now + PENDING_SECONDS,
    };
    // An enabled credential and its recovery codes keep working until the new secret is
    // confirmed; anything else (none, pending, expired) is replaced at once.
    let detail = if tx.start_replacement(account.id, &new)? {
        "pending; the enabled secret and recovery codes work until the new one is confirmed"
    } else {
        tx.start_enrollment(account.id, &new)?;
        "pending"
    };
    tx.log(ctx.event("enroll").account(&account).detail(detail))?;
    let events = tx.commit()?;
    ctx.notify(&events);

    let mut shown = Enrolled {
        email: email.clone(),
        issuer: ctx.issuer.clone(),
        uri: uri.to_string(),
        secret: secret_b32.to_string(),
        state: State::Pending,
        recovery_codes: None,
        expires_at: now + PENDING_SECONDS,
    };
    let table = ctx.format() == Format::Table;
    let draw_qr = match args.qr {
        QrMode::Never => false,
        QrMode::Auto => table && ctx.out.tty,
        QrMode::Always => true,
    };
    if draw_qr {
        // Colour and the terminal's background only where the QR code goes to a terminal.
        let to_terminal = if table { ctx.out.tty } else { ctx.stderr_tty };
        let color = ctx.color && to_terminal;
        let columns = match (to_terminal, table) {
            (false, _) => None,
            (true, true) => ctx.out.width,
            (true, false) => ctx.stderr_width,
        };
        // A QR code wider than the terminal is folded into one that no phone reads.
        let needed = qr::width(&qr::render(&uri, color, QrStyle::Dark)?);
        match columns {
            Some(columns) if needed > columns => ctx.warn(format!(
                "the terminal is {columns} columns wide and the QR code needs {needed}: type the secret below into the app, or widen the terminal and run 'twofa enroll {email}' again"
            )),
            _ => {
                let style = match args.qr_style {
                    Some(style) => style,
                    None if !color && to_terminal => {
                        qr::terminal_style().unwrap_or(QrStyle::Dark)
                    }
                    None => QrStyle::Dark,
                };
                let qr = qr::render(&uri, color, style)?;
                if table {
                    ctx.out.text(&qr)?;
                    ctx.out.line("")?;
                } else {
                    eprint_raw(&qr);
                }
            }
        }
    }
    if !table || args.no_confirm || !ctx.stdin_tty {
        ctx.out.object(&shown)?;
        if table && !ctx.quiet {
            // After the QR code and the URI on a terminal, not before them.
            ctx.out.flush()?;
            ctx.note(format!(
                "Enrollment pending until {}: finish it with 'twofa confirm {email}' and a code from the app.",
                rfc3339(shown.expires_at)
            ));
        }
        return Ok(ExitCode::Success);
    }

    // Interactive: ask for the first code, up to three times.
    ctx.out.object(&shown)?;
    ctx.out.flush()?;
    let (mut attempt, mut malformed) = (0, 0);
    while attempt < PROMPT_TRIES && malformed < PROMPT_MALFORMED {
        let code = crate::prompt::ask_code("Enter the 6-digit code from the app")?;
        let code = match parse_totp(&code) {
            Ok(code) => code,
            Err(_) => {
                // Never echoed: a mistyped code is still most of a code.
                malformed += 1;
                ctx.note(format!(
                    "That is not a 6-digit code ({}); type the 6 digits the app shows.",
                    crate::output::counted(code.chars().count() as u64, "character", "characters")
                ));
                continue;
            }
        };
        malformed = 0;
        attempt += 1;
        match confirm_code(ctx, store.as_mut(), &key, &email, &code)? {
            Confirmed::Yes(codes) => {
                shown.state = State::Enabled;
                ctx.note("2FA is now enabled.\n");
                ctx.out.object(&codes)?;
                return Ok(ExitCode::Success);
            }
            Confirmed::Locked => {
                ctx.note("The account is locked: too many wrong codes.");
                return Ok(ExitCode::Locked);
            }
            Confirmed::Wrong(Some(lock)) => {
                ctx.warn(super::locked_message(&email, lock));
                return Ok(ExitCode::Rejected);
            }
            Confirmed::Wrong(None) if attempt < PROMPT_TRIES => {
                ctx.note(format!(
                    "Wrong code ({} left). Check the phone's clock and use the newest code.",
                    crate::output::counted(u64::from(PROMPT_TRIES - attempt), "try", "tries")
                ));
            }
            Confirmed::Wrong(None) => {}
        }
    }
    ctx.note(format!(
        "The enrollment stays pending: finish it with 'twofa confirm {email}' within 15 minutes."
    ));
    Ok(ExitCode::Rejected)
}

fn eprint_raw(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// The outcome of a confirmation.
pub enum Confirmed {
    Yes(CodesShown),
    /// A wrong code, and the lock its failure set, if it locked the account.
    Wrong(Option<Lock>),
    Locked,
}

#[derive(Serialize)]
struct Rejected<'a> {
    email: &'a str,
    accepted: bool,
    reason: &'a str,
}

impl Human for Rejected<'_> {
    fn human(&self, out: &mut Output) -> Result<()> {
        out.line(format!(
            "{}: code rejected ({})",
            self.email,
            self.reason.replace('_', " ")
        ))
    }
}

/// Checks `code` against the pending enrollment and, if it matches, enables 2FA with a
/// fresh recovery-code set, all in one transaction.
pub fn confirm_code(
    ctx: &Ctx,
    store: &mut dyn Store,
    key: &Keyring,
    email: &str,
    code: &str,
) -> Result<Confirmed> {
    let now = ctx.now();
    let mut tx = store.begin()?;
    let account = account_tx(tx.as_mut(), email)?;
    if policy::locked(account.locked_until, now) {
        tx.log(ctx.event("confirm.locked").account(&account))?;
        let events = tx.commit()?;
        ctx.notify(&events);
        return Ok(Confirmed::Locked);
    }
    let credential = tx.credential(account.id)?;
    // The sealed secret waiting for its first code, and whether it replaces an enabled one.
    let (pending, replaces) = match &credential {
        Some(c) => match (c.state, &c.replacement) {
            (Credential::Pending { expires_at }, _) if now < expires_at => {
                (&c.sealed_secret, false)
            }
            (Credential::Pending { expires_at }, _) => {
                return Err(refused(format!(
                    "the enrollment of {email} expired at {}; start again with 'twofa enroll {email}'",
                    rfc3339(expires_at)
                )));
            }
            (Credential::Enabled, Some(r)) if now < r.expires_at => (&r.sealed_secret, true),
            (Credential::Enabled, Some(r)) => {
                return Err(refused(format!(
                    "the re-enrollment of {email} expired at {}; the enabled secret and recovery codes still work (start again with 'twofa enroll {email} --yes')",
                    rfc3339(r.expires_at)
                )));
            }
            (Credential::Enabled, None) => {
                return Err(refused(format!(
                    "{email} has no pending enrollment: 2FA is already enabled"
                )));
            }
        },
        None => {
            return Err(refused(format!(
                "{email} has no pending enrollment (start one with 'twofa enroll {email}')"
            )));
        }
    };
    let secret = key.open(account.id, pending)?;
    // A first enrollment's pending credential carries the drift `resync` stored for it; a
    // replacement (a new phone, perhaps) starts without one.
    let drift = match &credential {
        Some(c) if !replaces => c.drift_steps,
        _ => 0,
    };
    match totp::check_drifted(&secret, code, now, drift, None)? {
        Check::Accepted(step) => {
            let codes = recovery::generate_set()?;
            let hashed = recovery::hash_set(&codes, recovery::params())?;
            let mut detail = if replaces {
                tx.confirm_replacement(account.id, step, now)?;
                "new secret confirmed; the old secret and recovery codes no longer work; 10 recovery codes issued"
            } else {
                tx.confirm(account.id, step, now)?;
                "2FA enabled; 10 recovery codes issued"
            }
            .to_string();
            tx.replace_recovery_codes(account.id, &hashed, now)?;
            // An access code was issued for the credential this one replaces.
            if tx.revoke_access_code(account.id, now)?.is_some() {
                detail.push_str(super::ACCESS_CODE_REVOKED);
            }
            tx.log(ctx.event("confirm").account(&account).detail(detail))?;
            let events = tx.commit()?;
            ctx.notify(&events);
            Ok(Confirmed::Yes(CodesShown {
                email: email.to_string(),
                recovery_codes: codes.iter().map(|c| recovery::display(c)).collect(),
            }))
        }
        Check::Reused | Check::Wrong => {
            let lock =
                record_failure(ctx, tx.as_mut(), &account, "confirm.rejected", "wrong_code")?;
            let events = tx.commit()?;
            ctx.notify(&events);
            Ok(Confirmed::Wrong(lock))
        }
    }
}

/// `twofa confirm EMAIL [CODE|-]`.
pub fn confirm(ctx: &mut Ctx, args: &CodeArgs) -> Result<ExitCode> {
    flat_only(ctx.format(), "confirm")?;
    // EMAIL and CODE given the wrong way round: the error must not show the code.
    let email = crate::text::email_argument(&args.email)?;
    let raw = crate::prompt::read_code(args.code.as_deref())?;
    let code = parse_totp(&raw)?;
    let mut store = ctx.open(OpenMode::Existing)?;
    account(store.as_mut(), &email)?;
    let key = ctx.key(store.as_mut())?;
    match confirm_code(ctx, store.as_mut(), &key, &email, &code)? {
        Confirmed::Yes(codes) => {
            ctx.note("2FA is now enabled.");
            ctx.out.object(&codes)?;
            Ok(ExitCode::Success)
        }
        Confirmed::Wrong(lock) => {
            ctx.out.object(&Rejected {
                email: &email,
                accepted: false,
                reason: "wrong_code",
            })?;
            if let Some(lock) = lock {
                ctx.warn(super::locked_message(&email, lock));
            }
            Ok(ExitCode::Rejected)
        }
        Confirmed::Locked => {
            ctx.out.object(&Rejected {
                email: &email,
                accepted: false,
                reason: "locked",
            })?;
            Ok(ExitCode::Locked)
        }
    }
}
