//! `device list | rename | remove`: an account's named TOTP devices (SECURITY.md 42). The
//! decisions (which device, whether it may go) are `devices.rs`'; this file reads, logs and
//! answers. Devices are added and re-enrolled by `enroll --device`.

use anyhow::Result;
use serde::Serialize;

use super::{account, account_tx};
use crate::cli::{DeviceListArgs, DeviceRemoveArgs, DeviceRenameArgs};
use crate::clock::{Timestamp, rfc3339};
use crate::ctx::Ctx;
use crate::devices;
use crate::exit::{ExitCode, refused, usage};
use crate::model::{CredentialRow, device_name, normalise_email};
use crate::output::{Human, Output, Row, cell};
use crate::policy::{self, Credential, State};
use crate::store::{DeviceRename, OpenMode};
use crate::text::quote;

/// An enrollment waiting for its first code (`status`, `diagnose`).
#[derive(Debug, Serialize)]
pub struct Waiting {
    pub device: String,
    #[serde(serialize_with = "crate::output::time")]
    pub expires_at: Timestamp,
    /// It replaces the secret of an enabled device (a re-enrollment).
    pub replaces: bool,
}

/// The account's waiting enrollments at `now`.
pub fn waiting(devices: &[CredentialRow], now: Timestamp) -> Vec<Waiting> {
    devices::waiting(devices, now)
        .into_iter()
        .map(|(device, expires_at, replaces)| Waiting {
            device,
            expires_at,
            replaces,
        })
        .collect()
}

/// A `device list` row.
#[derive(Debug, Serialize)]
struct DeviceRow {
    email: String,
    device: String,
    state: State,
    #[serde(serialize_with = "crate::output::opt_time")]
    enrolled_at: Option<Timestamp>,
    #[serde(serialize_with = "crate::output::opt_time")]
    last_used_at: Option<Timestamp>,
    /// Until when its enrollment, or its re-enrollment, waits for a first code.
    #[serde(serialize_with = "crate::output::opt_time")]
    pending_expires_at: Option<Timestamp>,
    drift_steps: i64,
}

impl DeviceRow {
    fn new(email: &str, d: &CredentialRow, now: Timestamp) -> Self {
        let state = policy::state(Some(d.state), now);
        let pending_expires_at = match (&d.state, &d.replacement) {
            (Credential::Pending { expires_at }, _) if state == State::Pending => Some(*expires_at),
            (Credential::Enabled, Some(r)) if now < r.expires_at => Some(r.expires_at),
            _ => None,
        };
        DeviceRow {
            email: email.to_string(),
            device: d.device.clone(),
            state,
            enrolled_at: d.enrolled_at.filter(|_| state == State::Enabled),
            last_used_at: d.last_used_at.filter(|_| state == State::Enabled),
            pending_expires_at,
            drift_steps: d.drift_steps,
        }
    }
}

impl Row for DeviceRow {
    const FIELDS: &'static [&'static str] = &[
        "email",
        "device",
        "state",
        "enrolled_at",
        "last_used_at",
        "pending_expires_at",
        "drift_steps",
    ];
    const DROP_ORDER: &'static [&'static str] =
        &["drift_steps", "pending_expires_at", "enrolled_at", "email"];
    const FREE_TEXT: &'static [&'static str] = &["device"];
    const ZERO_IS_EMPTY: &'static [&'static str] = &["drift_steps"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.email.clone(),
            self.device.clone(),
            self.state.as_str().to_string(),
            cell(self.enrolled_at.map(rfc3339)),
            cell(self.last_used_at.map(rfc3339)),
            cell(self.pending_expires_at.map(rfc3339)),
            self.drift_steps.to_string(),
        ]
    }
}

/// `twofa device list EMAIL`.
pub fn list(ctx: &mut Ctx, args: &DeviceListArgs) -> Result<ExitCode> {
    let email = normalise_email(&args.email)?;
    let mut store = ctx.open(OpenMode::ReadOnly)?;
    let acct = account(store.as_mut(), &email)?;
    let now = ctx.now();
    let rows: Vec<DeviceRow> = store
        .credentials(acct.id)?
        .iter()
        .map(|d| DeviceRow::new(&email, d, now))
        .collect();
    if rows.is_empty() && ctx.stderr_tty {
        ctx.note(format!(
            "{email} has no devices (add one with 'twofa enroll {email}')"
        ));
    }
    let mut list = ctx.out.list::<DeviceRow>()?;
    for row in &rows {
        list.push(row)?;
    }
    list.finish()?;
    Ok(ExitCode::Success)
}

/// What `device rename` and `device remove` did.
#[derive(Debug, Serialize)]
struct DeviceChange {
    email: String,
    device: String,
    /// `rename`: the name before.
    #[serde(skip_serializing_if = "Option::is_none")]
    renamed_from: Option<String>,
    /// `remove`: the enabled devices left.
    #[serde(skip_serializing_if = "Option::is_none")]
    devices_left: Option<usize>,
    /// `remove`: it took the last enabled device, and 2FA with it.
    #[serde(skip)]
    off: bool,
}

