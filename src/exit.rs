//! Exit codes (the README's table is their documentation) and the typed failures that map to them.
//!
//! Most errors travel as `anyhow::Error`; a [`Failure`] anywhere in the chain decides the
//! exit code, so context added on the way up (`.context()`) keeps it. An error with no
//! `Failure` in its chain (an I/O, SQL or key error nobody classified) exits 6; see
//! [`classify`]. Command-line usage errors are clap's and exit 2 before any of this.

use std::fmt;

/// The process exit codes (README, "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitCode {
    /// Success; `verify`: code accepted.
    Success = 0,
    /// `verify`/`confirm`: code rejected; `audit --non-compliant`: rows printed; a bulk
    /// run with failures.
    Rejected = 1,
    /// Usage error or bad input.
    Usage = 2,
    /// No such account or organisation.
    NotFound = 3,
    /// Refused by policy or state.
    Refused = 4,
    /// Account locked after too many failed codes.
    Locked = 5,
    /// Database or key problem.
    Database = 6,
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code as u8)
    }
}

/// A failure with a documented exit code. The message names the bad value and what to do.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Locked(String),
    #[error("{0}")]
    Database(String),
}

impl Failure {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Usage(_) => ExitCode::Usage,
            Failure::NotFound(_) => ExitCode::NotFound,
            Failure::Refused(_) => ExitCode::Refused,
            Failure::Locked(_) => ExitCode::Locked,
            Failure::Database(_) => ExitCode::Database,
        }
    }
}

/// Shorthands that build an `anyhow::Error` carrying a [`Failure`].
pub fn usage(msg: impl fmt::Display) -> anyhow::Error {
    Failure::Usage(msg.to_string()).into()
}
pub fn not_found(msg: impl fmt::Display) -> anyhow::Error {
    Failure::NotFound(msg.to_string()).into()
}
pub fn refused(msg: impl fmt::Display) -> anyhow::Error {
    Failure::Refused(msg.to_string()).into()
}
/// A failure with the exit `code` (a composed message that keeps another error's code).
pub fn failure(code: ExitCode, msg: impl fmt::Display) -> anyhow::Error {
    let msg = msg.to_string();
    match code {
        ExitCode::Usage => Failure::Usage(msg),
        ExitCode::NotFound => Failure::NotFound(msg),
        ExitCode::Refused => Failure::Refused(msg),
        ExitCode::Locked => Failure::Locked(msg),
        ExitCode::Success | ExitCode::Rejected | ExitCode::Database => Failure::Database(msg),
    }
    .into()
}

/// Whether `err` is a refusal (exit 4): the request conflicts with the data.
pub fn is_refused(err: &anyhow::Error) -> bool {
    matches!(err.downcast_ref::<Failure>(), Some(Failure::Refused(_)))
}

pub fn database(msg: impl fmt::Display) -> anyhow::Error {
    Failure::Database(msg.to_string()).into()
}

/// An exit without a message, for a run whose reader went away after its result was
/// decided: `audit --non-compliant | head -1` has found a non-compliant account, which
/// exit 1 says whether or not its row could be written.
#[derive(Debug, thiserror::Error)]
#[error("stdout was closed (exit {})", *.0 as u8)]
pub struct QuietExit(pub ExitCode);

/// Whether `err` is a write to a closed pipe.
pub fn is_closed_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(broken_pipe)
}

/// The exit code an error maps to, and whether it is a closed pipe (which ends quietly).
///
/// The one rule: the first [`Failure`] in the error's chain decides; an error with none
/// exits 6 ([`ExitCode::Database`]); a write to a closed pipe anywhere in the chain is a
/// quiet success.
pub fn classify(err: &anyhow::Error) -> (ExitCode, bool) {
    for cause in err.chain() {
        if let Some(QuietExit(code)) = cause.downcast_ref::<QuietExit>() {
            return (*code, true);
        }
        if broken_pipe(cause) {
            return (ExitCode::Success, true);
        }
        if let Some(f) = cause.downcast_ref::<Failure>() {
            return (f.exit_code(), false);
        }
    }
    (ExitCode::Database, false)
}

/// A write to a closed pipe, also when the CSV writer wrapped it: a `csv::Error` has no
/// `source()`, and converted into an `io::Error` (kind Other) it hides from `chain()`.
fn broken_pipe(err: &(dyn std::error::Error + 'static)) -> bool {
    if let Some(io) = err.downcast_ref::<std::io::Error>() {
        if io.kind() == std::io::ErrorKind::BrokenPipe {
            return true;
        }
        if let Some(inner) = io.get_ref() {
            return broken_pipe(inner);
        }
    }
    if let Some(csv) = err.downcast_ref::<csv::Error>()
        && let csv::ErrorKind::Io(io) = csv.kind()
    {
        return broken_pipe(io);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn a_failure_in_the_chain_decides_and_context_keeps_it() {
        assert_eq!(classify(&usage("bad")), (ExitCode::Usage, false));
        let wrapped = Err::<(), _>(not_found("no account"))
            .context("line 3")
            .context("importing")
            .unwrap_err();
        assert_eq!(classify(&wrapped), (ExitCode::NotFound, false));
        assert_eq!(format!("{wrapped:#}"), "importing: line 3: no account");
        let locked: anyhow::Error = Failure::Locked("locked".into()).into();
        assert_eq!(
            classify(&locked.context("line 2")),
            (ExitCode::Locked, false)
        );
        assert!(is_refused(&refused("exists").context("line 4")));
    }

    #[test]
    fn an_error_without_a_failure_exits_6() {
        let plain = anyhow::anyhow!("disk I/O error");
        assert_eq!(classify(&plain), (ExitCode::Database, false));
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        assert_eq!(
            classify(&anyhow::Error::from(io).context("cannot open x")),
            (ExitCode::Database, false)
        );
    }

    #[test]
    fn a_quiet_exit_keeps_its_code_and_says_nothing() {
        let quiet = anyhow::Error::from(QuietExit(ExitCode::Rejected));
        assert_eq!(classify(&quiet), (ExitCode::Rejected, true));
        let pipe = anyhow::Error::from(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(is_closed_pipe(&pipe.context("writing")));
        assert!(!is_closed_pipe(&usage("bad")));
    }

    #[test]
    fn a_closed_pipe_is_a_quiet_success() {
        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert_eq!(
            classify(&anyhow::Error::from(pipe).context("writing")),
            (ExitCode::Success, true)
        );
    }
}
