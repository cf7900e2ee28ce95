//! The support desk: `diagnose` (what a code says about the phone's clock), `resync` (store
//! a drifting phone's offset) and `access-code` (a temporary single-use code). The
//! decisions are `diagnose`'s pure functions; this file reads, logs and answers.

use anyhow::Result;
use serde::Serialize;
use zeroize::Zeroizing;

use super::devices::{Waiting, waiting};
use super::gated::{self, AccessIssued};
use super::{account_tx, no_account_in};
use crate::cli::{AccessCodeArgs, DiagnoseArgs, ResyncArgs};
use crate::clock::{self, Timestamp, rfc3339};
use crate::code::parse_totp;
use crate::ctx::Ctx;
use crate::devices;
use crate::diagnose::{self, Facts, Reading};
use crate::exit::{ExitCode, refused, usage};
use crate::foureyes::Action;
use crate::model::{CredentialRow, device_name, normalise_email};
use crate::output::{Human, Output, cell, yes_no};
use crate::policy::{self, Credential, State};
use crate::recovery;
use crate::store::{EventFilter, OpenMode, StepUse, Tx};
use crate::totp::STEP;

/// The `diagnose` object (`--format json`: health, then the reading of a code, then advice).
#[derive(Debug, Serialize)]
pub struct Diagnosis {
    pub email: String,
    pub state: State,
    pub locked: bool,
    #[serde(serialize_with = "crate::output::opt_time")]
    pub locked_until: Option<Timestamp>,
    pub failed_attempts: u32,
    pub code_given: bool,
    /// Whether the code matches a step in the window; `None` when no code was evaluated
    /// (none given, the account locked or without 2FA).
    pub matches: Option<bool>,
    pub offset_steps: Option<i64>,
    pub offset_seconds: Option<i64>,
    pub already_used: bool,
    pub within_window: bool,
    pub drift_steps: i64,
    pub clock_synchronized: Option<bool>,
    pub advice: String,
    #[serde(serialize_with = "crate::output::opt_time")]
    pub pending_expires_at: Option<Timestamp>,
    pub recovery_codes_left: u32,
    /// The device whose code was read (`null` when none was).
    pub device: Option<String>,
    /// Enrollments waiting for their first code: new devices and re-enrollments.
    pub pending_enrollments: Vec<Waiting>,
    /// The waiting enrollment whose new secret the code comes from, if any.
    pub new_enrollment: Option<String>,
}

impl Human for Diagnosis {
    fn human(&self, out: &mut Output) -> Result<()> {
        let mut pairs = vec![
            ("email", self.email.clone()),
            ("state", self.state.as_str().to_string()),
            (
                "locked",
                match self.locked_until {
                    Some(t) => format!("yes, until {}", rfc3339(t)),
                    None => yes_no(self.locked),
                },
            ),
            ("failed attempts", self.failed_attempts.to_string()),
            (
                "pending expires",
                cell(self.pending_expires_at.map(rfc3339)),
            ),
            ("recovery codes", self.recovery_codes_left.to_string()),
            ("device", cell(self.device.as_ref())),
            ("stored drift", format!("{} step(s)", self.drift_steps)),
            (
                "server clock",
                match self.clock_synchronized {
                    Some(true) => "NTP-synchronised".to_string(),
                    Some(false) => "NOT synchronised".to_string(),
                    None => "unknown".to_string(),
                },
            ),
        ];
        if self.code_given {
            let reading = match (self.matches, self.offset_steps, self.offset_seconds) {
                (None, _, _) if self.locked => "not checked: the account is locked".to_string(),
                (None, _, _) => "not checked: the account has no 2FA".to_string(),
                (_, Some(steps), Some(seconds)) => format!(
                    "matches {steps:+} step(s) ({seconds:+} s); {}; {}",
                    if self.within_window {
                        "inside the verify window"
                    } else {
                        "outside the verify window"
                    },
                    if self.already_used {
                        "already used"
                    } else {
                        "not used"
                    }
                ),
                _ => "matches no time step in the window".to_string(),
            };
            pairs.push(("code", reading));
        }
        for w in &self.pending_enrollments {
            let line = devices::waiting_line(&self.email, &w.device, w.expires_at, w.replaces);
            pairs.push(("pending", line));
        }
        pairs.push(("advice", self.advice.clone()));
        out.fields(&pairs)
    }
}

