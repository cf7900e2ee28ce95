//! The command-line definition (clap derive): every flag, its env var and its help.
//! It implements the commands, options and exit codes the README documents.
//!
//! This file holds [`Cli`], the [`GlobalArgs`] every command accepts, the value types they
//! share and the number parser; `command.rs` the top-level [`Command`]s with their
//! descriptions and examples; the other files the arguments of each group of commands,
//! as `commands/` is split (`users.rs`, `orgs.rs`, `lifecycle.rs`, `devices.rs`,
//! `support.rs`, `compliance.rs`, `log.rs`, `admin.rs`, `requests.rs`).

use std::path::PathBuf;

use clap::{Args, Parser, ValueEnum};

mod admin;
mod command;
mod compliance;
mod devices;
mod lifecycle;
mod log;
mod orgs;
mod requests;
mod support;
mod users;

pub use admin::{ExportArgs, GenerateCommand, ImportArgs, KeyCommand, KeyGenerateArgs, RekeyArgs};
pub use command::Command;
pub use compliance::{AuditArgs, MetricsArgs, RemindArgs, ReportArgs};
pub use devices::{DeviceCommand, DeviceListArgs, DeviceRemoveArgs, DeviceRenameArgs};
pub use lifecycle::{
    BulkArgs, CodeArgs, EmailArg, EnrollArgs, RecoveryCommand, ResetArgs, VerifyArgs,
};
pub use log::{LogArgs, LogCommand, LogPruneArgs, LogVerifyArgs};
pub use orgs::{OrgCommand, PolicyArgs};
pub use requests::{ApproveArgs, DenyArgs, ProtectArgs, RequestsArgs};
pub use support::{AccessCodeArgs, DiagnoseArgs, FindArgs, ResyncArgs};
pub use users::{ExemptArgs, SyncArgs, UserCommand};

/// Output formats (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text for people.
    Table,
    /// One JSON document.
    Json,
    /// One JSON object a line (lists).
    Ndjson,
    /// CSV with a header row (lists).
    Csv,
}

/// When to draw the QR code (`enroll --qr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QrMode {
    /// When stdout is a terminal (and the output is a table).
    Auto,
    /// Always (on stderr when the output is JSON); without colour when not on a terminal.
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Parser)]
#[command(
    name = "twofa",
    version,
    about = "Administer TOTP two-factor authentication in an application's account database",
    long_about = "twofa runs the whole TOTP 2FA life cycle against an account database: enroll a \
user (secret, otpauth URI and a QR code for the authenticator app), confirm and verify codes \
with replay protection and lockout, recovery codes, disable and support reset, mandatory \
organisation policy, and audits for people and scripts.\n\n\
The database is an SQLite file (twofa.db by default); twofa keeps its own twofa_* tables, so \
it can be the application's own database. TOTP secrets are encrypted with a key kept apart \
from it: a key file (the database path + .key by default), a key command that fetches it \
from a secret store (--key-command: Vault, a cloud KMS, pass), or systemd's credential.",
    after_help = "Examples:\n  \
twofa enroll alice@example.com --create   # QR code, then the first code\n  \
twofa verify alice@example.com -             # read the code from stdin\n  \
twofa org policy acme --require --grace-days 14\n  \
twofa audit --non-compliant --format csv\n\n\
Exit codes: 0 ok, 1 code rejected, 2 usage, 3 not found, 4 refused, 5 locked, 6 database or key."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the command line. `--actor` is global (who is acting); on `log`, where
    /// nobody acts, the one typed on the command line filters the events by their actor.
    /// Messages name a key file or key command by where it was given (option or variable).
    pub fn try_parse_args() -> Result<Self, clap::Error> {
        use clap::{CommandFactory, FromArgMatches, parser::ValueSource};
        use std::io::IsTerminal;
        // Help wraps at the terminal's width (at most 100 columns; 80 where the terminal
        // reports none, as a pty of `script` may); into a pipe or a file it is never
        // wrapped, as tables are not.
        let stdout = std::io::stdout();
        let width = if stdout.is_terminal() {
            crate::term::columns(&stdout).min(100)
        } else {
            0
        };
        let cmd = Self::command().term_width(width);
        let mut matches = cmd.try_get_matches()?;
        let typed =
            |m: &clap::ArgMatches| m.value_source("actor") == Some(ValueSource::CommandLine);
        let on_command_line =
            typed(&matches) || matches.subcommand().is_some_and(|(_, sub)| typed(sub));
        let db_named = db_named(&matches);
        let from_env = |id: &str| source_of(&matches, id) == Some(ValueSource::EnvVariable);
        let (key_file_from_env, key_command_from_env) =
            (from_env("key_file"), from_env("key_command"));
        // Takes the values out of the matches rather than copying them.
        let mut cli = Self::from_arg_matches_mut(&mut matches)?;
        cli.global.db_named = db_named;
        cli.global.key_file_from_env = key_file_from_env;
        cli.global.key_command_from_env = key_command_from_env;
        cli.global.actor_typed = on_command_line;
        if let Command::Log(args) = &mut cli.command
            && on_command_line
            && args.command.is_none()
        {
            args.actor = cli.global.actor.clone();
        }
        Ok(cli)
    }
}

/// Where the global argument `id` got its value: the deepest subcommand that has it (a
/// global argument is propagated to every level).
fn source_of(m: &clap::ArgMatches, id: &str) -> Option<clap::parser::ValueSource> {
    m.subcommand()
        .and_then(|(_, sub)| source_of(sub, id))
        .or_else(|| m.value_source(id))
}

