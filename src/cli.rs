//! The command-line definition (clap derive): every flag, its env var and its help.
//! It implements the commands, options and exit codes the README documents.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::policy::State;

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
twofa enroll alice@example.com --create      # QR code, then asks for the first code\n  \
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
        let mut matches = Self::command().try_get_matches()?;
        let typed =
            |m: &clap::ArgMatches| m.value_source("actor") == Some(ValueSource::CommandLine);
        let on_command_line =
            typed(&matches) || matches.subcommand().is_some_and(|(_, sub)| typed(sub));
        let from_env = |id: &str| source_of(&matches, id) == Some(ValueSource::EnvVariable);
        let (key_file_from_env, key_command_from_env) =
            (from_env("key_file"), from_env("key_command"));
        // Takes the values out of the matches rather than copying them.
        let mut cli = Self::from_arg_matches_mut(&mut matches)?;
        cli.global.key_file_from_env = key_file_from_env;
        cli.global.key_command_from_env = key_command_from_env;
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

/// The options every command accepts, before or after it: shown under their own heading.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The account database: an SQLite file, or a postgres:// URL
    #[arg(
        long,
        global = true,
        env = "TWOFA_DB",
        value_name = "PATH",
        default_value = "twofa.db"
    )]
    pub db: String,
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
    /// Only the essential output (codes, URIs, results)
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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or migrate the database and key (idempotent)
    #[command(
        long_about = "Create the account database and its key file (both mode 0600), or add \
twofa's tables to an existing database (an application's own), or migrate them to this \
version. Running it again changes nothing.",
        after_help = "Examples:\n  twofa init\n  twofa --db /srv/app/app.db init"
    )]
    Init,

    /// Organisations and their 2FA policy
    #[command(
        subcommand,
        long_about = "Organisations group accounts; each has a 2FA policy, optional by default. \
Where the policy requires 2FA, accounts must enroll within the grace period and 'disable' is \
refused.",
        after_help = "Examples:\n  twofa org add acme --name \"Acme Corp\"\n  \
twofa org policy acme --require --grace-days 14\n  twofa org list"
    )]
    Org(OrgCommand),

    /// Accounts
    #[command(
        subcommand,
        long_about = "Accounts are identified by their email address (trimmed and lower-cased) \
and may belong to an organisation.",
        after_help = "Examples:\n  twofa user add alice@example.com --org acme\n  \
twofa user import accounts.csv\n  twofa user list --org acme"
    )]
    User(UserCommand),

    /// Start (or restart) enrollment: secret, otpauth URI, QR code, then confirm
    #[command(
        long_about = "Give the account a fresh 160-bit TOTP secret and show it as an otpauth \
URI, as a QR code for the authenticator app, and in groups of four for typing in by hand. On \
a terminal (table output), twofa then asks for the first 6-digit code (3 tries; input that is \
not a 6-digit code does not count) and on success enables 2FA and shows the 10 recovery codes, once. Otherwise, or with --no-confirm, \
the enrollment stays pending for 'twofa confirm' for 15 minutes.\n\n\
Re-enrolling an account whose 2FA is enabled replaces its working secret and its recovery \
codes: it needs --yes, or a yes at the prompt.\n\n\
The QR code is drawn only when stdout is a terminal (--qr auto); into a file or a pipe \
the URI and the secret are written, with no escape sequences (--qr always draws it there \
without colour). Without colour (NO_COLOR), it is drawn with block characters in the \
terminal's text colour, for the background the terminal reports (asked with a short \
timeout; dark when it does not answer); --qr-style or TWOFA_QR_STYLE sets it.",
        after_help = "Examples:\n  twofa enroll alice@example.com --create --org acme\n  \
twofa enroll bob@example.com --no-confirm --format json | jq -r .uri\n  \
NO_COLOR=1 twofa enroll carol@example.com --qr-style light   # for a light terminal"
    )]
    Enroll(EnrollArgs),

    /// Finish a pending enrollment with a current code; shows the recovery codes once
    #[command(
        long_about = "Check a current 6-digit code against the pending enrollment; on success \
2FA is enabled and the 10 recovery codes are shown, once. The code is read from stdin when \
CODE is '-' or omitted (a prompt on a terminal).",
        after_help = "Examples:\n  twofa confirm alice@example.com        # asks for the code on a terminal\n  \
oathtool --totp -b \"$SECRET\" | twofa confirm alice@example.com -"
    )]
    Confirm(CodeArgs),

    /// Check a TOTP code or a recovery code (exit 0 accepted, 1 rejected, 5 locked)
    #[command(
        long_about = "Check a 6-digit TOTP code (the current step ±1, each step accepted once) \
or a recovery code (spent when it matches). Spaces and dashes are ignored. The code is read \
from stdin when CODE is '-' or omitted, so it never needs to appear in argv. Five failed codes \
in a row lock the account for 15 minutes.\n\n\
Exit codes: 0 accepted, 1 rejected (wrong_code, reused, not_enrolled), 2 not a code, \
3 no such account, 5 locked.\n\n\
With --batch, twofa stays running for an application or a PAM-like helper: it reads \
requests one a line on stdin, {\"email\": …, \"code\": …} or EMAIL CODE, and writes one \
verify JSON object a line on stdout, in order, each durable (committed) before it is \
written. Requests already waiting are decided in one transaction. A line that cannot be \
read or names no account is answered {\"email\", \"accepted\": false, \"error\", \
\"exit_code\"} and the batch goes on. It exits 0 at the end of stdin, 6 on a database or \
key problem.",
        after_help = "Examples:\n  twofa verify alice@example.com         # asks for the code on a terminal\n  \
twofa verify alice@example.com - --format json <<< \"$CODE\"\n  \
twofa verify --batch                   # a co-process: one request a line on stdin, one answer a line on stdout"
    )]
    Verify(VerifyArgs),

    /// Recovery codes: regenerate, or count those left
    #[command(
        subcommand,
        long_about = "Each account with 2FA has 10 one-time recovery codes, issued when its \
enrollment is confirmed and shown once. 'twofa verify' accepts them in place of a code from \
the app.",
        after_help = "Examples:\n  twofa recovery status alice@example.com\n  \
twofa recovery regenerate alice@example.com --yes"
    )]
    Recovery(RecoveryCommand),

    /// Turn 2FA off (refused where the organisation requires it)
    #[command(
        long_about = "Remove the account's TOTP secret and recovery codes. Where the account's \
organisation requires 2FA this is refused (exit 4); support staff use 'twofa reset' for a \
lost phone instead.",
        after_help = "Examples:\n  twofa disable alice@example.com --reason \"user request\"\n  \
twofa disable --from leavers.txt --yes"
    )]
    Disable(BulkArgs),

    /// Support reset (lost phone): remove secret and recovery codes, clear a lockout
    #[command(
        long_about = "The support path for a user who lost their phone: removes the TOTP secret \
and recovery codes and clears failures and lockout, at once. The account must enroll again; \
in an organisation that requires 2FA it counts as non-compliant until it does. Allowed under \
a mandatory policy. Needs --reason; asks for confirmation on a terminal, and needs --yes \
without one. With --grace-days N the account gets its own deadline N days from now (status \
and audit show it), so it stays compliant while it enrolls again.",
        after_help = "Examples:\n  twofa reset alice@example.com --reason \"lost phone, ticket 4711\"\n  \
twofa reset --from lost-phones.txt --reason \"incident 12\" --yes\n  \
twofa reset alice@example.com --reason \"new phone\" --grace-days 3   # 3 days to enroll again"
    )]
    Reset(ResetArgs),

    /// Clear a lockout after too many failed codes
    #[command(
        long_about = "Clear the lockout and the failure count of an account that had too many \
failed codes, for one EMAIL or for every email in --from FILE (or - for stdin).",
        after_help = "Examples:\n  twofa unlock alice@example.com\n  \
twofa unlock --from locked.txt"
    )]
    Unlock(BulkArgs),

    /// One account's 2FA state
    #[command(
        long_about = "One account's 2FA state: enabled, pending or disabled, when it was enrolled \
and last used, recovery codes left, lockout, and whether its organisation requires 2FA, \
by when, and whether it complies.",
        after_help = "Examples:\n  twofa status alice@example.com\n  \
twofa status alice@example.com --format json | jq .compliant"
    )]
    Status(EmailArg),

    /// Who has 2FA: one row per account, streamed
    #[command(
        long_about = "One row per account with its 2FA state, recovery codes left, lockout, and \
compliance with its organisation's policy; the table ends with a summary. Rows are written as \
they are read, so a million accounts run in flat memory. With --non-compliant the exit code \
is 1 when any row was printed, for cron jobs. --locked keeps only the accounts locked after \
too many failed codes; the filters combine.",
        after_help = "Examples:\n  twofa audit --org acme\n  \
twofa audit --non-compliant --format csv > non-compliant.csv\n  \
twofa audit --locked --org acme\n  \
twofa audit --format ndjson | jq -r 'select(.locked) | .email'"
    )]
    Audit(AuditArgs),

    /// The event log of every change, newest first; verify or prune it
    #[command(
        long_about = "Every change twofa made, newest first: when, who (--actor), what, which \
account and organisation, and why. Never a secret or a code. TIME is RFC 3339 or a date \
(2026-11-01, UTC midnight). --follow prints the matching events as they are committed, oldest \
first, until interrupted (with --limit N it starts with the newest N, with --since with those \
since then): with --format ndjson, for shipping to a SIEM. Each event carries a SHA-256 hash \
chained to the one before: 'twofa log verify' checks the chain, 'twofa log prune' removes old \
events after archiving them.",
        after_help = "Examples:\n  twofa log --user alice@example.com\n  \
twofa log --action reset --actor carol --since 2026-11-01\n  \
twofa log --follow --format ndjson | logger -t twofa\n  \
twofa log verify\n  \
twofa log prune --before 2026-01-01 --archive events-2025.ndjson --yes",
        args_conflicts_with_subcommands = true
    )]
    Log(LogArgs),

    /// Prometheus metrics: accounts by organisation and state, compliance, events
    #[command(
        long_about = "The Prometheus text exposition format, for node_exporter's textfile \
collector: accounts per organisation and state, non-compliant, locked, exempt, with few \
recovery codes left (2 or fewer), with a deadline within 7 days, and events by action (org \
label \"\" for accounts without an organisation). One pass over the accounts, in flat memory. \
With -o the file is written beside FILE and renamed over it, so the collector never reads a \
half-written file.",
        after_help = "Examples:\n  twofa metrics\n  \
twofa --db /srv/app/app.db metrics -o /var/lib/node_exporter/textfile/twofa.prom   # from cron"
    )]
    Metrics(MetricsArgs),

    /// A self-contained HTML compliance report
    #[command(
        long_about = "One HTML page with no external resources (inline CSS and SVG, no script): \
adoption per organisation as a bar chart, required against compliant accounts, upcoming \
deadlines, and the non-compliant and locked accounts and those with few recovery codes left \
(each list capped at --max-rows, with the count of the rest), with when and from which \
database it was made. Streams the accounts: a million fit in flat memory. Written to stdout, \
or with -o to FILE (written beside it and renamed over it).",
        after_help = "Examples:\n  twofa report -o compliance.html\n  \
twofa report --org acme > acme.html\n  \
chromium --headless --print-to-pdf=acme.pdf acme.html"
    )]
    Report(ReportArgs),

    /// Re-encrypt every secret under a new key (a new key file, or a key command's)
    #[command(
        long_about = "Re-encrypt every TOTP secret under a new key, in batches: with \
--new-key-file, a fresh key in PATH (created with mode 0600; refused if it exists); with \
--new-key-command, the key CMD prints (run as --key-command is: make it first, e.g. 'twofa \
key generate' into the secret store). The database records the new key's id, never where \
the key is. A killed run resumes where it stopped when run again with the same new key \
(the same --new-key-file, or a command printing the same key: its id must be the recorded \
one; another key is refused). Until it ends, each key opens only the secrets already sealed \
with it, and enroll and import seal with the key they are given (the resumed run re-seals \
those): finish a killed run first. Afterwards only the new key opens them: point --key-file \
(or TWOFA_KEY_FILE) at the new file, or move it over the old key file; or set \
--key-command (TWOFA_KEY_COMMAND) to the new command.",
        after_help = "Examples:\n  twofa rekey --new-key-file twofa.db.key.new && mv twofa.db.key.new twofa.db.key\n  \
twofa --key-command 'vault kv get -field=key secret/twofa' rekey --new-key-command 'vault kv get -field=key secret/twofa-next'\n  \
twofa check"
    )]
    Rekey(RekeyArgs),

    /// Open every secret with the key and report any that fail (exit 6)
    #[command(
        long_about = "Open every stored TOTP secret with the key file and report the accounts \
whose secret does not open (never the secret itself). Exit 6 when any fails: a check for \
backups and after a key rotation.",
        after_help = "Examples:\n  twofa check\n  twofa --key-file /backup/twofa.key check"
    )]
    Check,

    /// Deadline reminders for accounts that must still enroll (for cron)
    #[command(
        long_about = "For each account that is required to have 2FA (its organisation requires \
it and no exemption is in force), has not enabled it, and whose deadline is still ahead and at \
most DAYS days away, write one 'policy.reminder' event, so the --hook runs once for it with \
the deadline, the whole days left (rounded down) and the threshold in the event's detail. \
Each account is reminded at most once per threshold and deadline: run it as often as you \
like. When several thresholds are reached at once only the smallest is sent and the larger \
count as sent; a new deadline (a changed grace period) starts over. --dry-run lists whom it \
would remind and records nothing.",
        after_help = "Examples:\n  twofa remind --before 7,1 --dry-run\n  \
twofa --hook /usr/local/bin/mail-2fa-reminder remind --before 7,1\n  \
# crontab: every hour\n  \
0 * * * * twofa --db /srv/app/app.db --hook /usr/local/bin/mail-2fa-reminder remind --before 7,1 --quiet"
    )]
    Remind(RemindArgs),

    /// Accounts whose email or name contains TEXT
    #[command(
        long_about = "Accounts whose email or name contains TEXT, case-insensitive, as rows \
of 'user list': for a support person who has a name or part of an address.",
        after_help = "Examples:\n  twofa find alice\n  twofa find @example.com --format csv"
    )]
    Find(FindArgs),

    /// For support: an account's 2FA health, and what a code says about the phone's clock
    #[command(
        long_about = "The account's 2FA health (state, lock and until when, failed attempts, \
pending expiry, recovery codes left, stored drift) and, given a code (CODE, or '-' to read it \
from stdin), which time step it matches within ±MINUTES: the phone's clock offset, whether \
that step was used already, whether verify would take it now, and whether this machine's \
clock is NTP-synchronised; then one line of advice to read out. It never accepts, spends or \
counts a code, and logs 'diagnose' without the code. Exit 0 whenever it could diagnose.",
        after_help = "Examples:\n  twofa diagnose alice@example.com\n  \
twofa diagnose alice@example.com -          # the user reads a code out; type it in\n  \
twofa diagnose alice@example.com - --window 60 --format json"
    )]
    Diagnose(DiagnoseArgs),

    /// Store a phone's clock drift from two consecutive codes
    #[command(
        long_about = "Ask the user for two consecutive codes from the app (one, then the next \
when it changes). twofa looks for that pair within ±60 minutes and stores how far the \
phone's clock is off; verify and confirm then centre their ±1 step window on it (the window \
does not widen, and a code is still accepted only once). Reset and re-enrollment clear it. \
With '-' (or no codes) the two codes are read from stdin, one a line.",
        after_help = "Examples:\n  twofa resync alice@example.com -      # then type the two codes\n  \
printf '%s\\n' \"$FIRST\" \"$SECOND\" | twofa resync alice@example.com -"
    )]
    Resync(ResyncArgs),

    /// Issue a single-use temporary access code (lost phone while travelling)
    #[command(
        name = "access-code",
        long_about = "Issue a temporary access code for a user who cannot use their phone for \
a while: shown once, 75 random bits, stored only as an Argon2id hash, accepted once by \
'twofa verify' (method access_code) until it expires. Issuing a new one replaces the old. 2FA \
stays enabled; allowed under a mandatory policy. Needs --reason; logged on issue and on use, \
never the code.",
        after_help = "Examples:\n  twofa access-code alice@example.com --reason \"phone lost abroad, ticket 4711\"\n  \
twofa access-code alice@example.com --reason \"ticket 4712\" --ttl 12h --format json"
    )]
    AccessCode(AccessCodeArgs),

    /// Master keys: make a new one
    #[command(
        subcommand,
        long_about = "The master key encrypts every TOTP secret. It comes from a key file \
(--key-file, TWOFA_KEY_FILE), a key command that prints it (--key-command, TWOFA_KEY_COMMAND: \
Vault, a cloud KMS, pass), systemd's credential $CREDENTIALS_DIRECTORY/twofa.key, or the \
key file beside the database, in that order. 'key generate' makes a new one to put there.",
        after_help = "Examples:\n  twofa key generate | systemd-creds encrypt --name=twofa.key - /etc/credstore.encrypted/twofa.key\n  \
twofa key generate -o /etc/twofa/twofa.key"
    )]
    Key(KeyCommand),

    /// Generate shell completions or man pages from this definition
    #[command(hide = true, subcommand)]
    Generate(GenerateCommand),
    /// Import existing TOTP enrollments from another system (otpauth URIs or CSV)
    #[command(
        long_about = "Migrate enrollments from another system without a new QR code: FILE (or - \
for stdin) holds either otpauth://totp/ URIs, one a line (the account is the label's \
'Issuer:email' or 'email'; blank lines and '#' comments are skipped), or CSV with the header \
email,uri or email,secret (base32 in any case; spaces and padding are ignored). Each account \
gets enabled 2FA with that secret, sealed like any other, and no recovery codes: issue them \
with 'twofa recovery regenerate EMAIL'.\n\n\
Only SHA1, 6 digits and a 30 s period are accepted (what every authenticator app honours), \
and secrets of at least 80 bits (a warning under 128). The import is all or nothing: every \
bad line is reported, by number, and nothing changes (exit 2 for bad input, 3 for a missing \
account without --create, 4 for an account whose 2FA is enabled without --yes: the first \
bad line's code). --create adds missing accounts, into --org if given.",
        after_help = "Examples:\n  twofa import enrollments.txt --create --org acme\n  \
twofa import authelia.csv --yes          # email,secret; --yes replaces enabled 2FA\n  \
twofa export --yes > backup.csv && twofa --db new.db import backup.csv --create"
    )]
    Import(ImportArgs),

    /// Write the enabled accounts' secrets as CSV email,uri (leave twofa, or restore)
    #[command(
        long_about = "Write CSV with the header email,uri (an otpauth URI in the Key Uri Format, \
with --issuer) for every account with 2FA enabled, or one account (--user) or organisation \
(--org), to stdout, for 'twofa import' elsewhere or another system. The file holds the TOTP \
secrets in the clear: export needs --yes, refuses to write to a terminal, and logs one \
'export' event per account. Keep the file mode 0600 and destroy it when done \
(shred -u FILE).",
        after_help = "Examples:\n  (umask 077; twofa export --yes > twofa-secrets.csv)\n  \
twofa export --org acme --yes | ssh new-host 'twofa import - --create'\n  \
twofa export --user alice@example.com --yes --format json > alice.json"
    )]
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// otpauth URIs one a line, or CSV email,uri or email,secret; - for stdin
    pub file: String,
    /// Add missing accounts (and the database)
    #[arg(long)]
    pub create: bool,
    /// Organisation of the accounts --create adds
    #[arg(long, requires = "create")]
    pub org: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Only this account
    #[arg(long, value_name = "EMAIL", conflicts_with = "org")]
    pub user: Option<String>,
    /// Only this organisation
    #[arg(long)]
    pub org: Option<String>,
}

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
non-compliant and 'disable' is refused. --dry-run lists who would become non-compliant, and \
when (and, apart, the accounts exempt from the policy), and changes nothing. On a terminal, \
--require first says how many accounts become non-compliant at once and how many within the \
grace period, and asks (--yes skips the question); without a terminal it proceeds. \
--optional makes 2FA optional again.",
        after_help = "Examples:\n  twofa org policy acme\n  \
twofa org policy acme --require --grace-days 14 --dry-run\n  \
twofa org policy acme --require --grace-days 14\n  twofa org policy acme --optional"
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
    /// Days an account has to enroll after the policy starts (or after it is created), 0-3650
    #[arg(long, value_name = "N", requires = "require", value_parser = grace_days)]
    pub grace_days: Option<u32>,
    /// Make 2FA optional
    #[arg(long)]
    pub optional: bool,
    /// List who would become non-compliant; change nothing
    #[arg(long, requires = "require")]
    pub dry_run: bool,
}

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
number) leaves the database unchanged.",
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
the account database or on --source (another SQLite path or a postgres:// URL), and make \
twofa's accounts follow it in one transaction: new users are added, org and name are \
updated (organisations the application names are added), and accounts the application no \
longer has are reported as orphaned; --prune removes them. When external_id differs from the \
one stored for the same email, the application re-created that user: its old 2FA credential \
and recovery codes are revoked (reused) so the new user never inherits them. A query that \
could write is refused (exit 2) and does not run. --dry-run reports the same and changes \
nothing. Exit 0 when the sync completed, orphans or not.",
        after_help = "Examples:\n  twofa user sync --query \"SELECT email, team AS org, id AS external_id FROM users\" --dry-run\n  \
twofa user sync --query \"SELECT email, org, name FROM users WHERE active\" --prune\n  \
twofa user sync --source postgres://app@db/app --query \"SELECT email, org FROM users\""
    )]
    Sync(SyncArgs),
    /// Exempt an account from its organisation's 2FA requirement until a date
    #[command(
        long_about = "Exempt one account (a service account, someone on leave) from its \
organisation's 2FA requirement until a date, at most 365 days ahead: until then it is not \
required, so it counts as compliant and 'remind' and 'audit --non-compliant' leave it out. \
When the date passes it is required again by itself, with the deadline it had. --clear ends \
an exemption now. Both are logged (user.exempt, user.exempt_cleared).",
        after_help = "Examples:\n  twofa user exempt svc-backup@example.com --days 90 --reason \"service account, ticket 812\"\n  \
twofa user exempt bob@example.com --until 2027-03-01T00:00:00Z --reason \"parental leave\"\n  \
twofa user exempt bob@example.com --clear"
    )]
    Exempt(ExemptArgs),
}

