//! The arguments of `org`: organisations and their policies.

use clap::{Args, Subcommand};

use super::{GRACE_DAYS_MAX, whole};

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Add an organisation
    #[command(
        long_about = "Add an organisation with the id ORG (lower-case letters, digits, '.', '_', \
'-'); its 2FA policy starts optional.",
        after_help = "Examples:\n  twofa org add acme --name \"Acme Corp\""
    )]
    Add {
        /// Organisation id: lower-case letters, digits, '.', '_', '-'
        org: String,
        /// Display name
        #[arg(long)]
        name: Option<String>,
    },
    /// Organisations with their policy and counts
    #[command(
        long_about = "Every organisation with its policy (required, grace days, since when) and \
its number of accounts and of accounts with 2FA enabled.",
        after_help = "Examples:\n  twofa org list\n  twofa org list --format json"
    )]
    List,
    /// Show or change an organisation's 2FA policy
    #[command(
        long_about = "Without options, show the policy. --require makes 2FA mandatory: accounts \
without it must enroll within the grace period (0 = at next login), after which they are \
non-compliant and 'disable' is refused. Run again, --require keeps the policy's start and, \
without --grace-days, its grace period. --dry-run lists who would become non-compliant, and \
when (and, apart, the accounts exempt from the policy), and changes nothing. On a terminal, \
--require first says how many accounts become non-compliant at once and how many within the \
grace period, and asks (--yes skips the question); a shorter grace period says whose \
deadlines move earlier, from when to when, and asks too. Without a terminal it says so and \
proceeds. --optional makes 2FA optional again; with --dry-run it lists the accounts without \
2FA that would be required no more.\n\n\
--approvals N (0-3) sets the four-eyes rule: N other operators must approve a reset, an \
access code or an exemption of the organisation's accounts, and any change that lowers N or \
makes 2FA optional; such a command files a request and exits 4 (see 'twofa requests').",
        after_help = "Examples:\n  twofa org policy acme\n  \
twofa org policy acme --require --grace-days 14 --dry-run\n  \
twofa org policy acme --require --grace-days 14\n  twofa org policy acme --optional --dry-run\n  twofa org policy acme --approvals 1   # four eyes on resets"
    )]
    Policy(PolicyArgs),
}

#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// Organisation id
    pub org: String,
    /// Make 2FA mandatory
    #[arg(long, conflicts_with = "optional")]
    pub require: bool,
    /// Days an account has to enroll after the policy starts (or after it is created), 0-3650 [default: the grace period in force; 0 for a new policy]
    #[arg(long, value_name = "N", requires = "require", allow_negative_numbers = true,
          value_parser = whole::<u32>(0, GRACE_DAYS_MAX.into(), "days"))]
    pub grace_days: Option<u32>,
    /// Make 2FA optional
    #[arg(long)]
    pub optional: bool,
    /// Other operators who must approve a reset, access code or exemption of the
    /// organisation's accounts, and a change that lowers this or makes 2FA optional (0-3)
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          value_parser = whole::<u8>(0, 3, "approvals"))]
    pub approvals: Option<u8>,
    /// Say what --require or --optional would change (who would become non-compliant, or be required no more); change nothing
    #[arg(long)]
    pub dry_run: bool,
}
