//! What a verify attempt decides, as a pure function of what was read: the account's lock,
//! whether it has enabled 2FA, what checking the code found, and `now`. The command reads,
//! calls [`decide`], applies the [`Outcome`] in its transaction and answers.
//!
//! The contract: every attempt while locked gets exit 5 (`locked`), even with the right code; an
//! account without enabled 2FA gets exit 1 (`not_enrolled`); a code whose time step (or
//! recovery code) was used already is `reused`; a wrong code counts towards the lock.

use serde::Serialize;

use crate::clock::Timestamp;
use crate::exit::ExitCode;
use crate::policy;
use crate::totp::Check;

/// How a code was accepted (the `method` of the `verify` object).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Totp,
    Recovery,
    AccessCode,
}

/// Why a code was rejected (the `reason` of the `verify` object).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    WrongCode,
    Reused,
    Locked,
    NotEnrolled,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::WrongCode => "wrong_code",
            Reason::Reused => "reused",
            Reason::Locked => "locked",
            Reason::NotEnrolled => "not_enrolled",
        }
    }

    /// A locked account exits 5; every other rejection exits 1.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Reason::Locked => ExitCode::Locked,
            _ => ExitCode::Rejected,
        }
    }
}

/// What checking the code found, before anything is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// The account has no enabled 2FA (none, or only a pending enrollment).
    NotEnrolled,
    /// A TOTP code, checked against the enabled secret and the last accepted step.
    Totp(Check),
    /// A recovery code: the unspent code it matched, if any.
    Recovery(Option<i64>),
    /// A temporary access code: what the account's one access code says about it.
    AccessCode(AccessMatch),
}

/// A typed access code against the account's stored one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessMatch {
    /// No access code, or it does not match.
    None,
    /// It matches, is unspent and has not expired.
    Live,
    /// It matches and was used before.
    Used,
    /// It matches but has expired.
    Expired,
}

/// What a successful attempt takes, inside the transaction, to be accepted: the time step
/// (newer than the last accepted) or the recovery code (unspent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    Step(u64),
    RecoveryCode(i64),
    /// The account's access code (unspent and unexpired).
    AccessCode,
}

impl Claim {
    pub fn method(self) -> Method {
        match self {
            Claim::Step(_) => Method::Totp,
            Claim::RecoveryCode(_) => Method::Recovery,
            Claim::AccessCode => Method::AccessCode,
        }
    }
}

/// What to record for a rejection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// Count a failed code (locking the account at the limit) and log `verify.rejected`.
    Failure,
    /// Log this event, and change nothing else.
    Event {
        action: &'static str,
        detail: &'static str,
    },
}

/// A rejected attempt: the answer and what to record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rejection {
    pub reason: Reason,
    pub record: Record,
}

/// The decision on an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted once the claim holds in the transaction; if another verify won it
    /// meanwhile, [`lost`] says what the attempt is instead.
    Accept(Claim),
    Reject(Rejection),
}

fn wrong_code() -> Rejection {
    Rejection {
        reason: Reason::WrongCode,
        record: Record::Failure,
    }
}

fn reused(detail: &'static str) -> Rejection {
    Rejection {
        reason: Reason::Reused,
        record: Record::Event {
            action: "verify.reused",
            detail,
        },
    }
}

const STEP_USED: &str = "totp code of an already accepted time step";

/// Decides an attempt on an account locked until `locked_until`, at `now`.
pub fn decide(locked_until: Option<Timestamp>, attempt: Attempt, now: Timestamp) -> Outcome {
    if policy::locked(locked_until, now) {
        return Outcome::Reject(Rejection {
            reason: Reason::Locked,
            record: Record::Event {
                action: "verify.locked",
                detail: "attempt while locked",
            },
        });
    }
    match attempt {
        Attempt::NotEnrolled => Outcome::Reject(Rejection {
            reason: Reason::NotEnrolled,
            record: Record::Event {
                action: "verify.rejected",
                detail: "not_enrolled",
            },
        }),
        Attempt::Totp(Check::Accepted(step)) => Outcome::Accept(Claim::Step(step)),
        Attempt::Totp(Check::Reused) => Outcome::Reject(reused(STEP_USED)),
        Attempt::Totp(Check::Wrong) | Attempt::Recovery(None) => Outcome::Reject(wrong_code()),
        Attempt::Recovery(Some(id)) => Outcome::Accept(Claim::RecoveryCode(id)),
        Attempt::AccessCode(AccessMatch::Live) => Outcome::Accept(Claim::AccessCode),
        Attempt::AccessCode(AccessMatch::Used) => {
            Outcome::Reject(reused("access code already used"))
        }
        Attempt::AccessCode(AccessMatch::None | AccessMatch::Expired) => {
            Outcome::Reject(wrong_code())
        }
    }
}

/// Why a claim did not hold in the transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lost {
    /// Another verify accepted a code of this step, or a later one, meanwhile.
    StepTaken,
    /// Another verify spent this recovery code meanwhile.
    CodeSpent,
    /// The recovery code is gone (a new set replaced it meanwhile).
    CodeGone,
    /// The access code was used, replaced or expired meanwhile.
    AccessCodeTaken,
}