impl Human for DeviceChange {
    fn human(&self, out: &mut Output) -> Result<()> {
        match (&self.renamed_from, self.devices_left) {
            (None, _) if self.off => out.line(format!(
                "{}: device {} removed; no enabled device is left, so 2FA is off (its recovery codes were removed too)",
                self.email,
                quote(&self.device)
            )),
            (Some(old), _) => out.line(format!(
                "{}: device {} renamed to {}",
                self.email,
                quote(old),
                quote(&self.device)
            )),
            (None, left) => out.line(format!(
                "{}: device {} removed; {} enabled left",
                self.email,
                quote(&self.device),
                left.unwrap_or(0)
            )),
        }
    }
}

/// `twofa device rename EMAIL OLD NEW`: the secrets are resealed for the new name (a
/// sealed secret is bound to its device).
pub fn rename(ctx: &mut Ctx, args: &DeviceRenameArgs) -> Result<ExitCode> {
    let email = normalise_email(&args.email)?;
    let old = device_name(&args.old)?;
    let new = device_name(&args.new)?;
    let mut store = ctx.open(OpenMode::Existing)?;
    account(store.as_mut(), &email)?;
    let key = ctx.key(store.as_mut())?;
    let mut tx = store.begin()?;
    let acct = account_tx(tx.as_mut(), &email)?;
    let found = tx.credentials(acct.id)?;
    let Some(device) = found.iter().find(|d| d.device == old) else {
        return Err(devices::no_device(&email, &old, &found));
    };
    if old == new {
        return Err(usage(format!(
            "the device is called {} already: give another name",
            quote(&new)
        )));
    }
    if found.iter().any(|d| d.device == new) {
        return Err(refused(format!(
            "{email} has a device {} already: names are unique per account (remove or rename that one first)",
            quote(&new)
        )));
    }
    let secret = key.open(acct.id, &old, &device.sealed_secret)?;
    let sealed_secret = key.seal(acct.id, &new, &secret)?;
    let sealed_replacement = match &device.replacement {
        Some(r) => {
            let secret = key.open(acct.id, &old, &r.sealed_secret)?;
            Some(key.seal(acct.id, &new, &secret)?)
        }
        None => None,
    };
    let rename = DeviceRename {
        from: &old,
        to: &new,
        sealed_secret: &sealed_secret,
        sealed_replacement: sealed_replacement.as_deref(),
    };
    tx.rename_device(acct.id, &rename)?;
    tx.log(ctx.event("device.rename").account(&acct).detail(format!(
        "device {} renamed to {}",
        quote(&old),
        quote(&new)
    )))?;
    let events = tx.commit()?;
    ctx.notify(&events);
    ctx.out.object(&DeviceChange {
        email,
        device: new,
        renamed_from: Some(old),
        devices_left: None,
        off: false,
    })?;
    Ok(ExitCode::Success)
}

/// `twofa device remove EMAIL NAME --reason TEXT`. The account's last enabled device goes
/// with its recovery codes and access code (2FA is off, as after `disable`); where 2FA is
/// required that is refused.
pub fn remove(ctx: &mut Ctx, args: &DeviceRemoveArgs) -> Result<ExitCode> {
    let email = normalise_email(&args.email)?;
    let name = device_name(&args.name)?;
    let reason = crate::text::label("reason", &args.reason)?.ok_or_else(|| {
        usage("the reason is empty: say why the device goes (written to the event log)")
    })?;
    let mut store = ctx.open(OpenMode::Existing)?;
    account(store.as_mut(), &email)?;
    let now = ctx.now();
    let mut tx = store.begin()?;
    let acct = account_tx(tx.as_mut(), &email)?;
    let found = tx.credentials(acct.id)?;
    let required = policy::required(acct.policy.as_ref(), acct.exempt_until, now);
    devices::may_remove(&email, &found, &name, required)?;
    tx.remove_device(acct.id, &name)?;
    let left = found
        .iter()
        .filter(|d| d.device != name && devices::enabled(d))
        .count();
    let off = left == 0
        && found
            .iter()
            .any(|d| d.device == name && devices::enabled(d));
    let mut detail = format!("device {} removed: {reason}", quote(&name));
    if off {
        tx.replace_recovery_codes(acct.id, &[], now)?;
        let revoked = tx.revoke_access_code(acct.id, now)?.is_some();
        detail.push_str("; no enabled device is left: 2FA is off, recovery codes removed");
        if revoked {
            detail.push_str(super::ACCESS_CODE_REVOKED);
        }
    }
    tx.log(ctx.event("device.remove").account(&acct).detail(detail))?;
    let events = tx.commit()?;
    ctx.notify(&events);
    ctx.out.object(&DeviceChange {
        email,
        device: name,
        renamed_from: None,
        devices_left: Some(left),
        off,
    })?;
    Ok(ExitCode::Success)
}