#[derive(Debug, Args)]
pub struct ExemptArgs {
    /// Email address of the account
    pub email: String,
    /// Exempt until this time (RFC 3339, at most 365 days ahead)
    #[arg(
        long,
        value_name = "RFC3339",
        conflicts_with_all = ["days", "clear"],
        required_unless_present_any = ["days", "clear"]
    )]
    pub until: Option<String>,
    /// Exempt for N days from now (at most 365)
    #[arg(long, value_name = "N", conflicts_with = "clear")]
    pub days: Option<u32>,
    /// Why (written to the event log)
    #[arg(long, value_name = "TEXT", required_unless_present = "clear")]
    pub reason: Option<String>,
    /// End the account's exemption now
    #[arg(long)]
    pub clear: bool,
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// Remind when the deadline is at most this many days away (comma-separated: 7,1)
    #[arg(
        long,
        value_name = "DAYS[,DAYS...]",
        value_delimiter = ',',
        required = true,
        value_parser = clap::value_parser!(u32).range(1..=3650)
    )]
    pub before: Vec<u32>,
    /// Only this organisation
    #[arg(long)]
    pub org: Option<String>,
    /// List whom it would remind; record and notify nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct EnrollArgs {
    /// Email address of the account
    pub email: String,
    /// Add the account (and the database) if missing
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
}

