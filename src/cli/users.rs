//! The arguments of `user`: accounts, added one by one, imported, or synced from the application.

use clap::{Args, Subcommand};

use super::ProtectArgs;
use super::{BulkArgs, whole};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account (the email is trimmed and lower-cased)
    #[command(
        long_about = "Add an account by email address, optionally in an organisation (which \
must exist) and with a display name. It starts without 2FA: enroll it next.",
        after_help = "Examples:\n  twofa user add alice@example.com --org acme --name \"Alice\""
    )]
    Add {
        /// Email address
        email: String,
        /// Organisation id
        #[arg(long)]
        org: Option<String>,
        /// Display name
        #[arg(long)]
        name: Option<String>,
    },
    /// Add accounts from CSV (header email,org[,name]); all or nothing
    #[command(
        long_about = "Add accounts from a CSV file, or stdin with '-'. The header is \
email,org[,name]; org may be empty. The import is all or nothing: any bad line (named by its \
number) leaves the database unchanged. A row holds at most 64 KiB and a file at most 10 \
million lines (exit 2 past either).",
        after_help = "Examples:\n  twofa user import accounts.csv\n  \
printf 'email,org\\nbob@example.com,acme\\n' | twofa user import -"
    )]
    Import {
        /// CSV file, or - for stdin
        file: String,
    },
    /// Accounts
    #[command(
        long_about = "Accounts with their organisation, name, 2FA state and creation time, \
ordered by email and streamed.",
        after_help = "Examples:\n  twofa user list --org acme"
    )]
    List {
        /// Only this organisation
        #[arg(long)]
        org: Option<String>,
    },
    /// Delete an account and its 2FA records (its events stay in the log)
    #[command(
        long_about = "Delete the account, its TOTP secret and its recovery codes, for one EMAIL \
or every email in --from FILE (or - for stdin): the application deleted the user. The event \
log keeps the account's history. Asks on a terminal; needs --yes without one.",
        after_help = "Examples:\n  twofa user remove bob@example.com --reason \"left the company\"\n  \
twofa user remove --from leavers.txt --yes"
    )]
    Remove(BulkArgs),
    /// Change an account's email, keeping its 2FA
    #[command(
        long_about = "Change the account's email from OLD to NEW; its 2FA, recovery codes and \
history stay. Authenticator apps keep showing the old email as the account's label until it \
enrolls again; its codes stay valid.",
        after_help = "Examples:\n  twofa user rename alice@old.example.com alice@example.com"
    )]
    Rename {
        /// The account's email now
        old: String,
        /// Its new email
        new: String,
    },
    /// Move an account to another organisation, or to none
    #[command(
        long_about = "Move the account to organisation ORG (--org) or out of any (--no-org). The \
policy of the new organisation applies from now on: moving into an organisation that requires \
2FA starts that organisation's grace period for the account.",
        after_help = "Examples:\n  twofa user move alice@example.com --org acme\n  \
twofa user move alice@example.com --no-org"
    )]
    Move {
        /// Email address of the account
        email: String,
        /// The organisation to move it to
        #[arg(long, required_unless_present = "no_org", conflicts_with = "no_org")]
        org: Option<String>,
        /// Move it out of any organisation
        #[arg(long)]
        no_org: bool,
    },
    /// Make twofa's accounts follow the application's users table
    #[command(
        long_about = "Run SQL, a read-only SELECT returning the columns email, org and optionally \
name and external_id (the application's stable user id; any SQL type, compared as text), on \
the account database or on --source (another SQLite path, a postgres:// or a mysql:// URL), and make \
twofa's accounts follow it in one transaction: new users are added, org and name are \
updated (organisations the application names are added), and accounts the application no \
longer has are reported as orphaned; --prune removes them. When external_id differs from the \
one stored for the same email, the application re-created that user: its old 2FA credential \
and recovery codes are revoked (reused) so the new user never inherits them. A query that \
could write is refused (exit 2) and does not run (a server runs it in a READ ONLY \
transaction); an SQLite source is opened read-only. A \
name that breaks the text rules (control or format characters, over 200 characters) is \
not stored (the account is synced, its name left empty or as it was) and is listed under \
rejected_names. --dry-run reports the same and changes nothing. Exit 0 when the sync \
completed, orphans or not.",
        after_help = "Examples:\n  \
twofa user sync --dry-run \\\n      --query \"SELECT email, team AS org, id AS external_id FROM users\"\n  \
twofa user sync --prune \\\n      --query \"SELECT email, org, name FROM users WHERE active\"\n  \
twofa user sync --source postgres://app@db/app \\\n      --query \"SELECT email, org FROM users\""
    )]
    Sync(SyncArgs),
    /// Exempt an account from its organisation's 2FA requirement until a date
    #[command(
        long_about = "Exempt one account (a service account, someone on leave) from its \
organisation's 2FA requirement until a date, at most 365 days ahead: until then it is not \
required, so it counts as compliant and 'remind' and 'audit --non-compliant' leave it out. \
When the date passes it is required again by itself, with the deadline it had. --clear ends \
an exemption now. Both are logged (user.exempt, user.exempt.clear).",
        after_help = "Examples:\n  \
twofa user exempt svc-backup@example.com --days 90 --reason \"service account\"\n  \
twofa user exempt bob@example.com --until 2027-03-01 --reason \"on leave\"\n  \
twofa user exempt bob@example.com --clear"
    )]
    Exempt(ExemptArgs),

    /// Protect an account (admins, executives): its reset, access code and exemption need approval
    #[command(
        long_about = "A protected account needs the approval of one other operator or more \
(its organisation's --approvals, at least one) for a reset, an access code or an exemption, \
in any organisation: the command files a request and exits 4 (see 'twofa requests'). \
--clear ends the protection, and needs that approval too.",
        after_help = "Examples:\n  twofa user protect ceo@example.com --reason \"executive\"\n  \
twofa user protect ceo@example.com --clear --reason \"left the board\""
    )]
    Protect(ProtectArgs),
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// A SELECT returning email, org and optionally name and external_id
    #[arg(long, value_name = "SQL")]
    pub query: String,
    /// The application's database, if not the account database: an SQLite path, a postgres:// or a mysql:// URL
    #[arg(long, value_name = "URL")]
    pub source: Option<String>,
    /// Remove the accounts the application no longer has
    #[arg(long)]
    pub prune: bool,
    /// Report what would change; change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ExemptArgs {
    /// Email address of the account
    pub email: String,
    /// Exempt until this time: RFC 3339, or a date (UTC midnight); at most 365 days ahead
    #[arg(
        long,
        value_name = "TIME",
        conflicts_with_all = ["days", "clear"],
        required_unless_present_any = ["days", "clear"]
    )]
    pub until: Option<String>,
    /// Exempt for N days from now (at most 365)
    #[arg(long, value_name = "N", conflicts_with = "clear", allow_negative_numbers = true,
          value_parser = whole::<u32>(1, 365, "days"))]
    pub days: Option<u32>,
    /// Why (written to the event log)
    #[arg(long, value_name = "TEXT", required_unless_present = "clear")]
    pub reason: Option<String>,
    /// End the account's exemption now
    #[arg(long)]
    pub clear: bool,
}
