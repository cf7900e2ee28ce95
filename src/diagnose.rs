//! The support desk's reading of a code: which time step it is (the phone's clock offset),
//! whether that step was used or lies in the verify window, the pair of consecutive codes
//! that `resync` looks for, and the one line of advice a support person reads out.
//!
//! Pure: time and the stored state come in as arguments; nothing here accepts, spends or
//! counts a code.

use anyhow::Result;

use crate::clock::Timestamp;
use crate::policy::State;
use crate::totp::{STEP, matches_step, step_of};

/// `diagnose --window` at most (minutes): a day each way.
pub const MAX_WINDOW_MINUTES: u32 = 1440;
/// Codes `diagnose` evaluates per account in [`LIMIT_PERIOD`], at most: with a ±24 h
/// window a diagnosis tests 5,761 steps, so a support login could otherwise use it to
/// find a code for an account it cannot verify (a locked one) by trying guesses.
pub const LIMIT: usize = 10;
/// The period of [`LIMIT`], in seconds.
pub const LIMIT_PERIOD: i64 = 3600;
/// How far `resync` looks each way, in minutes.
pub const RESYNC_MINUTES: u32 = 60;

/// Steps in `minutes`.
pub fn steps_in(minutes: u32) -> i64 {
    i64::from(minutes) * 60 / STEP as i64
}

/// The offsets 0, -1, +1, -2, +2 … up to ±`max`: nearest first, so a code that two steps
/// happen to share is read as the nearer one.
fn nearest_first(max: i64) -> impl Iterator<Item = i64> {
    std::iter::once(0).chain((1..=max).flat_map(|d| [-d, d]))
}

/// The offset (in steps from now's step) of the step within ±`window` whose code is
/// `code`, nearest first; `None` when no step matches.
pub fn find_step(secret: &[u8], code: &str, now: Timestamp, window: i64) -> Result<Option<i64>> {
    let current = step_of(now) as i64;
    for offset in nearest_first(window) {
        let step = current + offset;
        if step >= 0 && matches_step(secret, code, step as u64)? {
            return Ok(Some(offset));
        }
    }
    Ok(None)
}

/// The offset of the second of two consecutive codes (`first` at step s, `second` at s+1)
/// within ±`window` steps of now; `None` when no such pair is there.
pub fn find_pair(
    secret: &[u8],
    first: &str,
    second: &str,
    now: Timestamp,
    window: i64,
) -> Result<Option<i64>> {
    let current = step_of(now) as i64;
    for offset in nearest_first(window) {
        let step = current + offset;
        if step >= 1
            && matches_step(secret, second, step as u64)?
            && matches_step(secret, first, step as u64 - 1)?
        {
            return Ok(Some(offset));
        }
    }
    Ok(None)
}

/// What a code matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// The matched step's distance from now's step (negative: the phone is behind).
    pub offset_steps: i64,
    /// The step is at or before the last accepted one: `verify` would say `reused`.
    pub already_used: bool,
    /// The step lies in the verify window (±1 around now's step moved by the drift).
    pub within_window: bool,
}

/// Reads a matched offset against the last accepted step and the stored drift. A step is
/// "already used" only where `verify` would refuse it as reused: inside its window and at
/// or before the last accepted step. A step outside the window is a clock offset, whatever
/// was accepted before (a phone minutes behind shows a step older than the last success).
pub fn read(offset_steps: i64, now: Timestamp, last_step: Option<u64>, drift: i64) -> Reading {
    let step = step_of(now) as i64 + offset_steps;
    let within_window = (offset_steps - drift).abs() <= 1;
    Reading {
        offset_steps,
        already_used: within_window && last_step.is_some_and(|last| step <= last as i64),
        within_window,
    }
}

/// When `diagnose` may evaluate another code of an account whose earlier evaluations were
/// at `evaluated` (any order; those older than [`LIMIT_PERIOD`] are ignored): `None` now,
/// else the moment the oldest of the last [`LIMIT`] leaves the period.
pub fn limited(evaluated: &[Timestamp], now: Timestamp) -> Option<Timestamp> {
    let mut recent: Vec<Timestamp> = evaluated
        .iter()
        .copied()
        .filter(|&t| t > now - LIMIT_PERIOD)
        .collect();
    if recent.len() < LIMIT {
        return None;
    }
    recent.sort_unstable();
    Some(recent[recent.len() - LIMIT] + LIMIT_PERIOD)
}

/// What support needs to know to give advice.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub email: &'a str,
    pub state: State,
    pub locked_until: Option<Timestamp>,
    pub locked: bool,
    /// Whether a code was given.
    pub code_given: bool,
    /// What the code matched, if it was evaluated (`Some(None)`: nothing in the window).
    pub code: Option<Option<Reading>>,
    pub window_minutes: u32,
    pub clock_synchronized: Option<bool>,
    /// The device whose waiting enrollment (new device or re-enrollment) the code comes
    /// from, if any.
    pub new_enrollment: Option<&'a str>,
}