#[derive(Debug, Args)]
pub struct CodeArgs {
    /// Email address of the account
    pub email: String,
    /// The code; '-' or omitted reads it from stdin
    pub code: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Email address of the account
    #[arg(required_unless_present = "batch")]
    pub email: Option<String>,
    /// The code; '-' or omitted reads it from stdin
    pub code: Option<String>,
    /// Answer requests from stdin, one a line, until it ends (a co-process)
    #[arg(long, conflicts_with_all = ["email", "code"])]
    pub batch: bool,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// A SELECT returning email, org and optionally name and external_id
    #[arg(long, value_name = "SQL")]
    pub query: String,
    /// The application's database, if not the account database: an SQLite path or a postgres:// URL
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
twofa recovery regenerate alice@example.com --yes --format json | jq -r '.recovery_codes[]'"
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
    /// Read emails from FILE (or - for stdin), one a line; '#' comments and blank lines ignored
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
    /// Give the account its own deadline N days from now to enroll again (0-3650)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=3650))]
    pub grace_days: Option<u32>,
}

#[derive(Debug, Args)]
pub struct FindArgs {
    /// Text to look for in emails and names (case-insensitive)
    pub text: String,
}

#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// Email address of the account
    pub email: String,
    /// A code from the user's app to examine; '-' reads it from stdin; omitted: none
    pub code: Option<String>,
    /// How far to look each way for the code's time step, in minutes (at most 1440)
    #[arg(long, value_name = "MINUTES", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(0..=1440))]
    pub window: u32,
}