/// What an evaluation's event detail starts with: the events `diagnose` counts for its
/// limit (the code itself is never logged).
const EVALUATED: &str = "a code was evaluated";

/// `twofa diagnose EMAIL [CODE|-] [--window MINUTES]`. The account is read and the code
/// evaluated in the transaction that logs the diagnosis, so that the limit of
/// [`diagnose::LIMIT`] evaluations an hour holds across processes; a locked account's
/// code is not evaluated at all.
pub fn diagnose(ctx: &mut Ctx, args: &DiagnoseArgs) -> Result<ExitCode> {
    // EMAIL and CODE given the wrong way round: the error must not show the code.
    let email = crate::text::email_argument(&args.email)?;
    let code = match args.code.as_deref() {
        None => None,
        Some(arg) => Some(parse_totp(&crate::prompt::read_code(Some(arg))?)?),
    };
    let mut store = ctx.open_to_log()?;
    let now = ctx.now();
    let Some(record) = store.record(&email)? else {
        return Err(no_account_in(store.as_mut(), &email));
    };
    // The key only to evaluate a code.
    let key = match &code {
        Some(_) => Some(ctx.key(store.as_mut())?),
        None => None,
    };
    let row = crate::model::StatusRow::new(record, now);
    let mut tx = store.begin()?;
    let acct = account_tx(tx.as_mut(), &email)?;
    let locked = policy::locked(acct.locked_until, now);
    let devices = tx.credentials(acct.id)?;
    let wanted = args.device.as_deref().map(device_name).transpose()?;
    let live = devices::live(&email, &devices, wanted.as_deref(), code.is_some(), now)?;
    let drift = live.map_or(row.drift_steps, |c| c.drift_steps);
    let pending_enrollments = waiting(&devices, now);
    let mut new_enrollment = None;
    let evaluate = match (&code, live) {
        (Some(code), Some(cred)) if !locked => Some((code, cred)),
        _ => None,
    };
    let mut reading: Option<Option<Reading>> = None;
    if let Some((code, cred)) = evaluate {
        if let Some(opens) = evaluations_limited(tx.as_mut(), &email, now)? {
            let message = format!(
                "diagnose has evaluated {} codes of {email} in the last hour, the most it may; it can evaluate another from {} (a diagnosis without a code works meanwhile)",
                diagnose::LIMIT,
                rfc3339(opens)
            );
            tx.log(
                ctx.event("diagnose.refused")
                    .account(&acct)
                    .detail(format!("a code was given; {message}")),
            )?;
            let events = tx.commit()?;
            ctx.notify(&events);
            return Err(refused(message));
        }
        let key = key.as_ref().expect("the key is loaded for a code");
        let secret = key.open(acct.id, &cred.device, &cred.sealed_secret)?;
        let window = diagnose::steps_in(args.window);
        let found = diagnose::find_step(&secret, code, now, window)?;
        reading = Some(found.map(|offset| diagnose::read(offset, now, cred.last_step, drift)));
        new_enrollment = new_secret_of(key, acct.id, &devices, code, now)?;
    }
    let clock_synchronized = clock::ntp_synchronized();
    let advice = diagnose::advice(&Facts {
        email: &email,
        state: row.state,
        locked_until: acct.locked_until,
        locked,
        code_given: code.is_some(),
        code: reading,
        window_minutes: args.window,
        clock_synchronized,
        new_enrollment: new_enrollment.as_deref(),
    });
    let matched = reading.flatten();
    let answer = Diagnosis {
        email: email.clone(),
        state: row.state,
        locked,
        locked_until: acct.locked_until.filter(|_| locked),
        failed_attempts: acct.failed_attempts,
        code_given: code.is_some(),
        matches: reading.map(|r| r.is_some()),
        offset_steps: matched.map(|r| r.offset_steps),
        offset_seconds: matched.map(|r| r.offset_steps * STEP as i64),
        already_used: matched.is_some_and(|r| r.already_used),
        within_window: matched.is_some_and(|r| r.within_window),
        drift_steps: drift,
        clock_synchronized,
        advice,
        pending_expires_at: row.pending_expires_at,
        recovery_codes_left: row.recovery_codes_left,
        device: live.map(|c| c.device.clone()),
        pending_enrollments,
        new_enrollment,
    };
    // The event says what was found, never the code.
    let detail = match (&code, reading) {
        (None, _) => "no code given".to_string(),
        (Some(_), None) if locked => {
            "a code was given; not evaluated: the account is locked".to_string()
        }
        (Some(_), None) => "a code was given; not evaluated: the account has no 2FA".to_string(),
        (Some(_), Some(None)) => format!(
            "{EVALUATED}; it matches no step within ±{} min",
            args.window
        ),
        (Some(_), Some(Some(r))) => format!(
            "{EVALUATED}; it matches {:+} step(s) ({:+} s){}{}",
            r.offset_steps,
            r.offset_steps * STEP as i64,
            if r.within_window {
                ", inside the window"
            } else {
                ", outside the window"
            },
            if r.already_used { ", already used" } else { "" }
        ),
    };
    tx.log(ctx.event("diagnose").account(&acct).detail(detail))?;
    let events = tx.commit()?;
    ctx.notify(&events);
    ctx.out.object(&answer)?;
    Ok(ExitCode::Success)
}

