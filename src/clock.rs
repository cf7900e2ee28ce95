//! The one source of "now" (SECURITY.md 8).
//!
//! Release builds read the system clock only. Debug builds (the ones `cargo test` runs)
//! also honour `TWOFA_TEST_NOW` (unix seconds), so the binary's tests can pin the time;
//! library tests build a [`Clock::fixed`] directly.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Result;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Unix time in seconds.
pub type Timestamp = i64;

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    fixed: Option<Timestamp>,
}

impl Clock {
    /// The system clock (and, in debug builds only, the `TWOFA_TEST_NOW` override).
    pub fn system() -> Self {
        #[cfg(debug_assertions)]
        if let Some(t) = std::env::var("TWOFA_TEST_NOW")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            return Clock { fixed: Some(t) };
        }
        Clock { fixed: None }
    }

    /// A clock stopped at `t`, for tests.
    pub fn fixed(t: Timestamp) -> Self {
        Clock { fixed: Some(t) }
    }

    pub fn now(&self) -> Timestamp {
        self.fixed.unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs() as Timestamp)
                .unwrap_or(0)
        })
    }
}

/// Whether this machine's clock is NTP-synchronised, as systemd's `timedatectl show`
/// reports it (from the kernel's adjtimex status); `None` when that cannot be told.
pub fn ntp_synchronized() -> Option<bool> {
    let out = std::process::Command::new("timedatectl")
        .args(["show", "--property=NTPSynchronized", "--value"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    match String::from_utf8_lossy(&out.stdout).trim() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// Reads a duration such as `30m`, `12h` or `2d` (a whole number and one unit: `s`, `m`,
/// `h`, `d`) as seconds; bad input is a usage error that says the format.
pub fn parse_duration(text: &str) -> Result<i64> {
    let t = text.trim();
    let bad = || {
        let shown: String = t.chars().take(80).collect();
        crate::exit::usage(format!(
            "'{}' is not a duration: write a whole number and a unit, like 30m, 12h or 2d",
            shown.escape_debug()
        ))
    };
    let unit = t.chars().last().ok_or_else(bad)?;
    let per = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => return Err(bad()),
    };
    let number = &t[..t.len() - 1];
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let n: i64 = number.parse().map_err(|_| bad())?;
    n.checked_mul(per).ok_or_else(bad)
}

/// RFC 3339 in UTC, e.g. `2026-11-28T01:33:35Z`.
pub fn rfc3339(t: Timestamp) -> String {
    let mut buf = [0u8; 20];
    match rfc3339_into(t, &mut buf) {
        Some(text) => text.to_string(),
        None => rfc3339_slow(t),
    }
}

/// What `time` makes of a timestamp outside the years 0000–9999 (the number, mostly).
fn rfc3339_slow(t: Timestamp) -> String {
    OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&Rfc3339).ok())
        .unwrap_or_else(|| t.to_string())
}

/// [`rfc3339`] into a stack buffer, for the million rows of an audit: the same text, without
/// an allocation or `time`'s general formatter. `None` outside the years 0000–9999.
pub fn rfc3339_into(t: Timestamp, buf: &mut [u8; 20]) -> Option<&str> {
    const FIRST: Timestamp = -62_167_219_200; // 0000-01-01T00:00:00Z
    const LAST: Timestamp = 253_402_300_799; // 9999-12-31T23:59:59Z
    if !(FIRST..=LAST).contains(&t) {
        return None;
    }
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    // Days to the civil date (Howard Hinnant's days_from_civil, inverted).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let mut put = |at: usize, value: i64, width: usize| {
        let mut v = value;
        for i in (at..at + width).rev() {
            buf[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, year, 4);
    put(5, month, 2);
    put(8, day, 2);
    put(11, secs / 3600, 2);
    put(14, secs / 60 % 60, 2);
    put(17, secs % 60, 2);
    for (i, c) in [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'Z'),
    ] {
        buf[i] = c;
    }
    std::str::from_utf8(buf).ok()
}