#[derive(Debug, Args)]
pub struct ResyncArgs {
    /// Email address of the account
    pub email: String,
    /// Two consecutive codes, or '-' (or nothing) to read them from stdin, one a line
    #[arg(num_args = 0..=2, value_name = "CODE1 CODE2|-")]
    pub codes: Vec<String>,
}

#[derive(Debug, Args)]
pub struct AccessCodeArgs {
    /// Email address of the account
    pub email: String,
    /// Why (written to the event log): who asked, and how their identity was checked
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// How long the code works: 30m, 12h, 2d (at most 7d)
    #[arg(long, value_name = "DURATION", default_value = "1h")]
    pub ttl: String,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only this organisation
    #[arg(long)]
    pub org: Option<String>,
    /// Only accounts in this state
    #[arg(long, value_enum)]
    pub state: Option<State>,
    /// Only non-compliant accounts; exit 1 when any is printed
    #[arg(long)]
    pub non_compliant: bool,
    /// Only accounts locked after too many failed codes
    #[arg(long)]
    pub locked: bool,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    #[command(subcommand)]
    pub command: Option<LogCommand>,
    /// Only events of this account
    #[arg(long, value_name = "EMAIL")]
    pub user: Option<String>,
    /// Only events at or after this time (RFC 3339 or a date, UTC midnight)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// At most N events (the newest)
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// Only events of accounts in this organisation
    #[arg(long, value_name = "ORG")]
    pub org: Option<String>,
    /// Only this action, or this family of actions ('verify' includes 'verify.failed')
    #[arg(long, value_name = "ACTION")]
    pub action: Option<String>,
    /// Only events by this actor: `--actor NAME` given on the command line (the global
    /// option; TWOFA_ACTOR does not filter). Set by [`Cli::try_parse_args`].
    #[arg(skip)]
    pub actor: Option<String>,
    /// Only events before this time (RFC 3339 or a date, UTC midnight)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Keep printing events as they are committed, oldest first, until interrupted
    #[arg(long, short = 'f')]
    pub follow: bool,
}