/// The waiting enrollment (a new device, or a device's re-enrollment) whose new secret
/// gives `code` now (±1 step), if any.
fn new_secret_of(
    key: &crate::crypto::Keyring,
    account_id: i64,
    devices: &[CredentialRow],
    code: &str,
    now: Timestamp,
) -> Result<Option<String>> {
    for d in devices {
        let sealed = match (&d.state, &d.replacement) {
            (Credential::Enabled, Some(r)) if now < r.expires_at => &r.sealed_secret,
            (Credential::Pending { expires_at }, _) if now < *expires_at => &d.sealed_secret,
            _ => continue,
        };
        let secret = key.open(account_id, &d.device, sealed)?;
        if crate::totp::check(&secret, code, now, None)? != crate::totp::Check::Wrong {
            return Ok(Some(d.device.clone()));
        }
    }
    Ok(None)
}

/// When the account's next evaluation may run (`None`: now), from the evaluations logged in
/// the last hour, read in the transaction that will log this one.
fn evaluations_limited(tx: &mut dyn Tx, email: &str, now: Timestamp) -> Result<Option<Timestamp>> {
    let filter = EventFilter {
        email: Some(email.to_string()),
        actions: vec!["diagnose".to_string()],
        since: Some(now - diagnose::LIMIT_PERIOD + 1),
        ..EventFilter::default()
    };
    let mut evaluated = Vec::new();
    tx.events(&filter, &mut |e| {
        if e.action == "diagnose"
            && e.detail
                .as_deref()
                .is_some_and(|d| d.starts_with(EVALUATED))
        {
            evaluated.push(e.at);
        }
        Ok(())
    })?;
    Ok(diagnose::limited(&evaluated, now))
}

/// The `resync` object (`--format json`).
#[derive(Debug, Serialize)]
pub struct Resynced {
    pub email: String,
    pub drift_steps: i64,
    pub drift_seconds: i64,
}

impl Human for Resynced {
    fn human(&self, out: &mut Output) -> Result<()> {
        let how = match self.drift_seconds {
            0 => "in time".to_string(),
            s if s < 0 => format!("{} behind", diagnose::spoken(s)),
            s => format!("{} ahead", diagnose::spoken(s)),
        };
        out.line(format!(
            "{}: the phone's clock is {how}; stored a drift of {} step(s): verify now centres on it",
            self.email, self.drift_steps
        ))
    }
}

/// The two codes of `resync`: from the arguments, or from stdin (a prompt each on a
/// terminal, else two lines, at most 1 KiB).
fn two_codes(args: &ResyncArgs) -> Result<[Zeroizing<String>; 2]> {
    match args.codes.as_slice() {
        [a, b] if a != "-" && b != "-" => {
            Ok([Zeroizing::new(a.clone()), Zeroizing::new(b.clone())])
        }
        [] => read_two(),
        [dash] if dash == "-" => read_two(),
        _ => Err(usage(
            "resync takes two consecutive codes (CODE1 CODE2), or '-' to read them from stdin",
        )),
    }
}

