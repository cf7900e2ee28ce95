//! Organisation 2FA policy: who is required, by when, and who is compliant.
//!
//! Pure functions of (policy, account, now), so the rules are unit-tested with a fixed
//! clock. An account is required when its organisation requires 2FA; its deadline
//! is the later of the moment the policy was set and the account's creation, plus the grace
//! days; it is non-compliant when required, without 2FA enabled, and past its deadline
//! (from the deadline's second on). A pending enrollment does not count as enabled.

use serde::Serialize;

use crate::clock::Timestamp;

pub const DAY: i64 = 86_400;

/// An organisation's policy as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Policy {
    pub required: bool,
    pub grace_days: u32,
    /// When 2FA was made mandatory.
    pub since: Option<Timestamp>,
}

/// An account's 2FA state as people and scripts see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Enabled,
    Pending,
    Disabled,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Enabled => "enabled",
            State::Pending => "pending",
            State::Disabled => "disabled",
        }
    }
}

/// The credential as stored: pending until confirmed, with an expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    Pending { expires_at: Timestamp },
    Enabled,
}

/// Whether a pending enrollment that expires at `expires_at` has expired at `now` (from
/// that second on it is gone: never confirmed, never shown as pending).
pub fn pending_expired(expires_at: Timestamp, now: Timestamp) -> bool {
    now >= expires_at
}

/// The state shown for a stored credential (an expired pending enrollment is gone).
pub fn state(credential: Option<Credential>, now: Timestamp) -> State {
    match credential {
        Some(Credential::Enabled) => State::Enabled,
        Some(Credential::Pending { expires_at }) if !pending_expired(expires_at, now) => {
            State::Pending
        }
        _ => State::Disabled,
    }
}

/// When the account must have 2FA enabled, if its organisation requires it.
pub fn deadline(policy: Option<&Policy>, account_created: Timestamp) -> Option<Timestamp> {
    let p = policy.filter(|p| p.required)?;
    let start = p.since.unwrap_or(account_created).max(account_created);
    Some(start.saturating_add(i64::from(p.grace_days).saturating_mul(DAY)))
}

/// The account's effective deadline: its own (`reset --grace-days`) where it has one and
/// its organisation requires 2FA, else the organisation's.
pub fn account_deadline(
    policy: Option<&Policy>,
    account_created: Timestamp,
    own: Option<Timestamp>,
) -> Option<Timestamp> {
    let org = deadline(policy, account_created)?;
    Some(own.unwrap_or(org))
}

/// The policy `org policy --require` sets over `current`: 2FA required, with `grace_days`
/// when given, else the grace period in force (0 for a policy that was optional); a policy
/// that is running keeps its start, so that only the grace period moves the deadlines.
pub fn required_policy(current: &Policy, grace_days: Option<u32>, now: Timestamp) -> Policy {
    let running = current.required;
    Policy {
        required: true,
        grace_days: grace_days.unwrap_or(if running { current.grace_days } else { 0 }),
        since: Some(current.since.filter(|_| running).unwrap_or(now)),
    }
}

/// The own deadline `reset --grace-days N` gives an account whose effective deadline is
/// `current` (`None`: none): the later of it and `now` + N days, so a reset never shortens
/// the time an account has to enroll.
pub fn reset_deadline(current: Option<Timestamp>, grace_days: u32, now: Timestamp) -> Timestamp {
    let granted = now.saturating_add(i64::from(grace_days).saturating_mul(DAY));
    current.map_or(granted, |c| c.max(granted))
}

/// Whether an account with this effective deadline (`None`: not required) complies at `now`.
pub fn compliant_by(deadline: Option<Timestamp>, state: State, now: Timestamp) -> bool {
    match deadline {
        None => true,
        Some(_) if state == State::Enabled => true,
        Some(deadline) => now < deadline,
    }
}

/// Whether the account meets its organisation's policy at `now`.
pub fn compliant(
    policy: Option<&Policy>,
    account_created: Timestamp,
    state: State,
    now: Timestamp,
) -> bool {
    match deadline(policy, account_created) {
        None => true,
        Some(_) if state == State::Enabled => true,
        Some(deadline) => now < deadline,
    }
}

/// The longest exemption from a policy, in days (`user exempt`).
pub const MAX_EXEMPT_DAYS: i64 = 365;

/// Whether an exemption that runs until `exempt_until` is in force at `now` (until its
/// second; from then on the account is required again by itself).
pub fn exempt(exempt_until: Option<Timestamp>, now: Timestamp) -> bool {
    exempt_until.is_some_and(|until| now < until)
}

