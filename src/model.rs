//! The domain types shared by the store and the commands, and the validation of the names
//! people type (emails, organisation ids).

use anyhow::Result;
use serde::{Serialize, Serializer};

use crate::clock::{Timestamp, rfc3339};
use crate::exit::usage;
use crate::policy::{self, Credential, Policy, State};

/// An organisation.
#[derive(Debug, Clone)]
pub struct Org {
    pub id: i64,
    pub slug: String,
    pub name: Option<String>,
    pub policy: Policy,
}

/// An organisation with its account counts, for `org list`.
#[derive(Debug, Clone)]
pub struct OrgSummary {
    pub org: Org,
    pub accounts: u64,
    pub enabled: u64,
}

/// An account row with its organisation's policy.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub org: Option<String>,
    pub name: Option<String>,
    pub created_at: Timestamp,
    pub failed_attempts: u32,
    pub locked_until: Option<Timestamp>,
    pub policy: Option<Policy>,
    /// Exempt from the organisation's requirement until then (`user exempt`).
    pub exempt_until: Option<Timestamp>,
    /// Unspent recovery codes: the account row's count (migration 007), whatever the state
    /// of its devices.
    pub codes_left: u32,
}

/// The device that an account's first enrollment gets when none is named, and that the
/// one credential of a database from before devices became.
pub const DEFAULT_DEVICE: &str = "default";
/// The most devices an account may have (SECURITY.md 42).
pub const MAX_DEVICES: usize = 5;
/// The longest device name, in characters.
pub const DEVICE_NAME_MAX: usize = 64;

/// The stored TOTP credential of one device of an account.
#[derive(Debug, Clone)]
pub struct CredentialRow {
    /// The device's name, unique per account.
    pub device: String,
    /// When the enrollment started (creation of the row, or of its re-enrollment once
    /// confirmed): `device list` orders by it.
    pub created_at: Timestamp,
    pub state: Credential,
    pub sealed_secret: Vec<u8>,
    pub enrolled_at: Option<Timestamp>,
    pub last_step: Option<u64>,
    pub last_used_at: Option<Timestamp>,
    /// The device's clock drift in steps (`resync`): verify centres its window on it.
    pub drift_steps: i64,
    /// A re-enrollment waiting for its first code, beside the enabled credential.
    pub replacement: Option<Replacement>,
}

/// The new secret of a re-enrollment: it replaces the enabled one once confirmed.
#[derive(Debug, Clone)]
pub struct Replacement {
    pub sealed_secret: Vec<u8>,
    pub expires_at: Timestamp,
}

/// An account's temporary access code as stored (its Argon2id hash, never the code).
#[derive(Debug, Clone)]
pub struct AccessCodeRow {
    pub hash: String,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

/// What `status` and `audit` read for one account, in one query.
#[derive(Debug, Clone)]
pub struct AccountRecord {
    pub account: Account,
    pub credential: Option<Credential>,
    pub enrolled_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
    /// Unspent recovery codes of an enabled credential; 0 when 2FA is not enabled (codes
    /// only count once enrollment is confirmed, and the stores skip counting them before).
    pub recovery_codes_left: u32,
    /// The account's own deadline (`reset --grace-days`), which replaces its organisation's.
    pub own_deadline: Option<Timestamp>,
    /// The credential's drift in steps (`resync`); 0 without a credential.
    pub drift_steps: i64,
    /// When the account moved into its current organisation (`user move`, `user sync`).
    pub org_joined_at: Option<Timestamp>,
    /// The application's id of the user (`user sync`).
    pub external_id: Option<String>,
    /// When the account's unspent access code expires (the account row's copy); it may
    /// lie in the past.
    pub access_code_expires_at: Option<Timestamp>,
    /// The account's enabled devices (the account row's copy, migration 009).
    pub devices: u32,
}

impl AccountRecord {
    /// Where the organisation's grace period starts for this account: its creation, or
    /// its move into the organisation when that was later.
    pub fn policy_start(&self) -> Timestamp {
        self.org_joined_at
            .map_or(self.account.created_at, |j| j.max(self.account.created_at))
    }
}

/// What `user sync` compares with a row of the application's users.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncAccount {
    pub id: i64,
    pub email: String,
    pub org_id: Option<i64>,
    pub name: Option<String>,
    pub external_id: Option<String>,
}

