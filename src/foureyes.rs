//! The four-eyes rule (SECURITY.md 41), as pure decisions: which actions need approval and
//! how many approvals ([`needed`], [`relaxing`]), whether an identity may approve or deny
//! a request at a moment ([`may_decide`]), who the operator is ([`identity`]), and the
//! request itself ([`Request`], with the [`Action`] it runs once approved).
//!
//! Nothing here reads the clock, the database or the environment: the commands pass the
//! time, the stored request and the login facts in.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;

/// How long a request waits for its approvals.
pub const REQUEST_TTL: i64 = 24 * 3600;

/// The most approvals an organisation may require.
pub const MAX_APPROVALS: u8 = 3;

/// What a request runs once approved, with the arguments the command was given (times
/// already absolute, text already checked by the text rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Action {
    /// `reset EMAIL --reason TEXT [--grace-days N]`.
    Reset {
        email: String,
        reason: String,
        grace_days: Option<u32>,
    },
    /// `access-code EMAIL --reason TEXT --ttl DURATION` (the code is drawn when it runs).
    AccessCode {
        email: String,
        reason: String,
        ttl: i64,
    },
    /// `user exempt EMAIL --until TIME --reason TEXT`.
    Exempt {
        email: String,
        until: Timestamp,
        reason: String,
    },
    /// `org policy ORG …` that lowers the approvals or makes 2FA optional.
    Policy {
        org: String,
        required: bool,
        grace_days: u32,
        since: Option<Timestamp>,
        approvals: u8,
    },
    /// `user protect EMAIL --clear`.
    Unprotect {
        email: String,
        reason: Option<String>,
    },
}

impl Action {
    /// The name requests show (`requests`' `action`): the event the action writes.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Reset { .. } => "reset",
            Action::AccessCode { .. } => "access-code",
            Action::Exempt { .. } => "user.exempt",
            Action::Policy { .. } => "policy",
            Action::Unprotect { .. } => "user.protect.clear",
        }
    }

    /// The account it acts on, if any.
    pub fn email(&self) -> Option<&str> {
        match self {
            Action::Reset { email, .. }
            | Action::AccessCode { email, .. }
            | Action::Exempt { email, .. }
            | Action::Unprotect { email, .. } => Some(email),
            Action::Policy { .. } => None,
        }
    }

    /// The reason given with the command.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Action::Reset { reason, .. }
            | Action::AccessCode { reason, .. }
            | Action::Exempt { reason, .. } => Some(reason),
            Action::Unprotect { reason, .. } => reason.as_deref(),
            Action::Policy { .. } => None,
        }
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestState {
    Pending,
    Approved,
    Denied,
    Expired,
}

impl RequestState {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Pending => "pending",
            RequestState::Approved => "approved",
            RequestState::Denied => "denied",
            RequestState::Expired => "expired",
        }
    }

    /// The state stored as text; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        [
            RequestState::Pending,
            RequestState::Approved,
            RequestState::Denied,
            RequestState::Expired,
        ]
        .into_iter()
        .find(|state| state.as_str() == s)
    }
}

/// One approval of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub by: String,
    pub at: Timestamp,
    /// The database role it was given under, where the server has roles.
    pub role: Option<String>,
}

/// A stored request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub id: i64,
    /// [`Action::name`], as stored.
    pub action_name: String,
    pub email: Option<String>,
    pub org: Option<String>,
    /// The [`Action`] as JSON.
    pub args: String,
    pub reason: Option<String>,
    pub needed: u8,
    pub requested_by: String,
    pub requested_role: Option<String>,
    pub requested_at: Timestamp,
    pub expires_at: Timestamp,
    /// The state as stored: a pending request past its expiry is [`Request::state_at`]
    /// expired.
    pub state: RequestState,
    pub approvals: Vec<Approval>,
}

impl Request {
    /// The state at `now`: a pending request expires at its `expires_at`.
    pub fn state_at(&self, now: Timestamp) -> RequestState {
        match self.state {
            RequestState::Pending if now >= self.expires_at => RequestState::Expired,
            state => state,
        }
    }
}