#[derive(Debug, Subcommand)]
pub enum LogCommand {
    /// Check the event log's hash chain (exit 6 naming the first bad event)
    #[command(
        long_about = "Recompute every event's SHA-256 hash over its content and the hash of the \
event before it, from the chain's anchor to its newest event. Exit 0 when the chain is \
intact; exit 6 naming the first event that was changed, removed or inserted (an event that \
was removed is noticed at the one after it; removed newest events, at the end).",
        after_help = "Examples:\n  twofa log verify\n  twofa log verify --format json"
    )]
    Verify,
    /// Delete events older than TIME, after archiving them
    #[command(
        long_about = "Delete the events before TIME, oldest first (up to the first event at or \
after TIME, so that the chain stays one piece), in one transaction. With --archive they are \
first written to FILE (ndjson: the log rows with their id and hash; a new file, mode 0600) \
and synced to disk. The last pruned event's hash becomes the chain's anchor, so 'log verify' \
still passes; a 'log.pruned' event records the prune. Destructive: asks on a terminal, and \
needs --yes without one.",
        after_help = "Examples:\n  twofa log prune --before 2026-01-01 --archive events-2025.ndjson\n  \
twofa log prune --before 2025-07-01T00:00:00Z --yes"
    )]
    Prune(LogPruneArgs),
}