/// A stored recovery code that shares a look-up prefix with a candidate.
#[derive(Debug, Clone)]
pub struct RecoveryCandidate {
    pub id: i64,
    pub hash: String,
    pub used: bool,
}

fn time<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*t))
}

/// The `status` object and each `audit` row (`--format json`), in their field order.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StatusRow {
    pub email: String,
    pub org: Option<String>,
    pub state: State,
    #[serde(serialize_with = "crate::output::opt_time")]
    pub enrolled_at: Option<Timestamp>,
    #[serde(serialize_with = "crate::output::opt_time")]
    pub last_used_at: Option<Timestamp>,
    pub recovery_codes_left: u32,
    pub locked: bool,
    pub required: bool,
    pub compliant: bool,
    #[serde(serialize_with = "crate::output::opt_time")]
    pub deadline: Option<Timestamp>,
    /// Consecutive failed codes (they survive lock periods; a success, `unlock` or `reset`
    /// clears them).
    pub failed_attempts: u32,
    /// The end of the lock in force; `None` when not locked or locked until `unlock`.
    #[serde(serialize_with = "crate::output::opt_time")]
    pub locked_until: Option<Timestamp>,
    /// When a pending enrollment expires (`null` unless pending).
    #[serde(serialize_with = "crate::output::opt_time")]
    pub pending_expires_at: Option<Timestamp>,
    /// An exemption from the requirement, while it is in force or after (until cleared).
    #[serde(serialize_with = "crate::output::opt_time")]
    pub exempt_until: Option<Timestamp>,
    pub drift_steps: i64,
    pub external_id: Option<String>,
    /// The account's enabled devices.
    pub devices: u32,
    /// When the account's live temporary access code expires (`null` when none is live).
    #[serde(serialize_with = "crate::output::opt_time")]
    pub access_code_expires_at: Option<Timestamp>,
}

impl StatusRow {
    /// A row with nothing but these three facts set: an optional, compliant account
    /// without 2FA details (unit tests build their cases from it).
    #[cfg(test)]
    pub(crate) fn bare(email: &str, org: Option<&str>, state: State) -> Self {
        StatusRow {
            email: email.into(),
            org: org.map(str::to_string),
            state,
            enrolled_at: None,
            last_used_at: None,
            recovery_codes_left: 0,
            locked: false,
            required: false,
            compliant: true,
            deadline: None,
            failed_attempts: 0,
            locked_until: None,
            pending_expires_at: None,
            exempt_until: None,
            drift_steps: 0,
            external_id: None,
            devices: 0,
            access_code_expires_at: None,
        }
    }

    pub fn new(r: AccountRecord, now: Timestamp) -> Self {
        let state = policy::state(r.credential, now);
        let enabled = state == State::Enabled;
        let policy = r.account.policy.as_ref();
        let start = r.policy_start();
        let lock = policy::Lock::at(r.account.locked_until, now);
        let deadline = policy::account_deadline(policy, start, r.own_deadline);
        let pending_expires_at = match r.credential {
            Some(Credential::Pending { expires_at }) if state == State::Pending => Some(expires_at),
            _ => None,
        };
        StatusRow {
            state,
            enrolled_at: r.enrolled_at.filter(|_| enabled),
            last_used_at: r.last_used_at.filter(|_| enabled),
            recovery_codes_left: if enabled { r.recovery_codes_left } else { 0 },
            locked: lock.is_some(),
            required: policy::required(policy, r.account.exempt_until, now),
            compliant: policy::exempt(r.account.exempt_until, now)
                || policy::compliant_by(deadline, state, now),
            deadline,
            failed_attempts: r.account.failed_attempts,
            locked_until: lock.and_then(policy::Lock::until),
            pending_expires_at,
            exempt_until: r.account.exempt_until,
            drift_steps: if state == State::Disabled {
                0
            } else {
                r.drift_steps
            },
            external_id: r.external_id,
            devices: r.devices,
            access_code_expires_at: r.access_code_expires_at.filter(|&t| now < t),
            email: r.account.email,
            org: r.account.org,
        }
    }
}