fn read_two() -> Result<[Zeroizing<String>; 2]> {
    if crate::prompt::stdin_is_tty() {
        let first = crate::prompt::ask_code("First code from the app")?;
        let second = crate::prompt::ask_code("The next code, once it has changed")?;
        return Ok([first, second]);
    }
    let two = crate::prompt::read_tokens(std::io::stdin().lock())?;
    if two.iter().any(|code| code.trim().is_empty()) {
        return Err(usage("resync reads two codes from stdin, one a line"));
    }
    Ok(two)
}

/// `twofa resync EMAIL [CODE1 CODE2|-]`.
pub fn resync(ctx: &mut Ctx, args: &ResyncArgs) -> Result<ExitCode> {
    // EMAIL and the codes given the wrong way round: the error must not show a code.
    let email = crate::text::email_argument(&args.email)?;
    let [raw1, raw2] = two_codes(args)?;
    let first = parse_totp(&raw1)?;
    let second = parse_totp(&raw2)?;
    let mut store = ctx.open(OpenMode::Existing)?;
    let key = ctx.key(store.as_mut())?;
    let now = ctx.now();
    let mut tx = store.begin()?;
    let acct = account_tx(tx.as_mut(), &email)?;
    let devices = tx.credentials(acct.id)?;
    let wanted = args.device.as_deref().map(device_name).transpose()?;
    let cred = devices::live(&email, &devices, wanted.as_deref(), true, now)?.ok_or_else(|| {
        refused(format!(
            "{email} has no 2FA to resync (enroll it with 'twofa enroll {email}')"
        ))
    })?;
    let secret = key.open(acct.id, &cred.device, &cred.sealed_secret)?;
    let window = diagnose::steps_in(diagnose::RESYNC_MINUTES);
    let found = diagnose::find_pair(&secret, &first, &second, now, window)?;
    let step = |offset: i64| crate::totp::step_of(now) as i64 + offset;
    let failure = match found {
        None => Some(format!(
            "the two codes are not consecutive codes of {email}'s app within ±{} minutes: ask for two fresh codes, one after the other; nothing changed",
            diagnose::RESYNC_MINUTES
        )),
        Some(offset)
            if cred
                .last_step
                .is_some_and(|last| step(offset) <= last as i64) =>
        {
            Some(format!(
                "these codes were accepted before: ask for two new codes from {email}'s app; nothing changed"
            ))
        }
        Some(_) => None,
    };
    if let Some(message) = failure {
        tx.log(
            ctx.event("resync.failed")
                .account(&acct)
                .detail("no pair of consecutive new codes found"),
        )?;
        let events = tx.commit()?;
        ctx.notify(&events);
        let _ = writeln_stderr(&format!("twofa: error: {message}"));
        return Ok(ExitCode::Rejected);
    }
    let drift = found.unwrap_or(0);
    tx.set_drift(acct.id, &cred.device, drift)?;
    // The codes resync saw are spent, as an accepted code is: the later one's step becomes
    // the last accepted (the earlier one is older still), so verify refuses both as reused.
    // A pending enrollment has no accepted step yet; confirm records its own.
    tx.accept_step(&StepUse {
        account_id: acct.id,
        device: &cred.device,
        step: step(drift) as u64,
        at: now,
    })?;
    tx.log(ctx.event("resync").account(&acct).detail(format!(
        "device {}: drift {drift:+} step(s) ({:+} s)",
        crate::text::quote(&cred.device),
        drift * STEP as i64
    )))?;
    let events = tx.commit()?;
    ctx.notify(&events);
    ctx.out.object(&Resynced {
        email,
        drift_steps: drift,
        drift_seconds: drift * STEP as i64,
    })?;
    Ok(ExitCode::Success)
}

fn writeln_stderr(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    writeln!(std::io::stderr(), "{text}")
}

/// The longest an access code may live.
pub const MAX_ACCESS_TTL: i64 = 7 * policy::DAY;