#[derive(Debug, Args)]
pub struct LogPruneArgs {
    /// Delete the events before this time (RFC 3339 or a date, UTC midnight)
    #[arg(long, value_name = "TIME")]
    pub before: String,
    /// Write the events to this new file (ndjson) and sync it before deleting them
    #[arg(long, value_name = "FILE")]
    pub archive: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// Write to FILE (atomically: a temporary file renamed over it) instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Only this organisation
    #[arg(long)]
    pub org: Option<String>,
    /// Write to FILE (atomically: a temporary file renamed over it) instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Rows per list of accounts, at most (the rest are counted)
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_rows: usize,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct RekeyArgs {
    /// The new key file to create (or, to resume a killed rotation, the one it created, named again)
    #[arg(long, value_name = "PATH")]
    pub new_key_file: Option<PathBuf>,
    /// Run CMD (through sh -c, as --key-command) for the new key: base64 or hex on its stdout
    #[arg(long, value_name = "CMD")]
    pub new_key_command: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// A new random key: base64 on stdout, or into a new file (mode 0600)
    #[command(
        long_about = "Make a new 256-bit key from the operating system's random source and \
print it as base64 (one line, as 'wg genkey' does) to put into a secret store, or, with -o, \
write that line into FILE, created with mode 0600 (refused if FILE exists). Its key id \
(the id messages and 'twofa check' use) is shown on stderr. --format does not change the \
output: it is the key alone. On a terminal it warns first: the key stays in the \
scrollback.",
        after_help = "Examples:\n  twofa key generate | vault kv put secret/twofa key=-\n  \
twofa key generate -o /etc/twofa/twofa.key\n  \
twofa key generate | systemd-creds encrypt --name=twofa.key - /etc/credstore.encrypted/twofa.key"
    )]
    Generate(KeyGenerateArgs),
}

#[derive(Debug, Args)]
pub struct KeyGenerateArgs {
    /// Write the key to FILE (created with mode 0600; refused if it exists) instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// Shell completions (bash, zsh, fish, elvish, PowerShell) into DIR
    Completions { dir: PathBuf },
    /// Man pages (twofa.1 and one per subcommand) into DIR
    Man { dir: PathBuf },
}

/// The longest grace period, in days (ten years): deadlines stay printable times.
pub const GRACE_DAYS_MAX: u32 = 3650;

/// Parses `--grace-days`: 0 to [`GRACE_DAYS_MAX`].
fn grace_days(s: &str) -> Result<u32, String> {
    match s.trim().parse::<u32>() {
        Ok(n) if n <= GRACE_DAYS_MAX => Ok(n),
        _ => Err(format!(
            "{} is not a number of days from 0 to {GRACE_DAYS_MAX}",
            crate::text::quote(s)
        )),
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
}