/// One event-log row: what `log --format json` prints, and what a hook receives.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Event {
    #[serde(serialize_with = "time")]
    pub at: Timestamp,
    pub actor: String,
    pub action: String,
    pub email: Option<String>,
    pub org: Option<String>,
    pub detail: Option<String>,
}

impl Event {
    pub fn new(at: Timestamp, actor: &str, action: &str) -> Self {
        Event {
            at,
            actor: actor.to_string(),
            action: action.to_string(),
            email: None,
            org: None,
            detail: None,
        }
    }

    pub fn account(mut self, account: &Account) -> Self {
        self.email = Some(account.email.clone());
        self.org = account.org.clone();
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// Trims and lower-cases an email, and refuses what cannot be one (exit 2): the rules of
/// [`crate::text::email`].
pub fn normalise_email(input: &str) -> Result<String> {
    crate::text::email(input)
}

/// Checks a device name: the text rules of a name ([`crate::text::label`]: trimmed, no
/// control or format characters), not empty, at most [`DEVICE_NAME_MAX`] characters.
/// Names are compared as they are written (`Phone` and `phone` are two devices).
pub fn device_name(input: &str) -> Result<String> {
    let Some(name) = crate::text::label("device name", input)? else {
        return Err(usage(
            "the device name is empty: name the device (e.g. 'phone', 'backup phone')",
        ));
    };
    let len = name.chars().count();
    if len > DEVICE_NAME_MAX {
        return Err(usage(format!(
            "the device name {} is refused: it has {len} characters, at most {DEVICE_NAME_MAX} are allowed",
            crate::text::quote(&name)
        )));
    }
    Ok(name)
}

/// Trims and lower-cases an organisation id (ids are case-insensitive, as emails are) and
/// checks it: letters, digits, `.`, `_`, `-`, at most 64, starting with a letter or digit.
pub fn normalise_org(input: &str) -> Result<String> {
    let trimmed = input.trim();
    let org = trimmed.to_ascii_lowercase();
    let org = org.as_str();
    let ok = !org.is_empty()
        && org.len() <= 64
        && org
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && org
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if !ok {
        return Err(usage(format!(
            "{} is not an organisation id: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
            crate::text::quote(trimmed)
        )));
    }
    Ok(org.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            normalise_email("  Alice@Example.COM \n").unwrap(),
            "alice@example.com"
        );
        assert_eq!(
            normalise_email("a+tag@example.com").unwrap(),
            "a+tag@example.com"
        );
        for bad in [
            "",
            "alice",
            "@example.com",
            "alice@",
            "a@b@c",
            "a b@c.d",
            "a:b@c.d",
            "a@.c",
            "a@c..d",
        ] {
            assert!(normalise_email(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn org_ids() {
        assert_eq!(normalise_org(" acme ").unwrap(), "acme");
        assert_eq!(
            normalise_org("Acme-EU").unwrap(),
            "acme-eu",
            "case-insensitive"
        );
        assert!(normalise_org("acme-eu.2").is_ok());
        for bad in ["", "-acme", "a b", "Ä", &"a".repeat(65)] {
            assert!(normalise_org(bad).is_err(), "{bad:?}");
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn email_normalisation_never_panics_and_is_idempotent(input in "\\PC{0,80}") {
            if let Ok(email) = normalise_email(&input) {
                prop_assert_eq!(normalise_email(&email).unwrap(), email.clone());
                prop_assert_eq!(email.matches('@').count(), 1);
                prop_assert!(!email.contains(':'));
                prop_assert_eq!(email.to_lowercase(), email);
            }
        }

        #[test]
        fn unicode_and_plus_emails_are_kept(local in "[a-zà-ÿ0-9.+_-]{1,20}", domain in "[a-z0-9]{1,10}\\.[a-z]{2,5}") {
            let email = format!("  {}@{}  ", local.to_uppercase(), domain);
            let got = normalise_email(&email);
            if !local.starts_with(['.', '-']) {
                prop_assert_eq!(got.unwrap(), format!("{}@{}", local.to_uppercase().to_lowercase(), domain));
            }
        }

        #[test]
        fn org_ids_never_panic(input in "\\PC{0,80}") {
            let _ = normalise_org(&input);
        }
    }
}