/// Whether `--db` (before or after any subcommand) or `TWOFA_DB` named the database,
/// rather than its default.
fn db_named(m: &clap::ArgMatches) -> bool {
    use clap::parser::ValueSource;
    let here = matches!(
        m.value_source("db"),
        Some(ValueSource::CommandLine | ValueSource::EnvVariable)
    );
    here || m.subcommand().is_some_and(|(_, sub)| db_named(sub))
}

/// The file an `-o/--output FILE` option names; `None` for stdout (no option, or `-`, as
/// most tools read it).
pub fn output_file(output: &Option<PathBuf>) -> Option<&std::path::Path> {
    output.as_deref().filter(|p| p.as_os_str() != "-")
}

/// clap's error about the command line, said as twofa says every error (`twofa: error: …`),
/// its tip and usage lines after it.
pub fn usage_error(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    format!("twofa: error: {text}")
}

/// The options every command accepts, before or after it: shown under their own heading.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The account database: an SQLite file, or a postgres:// or mysql:// URL
    #[arg(
        long,
        global = true,
        env = "TWOFA_DB",
        value_name = "PATH",
        default_value = "twofa.db"
    )]
    pub db: String,
    /// Whether `--db` or `TWOFA_DB` named the database (else it is the default twofa.db).
    /// Set by [`Cli::try_parse_args`].
    #[arg(skip)]
    pub db_named: bool,
    /// Whether `--actor` was typed on the command line (not taken from `TWOFA_ACTOR`).
    /// Set by [`Cli::try_parse_args`].
    #[arg(skip)]
    pub actor_typed: bool,
    /// The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]
    #[arg(long, global = true, env = "TWOFA_KEY_FILE", value_name = "PATH")]
    pub key_file: Option<PathBuf>,
    /// Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)
    #[arg(long, global = true, env = "TWOFA_KEY_COMMAND", value_name = "CMD")]
    pub key_command: Option<String>,
    /// Whether the key file came from TWOFA_KEY_FILE (set by [`Cli::try_parse_args`]).
    #[arg(skip)]
    pub key_file_from_env: bool,
    /// Whether the key command came from TWOFA_KEY_COMMAND (set by [`Cli::try_parse_args`]).
    #[arg(skip)]
    pub key_command_from_env: bool,
    /// Output format
    #[arg(long, global = true, env = "TWOFA_FORMAT", value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]
    #[arg(long, global = true, env = "TWOFA_ACTOR", value_name = "NAME")]
    pub actor: Option<String>,
    /// Answer yes to confirmations (needed for destructive commands without a terminal)
    #[arg(short, long, global = true)]
    pub yes: bool,
    /// Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// The service name authenticator apps show next to the account
    #[arg(
        long,
        global = true,
        env = "TWOFA_ISSUER",
        value_name = "NAME",
        default_value = "twofa"
    )]
    pub issuer: String,
    /// Run CMD (through sh -c) after each committed change, with the event as JSON on stdin
    #[arg(long, global = true, env = "TWOFA_HOOK", value_name = "CMD")]
    pub hook: Option<String>,
}

/// The longest grace period, in days (ten years): deadlines stay printable times.
pub const GRACE_DAYS_MAX: u32 = 3650;

/// The parser of a numeric option: a whole number of `unit` from `min` to `max`. Anything
/// else, a negative number included (the options take them, so that clap does not read
/// `-1` as an option), is refused saying the range.
fn whole<T>(
    min: u64,
    max: u64,
    unit: &'static str,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: TryFrom<u64> + Clone + Send + Sync + 'static,
{
    move |s: &str| {
        s.trim()
            .parse::<u64>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .and_then(|n| T::try_from(n).ok())
            .ok_or_else(|| {
                let range = if max == u64::MAX {
                    format!("{min} or more")
                } else {
                    format!("from {min} to {max}")
                };
                format!("it must be a whole number of {unit}, {range}")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_command_has_an_example() {
        fn walk(cmd: &clap::Command, path: &str) {
            for sub in cmd.get_subcommands() {
                let name = format!("{path} {}", sub.get_name());
                if sub.is_hide_set() {
                    continue;
                }
                let help = sub
                    .get_after_help()
                    .map(|h| h.to_string())
                    .unwrap_or_default();
                assert!(help.contains("Examples:"), "{name} has no example");
                assert!(sub.get_about().is_some(), "{name} has no about");
                assert!(sub.get_long_about().is_some(), "{name} has no description");
                walk(sub, &name);
            }
        }
        walk(&Cli::command(), "twofa");
    }

    /// Help wraps prose at the terminal's width, but an example wrapped in two would not
    /// run as printed: each fits an 80-column terminal whole.
    #[test]
    fn every_example_fits_80_columns() {
        fn walk(cmd: &clap::Command, path: &str, long: &mut Vec<String>) {
            let help = cmd
                .get_after_help()
                .map(|h| h.to_string())
                .unwrap_or_default();
            for line in help.lines().filter(|l| l.starts_with("  ")) {
                if line.chars().count() > 79 {
                    long.push(format!("{path}: {line}"));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), long);
            }
        }
        let mut long = Vec::new();
        walk(&Cli::command(), "twofa", &mut long);
        assert!(
            long.is_empty(),
            "examples wider than 79 columns:\n{}",
            long.join("\n")
        );
    }
}