/// The `access-code --revoke` object (`--format json`).
#[derive(Debug, Serialize)]
pub struct AccessRevoked {
    pub email: String,
    /// Whether a live access code was revoked (false: there was none).
    pub revoked: bool,
    /// When the revoked code would have expired.
    #[serde(serialize_with = "crate::output::opt_time")]
    pub expires_at: Option<Timestamp>,
}

impl Human for AccessRevoked {
    fn human(&self, out: &mut Output) -> Result<()> {
        match self.expires_at {
            Some(t) => out.line(format!(
                "{}: access code revoked (it would have worked until {})",
                self.email,
                rfc3339(t)
            )),
            None => out.line(format!(
                "{}: no live access code; nothing to revoke",
                self.email
            )),
        }
    }
}

/// `twofa access-code EMAIL --revoke --reason TEXT`: cancels the live access code. An
/// account without one is left as it is (exit 0, no event), as `disable` leaves an account
/// without 2FA.
fn revoke_access_code(ctx: &mut Ctx, email: String, reason: &str) -> Result<ExitCode> {
    let mut store = ctx.open(OpenMode::Existing)?;
    let now = ctx.now();
    let mut tx = store.begin()?;
    let acct = account_tx(tx.as_mut(), &email)?;
    let revoked = tx.revoke_access_code(acct.id, now)?;
    if let Some(expires_at) = revoked {
        tx.log(
            ctx.event("access-code.revoke")
                .account(&acct)
                .detail(format!(
                    "{reason}; it would have expired at {}",
                    rfc3339(expires_at)
                )),
        )?;
        let events = tx.commit()?;
        ctx.notify(&events);
    } else {
        // Nothing live: a spent or expired code stays as it was (rolled back).
        drop(tx);
    }
    ctx.out.object(&AccessRevoked {
        email,
        revoked: revoked.is_some(),
        expires_at: revoked,
    })?;
    Ok(ExitCode::Success)
}

/// `twofa access-code EMAIL --reason TEXT [--ttl DURATION | --revoke]`.
pub fn access_code(ctx: &mut Ctx, args: &AccessCodeArgs) -> Result<ExitCode> {
    let email = normalise_email(&args.email)?;
    let Some(reason) = crate::text::label("reason", &args.reason)? else {
        return Err(usage(
            "access-code needs --reason TEXT (who asked, and how their identity was checked)",
        ));
    };
    if args.revoke {
        return revoke_access_code(ctx, email, &reason);
    }
    let ttl = clock::parse_duration(&args.ttl)?;
    if ttl <= 0 || ttl > MAX_ACCESS_TTL {
        return Err(usage(format!(
            "--ttl {} is out of range: an access code lives from 1s to 7d",
            args.ttl.trim().chars().take(80).collect::<String>()
        )));
    }
    let mut store = ctx.open(OpenMode::Existing)?;
    // Where the account needs approval, a request is filed instead: the code is drawn when
    // the last approval runs it, and shown to that approver alone.
    let mut tx = store.begin()?;
    let acct = account_tx(tx.as_mut(), &email)?;
    let needed = gated::needed_for(tx.as_mut(), &acct)?;
    if needed > 0 {
        gated::needs_access_code(tx.as_mut(), &acct)?;
        let action = Action::AccessCode {
            email: email.clone(),
            reason: reason.clone(),
            ttl,
        };
        let filed = gated::file(ctx, tx.as_mut(), &action, acct.org.as_deref(), needed)?;
        let events = tx.commit()?;
        ctx.notify(&events);
        ctx.out.object(&filed)?;
        return Ok(ExitCode::Refused);
    }
    drop(tx);
    let code = recovery::generate_access_code()?;
    let hash = recovery::hash(&code, recovery::params())?;
    let mut tx = store.begin()?;
    let expires_at = gated::access_code(ctx, tx.as_mut(), &email, &reason, ttl, &hash)?;
    let events = tx.commit()?;
    ctx.notify(&events);
    ctx.out.object(&AccessIssued {
        email,
        access_code: recovery::display_access(&code),
        expires_at,
    })?;
    Ok(ExitCode::Success)
}