/// Whether the account must have 2FA at `now`: its organisation requires it and no
/// exemption is in force.
pub fn required(policy: Option<&Policy>, exempt_until: Option<Timestamp>, now: Timestamp) -> bool {
    policy.is_some_and(|p| p.required) && !exempt(exempt_until, now)
}

/// Whether the account meets its organisation's policy at `now`, an exemption in force
/// counting as meeting it.
pub fn complies(
    policy: Option<&Policy>,
    account_created: Timestamp,
    exempt_until: Option<Timestamp>,
    state: State,
    now: Timestamp,
) -> bool {
    exempt(exempt_until, now) || compliant(policy, account_created, state, now)
}

/// Whether an exemption until `until`, asked for at `now`, is allowed: in the future and
/// at most [`MAX_EXEMPT_DAYS`] away. `Err` says why not.
pub fn check_exemption(until: Timestamp, now: Timestamp) -> Result<(), &'static str> {
    if until <= now {
        return Err("it is not in the future");
    }
    if until - now > MAX_EXEMPT_DAYS * DAY {
        return Err("an exemption lasts at most 365 days");
    }
    Ok(())
}

/// Whole days left until `deadline` at `now`, rounded down (negative once it has passed).
pub fn days_left(deadline: Timestamp, now: Timestamp) -> i64 {
    (deadline - now).div_euclid(DAY)
}

/// The reminder thresholds (in days before the deadline) reached at `now`: those with the
/// deadline still ahead and at most that many days away. Ascending.
pub fn thresholds_reached(thresholds: &[u32], deadline: Timestamp, now: Timestamp) -> Vec<u32> {
    if now >= deadline {
        return Vec::new();
    }
    let mut reached: Vec<u32> = thresholds
        .iter()
        .copied()
        .filter(|&t| deadline - now <= i64::from(t) * DAY)
        .collect();
    reached.sort_unstable();
    reached.dedup();
    reached
}

/// The reminder due at `now` for a deadline, given the thresholds already sent for that
/// deadline: the smallest threshold reached, unless a reminder at that threshold or a
/// smaller one (as urgent or more) went out already. When several thresholds are reached
/// at once only the smallest is sent; [`thresholds_reached`] are then all recorded as
/// sent, so the larger ones never follow.
pub fn reminder_due(
    thresholds: &[u32],
    sent: &[u32],
    deadline: Timestamp,
    now: Timestamp,
) -> Option<u32> {
    let smallest = *thresholds_reached(thresholds, deadline, now).first()?;
    (!sent.iter().any(|&s| s <= smallest)).then_some(smallest)
}

/// Consecutive failed codes that lock an account (SECURITY.md 6); every further this many
/// lock it again.
pub const MAX_FAILURES: u32 = 5;
/// How long a lock lasts.
pub const LOCK_SECONDS: i64 = 15 * 60;
/// Consecutive failed codes after which the account stays locked until `unlock` or `reset`
/// (NIST SP 800-63B §5.2.2 allows at most 100).
pub const LOCK_UNTIL_UNLOCK_AT: u32 = 100;
/// The stored `locked_until` of a lock that only `unlock` or `reset` ends: later than any
/// clock, so that every check of the form `now < locked_until` sees it as locked.
pub const UNTIL_UNLOCK: Timestamp = Timestamp::MAX;

/// A lock that a failed code set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// Until this moment (a lock period).
    Until(Timestamp),
    /// Until `unlock` or `reset`.
    UntilUnlock,
}

impl Lock {
    /// The lock as stored in `locked_until`.
    pub fn stored(self) -> Timestamp {
        match self {
            Lock::Until(t) => t,
            Lock::UntilUnlock => UNTIL_UNLOCK,
        }
    }

    /// The lock of a stored `locked_until`, if it holds at `now`.
    pub fn at(locked_until: Option<Timestamp>, now: Timestamp) -> Option<Lock> {
        match locked_until {
            Some(UNTIL_UNLOCK) => Some(Lock::UntilUnlock),
            Some(t) if now < t => Some(Lock::Until(t)),
            _ => None,
        }
    }

    /// The end of a timed lock; `None` for a lock until `unlock` (`status`' `locked_until`).
    pub fn until(self) -> Option<Timestamp> {
        match self {
            Lock::Until(t) => Some(t),
            Lock::UntilUnlock => None,
        }
    }
}

