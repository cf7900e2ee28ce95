//! An account's devices (SECURITY.md 42): what enrolling a named device does, which device
//! a command means, which device a TOTP code matched, and whether one may be removed.
//!
//! Everything here is pure: the devices as read, the time as an argument.

use anyhow::Result;

use crate::clock::{Timestamp, rfc3339};
use crate::exit::{refused, usage};
use crate::model::{CredentialRow, MAX_DEVICES};
use crate::policy::Credential;
use crate::totp::Check;

/// Whether the device is enabled.
pub fn enabled(d: &CredentialRow) -> bool {
    d.state == Credential::Enabled
}

/// Whether the device is a first enrollment still waiting for its code at `now`.
pub fn pending(d: &CredentialRow, now: Timestamp) -> bool {
    matches!(d.state, Credential::Pending { expires_at } if now < expires_at)
}

/// The enabled devices.
pub fn enabled_count(devices: &[CredentialRow]) -> usize {
    devices.iter().filter(|d| enabled(d)).count()
}

/// The account's credential as one: enabled when a device is, else pending (until the
/// last of the pending ones expires) when one is, else none (as the account row's copy
/// sums it up, migration 009).
pub fn account_credential(devices: &[CredentialRow]) -> Option<Credential> {
    if devices.iter().any(enabled) {
        return Some(Credential::Enabled);
    }
    devices
        .iter()
        .filter_map(|d| match d.state {
            Credential::Pending { expires_at } => Some(expires_at),
            Credential::Enabled => None,
        })
        .max()
        .map(|expires_at| Credential::Pending { expires_at })
}

/// What `enroll --device NAME` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enrollment {
    /// A device that does not exist (or whose enrollment expired, or is still pending):
    /// a new pending credential under that name.
    New,
    /// An enabled device: a re-enrollment beside it, which replaces its secret once
    /// confirmed (asks first, or needs `--yes`).
    Replace,
}

/// Decides what enrolling `name` does on an account with `devices` at `now`: at most
/// [`MAX_DEVICES`] devices, counting the enabled ones and the pending ones still waiting
/// (an expired enrollment is dropped when the next one starts); exit 4 past the cap.
pub fn enrollment(
    email: &str,
    devices: &[CredentialRow],
    name: &str,
    now: Timestamp,
) -> Result<Enrollment> {
    if let Some(d) = devices.iter().find(|d| d.device == name) {
        if enabled(d) {
            return Ok(Enrollment::Replace);
        }
        return Ok(Enrollment::New);
    }
    let live = devices
        .iter()
        .filter(|d| enabled(d) || pending(d, now))
        .count();
    if live >= MAX_DEVICES {
        return Err(refused(format!(
            "{email} has {live} devices, the most an account may have ({MAX_DEVICES}): remove one first ('twofa device list {email}', then 'twofa device remove {email} NAME --reason TEXT') or re-enroll one with --device NAME --yes"
        )));
    }
    Ok(Enrollment::New)
}

/// The device a command means: `wanted` when given (exit 3 when the account has no such
/// device); else the only device among those `fits` accepts (exit 2 asking for
/// `--device` when there are several, `none` when there is none).
pub fn choose<'d>(
    email: &str,
    devices: &'d [CredentialRow],
    wanted: Option<&str>,
    fits: impl Fn(&CredentialRow) -> bool,
    none: impl FnOnce() -> anyhow::Error,
) -> Result<&'d CredentialRow> {
    if let Some(name) = wanted {
        return devices
            .iter()
            .find(|d| d.device == name)
            .ok_or_else(|| no_device(email, name, devices));
    }
    let mut fitting = devices.iter().filter(|d| fits(d));
    match (fitting.next(), fitting.next()) {
        (Some(d), None) => Ok(d),
        (None, _) => Err(none()),
        (Some(_), Some(_)) => Err(usage(format!(
            "{email} has several devices ({}): say which with --device NAME",
            names(devices.iter().filter(|d| fits(d)))
        ))),
    }
}

/// The device whose codes `diagnose` and `resync` read: `wanted` when given, else the one
/// enabled or pending device; `None` when there is none, or when there are several and
/// `needed` is false (a diagnosis without a code). Several and `needed`: exit 2 asking for
/// `--device`.
pub fn live<'d>(
    email: &str,
    devices: &'d [CredentialRow],
    wanted: Option<&str>,
    needed: bool,
    now: Timestamp,
) -> Result<Option<&'d CredentialRow>> {
    let fits = |d: &CredentialRow| enabled(d) || pending(d, now);
    let count = devices.iter().filter(|d| fits(d)).count();
    if wanted.is_none() && (count == 0 || (count > 1 && !needed)) {
        return Ok(None);
    }
    let chosen = choose(email, devices, wanted, fits, || unreachable_none(email))?;
    Ok(Some(chosen).filter(|d| fits(d)))
}