/// The approvals an action on an account needs: its organisation's, and at least one when
/// the account is protected.
pub fn needed(org_approvals: u8, protected: bool) -> u8 {
    org_approvals.max(u8::from(protected)).min(MAX_APPROVALS)
}

/// The approvals a policy change needs: the approvals in force, when the change lowers them
/// or makes a required policy optional; else none.
pub fn relaxing(
    old_approvals: u8,
    new_approvals: u8,
    old_required: bool,
    new_required: bool,
) -> u8 {
    let relaxes = new_approvals < old_approvals || (old_required && !new_required);
    if relaxes { old_approvals } else { 0 }
}

/// Why an identity may not approve or deny a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The request is no longer pending (approved, denied, or expired at `now`).
    Closed(RequestState),
    /// One's own request.
    OwnRequest,
    /// Approved by this identity already.
    ApprovedAlready,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Closed(state) => write!(f, "it is {}", state.as_str()),
            Refusal::OwnRequest => {
                f.write_str("it is your own request: another operator must approve it")
            }
            Refusal::ApprovedAlready => {
                f.write_str("you approved it already: another operator must give the next approval")
            }
        }
    }
}

/// What an approval does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// More approvals are needed after this one: how many.
    Waits(u8),
    /// This is the last approval needed: the action runs.
    Runs,
}

/// Whether `who` may approve (`approve`: true) or deny `request` at `now`, and what an
/// approval does. The requester may deny (withdraw) their own request, never approve it.
pub fn may_decide(
    request: &Request,
    who: &str,
    approve: bool,
    now: Timestamp,
) -> Result<Outcome, Refusal> {
    let state = request.state_at(now);
    if state != RequestState::Pending {
        return Err(Refusal::Closed(state));
    }
    if !approve {
        return Ok(Outcome::Waits(0));
    }
    if request.requested_by == who {
        return Err(Refusal::OwnRequest);
    }
    if request.approvals.iter().any(|a| a.by == who) {
        return Err(Refusal::ApprovedAlready);
    }
    let given = request.approvals.len() + 1;
    match usize::from(request.needed).checked_sub(given) {
        Some(left) if left > 0 => Ok(Outcome::Waits(left as u8)),
        _ => Ok(Outcome::Runs),
    }
}

/// The facts of the login that [`identity`] decides from.
#[derive(Debug, Clone, Default)]
pub struct Login {
    /// The effective and the real user id.
    pub euid: u32,
    pub uid: u32,
    /// `$SUDO_USER` and `$SUDO_UID`, as set.
    pub sudo_user: Option<String>,
    pub sudo_uid: Option<u32>,
    /// The name of the real user id.
    pub user_name: String,
}

