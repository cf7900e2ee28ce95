//! `verify`: a TOTP code or a recovery code, with replay protection and lockout. The
//! command reads, lets `verify::decide` (the pure core) decide, applies the outcome in one
//! transaction, and answers.
//!
//! `verify --batch` is the same attempt, request after request: [`prepare`] before the
//! write lock and [`decide_in`] inside it are the one code path of both. The requests
//! already waiting on stdin are decided in one transaction (group commit), which is
//! committed before their answers are written; they are decided in email order (so that
//! their accounts are locked in that order) and answered in the order asked. Every line
//! gets exactly one answer (a blank one too: a co-process waits for it); the hook runs
//! after the answers are written, on a thread of its own, so a slow hook never delays a
//! login.

use std::io;
use std::sync::mpsc;

use anyhow::Result;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{account, no_account, record_failure};
use crate::cli::VerifyArgs;
use crate::clock::{Timestamp, rfc3339};
use crate::code::{CodeInput, parse_code};
use crate::crypto::Keyring;
use crate::ctx::Ctx;
use crate::devices;
use crate::exit::{ExitCode, classify, usage};
use crate::input::{self, Bounded};
use crate::model::{Account, DEFAULT_DEVICE};
use crate::output::{Human, Output};
use crate::policy::{self, Lock};
use crate::recovery;
use crate::store::{OpenMode, Spend, StepUse, Store, Tx};
use crate::text;
use crate::totp;
use crate::verify::{
    self, AccessMatch, Attempt, Claim, Lost, Method, Outcome, Reason, Record, Rejection,
};

/// The `verify` object (`--format json`).
#[derive(Debug, Serialize)]
pub struct Verified {
    pub email: String,
    pub accepted: bool,
    pub method: Option<Method>,
    pub reason: Option<Reason>,
    pub recovery_codes_left: Option<u32>,
    /// The device whose code was accepted (or refused as reused); `null` for recovery and
    /// access codes.
    pub device: Option<String>,
    /// The account has a pending enrollment (which `confirm`, not `verify`, finishes).
    #[serde(skip)]
    pub pending: bool,
    /// Until when the account is locked, when this answer finds or leaves it locked;
    /// `null` otherwise and for a lock until `unlock` (as `status` shows it).
    #[serde(serialize_with = "crate::output::opt_time")]
    pub locked_until: Option<Timestamp>,
}