/// The failure count and lock after one more failed code, counted while the account is not
/// locked. Consecutive failures keep counting across lock periods (only a success, `unlock`
/// or `reset` clears them): the 5th, 10th, 15th … lock for [`LOCK_SECONDS`], and the 100th
/// locks until `unlock` or `reset`.
pub fn after_failure(failed: u32, now: Timestamp) -> (u32, Option<Lock>) {
    let count = failed.saturating_add(1);
    let lock = if count >= LOCK_UNTIL_UNLOCK_AT {
        Some(Lock::UntilUnlock)
    } else if count.is_multiple_of(MAX_FAILURES) {
        Some(Lock::Until(now.saturating_add(LOCK_SECONDS)))
    } else {
        None
    };
    (count, lock)
}

/// Whether the account is locked at `now`.
pub fn locked(locked_until: Option<Timestamp>, now: Timestamp) -> bool {
    Lock::at(locked_until, now).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Timestamp = 1_800_000_000;

    fn required(grace_days: u32, since: Timestamp) -> Policy {
        Policy {
            required: true,
            grace_days,
            since: Some(since),
        }
    }

    #[test]
    fn require_again_keeps_the_grace_period_and_the_start_unless_given() {
        let now = 2_000_000_000;
        let running = required(14, 1_000);
        assert_eq!(required_policy(&running, None, now), running);
        assert_eq!(
            required_policy(&running, Some(3), now),
            Policy {
                grace_days: 3,
                ..running
            }
        );
        let optional = Policy::default();
        assert_eq!(required_policy(&optional, None, now), required(0, now));
        assert_eq!(required_policy(&optional, Some(7), now), required(7, now));
        // A policy made optional again forgets its grace period and its start.
        let lifted = Policy {
            required: false,
            grace_days: 30,
            since: Some(1_000),
        };
        assert_eq!(required_policy(&lifted, None, now), required(0, now));
    }

    #[test]
    fn a_reset_deadline_is_never_shorter_than_the_one_in_force() {
        let now = 2_000_000_000;
        assert_eq!(reset_deadline(None, 3, now), now + 3 * DAY);
        assert_eq!(reset_deadline(Some(now - DAY), 3, now), now + 3 * DAY);
        assert_eq!(reset_deadline(Some(now + 11 * DAY), 3, now), now + 11 * DAY);
        assert_eq!(reset_deadline(Some(now + 3 * DAY), 3, now), now + 3 * DAY);
        assert_eq!(reset_deadline(Some(now), 0, now), now);
        assert_eq!(
            reset_deadline(None, u32::MAX, Timestamp::MAX - 1),
            Timestamp::MAX
        );
    }

    #[test]
    fn optional_policy_has_no_deadline_and_everyone_complies() {
        let p = Policy::default();
        assert_eq!(deadline(Some(&p), T0), None);
        assert_eq!(deadline(None, T0), None);
        assert!(compliant(Some(&p), T0, State::Disabled, T0 + 100 * DAY));
        assert!(compliant(None, T0, State::Disabled, T0));
    }

    #[test]
    fn grace_period_boundaries() {
        let p = required(7, T0);
        let d = T0 + 7 * DAY;
        assert_eq!(
            deadline(Some(&p), T0 - 30 * DAY),
            Some(d),
            "older account: from the policy"
        );
        assert!(
            compliant(Some(&p), T0 - DAY, State::Disabled, d - 1),
            "one second before"
        );
        assert!(
            !compliant(Some(&p), T0 - DAY, State::Disabled, d),
            "at the deadline"
        );
        assert!(
            !compliant(Some(&p), T0 - DAY, State::Pending, d + 1),
            "pending is not enabled"
        );
        assert!(compliant(Some(&p), T0 - DAY, State::Enabled, d + 100 * DAY));
    }

    #[test]
    fn newer_accounts_get_their_own_grace() {
        let p = required(3, T0);
        let created = T0 + 10 * DAY;
        assert_eq!(deadline(Some(&p), created), Some(created + 3 * DAY));
        assert!(compliant(
            Some(&p),
            created,
            State::Disabled,
            created + 3 * DAY - 1
        ));
        assert!(!compliant(
            Some(&p),
            created,
            State::Disabled,
            created + 3 * DAY
        ));
    }

    #[test]
    fn zero_grace_means_now() {
        let p = required(0, T0);
        assert!(!compliant(Some(&p), T0 - 5, State::Disabled, T0));
        assert!(compliant(Some(&p), T0 - 5, State::Disabled, T0 - 1));
    }

    #[test]
    fn an_own_deadline_replaces_the_organisations() {
        let p = required(0, T0);
        let own = T0 + 3 * DAY;
        assert_eq!(account_deadline(Some(&p), T0 - DAY, None), Some(T0));
        assert_eq!(account_deadline(Some(&p), T0 - DAY, Some(own)), Some(own));
        assert_eq!(
            account_deadline(Some(&Policy::default()), T0, Some(own)),
            None,
            "not required: no deadline at all"
        );
        let d = account_deadline(Some(&p), T0 - DAY, Some(own));
        assert!(compliant_by(d, State::Disabled, own - 1));
        assert!(!compliant_by(d, State::Disabled, own));
        assert!(compliant_by(d, State::Enabled, own + DAY));
        assert!(compliant_by(None, State::Disabled, own));
    }

    #[test]
    fn pending_expires() {
        let c = Some(Credential::Pending { expires_at: T0 });
        assert_eq!(state(c, T0 - 1), State::Pending);
        assert_eq!(state(c, T0), State::Disabled);
        assert_eq!(state(Some(Credential::Enabled), T0), State::Enabled);
        assert_eq!(state(None, T0), State::Disabled);
        assert!(!pending_expired(T0, T0 - 1));
        assert!(pending_expired(T0, T0));
    }

    /// Walks failures the way `verify` counts them: only while not locked, so each
    /// failure comes at a moment after the lock before it has run out.
    fn walk(failures: u32) -> Vec<(u32, Option<Lock>, Timestamp)> {
        let (mut failed, mut now, mut out) = (0, T0, Vec::new());
        let mut until: Option<Timestamp> = None;
        for _ in 0..failures {
            assert!(!locked(until, now), "counted while locked");
            let (count, lock) = after_failure(failed, now);
            out.push((count, lock, now));
            failed = count;
            until = lock.map(Lock::stored);
            now = match lock {
                Some(Lock::Until(t)) => t,
                _ => now + 1,
            };
        }
        out
    }

    #[test]
    fn fifth_failure_locks_for_fifteen_minutes() {
        let steps = walk(5);
        for (i, (count, lock, _)) in steps.iter().take(4).enumerate() {
            assert_eq!((*count, *lock), (i as u32 + 1, None));
        }
        let (count, lock, at) = steps[4];
        assert_eq!((count, lock), (5, Some(Lock::Until(at + 900))));
        let stored = lock.map(Lock::stored);
        assert!(locked(stored, at + 899));
        assert!(!locked(stored, at + 900));
    }

    #[test]
    fn failures_keep_counting_across_lock_periods() {
        // The lock ran out: the count goes on from 5, and the 10th locks again.
        let t = T0 + 900;
        assert_eq!(after_failure(5, t), (6, None));
        assert_eq!(after_failure(8, t), (9, None));
        assert_eq!(after_failure(9, t), (10, Some(Lock::Until(t + 900))));
        assert_eq!(after_failure(14, t), (15, Some(Lock::Until(t + 900))));
        let steps = walk(100);
        let locks: Vec<u32> = steps
            .iter()
            .filter(|(_, lock, _)| lock.is_some())
            .map(|(count, _, _)| *count)
            .collect();
        assert_eq!(locks, (1..=20).map(|n| n * 5).collect::<Vec<_>>());
        assert_eq!(steps[94].1, Some(Lock::Until(steps[94].2 + 900)), "95th");
    }

    #[test]
    fn the_hundredth_failure_locks_until_unlock() {
        assert_eq!(after_failure(98, T0), (99, None));
        assert_eq!(after_failure(99, T0), (100, Some(Lock::UntilUnlock)));
        assert_eq!(after_failure(100, T0), (101, Some(Lock::UntilUnlock)));
        assert_eq!(after_failure(u32::MAX, T0).1, Some(Lock::UntilUnlock));
        let stored = Some(Lock::UntilUnlock.stored());
        for later in [T0, T0 + 900, T0 + 100 * 365 * DAY, i64::MAX - 1] {
            assert!(locked(stored, later), "{later}");
            assert_eq!(Lock::at(stored, later), Some(Lock::UntilUnlock));
        }
        assert_eq!(Lock::UntilUnlock.until(), None, "null in status");
        assert_eq!(Lock::Until(T0).until(), Some(T0));
    }

    #[test]
    fn a_lock_is_shown_only_while_it_holds() {
        assert_eq!(Lock::at(Some(T0), T0 - 1), Some(Lock::Until(T0)));
        assert_eq!(Lock::at(Some(T0), T0), None);
        assert_eq!(Lock::at(None, T0), None);
    }

    #[test]
    fn an_exemption_ends_by_itself() {
        let p = required(7, T0);
        let until = T0 + 30 * DAY;
        assert!(exempt(Some(until), T0));
        assert!(exempt(Some(until), until - 1));
        assert!(!exempt(Some(until), until), "from its second on");
        assert!(!exempt(None, T0));
        assert!(!super::required(Some(&p), Some(until), until - 1));
        assert!(super::required(Some(&p), Some(until), until));
        assert!(super::required(Some(&p), None, T0));
        assert!(
            !super::required(Some(&Policy::default()), None, T0),
            "optional policy"
        );
        assert!(!super::required(None, None, T0), "no organisation");
        assert!(
            super::required(Some(&p), Some(T0 - 1), T0),
            "an exemption in the past"
        );
        let late = T0 + 10 * DAY;
        assert!(complies(Some(&p), T0, Some(until), State::Disabled, late));
        assert!(!complies(Some(&p), T0, Some(until), State::Disabled, until));
        assert!(!complies(Some(&p), T0, None, State::Disabled, late));
        assert!(complies(Some(&p), T0, None, State::Enabled, late));
    }

    #[test]
    fn exemptions_are_in_the_future_and_at_most_a_year() {
        assert_eq!(check_exemption(T0 + DAY, T0), Ok(()));
        assert_eq!(check_exemption(T0 + 365 * DAY, T0), Ok(()));
        assert!(check_exemption(T0 + 365 * DAY + 1, T0).is_err());
        assert!(check_exemption(T0 + 400 * DAY, T0).is_err());
        assert!(check_exemption(T0, T0).is_err());
        assert!(check_exemption(T0 - DAY, T0).is_err());
    }

    #[test]
    fn days_left_rounds_down() {
        let d = T0 + 10 * DAY;
        assert_eq!(days_left(d, T0), 10);
        assert_eq!(days_left(d, T0 + 1), 9);
        assert_eq!(days_left(d, T0 + 4 * DAY), 6);
        assert_eq!(days_left(d, d - DAY / 2), 0);
        assert_eq!(days_left(d, d - 1), 0);
        assert_eq!(days_left(d, d + 1), -1);
    }

    #[test]
    fn thresholds_are_reached_within_their_days_while_the_deadline_is_ahead() {
        let d = T0 + 10 * DAY;
        let t = [7, 1];
        assert_eq!(thresholds_reached(&t, d, T0), Vec::<u32>::new(), "day 0");
        assert_eq!(
            thresholds_reached(&t, d, d - 7 * DAY - 1),
            Vec::<u32>::new()
        );
        assert_eq!(
            thresholds_reached(&t, d, d - 7 * DAY),
            vec![7],
            "7 days before"
        );
        assert_eq!(thresholds_reached(&t, d, T0 + 4 * DAY), vec![7], "day 4");
        assert_eq!(
            thresholds_reached(&t, d, d - DAY),
            vec![1, 7],
            "1 day before"
        );
        assert_eq!(thresholds_reached(&t, d, d - 1), vec![1, 7]);
        assert_eq!(
            thresholds_reached(&t, d, d),
            Vec::<u32>::new(),
            "at the deadline"
        );
        assert_eq!(
            thresholds_reached(&t, d, d + DAY),
            Vec::<u32>::new(),
            "after it"
        );
        assert_eq!(thresholds_reached(&[3, 3, 7], d, d - DAY), vec![3, 7]);
    }

    #[test]
    fn a_reminder_is_due_once_per_threshold_and_only_the_smallest() {
        let d = T0 + 10 * DAY;
        let t = [7, 1];
        assert_eq!(reminder_due(&t, &[], d, T0), None, "day 0");
        assert_eq!(reminder_due(&t, &[], d, T0 + 4 * DAY), Some(7), "day 4");
        assert_eq!(
            reminder_due(&t, &[7], d, T0 + 4 * DAY + 3600),
            None,
            "an hour later"
        );
        let day_9_5 = T0 + 9 * DAY + DAY / 2;
        assert_eq!(reminder_due(&t, &[7], d, day_9_5), Some(1), "day 9.5");
        assert_eq!(reminder_due(&t, &[7, 1], d, day_9_5), None);
        assert_eq!(
            reminder_due(&t, &[], d, day_9_5),
            Some(1),
            "both reached at once: only the smallest"
        );
        assert_eq!(
            reminder_due(&[7], &[1], d, day_9_5),
            None,
            "a more urgent reminder went out already"
        );
        assert_eq!(reminder_due(&t, &[], d, d), None, "at the deadline");
        assert_eq!(reminder_due(&[], &[], d, day_9_5), None);
    }

    #[test]
    fn lock_lasts_until_its_time() {
        assert!(locked(Some(T0), T0 - 1));
        assert!(!locked(Some(T0), T0));
        assert!(!locked(None, T0));
    }
}
