//! `enroll` and `confirm`: a fresh secret for one of the account's devices, the otpauth
//! URI and QR code, and the first code that turns a pending enrollment into an enabled
//! device (with the account's recovery codes when it is its only enabled device).

use anyhow::Result;
use serde::Serialize;
use zeroize::Zeroize;

use super::{CodesShown, account, account_tx, create_account, org_tx, record_failure};
use crate::cli::{CodeArgs, EnrollArgs, Format, QrMode};
use crate::clock::rfc3339;
use crate::code::parse_totp;
use crate::crypto::Keyring;
use crate::ctx::Ctx;
use crate::devices::{self, Enrollment};
use crate::exit::{ExitCode, refused};
use crate::model::{DEFAULT_DEVICE, device_name, normalise_email, normalise_org};
use crate::output::{Human, Output, flat_only, group_by_four};
use crate::policy::{self, Credential, Lock, State};
use crate::qr::{self, QrStyle};
use crate::recovery;
use crate::store::{NewCredential, OpenMode, StepUse, Store};
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
    let device = device_name(args.device.as_deref().unwrap_or(DEFAULT_DEVICE))?;
    let named = devices::device_flag(&device);
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
        let devices = store.credentials(existing.id)?;
        let replace = devices::enrollment(&email, &devices, &device, now)? == Enrollment::Replace;
        if replace && !ctx.yes {
            let what = if devices::enabled_count(&devices) > 1 {
                format!("the secret of device {}", crate::text::quote(&device))
            } else {
                "its secret and recovery codes".to_string()
            };
            let has = if device == DEFAULT_DEVICE {
                "2FA enabled".to_string()
            } else {
                format!("the device {} enabled", crate::text::quote(&device))
            };
            if !ctx.stdin_tty {
                return Err(refused(format!(
                    "{email} already has {has}; enrolling it again replaces {what} once the new secret is confirmed: pass --yes to do it (or name another device with --device NAME to add one)"
                )));
            }
            crate::prompt::confirm(
                false,
                &format!(
                    "{email} already has {has}. Replace {what} (the old secret works until the new one is confirmed)?"
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
    // Decided again under the write lock: another enroll may have added a device since.
    let devices = tx.credentials(account.id)?;
    let plan = devices::enrollment(&email, &devices, &device, now)?;
    let sealed = key.seal(account.id, &device, &secret)?;
    let new = NewCredential {
        sealed_secret: &sealed,
        created_at: now,
        expires_at: now + PENDING_SECONDS,
    };
    // An enabled device keeps working until its new secret is confirmed; anything else
    // (none, pending, expired) is replaced at once.
    let detail = match plan {
        Enrollment::Replace => {
            tx.start_replacement(account.id, &device, &new)?;
            "pending; the enabled secret works until the new one is confirmed"
        }
        Enrollment::New => {
            // Recovery codes belong to enabled 2FA: none are left over from before it.
            if devices::enabled_count(&devices) == 0 {
                tx.replace_recovery_codes(account.id, &[], now)?;
            }
            tx.start_enrollment(account.id, &device, &new)?;
            "pending"
        }
    };
    let detail = format!("device {}: {detail}", crate::text::quote(&device));
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
                "Enrollment pending until {}: finish it with 'twofa confirm {email}{named}' and a code from the app.",
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
        match confirm_code(ctx, store.as_mut(), &key, &email, Some(&device), &code)? {
            Confirmed::Yes(codes) => {
                shown.state = State::Enabled;
                show_confirmed(ctx, &codes, "\n")?;
                return Ok(ExitCode::Success);
            }
            Confirmed::Locked(lock) => {
                ctx.note(format!(
                    "The account is {}: too many wrong codes.",
                    super::lock_text(lock)
                ));
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
        "The enrollment stays pending: finish it with 'twofa confirm {email}{named}' within 15 minutes."
    ));
    Ok(ExitCode::Rejected)
}

fn eprint_raw(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// A device confirmed beside others that are enabled: the recovery codes stay as they were.
#[derive(Serialize)]
pub struct DeviceAdded {
    email: String,
    device: String,
    recovery_codes: Option<Vec<String>>,
}

impl Human for DeviceAdded {
    fn human(&self, out: &mut Output) -> Result<()> {
        out.line(format!(
            "{}: device {} is enabled; the recovery codes are unchanged",
            self.email,
            crate::text::quote(&self.device)
        ))
    }
}

/// What a confirmation shows: the new recovery codes, or the device added beside others.
pub enum Shown {
    Codes(CodesShown),
    Device(DeviceAdded),
}

fn show_confirmed(ctx: &mut Ctx, shown: &Shown, gap: &str) -> Result<()> {
    match shown {
        Shown::Codes(codes) => {
            ctx.note(format!("2FA is now enabled.{gap}"));
            ctx.out.object(codes)
        }
        Shown::Device(added) => ctx.out.object(added),
    }
}

/// The outcome of a confirmation.
pub enum Confirmed {
    Yes(Shown),
    /// A wrong code, and the lock its failure set, if it locked the account.
    Wrong(Option<Lock>),
    /// The account was locked already: no code was checked.
    Locked(Lock),
}

#[derive(Serialize)]
struct Rejected<'a> {
    email: &'a str,
    accepted: bool,
    reason: &'a str,
    /// Until when the account is locked, as `verify` says it: `null` when it is not, or
    /// until `unlock` or `reset`.
    #[serde(serialize_with = "crate::output::opt_time")]
    locked_until: Option<crate::clock::Timestamp>,
    #[serde(skip)]
    lock: Option<Lock>,
}

impl Human for Rejected<'_> {
    fn human(&self, out: &mut Output) -> Result<()> {
        let why = match self.lock {
            Some(lock) => super::lock_text(lock),
            None => self.reason.replace('_', " "),
        };
        out.line(format!("{}: code rejected ({why})", self.email))
    }
}

/// Checks `code` against the pending enrollment of `device` (or the one device waiting for
/// its code) and, if it matches, enables the device, all in one transaction. The account's
/// recovery codes are issued afresh when the device is its only enabled one (a first
/// enrollment, or the re-enrollment of its one device); beside other enabled devices they
/// stay as they are.
pub fn confirm_code(
    ctx: &Ctx,
    store: &mut dyn Store,
    key: &Keyring,
    email: &str,
    device: Option<&str>,
    code: &str,
) -> Result<Confirmed> {
    let now = ctx.now();
    let mut tx = store.begin()?;
    let account = account_tx(tx.as_mut(), email)?;
    if let Some(lock) = policy::Lock::at(account.locked_until, now) {
        tx.log(ctx.event("confirm.locked").account(&account))?;
        let events = tx.commit()?;
        ctx.notify(&events);
        return Ok(Confirmed::Locked(lock));
    }
    let devices = tx.credentials(account.id)?;
    let waiting = |d: &crate::model::CredentialRow| {
        devices::pending(d, now) || d.replacement.as_ref().is_some_and(|r| now < r.expires_at)
    };
    let nothing = || {
        refused(if devices::enabled_count(&devices) > 0 {
            format!("{email} has no pending enrollment: 2FA is already enabled")
        } else {
            format!("{email} has no pending enrollment (start one with 'twofa enroll {email}')")
        })
    };
    let credential = match (device, devices.len()) {
        (None, 1) => devices.first(),
        _ => Some(devices::choose(email, &devices, device, waiting, nothing)?),
    };
    let name = credential.map_or(DEFAULT_DEVICE, |c| c.device.as_str());
    let named = devices::device_flag(name);
    // The sealed secret waiting for its first code, and whether it replaces an enabled one.
    let (pending, replaces) = match credential {
        Some(c) => match (c.state, &c.replacement) {
            (Credential::Pending { expires_at }, _) if now < expires_at => {
                (&c.sealed_secret, false)
            }
            (Credential::Pending { expires_at }, _) => {
                return Err(refused(format!(
                    "the enrollment of {email} expired at {}; start again with 'twofa enroll {email}{named}'",
                    rfc3339(expires_at)
                )));
            }
            (Credential::Enabled, Some(r)) if now < r.expires_at => (&r.sealed_secret, true),
            (Credential::Enabled, Some(r)) => {
                return Err(refused(format!(
                    "the re-enrollment of {email} expired at {}; the enabled secret and recovery codes still work (start again with 'twofa enroll {email}{named} --yes')",
                    rfc3339(r.expires_at)
                )));
            }
            (Credential::Enabled, None) => return Err(nothing()),
        },
        None => return Err(nothing()),
    };
    let secret = key.open(account.id, name, pending)?;
    // A first enrollment's pending credential carries the drift `resync` stored for it; a
    // replacement (a new phone, perhaps) starts without one.
    let drift = match credential {
        Some(c) if !replaces => c.drift_steps,
        _ => 0,
    };
    // Recovery codes come with the account's only enabled device.
    let others = devices
        .iter()
        .filter(|d| d.device != name && devices::enabled(d))
        .count();
    match totp::check_drifted(&secret, code, now, drift, None)? {
        Check::Accepted(step) => {
            let used = StepUse {
                account_id: account.id,
                device: name,
                step,
                at: now,
            };
            if replaces {
                tx.confirm_replacement(&used)?;
            } else {
                tx.confirm(&used)?;
            }
            let mut detail = format!("device {}: ", crate::text::quote(name));
            if others > 0 {
                detail.push_str(if replaces {
                    "new secret confirmed; the old secret no longer works; recovery codes unchanged"
                } else {
                    "device enabled; recovery codes unchanged"
                });
                tx.log(ctx.event("confirm").account(&account).detail(detail))?;
                let events = tx.commit()?;
                ctx.notify(&events);
                return Ok(Confirmed::Yes(Shown::Device(DeviceAdded {
                    email: email.to_string(),
                    device: name.to_string(),
                    recovery_codes: None,
                })));
            }
            let codes = recovery::generate_set()?;
            let hashed = recovery::hash_set(&codes, recovery::params())?;
            detail.push_str(if replaces {
                "new secret confirmed; the old secret and recovery codes no longer work; 10 recovery codes issued"
            } else {
                "2FA enabled; 10 recovery codes issued"
            });
            tx.replace_recovery_codes(account.id, &hashed, now)?;
            // An access code was issued for the credential this one replaces.
            if tx.revoke_access_code(account.id, now)?.is_some() {
                detail.push_str(super::ACCESS_CODE_REVOKED);
            }
            tx.log(ctx.event("confirm").account(&account).detail(detail))?;
            let events = tx.commit()?;
            ctx.notify(&events);
            Ok(Confirmed::Yes(Shown::Codes(CodesShown {
                email: email.to_string(),
                recovery_codes: codes.iter().map(|c| recovery::display(c)).collect(),
            })))
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
    let device = args.device.as_deref().map(device_name).transpose()?;
    match confirm_code(ctx, store.as_mut(), &key, &email, device.as_deref(), &code)? {
        Confirmed::Yes(shown) => {
            show_confirmed(ctx, &shown, "")?;
            Ok(ExitCode::Success)
        }
        Confirmed::Wrong(lock) => {
            ctx.out.object(&Rejected {
                email: &email,
                accepted: false,
                reason: "wrong_code",
                locked_until: lock.and_then(Lock::until),
                lock: None,
            })?;
            if let Some(lock) = lock {
                ctx.warn(super::locked_message(&email, lock));
            }
            Ok(ExitCode::Rejected)
        }
        Confirmed::Locked(lock) => {
            ctx.out.object(&Rejected {
                email: &email,
                accepted: false,
                reason: "locked",
                locked_until: lock.until(),
                lock: Some(lock),
            })?;
            Ok(ExitCode::Locked)
        }
    }
}