fn unreachable_none(email: &str) -> anyhow::Error {
    refused(format!(
        "{email} has no 2FA (enroll it with 'twofa enroll {email}')"
    ))
}

/// The error for a device the account does not have (exit 3), naming those it has.
pub fn no_device(email: &str, name: &str, devices: &[CredentialRow]) -> anyhow::Error {
    let has = if devices.is_empty() {
        "it has none".to_string()
    } else {
        format!("it has {}", names(devices.iter()))
    };
    crate::exit::not_found(format!(
        "{email} has no device {} ({has}; see 'twofa device list {email}')",
        crate::text::quote(name)
    ))
}

fn names<'d>(devices: impl Iterator<Item = &'d CredentialRow>) -> String {
    devices
        .map(|d| crate::text::quote(&d.device))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a TOTP code did against every enabled device: each was checked (in constant time,
/// none skipped), in the order given. Accepted by the first device whose window holds it as
/// a new step; else reused when a device had accepted its step already; else wrong. The
/// index is the device that decided it (`None` for a wrong code).
pub fn combine(checks: &[Check]) -> (Check, Option<usize>) {
    if let Some(i) = checks.iter().position(|c| matches!(c, Check::Accepted(_))) {
        return (checks[i], Some(i));
    }
    if let Some(i) = checks.iter().position(|c| *c == Check::Reused) {
        return (Check::Reused, Some(i));
    }
    (Check::Wrong, None)
}

/// Whether removing `name` may go ahead: refused (exit 4) for the last enabled device of an
/// account that must have 2FA (`reset` is the way there).
pub fn may_remove(
    email: &str,
    devices: &[CredentialRow],
    name: &str,
    required: bool,
) -> Result<()> {
    let Some(d) = devices.iter().find(|d| d.device == name) else {
        return Err(no_device(email, name, devices));
    };
    if required && enabled(d) && enabled_count(devices) == 1 {
        return Err(refused(format!(
            "{} is the last enabled device of {email}, whose organisation requires 2FA: removing it would turn 2FA off; for a lost phone use 'twofa reset {email} --reason TEXT' (the user enrolls again)",
            crate::text::quote(name)
        )));
    }
    Ok(())
}

/// The pending re-enrollments and first enrollments of an account at `now`: (device,
/// expires at, whether it replaces an enabled secret).
pub fn waiting(devices: &[CredentialRow], now: Timestamp) -> Vec<(String, Timestamp, bool)> {
    devices
        .iter()
        .filter_map(|d| match (&d.state, &d.replacement) {
            (Credential::Enabled, Some(r)) if now < r.expires_at => {
                Some((d.device.clone(), r.expires_at, true))
            }
            (Credential::Pending { expires_at }, _) if now < *expires_at => {
                Some((d.device.clone(), *expires_at, false))
            }
            _ => None,
        })
        .collect()
}

/// One line about a waiting enrollment, for people.
pub fn waiting_line(email: &str, device: &str, expires_at: Timestamp, replaces: bool) -> String {
    format!(
        "{} of device {} pending until {}: finish it with 'twofa confirm {email}{}'",
        if replaces {
            "re-enrollment"
        } else {
            "enrollment"
        },
        crate::text::quote(device),
        rfc3339(expires_at),
        device_flag(device)
    )
}

/// ` --device NAME` for a command line that names a device other than `default` (quoted
/// for a shell when it needs it).
pub fn device_flag(device: &str) -> String {
    if device == crate::model::DEFAULT_DEVICE {
        return String::new();
    }
    if device
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        format!(" --device {device}")
    } else {
        format!(" --device '{}'", device.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::{ExitCode, classify};
    use crate::model::Replacement;

    const NOW: Timestamp = 1_800_000_000;

    fn device(name: &str, state: Credential) -> CredentialRow {
        CredentialRow {
            device: name.into(),
            created_at: NOW - 100,
            state,
            sealed_secret: vec![],
            enrolled_at: None,
            last_step: None,
            last_used_at: None,
            drift_steps: 0,
            replacement: None,
        }
    }

    fn code(r: Result<impl std::fmt::Debug>) -> ExitCode {
        classify(&r.unwrap_err()).0
    }

    #[test]
    fn enrolling_adds_re_enrolls_and_stops_at_five() {
        let plan = |devices: &[CredentialRow], name: &str| enrollment("a@x.io", devices, name, NOW);
        let pending = |name: &str, expires_at| device(name, Credential::Pending { expires_at });
        let mut devices = vec![device("default", Credential::Enabled)];
        assert_eq!(plan(&devices, "phone").unwrap(), Enrollment::New);
        assert_eq!(plan(&devices, "default").unwrap(), Enrollment::Replace);
        for n in 1..5 {
            devices.push(device(&format!("d{n}"), Credential::Enabled));
        }
        assert_eq!(code(plan(&devices, "sixth")), ExitCode::Refused);
        // Re-enrolling one of the five is allowed.
        assert_eq!(plan(&devices, "d3").unwrap(), Enrollment::Replace);
        // An expired enrollment does not count; a waiting one does, and restarts.
        devices[4] = pending("late", NOW);
        assert_eq!(plan(&devices, "sixth").unwrap(), Enrollment::New);
        devices[4] = pending("soon", NOW + 1);
        assert_eq!(code(plan(&devices, "sixth")), ExitCode::Refused);
        assert_eq!(plan(&devices, "soon").unwrap(), Enrollment::New);
    }

    #[test]
    fn combining_prefers_an_accepted_step_then_a_reused_one() {
        let accepted = Check::Accepted(7);
        assert_eq!(combine(&[]), (Check::Wrong, None));
        assert_eq!(combine(&[Check::Wrong, Check::Wrong]), (Check::Wrong, None));
        assert_eq!(
            combine(&[Check::Reused, accepted]),
            (accepted, Some(1)),
            "a code new for one device is accepted even if another used its step"
        );
        assert_eq!(
            combine(&[Check::Wrong, Check::Reused]),
            (Check::Reused, Some(1))
        );
        assert_eq!(
            combine(&[accepted, Check::Accepted(8)]),
            (accepted, Some(0))
        );
    }

    #[test]
    fn the_account_is_enabled_when_a_device_is() {
        let mut devices = vec![
            device(
                "a",
                Credential::Pending {
                    expires_at: NOW + 5,
                },
            ),
            device(
                "b",
                Credential::Pending {
                    expires_at: NOW + 9,
                },
            ),
        ];
        assert_eq!(account_credential(&[]), None);
        assert_eq!(
            account_credential(&devices),
            Some(Credential::Pending {
                expires_at: NOW + 9
            })
        );
        devices.push(device("c", Credential::Enabled));
        assert_eq!(account_credential(&devices), Some(Credential::Enabled));
    }

    #[test]
    fn choosing_a_device() {
        let devices = vec![
            device("default", Credential::Enabled),
            device("tablet", Credential::Enabled),
        ];
        let none = || refused("none");
        let d = choose("a@x.io", &devices, Some("tablet"), enabled, none).unwrap();
        assert_eq!(d.device, "tablet");
        assert_eq!(
            code(choose("a@x.io", &devices, Some("Tablet"), enabled, none)),
            ExitCode::NotFound
        );
        assert_eq!(
            code(choose("a@x.io", &devices, None, enabled, none)),
            ExitCode::Usage
        );
        let d = choose("a@x.io", &devices[..1], None, enabled, none).unwrap();
        assert_eq!(d.device, "default");
        assert_eq!(
            code(choose("a@x.io", &[], None, enabled, none)),
            ExitCode::Refused
        );
    }

    #[test]
    fn the_last_enabled_device_stays_where_2fa_is_required() {
        let mut devices = vec![
            device("default", Credential::Enabled),
            device(
                "new",
                Credential::Pending {
                    expires_at: NOW + 60,
                },
            ),
        ];
        assert_eq!(
            code(may_remove("a@x.io", &devices, "default", true)),
            ExitCode::Refused
        );
        assert!(may_remove("a@x.io", &devices, "default", false).is_ok());
        assert!(may_remove("a@x.io", &devices, "new", true).is_ok());
        assert_eq!(
            code(may_remove("a@x.io", &devices, "gone", false)),
            ExitCode::NotFound
        );
        devices.push(device("tablet", Credential::Enabled));
        assert!(may_remove("a@x.io", &devices, "default", true).is_ok());
    }

    #[test]
    fn waiting_enrollments_are_listed_until_they_expire() {
        let mut phone = device("phone", Credential::Enabled);
        phone.replacement = Some(Replacement {
            sealed_secret: vec![],
            expires_at: NOW + 10,
        });
        let devices = vec![
            phone,
            device(
                "tab",
                Credential::Pending {
                    expires_at: NOW + 20,
                },
            ),
            device("old", Credential::Pending { expires_at: NOW }),
        ];
        assert_eq!(
            waiting(&devices, NOW),
            vec![
                ("phone".to_string(), NOW + 10, true),
                ("tab".to_string(), NOW + 20, false)
            ]
        );
        assert!(waiting(&devices, NOW + 20).is_empty());
        assert_eq!(device_flag("default"), "");
        assert_eq!(device_flag("tab"), " --device tab");
        assert_eq!(device_flag("bob's phone"), r" --device 'bob'\''s phone'");
    }
}