impl Human for Verified {
    fn human(&self, out: &mut Output) -> Result<()> {
        match (self.accepted, self.method, self.reason) {
            (false, _, Some(Reason::NotEnrolled)) if self.pending => out.line(format!(
                "{}: rejected (not enrolled: the enrollment is pending; finish it with 'twofa confirm {}' and a code from the app)",
                self.email, self.email
            )),
            (true, Some(Method::AccessCode), _) => out.line(format!(
                "{}: accepted (temporary access code; it is now used up)",
                self.email
            )),
            (true, Some(Method::Recovery), _) => out.line(format!(
                "{}: accepted (recovery code; {} left)",
                self.email,
                self.recovery_codes_left.unwrap_or(0)
            )),
            (true, _, _) => match self.device.as_deref() {
                Some(device) if device != DEFAULT_DEVICE => out.line(format!(
                    "{}: accepted (device {})",
                    self.email,
                    text::quote(device)
                )),
                _ => out.line(format!("{}: accepted", self.email)),
            },
            (false, _, Some(Reason::Locked)) => out.line(format!(
                "{}: rejected (locked until {})",
                self.email,
                self.locked_until
                    .map_or("'twofa unlock' or 'twofa reset'".to_string(), rfc3339)
            )),
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

/// `twofa verify EMAIL [CODE|-]`, or `twofa verify --batch`.
pub fn run(ctx: &mut Ctx, args: &VerifyArgs) -> Result<ExitCode> {
    if args.batch {
        return batch(ctx);
    }
    // EMAIL and CODE given the wrong way round: the error must not show the code.
    let email = text::email_argument(args.email.as_deref().unwrap_or_default())?;
    let input = parse_code(&crate::prompt::read_code(args.code.as_deref())?)?;
    let mut store = ctx.open(OpenMode::Existing)?;
    let now = ctx.now();

    let acct = account(store.as_mut(), &email)?;
    let request = prepare(store.as_mut(), acct, input, now)?;
    let key = match request.input {
        CodeInput::Totp(_) => Some(ctx.key(store.as_mut())?),
        CodeInput::Recovery(_) | CodeInput::AccessCode(_) => None,
    };
    let mut tx = store.begin()?;
    let (result, code, lock) = decide_in(ctx, tx.as_mut(), key.as_ref(), &request, now)?;
    let events = tx.commit()?;
    ctx.notify(&events);
    ctx.out.object(&result)?;
    let email = &result.email;
    if let Some(lock) = lock {
        ctx.warn(super::locked_message(email, lock));
    }
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
    Ok(code)
}

/// An attempt with what is done before the write lock: the account was found, and a
/// recovery code's one Argon2 evaluation has run, so that concurrent verifies of other
/// codes do not wait for it.
pub(crate) struct Request {
    pub email: String,
    pub input: CodeInput,
    recovery_match: Option<i64>,
    /// What the account's access code says about an access code, and its hash (to spend
    /// that very code in the transaction).
    access: (AccessMatch, Option<String>),
}

impl Request {
    /// A TOTP code's attempt, which needs nothing before the write lock.
    fn totp(email: String, input: CodeInput) -> Self {
        Request {
            email,
            input,
            recovery_match: None,
            access: (AccessMatch::None, None),
        }
    }
}

pub(crate) fn prepare(
    store: &mut dyn Store,
    acct: Account,
    input: CodeInput,
    now: Timestamp,
) -> Result<Request> {
    let recovery_match = match &input {
        CodeInput::Recovery(code) => find_recovery_code(store, &acct, code, now)?,
        CodeInput::Totp(_) | CodeInput::AccessCode(_) => None,
    };
    let access = match &input {
        CodeInput::AccessCode(code) => find_access_code(store, &acct, code, now)?,
        _ => (AccessMatch::None, None),
    };
    Ok(Request {
        email: acct.email,
        input,
        recovery_match,
        access,
    })
}

/// Decides one attempt inside `tx` and records it: the one code path of `verify` and
/// `verify --batch`. `key` opens TOTP secrets (needed for a TOTP code). Returns the
/// answer, its exit code and the lock its failure set (if it locked the account); nothing
/// is committed here.
pub(crate) fn decide_in(
    ctx: &Ctx,
    tx: &mut dyn Tx,
    key: Option<&Keyring>,
    request: &Request,
    now: Timestamp,
) -> Result<(Verified, ExitCode, Option<Lock>)> {
    let email = &request.email;
    // An account removed since `prepare` found it is no account, named without suggestions
    // (a batch answer never names another account).
    let acct = tx.account(email)?.ok_or_else(|| no_account(email))?;
    let devices = tx.credentials(acct.id)?;
    let enabled: Vec<_> = devices.iter().filter(|d| devices::enabled(d)).collect();
    let pending = enabled.is_empty() && devices.iter().any(|d| devices::pending(d, now));
    // The device a TOTP code matched (accepted or reused).
    let mut device = None;
    let attempt = match &request.input {
        _ if enabled.is_empty() => Attempt::NotEnrolled,
        CodeInput::Totp(code) => {
            // Every enabled device is checked, none skipped, each in constant time and with
            // its own drift and replay history (SECURITY.md 42).
            let key = key.expect("the key is loaded for TOTP codes");
            let mut checks = Vec::with_capacity(enabled.len());
            for d in &enabled {
                let secret = key.open(acct.id, &d.device, &d.sealed_secret)?;
                checks.push(totp::check_drifted(
                    &secret,
                    code,
                    now,
                    d.drift_steps,
                    d.last_step,
                )?);
            }
            let (check, which) = devices::combine(&checks);
            device = which.map(|i| enabled[i].device.clone());
            Attempt::Totp(check)
        }
        CodeInput::Recovery(_) => Attempt::Recovery(request.recovery_match),
        CodeInput::AccessCode(_) => Attempt::AccessCode(request.access.0),
    };
    let access_hash = request.access.1.as_deref();
    // Ok: accepted by this method; Err: rejected for this reason. `lock`: the lock this
    // attempt's failure set, if any.
    let mut lock = None;
    let on = device.as_deref();
    let answer = match verify::decide(acct.locked_until, attempt, now) {
        Outcome::Accept(claim) => match take(tx, acct.id, claim, access_hash, on, now)? {
            None => Ok(accept(ctx, tx, &acct, claim, on)?),
            Some(why) => Err(reject(ctx, tx, &acct, verify::lost(why), on, &mut lock)?),
        },
        Outcome::Reject(rejection) => Err(reject(ctx, tx, &acct, rejection, on, &mut lock)?),
    };
    let mut result = Verified {
        email: email.clone(),
        accepted: answer.is_ok(),
        method: answer.ok(),
        reason: answer.err(),
        recovery_codes_left: None,
        device: device.filter(|_| answer.is_ok() || answer == Err(Reason::Reused)),
        pending,
        locked_until: None,
    };
    if result.reason == Some(Reason::Locked) {
        result.locked_until = Lock::at(acct.locked_until, now).and_then(Lock::until);
    }
    if let Some(lock) = lock {
        result.locked_until = lock.until();
    }
    if result.reason != Some(Reason::NotEnrolled) {
        // The account row read in this transaction counts them, unless a recovery code
        // was spent since.
        result.recovery_codes_left = Some(match result.method {
            Some(Method::Recovery) => tx.recovery_codes_left(acct.id)?,
            _ => acct.codes_left,
        });
    }
    // A failure that just reached the limit is still this attempt's rejection (exit 1).
    Ok((
        result,
        answer.map_or_else(Reason::exit_code, |_| ExitCode::Success),
        lock,
    ))
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

/// What the account's access code says about `code`, and its hash (to spend that very code
/// in the transaction). One Argon2 evaluation whether or not there is a code; none on a
/// locked account.
fn find_access_code(
    store: &mut dyn Store,
    acct: &Account,
    code: &str,
    now: Timestamp,
) -> Result<(AccessMatch, Option<String>)> {
    if policy::locked(acct.locked_until, now) {
        return Ok((AccessMatch::None, None));
    }
    let Some(stored) = store.access_code(acct.id)? else {
        recovery::burn(code);
        return Ok((AccessMatch::None, None));
    };
    if !recovery::verify(code, &stored.hash) {
        return Ok((AccessMatch::None, None));
    }
    let found = if stored.used_at.is_some() {
        AccessMatch::Used
    } else if now >= stored.expires_at {
        AccessMatch::Expired
    } else {
        AccessMatch::Live
    };
    Ok((found, Some(stored.hash)))
}

/// Takes the claim in the transaction; `Some(why)` when another verify won it meanwhile.
fn take(
    tx: &mut dyn Tx,
    account_id: i64,
    claim: Claim,
    access_hash: Option<&str>,
    device: Option<&str>,
    now: Timestamp,
) -> Result<Option<Lost>> {
    Ok(match claim {
        Claim::AccessCode => {
            let hash = access_hash.unwrap_or_default();
            (!tx.spend_access_code(account_id, hash, now)?).then_some(Lost::AccessCodeTaken)
        }
        Claim::Step(step) => {
            let device = device.expect("a TOTP step is claimed for the device it matched");
            let used = StepUse {
                account_id,
                device,
                step,
                at: now,
            };
            (!tx.accept_step(&used)?).then_some(Lost::StepTaken)
        }
        Claim::RecoveryCode(id) => match tx.spend_recovery_code(id, now)? {
            Spend::Spent => None,
            Spend::AlreadySpent => Some(Lost::CodeSpent),
            Spend::Gone => Some(Lost::CodeGone),
        },
    })
}

/// Records an accepted code: the failure count starts again, and the event says how.
fn accept(
    ctx: &Ctx,
    tx: &mut dyn Tx,
    acct: &Account,
    claim: Claim,
    device: Option<&str>,
) -> Result<Method> {
    // `acct` was read in this transaction: when it shows no failures, there are none.
    if acct.failed_attempts != 0 || acct.locked_until.is_some() {
        tx.clear_failures(acct.id)?;
    }
    let event = match claim.method() {
        Method::Totp => ctx
            .event("verify.accepted")
            .account(acct)
            .detail(on_device("totp", device)),
        Method::AccessCode => ctx
            .event("verify.access_code")
            .account(acct)
            .detail("temporary access code accepted; 2FA stays enabled"),
        Method::Recovery => {
            let left = tx.recovery_codes_left(acct.id)?;
            ctx.event("verify.recovery").account(acct).detail(format!(
                "{} left",
                crate::output::counted(u64::from(left), "recovery code", "recovery codes")
            ))
        }
    };
    tx.log(event)?;
    Ok(claim.method())
}

/// Records a rejection as the decision says; a failure that locks the account sets `lock`.
fn reject(
    ctx: &Ctx,
    tx: &mut dyn Tx,
    acct: &Account,
    rejection: Rejection,
    device: Option<&str>,
    lock: &mut Option<Lock>,
) -> Result<Reason> {
    match rejection.record {
        Record::Failure => {
            *lock = record_failure(ctx, tx, acct, "verify.rejected", rejection.reason.as_str())?;
        }
        Record::Event { action, detail } => {
            let detail = match rejection.reason {
                Reason::Reused => on_device(detail, device),
                _ => detail.to_string(),
            };
            tx.log(ctx.event(action).account(acct).detail(detail))?;
        }
    }
    Ok(rejection.reason)
}

/// An event's detail with the device a TOTP code matched, if any.
fn on_device(detail: &str, device: Option<&str>) -> String {
    match device {
        Some(device) => format!("{detail}; device {}", text::quote(device)),
        None => detail.to_string(),
    }
}

/// Requests decided in one transaction, at most.
const GROUP: usize = 256;
/// Longest request line read; a longer one is answered with an error.
const MAX_LINE: usize = 1024;

/// A request line as the reader thread read it.
enum Line {
    Text(Zeroizing<Vec<u8>>),
    TooLong,
}

/// The answer to a request that could not be decided: unreadable, or no such account.
#[derive(Debug, Serialize)]
struct BatchError {
    email: Option<String>,
    accepted: bool,
    error: String,
    exit_code: u8,
}

impl BatchError {
    fn new(email: Option<String>, err: &anyhow::Error) -> Self {
        let (code, _) = classify(err);
        BatchError {
            email,
            accepted: false,
            error: format!("{err:#}"),
            exit_code: code as u8,
        }
    }
}

/// One answer line: a `verify` object, or an error.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Answer {
    Verified(Verified),
    Error(BatchError),
}

/// A request of the current group, on its way to its answer.
enum Slot {
    Pending(Request),
    Done(Answer),
}

/// The email a request still to decide is for; `None` (first) for one answered already.
fn slot_email(slot: &Slot) -> Option<&str> {
    match slot {
        Slot::Pending(r) => Some(&r.email),
        Slot::Done(_) => None,
    }
}

/// A JSON request line.
#[derive(Deserialize)]
struct JsonRequest {
    email: String,
    code: String,
}

/// Reads one request line: `{"email": …, "code": …}` or `EMAIL CODE`. An error answer
/// never repeats the code, nor the email field when it is not an email (it may be a code:
/// the fields swapped).
fn parse_request(line: &[u8]) -> std::result::Result<(String, CodeInput), Answer> {
    let fail =
        |email: Option<String>, e: anyhow::Error| Err(Answer::Error(BatchError::new(email, &e)));
    let text = match std::str::from_utf8(line) {
        Ok(t) => t.trim_matches(|c: char| c.is_whitespace() || c == '\0'),
        Err(_) => return fail(None, usage("the request is not UTF-8")),
    };
    if text.is_empty() {
        return fail(
            None,
            usage(r#"the request is empty: write EMAIL CODE or {"email": …, "code": …}"#),
        );
    }
    let (email, code): (String, Zeroizing<String>) = if text.starts_with('{') {
        match serde_json::from_str::<JsonRequest>(text) {
            Ok(r) => (r.email, Zeroizing::new(r.code)),
            Err(_) => {
                return fail(
                    None,
                    usage(r#"the request is not {"email": …, "code": …} or EMAIL CODE"#),
                );
            }
        }
    } else {
        match text.split_once(char::is_whitespace) {
            Some((email, code)) => (email.to_string(), Zeroizing::new(code.to_string())),
            // The one field is kept only if it is an email (a code never is).
            None => {
                return fail(
                    text::email_unshown(text).ok(),
                    usage("the request has no code: write EMAIL CODE"),
                );
            }
        }
    };
    // The fields may be swapped (a code where the email goes): an error never shows them.
    let email = match text::email_unshown(&email) {
        Ok(email) => email,
        Err(e) => return fail(None, usage(format!("the request's email is {e:#}"))),
    };
    // Its error says what was wrong and how many characters were given, never what.
    match parse_code(&code) {
        Ok(input) => Ok((email, input)),
        Err(e) => fail(Some(email), e),
    }
}

/// Whether an error is the request's own (answered, and the batch goes on) rather than the
/// database's or the key's (which end the batch with exit 6).
fn request_error(e: &anyhow::Error) -> bool {
    matches!(classify(e).0, ExitCode::Usage | ExitCode::NotFound)
}

/// Reads stdin on a thread of its own, so that the requests already waiting can be taken
/// without blocking: one line at a time, each at most [`MAX_LINE`] bytes; a longer one is
/// [`Line::TooLong`] as soon as it is, and the rest of it is skipped.
fn read_requests() -> mpsc::Receiver<Line> {
    let (tx, rx) = mpsc::sync_channel(4 * GROUP);
    std::thread::spawn(move || {
        let mut stdin = Bounded::lines(io::stdin().lock(), MAX_LINE, u64::MAX);
        loop {
            let mut line = Zeroizing::new(Vec::with_capacity(MAX_LINE + 1));
            let item = match stdin.read_line(&mut line) {
                Ok(None) => return, // end of stdin
                Ok(Some(_)) => Line::Text(line),
                Err(e) if input::limit(&e).is_some() => Line::TooLong,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => return,
            };
            if tx.send(item).is_err() {
                return;
            }
        }
    });
    rx
}

/// `twofa verify --batch`.
fn batch(ctx: &mut Ctx) -> Result<ExitCode> {
    let mut store = ctx.open(OpenMode::Existing)?;
    // An answer is written after its commit, and this process outlives many of them: each
    // commit must reach the disk itself, not at a checkpoint when the database closes.
    store.sync_every_commit()?;
    let key = ctx.key(store.as_mut())?;
    // The hook runs after the answers, off their path; leaving waits for it.
    let hooks = ctx.notifier();
    let lines = read_requests();
    while let Ok(first) = lines.recv() {
        let mut group = vec![first];
        while group.len() < GROUP {
            match lines.try_recv() {
                Ok(line) => group.push(line),
                Err(_) => break,
            }
        }
        let now = ctx.now();
        let mut slots = Vec::with_capacity(group.len());
        for line in group {
            let parsed = match line {
                Line::Text(text) => parse_request(&text),
                Line::TooLong => Err(Answer::Error(BatchError::new(
                    None,
                    &usage(format!("the request is longer than {MAX_LINE} bytes")),
                ))),
            };
            slots.push(match parsed {
                Err(answer) => Slot::Done(answer),
                // A TOTP code needs nothing before the write lock: its account is read
                // once, in the transaction.
                Ok((email, input @ CodeInput::Totp(_))) => {
                    Slot::Pending(Request::totp(email, input))
                }
                Ok((email, input)) => {
                    // An unknown account is answered without suggestions: a batch answer
                    // never names another account.
                    let found = match store.account(&email)? {
                        Some(acct) => prepare(store.as_mut(), acct, input, now),
                        None => Err(no_account(&email)),
                    };
                    match found {
                        Ok(request) => Slot::Pending(request),
                        Err(e) if request_error(&e) => {
                            Slot::Done(Answer::Error(BatchError::new(Some(email), &e)))
                        }
                        Err(e) => return Err(e),
                    }
                }
            });
        }
        let mut events = Vec::new();
        if slots.iter().any(|s| matches!(s, Slot::Pending(_))) {
            let mut tx = store.begin()?;
            // Decided in email order (a stable sort: one account's requests keep theirs),
            // so that the accounts are locked in that order (a server locks a row as it
            // reads it) and two batches never wait for each other in a circle; answered
            // in the order asked.
            let mut order: Vec<usize> = (0..slots.len()).collect();
            order.sort_by(|&a, &b| slot_email(&slots[a]).cmp(&slot_email(&slots[b])));
            for i in order {
                let Slot::Pending(request) = &slots[i] else {
                    continue;
                };
                let answer = match decide_in(ctx, tx.as_mut(), Some(&key), request, now) {
                    Ok((verified, _, _)) => Answer::Verified(verified),
                    Err(e) if request_error(&e) => {
                        Answer::Error(BatchError::new(Some(request.email.clone()), &e))
                    }
                    Err(e) => return Err(e),
                };
                slots[i] = Slot::Done(answer);
            }
            // Durable before written: an answer read is an answer committed.
            events = tx.commit()?;
        }
        for slot in &slots {
            if let Slot::Done(answer) = slot {
                ctx.out.ndjson(answer)?;
            }
        }
        ctx.out.flush()?;
        hooks.notify(events);
    }
    Ok(ExitCode::Success)
}