/// The rejection of an attempt whose claim was lost.
pub fn lost(why: Lost) -> Rejection {
    match why {
        Lost::StepTaken => reused(STEP_USED),
        Lost::CodeSpent => reused("recovery code already spent"),
        Lost::CodeGone => wrong_code(),
        Lost::AccessCodeTaken => reused("access code already used"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = 1_800_000_000;

    fn rejected(outcome: Outcome) -> Rejection {
        match outcome {
            Outcome::Reject(r) => r,
            Outcome::Accept(c) => panic!("accepted with {c:?}"),
        }
    }

    #[test]
    fn locked_rejects_every_attempt_even_the_right_code() {
        for attempt in [
            Attempt::Totp(Check::Accepted(60_000_000)),
            Attempt::Recovery(Some(1)),
            Attempt::Totp(Check::Wrong),
            Attempt::NotEnrolled,
        ] {
            let r = rejected(decide(Some(NOW + 1), attempt, NOW));
            assert_eq!(r.reason, Reason::Locked, "{attempt:?}");
            assert_eq!(r.reason.exit_code(), ExitCode::Locked);
            assert_eq!(
                r.record,
                Record::Event {
                    action: "verify.locked",
                    detail: "attempt while locked"
                }
            );
        }
    }

    #[test]
    fn a_lock_ends_at_its_second() {
        let attempt = Attempt::Totp(Check::Accepted(7));
        assert_eq!(
            decide(Some(NOW), attempt, NOW),
            Outcome::Accept(Claim::Step(7))
        );
        assert_eq!(
            decide(Some(NOW - 1), attempt, NOW),
            Outcome::Accept(Claim::Step(7))
        );
        assert_eq!(
            rejected(decide(Some(NOW), attempt, NOW - 1)).reason,
            Reason::Locked
        );
    }

    #[test]
    fn not_enrolled_is_logged_but_not_counted() {
        let r = rejected(decide(None, Attempt::NotEnrolled, NOW));
        assert_eq!(r.reason, Reason::NotEnrolled);
        assert_eq!(r.reason.exit_code(), ExitCode::Rejected);
        assert_eq!(
            r.record,
            Record::Event {
                action: "verify.rejected",
                detail: "not_enrolled"
            }
        );
    }

    #[test]
    fn totp_codes() {
        let step = 60_000_000;
        let accepted = decide(None, Attempt::Totp(Check::Accepted(step)), NOW);
        assert_eq!(accepted, Outcome::Accept(Claim::Step(step)));
        assert_eq!(Claim::Step(step).method(), Method::Totp);

        let r = rejected(decide(None, Attempt::Totp(Check::Reused), NOW));
        assert_eq!(r.reason, Reason::Reused);
        assert_eq!(r.reason.exit_code(), ExitCode::Rejected);
        assert!(matches!(
            r.record,
            Record::Event {
                action: "verify.reused",
                ..
            }
        ));

        assert_eq!(
            rejected(decide(None, Attempt::Totp(Check::Wrong), NOW)),
            Rejection {
                reason: Reason::WrongCode,
                record: Record::Failure
            }
        );
    }

    #[test]
    fn recovery_codes() {
        assert_eq!(
            decide(None, Attempt::Recovery(Some(42)), NOW),
            Outcome::Accept(Claim::RecoveryCode(42))
        );
        assert_eq!(Claim::RecoveryCode(42).method(), Method::Recovery);
        assert_eq!(
            rejected(decide(None, Attempt::Recovery(None), NOW)),
            Rejection {
                reason: Reason::WrongCode,
                record: Record::Failure
            }
        );
    }

    #[test]
    fn access_codes_once_and_not_after_expiry() {
        assert_eq!(
            decide(None, Attempt::AccessCode(AccessMatch::Live), NOW),
            Outcome::Accept(Claim::AccessCode)
        );
        assert_eq!(Claim::AccessCode.method(), Method::AccessCode);
        let used = rejected(decide(None, Attempt::AccessCode(AccessMatch::Used), NOW));
        assert_eq!(used.reason, Reason::Reused);
        for m in [AccessMatch::None, AccessMatch::Expired] {
            assert_eq!(
                rejected(decide(None, Attempt::AccessCode(m), NOW)),
                wrong_code(),
                "{m:?} counts as a failure"
            );
        }
        let locked = decide(Some(NOW + 1), Attempt::AccessCode(AccessMatch::Live), NOW);
        assert_eq!(rejected(locked).reason, Reason::Locked);
        assert_eq!(
            serde_json::to_string(&Method::AccessCode).unwrap(),
            "\"access_code\""
        );
    }

    #[test]
    fn lost_claims() {
        assert_eq!(lost(Lost::StepTaken).reason, Reason::Reused);
        assert_eq!(
            lost(Lost::CodeSpent),
            Rejection {
                reason: Reason::Reused,
                record: Record::Event {
                    action: "verify.reused",
                    detail: "recovery code already spent"
                }
            }
        );
        assert_eq!(
            lost(Lost::CodeGone),
            Rejection {
                reason: Reason::WrongCode,
                record: Record::Failure
            }
        );
    }

    #[test]
    fn json_names_are_those_of_cli_md() {
        fn json<T: Serialize>(v: &T) -> String {
            serde_json::to_string(v).unwrap()
        }
        assert_eq!(json(&Method::Totp), "\"totp\"");
        assert_eq!(json(&Method::Recovery), "\"recovery\"");
        for reason in [
            Reason::WrongCode,
            Reason::Reused,
            Reason::Locked,
            Reason::NotEnrolled,
        ] {
            assert_eq!(json(&reason), format!("\"{}\"", reason.as_str()));
        }
        assert_eq!(json(&Reason::WrongCode), "\"wrong_code\"");
        assert_eq!(json(&Reason::NotEnrolled), "\"not_enrolled\"");
    }
}