/// "90 s" / "5 min" / "2 h 30 min": how far a clock is off, for reading out.
pub fn spoken(seconds: i64) -> String {
    let s = seconds.unsigned_abs();
    if s < 120 {
        format!("{s} s")
    } else if s < 3600 {
        format!("{} min", s / 60)
    } else if s % 3600 / 60 == 0 {
        format!("{} h", s / 3600)
    } else {
        format!("{} h {} min", s / 3600, s % 3600 / 60)
    }
}

/// One line of advice a support person can read out.
pub fn advice(f: &Facts<'_>) -> String {
    let email = f.email;
    if f.locked {
        let until = f.locked_until.map_or_else(String::new, |t| {
            format!(" until {}", crate::clock::rfc3339(t))
        });
        let unchecked = if f.code_given {
            " (a code is not checked while it is locked)"
        } else {
            ""
        };
        return format!(
            "the account is locked{until} after too many wrong codes{unchecked}: once you have checked who is asking, run 'twofa unlock {email}'"
        );
    }
    if let Some(device) = f.new_enrollment {
        return format!(
            "this is the new enrollment: run 'twofa confirm {email}{}' with a current code from the app (until then the old secret, if any, still works)",
            crate::devices::device_flag(device)
        );
    }
    match f.state {
        State::Disabled => {
            return format!(
                "the account has no 2FA: its phone's codes cannot work; enroll it with 'twofa enroll {email}'"
            );
        }
        State::Pending => {
            if !matches!(f.code, Some(Some(_))) {
                return format!(
                    "the enrollment is not finished: run 'twofa confirm {email}' with a current code from the app"
                );
            }
        }
        State::Enabled => {}
    }
    let server_clock = match f.clock_synchronized {
        Some(false) => " (this machine's clock is not NTP-synchronised either: check it)",
        _ => "",
    };
    match f.code {
        None if f.code_given => format!(
            "the code was not checked: the account has no 2FA to check it against; enroll it with 'twofa enroll {email}'"
        ),
        None => format!(
            "no problem found; ask for a current code to check the phone's clock ('twofa diagnose {email} -')"
        ),
        Some(None) => format!(
            "the code matches no time within {} minutes: the user may be reading another entry (an old enrollment, another service) or a wrong secret; if nothing else helps, 'twofa reset {email}' and enroll again{server_clock}",
            f.window_minutes
        ),
        Some(Some(r)) if r.already_used => format!(
            "this code was accepted already and cannot be used twice: wait for the next code (30 s) and try again{server_clock}"
        ),
        Some(Some(r)) if r.within_window && r.offset_steps.abs() <= 1 => {
            if f.state == State::Pending {
                format!("the code is good now: run 'twofa confirm {email}' with it")
            } else {
                "the code is good now: it would be accepted; type it promptly".to_string()
            }
        }
        Some(Some(r)) => {
            let seconds = r.offset_steps * STEP as i64;
            let side = if seconds < 0 { "behind" } else { "ahead" };
            let resynced = if r.within_window {
                " (its drift is stored, so it works meanwhile)"
            } else {
                ""
            };
            format!(
                "the phone's clock is {} {side}{resynced}: turn on automatic date and time on the phone, or run 'twofa resync {email}' with two consecutive codes{server_clock}",
                spoken(seconds)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::totp::code_at;

    const NOW: Timestamp = 1_800_000_015;
    const SECRET: [u8; 20] = [3u8; 20];

    fn code(offset_steps: i64) -> String {
        code_at(&SECRET, NOW + offset_steps * 30).unwrap()
    }

    #[test]
    fn finds_the_step_of_a_drifting_phone() {
        assert_eq!(find_step(&SECRET, &code(-3), NOW, 20).unwrap(), Some(-3));
        assert_eq!(find_step(&SECRET, &code(7), NOW, 20).unwrap(), Some(7));
        assert_eq!(find_step(&SECRET, &code(0), NOW, 0).unwrap(), Some(0));
        assert_eq!(
            find_step(&SECRET, &code(-30), NOW, 20).unwrap(),
            None,
            "outside the window"
        );
    }

    #[test]
    fn finds_two_consecutive_codes() {
        let got = find_pair(&SECRET, &code(-11), &code(-10), NOW, 120).unwrap();
        assert_eq!(got, Some(-10));
        assert_eq!(
            find_pair(&SECRET, &code(-10), &code(-11), NOW, 120).unwrap(),
            None,
            "out of order"
        );
        assert_eq!(
            find_pair(&SECRET, &code(-12), &code(-10), NOW, 120).unwrap(),
            None,
            "not consecutive"
        );
    }

    #[test]
    fn readings() {
        let step = step_of(NOW);
        let r = read(-3, NOW, None, 0);
        assert_eq!(
            r,
            Reading {
                offset_steps: -3,
                already_used: false,
                within_window: false
            }
        );
        assert!(
            read(-3, NOW, None, -3).within_window,
            "drift moves the window"
        );
        assert!(read(-1, NOW, None, 0).within_window);
        assert!(read(0, NOW, Some(step), 0).already_used);
        assert!(!read(1, NOW, Some(step), 0).already_used);
        // A phone minutes behind shows a step before the last accepted one: outside the
        // window that is its clock, not a reused code.
        for behind in [-2, -4, -10] {
            let r = read(behind, NOW, Some(step), 0);
            assert!(!r.already_used && !r.within_window, "{behind}: {r:?}");
        }
        assert!(read(-1, NOW, Some(step), 0).already_used);
        assert!(
            read(-4, NOW, Some(step), -4).already_used,
            "inside a window the drift moved"
        );
    }

    #[test]
    fn ten_evaluations_an_hour() {
        let evaluated: Vec<Timestamp> = (0..10).map(|i| NOW - 3000 + i * 60).collect();
        assert_eq!(limited(&evaluated[..9], NOW), None);
        assert_eq!(limited(&evaluated, NOW), Some(NOW - 3000 + LIMIT_PERIOD));
        // Once the oldest is an hour old, one more may go.
        assert_eq!(limited(&evaluated, NOW + 600), None);
        // Older ones and the order do not matter.
        let mut more = evaluated.clone();
        more.extend([NOW - 7200, NOW - 3600]);
        more.reverse();
        assert_eq!(limited(&more, NOW), Some(NOW - 3000 + LIMIT_PERIOD));
        let twelve: Vec<Timestamp> = (0..12).map(|i| NOW - 100 + i).collect();
        assert_eq!(limited(&twelve, NOW), Some(NOW - 98 + LIMIT_PERIOD));
    }

    fn facts(code: Option<Option<Reading>>) -> Facts<'static> {
        Facts {
            email: "a@example.com",
            state: State::Enabled,
            locked_until: None,
            locked: false,
            code_given: code.is_some(),
            code,
            window_minutes: 10,
            clock_synchronized: Some(true),
            new_enrollment: None,
        }
    }

    #[test]
    fn a_code_of_the_new_enrollment_says_confirm() {
        let mut f = facts(Some(None));
        f.new_enrollment = Some("default");
        let advice = advice(&f);
        assert!(
            advice.starts_with("this is the new enrollment: run 'twofa confirm a@example.com'"),
            "{advice}"
        );
        f.new_enrollment = Some("tablet");
        assert!(advice_of(&f).contains("'twofa confirm a@example.com --device tablet'"));
        f.locked = true;
        assert!(advice_of(&f).contains("locked"), "a lock comes first");
    }

    fn advice_of(f: &Facts<'_>) -> String {
        advice(f)
    }

    #[test]
    fn advice_says_what_to_do() {
        let behind = advice(&facts(Some(Some(read(-3, NOW, None, 0)))));
        assert!(behind.contains("90 s behind"), "{behind}");
        assert!(behind.contains("twofa resync a@example.com"), "{behind}");
        let ahead = advice(&facts(Some(Some(read(10, NOW, None, 0)))));
        assert!(ahead.contains("5 min ahead"), "{ahead}");
        let used = advice(&facts(Some(Some(read(0, NOW, Some(step_of(NOW)), 0)))));
        assert!(used.contains("accepted already"), "{used}");
        let good = advice(&facts(Some(Some(read(0, NOW, None, 0)))));
        assert!(good.contains("good now"), "{good}");
        let none = advice(&facts(Some(None)));
        assert!(none.contains("matches no time within 10 minutes"), "{none}");
        let mut locked = facts(None);
        locked.locked = true;
        locked.locked_until = Some(NOW + 60);
        assert!(advice(&locked).contains("twofa unlock a@example.com"));
        locked.code_given = true;
        assert!(advice(&locked).contains("not checked while it is locked"));
        let mut disabled = facts(None);
        disabled.state = State::Disabled;
        assert!(advice(&disabled).contains("no 2FA"));
        let mut off = facts(Some(Some(read(-3, NOW, None, 0))));
        off.clock_synchronized = Some(false);
        assert!(advice(&off).contains("not NTP-synchronised"));
    }

    #[test]
    fn spoken_durations() {
        assert_eq!(spoken(-90), "90 s");
        assert_eq!(spoken(300), "5 min");
        assert_eq!(spoken(7200), "2 h");
        assert_eq!(spoken(9000), "2 h 30 min");
    }
}
