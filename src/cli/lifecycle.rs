//! The arguments of a credential's life cycle: enroll, confirm, verify, recovery codes, disable, reset, unlock, status.

use clap::{Args, Subcommand};

use super::{GRACE_DAYS_MAX, QrMode, whole};

#[derive(Debug, Args)]
pub struct EnrollArgs {
    /// Email address of the account
    pub email: String,
    /// Add the account if missing (and the database, when none was named: ./twofa.db)
    #[arg(long)]
    pub create: bool,
    /// Organisation of an account created with --create
    #[arg(long, requires = "create")]
    pub org: Option<String>,
    /// When to draw the QR code
    #[arg(long, value_enum, default_value_t = QrMode::Auto)]
    pub qr: QrMode,
    /// The terminal background the colourless QR code is drawn for [default: asked of the terminal, else dark]
    #[arg(long, value_enum, env = "TWOFA_QR_STYLE", value_name = "STYLE")]
    pub qr_style: Option<crate::qr::QrStyle>,
    /// Leave the enrollment pending for 'twofa confirm'; do not ask for a code
    #[arg(long)]
    pub no_confirm: bool,
    /// The device to enroll: a new name adds one (at most 5), an existing one re-enrolls it [default: default]
    #[arg(long, value_name = "NAME")]
    pub device: Option<String>,
}

#[derive(Debug, Args)]
pub struct CodeArgs {
    /// Email address of the account
    pub email: String,
    /// The code; '-' or omitted reads it from stdin
    pub code: Option<String>,
    /// The device whose enrollment to finish [default: the one pending]
    #[arg(long, value_name = "NAME")]
    pub device: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Email address of the account
    #[arg(required_unless_present = "batch")]
    pub email: Option<String>,
    /// The code (TOTP, recovery or access code); '-' or omitted reads it from stdin
    pub code: Option<String>,
    /// Answer requests from stdin, one a line, until it ends (a co-process)
    #[arg(long, conflicts_with_all = ["email", "code"])]
    pub batch: bool,
}

#[derive(Debug, Args)]
pub struct EmailArg {
    /// Email address of the account
    pub email: String,
}

#[derive(Debug, Subcommand)]
pub enum RecoveryCommand {
    /// Replace the recovery codes with 10 new ones and show them, once
    #[command(
        long_about = "Replace all recovery codes of an account with 2FA enabled by 10 new ones, \
in one transaction, and show them once. Every previous code stops working, so on a terminal \
it asks first; without one it needs --yes.",
        after_help = "Examples:\n  twofa recovery regenerate alice@example.com\n  \
twofa recovery regenerate alice@example.com --yes --format json \\\n      | jq -r '.recovery_codes[]'"
    )]
    Regenerate(EmailArg),
    /// How many recovery codes are left (never the codes)
    #[command(
        long_about = "How many of the account's recovery codes are left; never the codes. Warns \
when 2 or fewer remain.",
        after_help = "Examples:\n  twofa recovery status alice@example.com"
    )]
    Status(EmailArg),
}

#[derive(Debug, Args)]
pub struct BulkArgs {
    /// Email address of the account
    #[arg(required_unless_present = "from", conflicts_with = "from")]
    pub email: Option<String>,
    /// Read emails from FILE (or - for stdin), one a line; '#' comments and blank lines ignored; at most a million lines of 64 KiB
    #[arg(long, value_name = "FILE")]
    pub from: Option<String>,
    /// Why (written to the event log)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

/// `reset`: the bulk arguments and an own deadline.
#[derive(Debug, Args)]
pub struct ResetArgs {
    #[command(flatten)]
    pub bulk: BulkArgs,
    /// Give the account at least N days from now to enroll again (0-3650); a later deadline in force stays
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          value_parser = whole::<u32>(0, GRACE_DAYS_MAX.into(), "days"))]
    pub grace_days: Option<u32>,
}
