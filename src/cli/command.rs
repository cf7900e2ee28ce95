//! The top-level commands, each with its description and examples; their arguments are in the files of their groups.

use clap::Subcommand;

use super::{
    AccessCodeArgs, ApproveArgs, AuditArgs, BulkArgs, CodeArgs, DenyArgs, DeviceCommand,
    DiagnoseArgs, EmailArg, EnrollArgs, ExportArgs, FindArgs, GenerateCommand, ImportArgs,
    KeyCommand, LogArgs, MetricsArgs, OrgCommand, RecoveryCommand, RekeyArgs, RemindArgs,
    ReportArgs, RequestsArgs, ResetArgs, ResyncArgs, UserCommand, VerifyArgs,
};

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
        long_about = "Accounts are identified by their email address (trimmed and lower-cased; one \
that reads the same as an existing account's, by its Unicode TS #39 confusable skeleton, is \
refused with exit 4) \
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
NO_COLOR=1 twofa enroll carol@example.com --qr-style light   # light terminal"
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

    /// Check a TOTP code, a recovery code or an access code (exit 0 accepted, 1 rejected, 5 locked)
    #[command(
        long_about = "Check a 6-digit TOTP code (the current step ±1, each step accepted once), \
a recovery code (16 characters, spent when it matches) or a temporary access code from \
'twofa access-code' (15 characters, used up when it matches). Spaces and dashes are ignored. \
The code is read from stdin when CODE is '-' or omitted, so it never needs to appear in argv. \
Five failed codes in a row lock the account for 15 minutes; a locked account's answer says \
until when (locked_until).\n\n\
Exit codes: 0 accepted, 1 rejected (wrong_code, reused, not_enrolled), 2 not a code, \
3 no such account, 5 locked.\n\n\
With --batch, twofa stays running for an application or a PAM-like helper: it reads \
requests one a line on stdin, {\"email\": …, \"code\": …} or EMAIL CODE, and writes one \
verify JSON object a line on stdout, in order, each durable (committed) before it is \
written. Every line gets exactly one answer, in order. Requests already waiting are decided \
in one transaction. A line that cannot be read (a blank one, one longer than 1 KiB) or names \
no account is answered {\"email\", \"accepted\": false, \"error\", \"exit_code\"} and the \
batch goes on; the error never repeats a code or a field that may be one, nor names another \
account. The hook (--hook) runs after the answers are written, on a thread of its own, in \
commit order; at the end of stdin twofa waits for it. It exits 0 at the end of stdin, 6 on a \
database or key problem.",
        after_help = "Examples:\n  twofa verify alice@example.com         # asks for the code on a terminal\n  \
twofa verify alice@example.com - --format json <<< \"$CODE\"\n  \
twofa verify --batch   # a co-process: a request a line in, an answer out"
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

    /// An account's TOTP devices: list, rename, remove
    #[command(
        subcommand,
        long_about = "An account may have up to 5 TOTP devices (a phone, a backup phone, a \
tablet), each with its own secret; 'twofa verify' accepts a code from any enabled one, with one \
failure count and one lockout for the account. 'twofa enroll EMAIL --device NAME' adds one.",
        after_help = "Examples:\n  twofa enroll alice@example.com --device tablet\n  \
twofa device list alice@example.com\n  \
twofa device remove alice@example.com tablet --reason \"lost\""
    )]
    Device(DeviceCommand),

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
without one. With --grace-days N the account's deadline becomes the later of the one in \
force and N days from now (status and audit show it), so it stays compliant while it enrolls \
again; a reset never shortens a deadline.",
        after_help = "Examples:\n  twofa reset alice@example.com --reason \"lost phone, ticket 4711\"\n  \
twofa reset --from lost-phones.txt --reason \"incident 12\" --yes\n  \
twofa reset alice@example.com --reason \"new phone\" --grace-days 3"
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
account and organisation, and why. Never a secret or a code. --action takes an action \
(reset, verify.rejected, user.remove, …; an unknown one is exit 2 listing them all) or a \
family of them (verify, user), and the names of earlier versions. TIME is RFC 3339 or a date \
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
twofa --db /srv/app/app.db metrics \\\n      -o /var/lib/node_exporter/textfile/twofa.prom    # from cron"
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
        after_help = "Examples:\n  twofa rekey --new-key-file twofa.db.key.new\n  \
mv twofa.db.key.new twofa.db.key\n  \
twofa --key-command 'vault kv get -field=key secret/twofa' \\\n      \
rekey --new-key-command 'vault kv get -field=key secret/twofa-next'\n  \
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
# crontab: every hour; cron mails only failures\n  \
TWOFA_DB=/srv/app/app.db\n  \
0 * * * * twofa --hook mail-2fa-reminder remind --before 7,1 --quiet"
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
counts a code, and logs 'diagnose' without the code. Exit 0 whenever it could diagnose.\n\n\
A code is reported as already used only where verify would refuse it as reused (inside its \
window); a step outside it is the phone's clock offset. Since it tests many steps, it is no \
oracle: it evaluates no code of a locked account (matches null) and at most 10 codes per \
account per hour (exit 4 after, saying when it can again; a diagnosis without a code still \
works).",
        after_help = "Examples:\n  twofa diagnose alice@example.com\n  \
twofa diagnose alice@example.com -   # the user reads a code out; type it in\n  \
twofa diagnose alice@example.com - --window 60 --format json"
    )]
    Diagnose(DiagnoseArgs),

    /// Store a phone's clock drift from two consecutive codes
    #[command(
        long_about = "Ask the user for two consecutive codes from the app (one, then the next \
when it changes). twofa looks for that pair within ±60 minutes and stores how far the \
phone's clock is off; verify and confirm then centre their ±1 step window on it (the window \
does not widen, and a code is still accepted only once; the two codes given are spent, as \
accepted codes are). Reset and re-enrollment clear it. \
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
stays enabled; allowed under a mandatory policy. Needs --reason; logged on issue, on use and \
on revocation, never the code.\n\n\
An access code dies with the credential it was issued for: confirming a new secret, an \
import over it, reset, disable and user remove revoke it. --revoke cancels it at once \
(exit 0; an account without a live access code is left as it is, also exit 0).",
        after_help = "Examples:\n  twofa access-code alice@example.com --reason \"phone lost abroad, ticket 4711\"\n  \
twofa access-code alice@example.com --reason \"ticket 4712\" --ttl 12h \\\n      --format json\n  \
twofa access-code alice@example.com --revoke \\\n      --reason \"phone found, ticket 4711\""
    )]
    AccessCode(AccessCodeArgs),

    /// Master keys: make a new one
    #[command(
        subcommand,
        long_about = "The master key encrypts every TOTP secret. It comes from a key file \
(--key-file, TWOFA_KEY_FILE), a key command that prints it (--key-command, TWOFA_KEY_COMMAND: \
Vault, a cloud KMS, pass), systemd's credential $CREDENTIALS_DIRECTORY/twofa.key, or the \
key file beside the database, in that order. 'key generate' makes a new one to put there.",
        after_help = "Examples:\n  twofa key generate | systemd-creds encrypt --name=twofa.key - \\\n      \
/etc/credstore.encrypted/twofa.key\n  \
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
email,uri or email,secret (base32 in any case; spaces and padding are ignored) and, optionally, \
the columns device (the device's name, default 'default'; one row a device), org and name (for \
the accounts --create adds). A row whose email disagrees with an email in its URI's label is \
refused. Each device gets enabled 2FA with that secret, sealed like any other, and the account \
no recovery codes: issue them with 'twofa recovery regenerate EMAIL'.\n\n\
Only SHA1, 6 digits and a 30 s period are accepted (what every authenticator app honours), \
and secrets of at least 80 bits (a warning under 128). The import is all or nothing: every \
bad line is reported, by number, and nothing changes (exit 2 for bad input, 3 for a missing \
account without --create, 4 for an account whose 2FA is enabled without --yes: the first \
bad line's code). Errors name the line and the rule, never a field's text (any field may be a \
secret). A line holds at most 64 KiB and a file at most 10 million lines (exit 2 past either, \
nothing imported). --create adds missing accounts, into their org column's organisation \
(created when missing) or else --org, with their name column's name.",
        after_help = "Examples:\n  twofa import enrollments.txt --create --org acme\n  \
twofa import authelia.csv --yes   # email,secret; --yes replaces enabled 2FA\n  \
twofa export --yes -o backup.csv\n  \
twofa --db new.db init && twofa --db new.db import backup.csv --create"
    )]
    Import(ImportArgs),

    /// Write the enabled devices' secrets as CSV email,uri,device,org,name (leave twofa, or restore)
    #[command(
        long_about = "Write CSV with the header email,uri,device,org,name (an otpauth URI in the \
Key Uri Format, with --issuer; one row for each enabled device) for every account with 2FA \
enabled, or one account (--user) or organisation (--org), to stdout or a new file (-o FILE), \
for 'twofa import' elsewhere or another system. The file holds the TOTP secrets in the clear: \
export needs --yes, refuses to write to a terminal, and logs one 'export' event per row. -o FILE creates FILE with mode 0600 \
whatever the umask, refuses one that exists (exit 2), and writes it whole or not at all; to \
stdout, a file that group or others can read draws a warning. Destroy the file when done \
(shred -u FILE).",
        after_help = "Examples:\n  twofa export --yes -o twofa-secrets.csv\n  \
twofa export --org acme --yes | ssh new-host 'twofa import - --create'\n  \
twofa export --user alice@example.com --yes --format json -o alice.json"
    )]
    Export(ExportArgs),

    /// Requests waiting for approval (the four-eyes rule); all of them with --all
    #[command(
        long_about = "Where an organisation requires approvals (org policy --approvals N) or an \
account is protected (user protect), a reset, an access code, an exemption or a relaxed \
policy is filed as a request instead of acting. This lists the pending requests (all of \
them with --all), each with who asked, when it expires (24 hours after) and who approved it.",
        after_help = "Examples:\n  twofa requests\n  twofa requests --all --format json"
    )]
    Requests(RequestsArgs),

    /// Approve a request; the last approval needed runs its action
    #[command(
        long_about = "Approve a request filed by another operator. The approver is the login \
identity ($SUDO_USER under sudo, else the process's user), never --actor: an --actor naming \
someone else is refused (exit 2), and TWOFA_ACTOR is ignored. No one approves their own request or \
approves twice (exit 4); an expired, denied or approved request cannot run (exit 4), an \
unknown one exits 3. With the last approval needed, the action runs in the transaction of \
the approval and prints what the command prints: an access code is shown to the approver, \
once.",
        after_help = "Examples:\n  twofa requests\n  sudo -u twofa twofa approve 7 --reason \"called back on the number on file\""
    )]
    Approve(ApproveArgs),

    /// Deny a request; its action never runs
    #[command(
        long_about = "Deny a pending request: it never runs. The requester may withdraw their \
own request this way. The operator is the login identity, as for approve.",
        after_help = "Examples:\n  twofa deny 7 --reason \"caller could not answer the security questions\""
    )]
    Deny(DenyArgs),
}
