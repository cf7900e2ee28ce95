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

/// RFC 3339 in UTC, e.g. `2026-11-28T01:33:35Z`.
pub fn rfc3339(t: Timestamp) -> String {
    OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&Rfc3339).ok())
        .unwrap_or_else(|| t.to_string())
}

/// Parses an RFC 3339 timestamp (any offset) into unix seconds.
pub fn parse_rfc3339(s: &str) -> Result<Timestamp> {
    OffsetDateTime::parse(s.trim(), &Rfc3339)
        .map(|d| d.unix_timestamp())
        .map_err(|e| {
            crate::exit::usage(format!(
                "'{s}' is not an RFC 3339 time ({e}); write it like 2026-01-31T00:00:00Z"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_800_000_000), "2027-01-15T08:00:00Z");
        assert_eq!(
            parse_rfc3339("2027-01-15T08:00:00Z").unwrap(),
            1_800_000_000
        );
        assert_eq!(
            parse_rfc3339("2027-01-15T09:00:00+01:00").unwrap(),
            1_800_000_000
        );
        assert!(parse_rfc3339("yesterday").is_err());
    }

    #[test]
    fn fixed_clock_does_not_move() {
        let c = Clock::fixed(42);
        assert_eq!(c.now(), 42);
        assert_eq!(c.now(), 42);
    }
}