/// Who the operator is: `$SUDO_USER` when running as root, or as another user than the one
/// who ran sudo (`sudo -u twofa`); else the name of the process's real user. Never
/// `--actor` or `TWOFA_ACTOR`, which any caller sets.
pub fn identity(login: &Login) -> String {
    let sudo = login
        .sudo_user
        .as_deref()
        .filter(|u| !u.is_empty() && *u != "root");
    let switched = login.sudo_uid.is_some_and(|uid| uid != login.uid);
    match sudo {
        Some(user) if login.euid == 0 || switched => user.to_string(),
        _ => login.user_name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = 1_800_000_000;

    fn request(needed: u8, approvals: &[&str]) -> Request {
        Request {
            id: 1,
            action_name: "reset".into(),
            email: Some("a@example.com".into()),
            org: None,
            args: String::new(),
            reason: None,
            needed,
            requested_by: "alice".into(),
            requested_role: None,
            requested_at: NOW - 60,
            expires_at: NOW - 60 + REQUEST_TTL,
            state: RequestState::Pending,
            approvals: approvals
                .iter()
                .map(|by| Approval {
                    by: by.to_string(),
                    at: NOW - 30,
                    role: None,
                })
                .collect(),
        }
    }

    #[test]
    fn a_protected_account_needs_one_approval_at_least() {
        assert_eq!(needed(0, false), 0);
        assert_eq!(needed(0, true), 1);
        assert_eq!(needed(2, true), 2);
        assert_eq!(needed(3, false), 3);
        assert_eq!(needed(9, false), MAX_APPROVALS);
    }

    #[test]
    fn lowering_the_approvals_or_making_2fa_optional_needs_the_approvals_in_force() {
        assert_eq!(relaxing(2, 1, true, true), 2);
        assert_eq!(relaxing(2, 2, true, false), 2);
        assert_eq!(relaxing(1, 3, true, true), 0);
        assert_eq!(relaxing(0, 0, true, false), 0);
        assert_eq!(relaxing(2, 2, false, true), 0);
        assert_eq!(relaxing(2, 2, false, false), 0);
    }

    #[test]
    fn the_last_approval_runs_the_action() {
        assert_eq!(
            may_decide(&request(1, &[]), "bob", true, NOW),
            Ok(Outcome::Runs)
        );
        assert_eq!(
            may_decide(&request(2, &[]), "bob", true, NOW),
            Ok(Outcome::Waits(1))
        );
        assert_eq!(
            may_decide(&request(2, &["bob"]), "carol", true, NOW),
            Ok(Outcome::Runs)
        );
    }

    #[test]
    fn no_one_approves_their_own_request_or_twice() {
        assert_eq!(
            may_decide(&request(1, &[]), "alice", true, NOW),
            Err(Refusal::OwnRequest)
        );
        assert_eq!(
            may_decide(&request(2, &["bob"]), "bob", true, NOW),
            Err(Refusal::ApprovedAlready)
        );
        // The requester may withdraw (deny) their own request.
        assert!(may_decide(&request(1, &[]), "alice", false, NOW).is_ok());
    }

    #[test]
    fn a_request_expires_after_24_hours_and_a_closed_one_is_refused() {
        let r = request(1, &[]);
        let end = r.expires_at;
        assert_eq!(may_decide(&r, "bob", true, end - 1), Ok(Outcome::Runs));
        assert_eq!(
            may_decide(&r, "bob", true, end),
            Err(Refusal::Closed(RequestState::Expired))
        );
        assert_eq!(
            may_decide(&r, "bob", false, end),
            Err(Refusal::Closed(RequestState::Expired))
        );
        let mut denied = request(1, &[]);
        denied.state = RequestState::Denied;
        assert_eq!(
            may_decide(&denied, "bob", true, NOW),
            Err(Refusal::Closed(RequestState::Denied))
        );
        let mut approved = request(1, &[]);
        approved.state = RequestState::Approved;
        assert_eq!(approved.state_at(end + 1), RequestState::Approved);
    }

    fn login(euid: u32, uid: u32, sudo: Option<(&str, u32)>) -> Login {
        Login {
            euid,
            uid,
            sudo_user: sudo.map(|(u, _)| u.to_string()),
            sudo_uid: sudo.map(|(_, id)| id),
            user_name: "svc".to_string(),
        }
    }

    #[test]
    fn the_identity_is_sudo_user_under_sudo_else_the_process_user() {
        // sudo to root, or sudo -u to a service user: whoever ran sudo.
        assert_eq!(identity(&login(0, 0, Some(("alice", 1000)))), "alice");
        assert_eq!(identity(&login(990, 990, Some(("bob", 1001)))), "bob");
        // A user who sets SUDO_USER in their own shell is still themselves.
        assert_eq!(identity(&login(990, 990, Some(("bob", 990)))), "svc");
        let mut plain = login(990, 990, None);
        plain.sudo_user = Some("mallory".into());
        assert_eq!(identity(&plain), "svc");
        // No sudo: the process's user.
        assert_eq!(identity(&login(990, 990, None)), "svc");
        assert_eq!(identity(&login(0, 0, Some(("", 0)))), "svc");
    }

    #[test]
    fn an_action_survives_its_json() {
        let a = Action::Exempt {
            email: "a@example.com".into(),
            until: NOW,
            reason: "leave".into(),
        };
        let json = serde_json::to_string(&a).unwrap();
        assert!(json.contains("\"action\":\"exempt\""), "{json}");
        assert_eq!(serde_json::from_str::<Action>(&json).unwrap(), a);
        assert_eq!(a.name(), "user.exempt");
    }
}