/// At most 80 characters of typed input for an error message, control characters escaped.
fn excerpt(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(80)
        .collect::<String>()
        .escape_debug()
        .to_string();
    if text.chars().count() > 80 {
        out.push('…');
    }
    out
}

/// Parses a time as people write it on the command line: RFC 3339 (any offset), or a date
/// (`2026-11-01`, midnight UTC). The one parser of every `--since`, `--until` and `--before`
/// TIME.
pub fn parse_time(s: &str) -> Result<Timestamp> {
    let text = s.trim();
    let date_only = text.len() == 10 && text.as_bytes().get(4) == Some(&b'-');
    if date_only {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        return time::Date::parse(text, &format)
            .map(|d| d.midnight().assume_utc().unix_timestamp())
            .map_err(|e| {
                crate::exit::usage(format!(
                    "'{}' is not a date ({e}); write it like 2026-01-31",
                    excerpt(text)
                ))
            });
    }
    OffsetDateTime::parse(text, &Rfc3339)
        .map(|d| d.unix_timestamp())
        .map_err(|e| {
            crate::exit::usage(format!(
                "'{}' is not a time ({e}); write RFC 3339 like 2026-01-31T00:00:00Z, or a date like 2026-01-31",
                excerpt(text)
            ))
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations() {
        use super::parse_duration;
        assert_eq!(parse_duration("30m").unwrap(), 1800);
        assert_eq!(parse_duration("12h").unwrap(), 43_200);
        assert_eq!(parse_duration("2d").unwrap(), 172_800);
        assert_eq!(parse_duration(" 45s ").unwrap(), 45);
        for bad in [
            "",
            "m",
            "10",
            "1.5h",
            "-1h",
            "10w",
            "1h30m",
            "99999999999999999999d",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }

    use super::*;

    #[test]
    fn formats_and_parses_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_800_000_000), "2027-01-15T08:00:00Z");
        assert_eq!(parse_time("2027-01-15T08:00:00Z").unwrap(), 1_800_000_000);
        assert!(parse_time("yesterday").is_err());
    }

    #[test]
    fn the_fast_formatter_writes_what_time_writes() {
        let mut buf = [0u8; 20];
        let edges = [
            -62_167_219_200,
            -62_167_219_201,
            -1,
            0,
            951_782_400, // 2000-02-29
            4_107_542_400,
            253_402_300_799,
            253_402_300_800,
            i64::MIN,
            i64::MAX,
        ];
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let random = (0..20_000).map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 320_000_000_000) as i64 - 64_000_000_000
        });
        for t in edges.into_iter().chain(random) {
            assert_eq!(rfc3339(t), rfc3339_slow(t), "{t}");
            if let Some(fast) = rfc3339_into(t, &mut buf) {
                assert_eq!(fast, rfc3339_slow(t), "{t}");
            }
        }
    }

    #[test]
    fn times_and_dates() {
        assert_eq!(parse_time("2027-01-15").unwrap(), 1_799_971_200);
        assert_eq!(parse_time("2027-01-15T08:00:00Z").unwrap(), 1_800_000_000);
        assert_eq!(
            parse_time(" 2027-01-15T09:00:00+01:00 ").unwrap(),
            1_800_000_000
        );
        for bad in ["2027-13-01", "2027-02-30", "15.01.2027", "yesterday", ""] {
            let e = parse_time(bad).unwrap_err();
            assert!(format!("{e:#}").contains(bad), "{bad}: {e:#}");
        }
        let long = "9".repeat(300);
        assert!(format!("{:#}", parse_time(&long).unwrap_err()).len() < 300);
    }

    #[test]
    fn fixed_clock_does_not_move() {
        let c = Clock::fixed(42);
        assert_eq!(c.now(), 42);
        assert_eq!(c.now(), 42);
    }
}
