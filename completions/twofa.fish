# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_twofa_global_optspecs
    string join \n db= key-file= key-command= format= actor= y/yes q/quiet issuer= hook= h/help V/version
end

function __fish_twofa_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_twofa_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_twofa_using_subcommand
    set -l cmd (__fish_twofa_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c twofa -n "__fish_twofa_needs_command" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_needs_command" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_needs_command" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_needs_command" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_needs_command" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_needs_command" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_needs_command" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_needs_command" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_needs_command" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_needs_command" -s V -l version -d 'Print version'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "init" -d 'Create or migrate the database and key (idempotent)'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "org" -d 'Organisations and their 2FA policy'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "user" -d 'Accounts'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "enroll" -d 'Start (or restart) enrollment: secret, otpauth URI, QR code, then confirm'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "confirm" -d 'Finish a pending enrollment with a current code; shows the recovery codes once'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "verify" -d 'Check a TOTP code, a recovery code or an access code (exit 0 accepted, 1 rejected, 5 locked)'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "recovery" -d 'Recovery codes: regenerate, or count those left'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "device" -d 'An account\'s TOTP devices: list, rename, remove'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "disable" -d 'Turn 2FA off (refused where the organisation requires it)'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "reset" -d 'Support reset (lost phone): remove secret and recovery codes, clear a lockout'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "unlock" -d 'Clear a lockout after too many failed codes'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "status" -d 'One account\'s 2FA state'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "audit" -d 'Who has 2FA: one row per account, streamed'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "log" -d 'The event log of every change, newest first; verify or prune it'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "metrics" -d 'Prometheus metrics: accounts by organisation and state, compliance, events'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "report" -d 'A self-contained HTML compliance report'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "rekey" -d 'Re-encrypt every secret under a new key (a new key file, or a key command\'s)'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "check" -d 'Open every secret with the key and report any that fail (exit 6)'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "remind" -d 'Deadline reminders for accounts that must still enroll (for cron)'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "find" -d 'Accounts whose email or name contains TEXT'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "diagnose" -d 'For support: an account\'s 2FA health, and what a code says about the phone\'s clock'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "resync" -d 'Store a phone\'s clock drift from two consecutive codes'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "access-code" -d 'Issue a single-use temporary access code (lost phone while travelling)'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "key" -d 'Master keys: make a new one'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "import" -d 'Import existing TOTP enrollments from another system (otpauth URIs or CSV)'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "export" -d 'Write the enabled devices\' secrets as CSV email,uri,device,org,name (leave twofa, or restore)'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "requests" -d 'Requests waiting for approval (the four-eyes rule); all of them with --all'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "approve" -d 'Approve a request; the last approval needed runs its action'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "deny" -d 'Deny a request; its action never runs'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand init" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand init" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand init" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand init" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand init" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand init" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand init" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand init" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand init" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from add list policy help" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from add list policy help" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from add list policy help" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from add list policy help" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from add list policy help" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from add list policy help" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from add list policy help" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from add list policy help" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from add list policy help" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from add list policy help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from add list policy help" -f -a "add" -d 'Add an organisation'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from add list policy help" -f -a "list" -d 'Organisations with their policy and counts'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from add list policy help" -f -a "policy" -d 'Show or change an organisation\'s 2FA policy'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from add list policy help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -l name -d 'Display name' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from list" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from list" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from list" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from list" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from list" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from list" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from list" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from policy" -l grace-days -d 'Days an account has to enroll after the policy starts (or after it is created), 0-3650 [default: the grace period in force; 0 for a new policy]' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from policy" -l approvals -d 'Other operators who must approve a reset, access code or exemption of the organisation\'s accounts, and a change that lowers this or makes 2FA optional (0-3)' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from policy" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from policy" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from policy" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from policy" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from policy" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from policy" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from policy" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from policy" -l require -d 'Make 2FA mandatory'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from policy" -l optional -d 'Make 2FA optional'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from policy" -l dry-run -d 'Say what --require or --optional would change (who would become non-compliant, or be required no more); change nothing'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from policy" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from policy" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from policy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add an organisation'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "list" -d 'Organisations with their policy and counts'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "policy" -d 'Show or change an organisation\'s 2FA policy'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -f -a "add" -d 'Add an account (the email is trimmed and lower-cased)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -f -a "import" -d 'Add accounts from CSV (header email,org[,name]); all or nothing'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -f -a "list" -d 'Accounts'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -f -a "remove" -d 'Delete an account and its 2FA records (its events stay in the log)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -f -a "rename" -d 'Change an account\'s email, keeping its 2FA'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -f -a "move" -d 'Move an account to another organisation, or to none'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -f -a "sync" -d 'Make twofa\'s accounts follow the application\'s users table'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -f -a "exempt" -d 'Exempt an account from its organisation\'s 2FA requirement until a date'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -f -a "protect" -d 'Protect an account (admins, executives): its reset, access code and exemption need approval'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add import list remove rename move sync exempt protect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -l org -d 'Organisation id' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -l name -d 'Display name' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from import" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from import" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from import" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from import" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from import" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from import" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from import" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from import" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from list" -l org -d 'Only this organisation' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from list" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from list" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from list" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from list" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from list" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from list" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from list" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -l from -d 'Read emails from FILE (or - for stdin), one a line; \'#\' comments and blank lines ignored; at most a million lines of 64 KiB' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -l reason -d 'Why (written to the event log)' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from rename" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from rename" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from rename" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from rename" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from rename" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from rename" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from rename" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from rename" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from rename" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from move" -l org -d 'The organisation to move it to' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from move" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from move" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from move" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from move" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from move" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from move" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from move" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from move" -l no-org -d 'Move it out of any organisation'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from move" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from move" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from move" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sync" -l query -d 'A SELECT returning email, org and optionally name and external_id' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sync" -l source -d 'The application\'s database, if not the account database: an SQLite path, a postgres:// or a mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sync" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sync" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sync" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sync" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sync" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sync" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sync" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sync" -l prune -d 'Remove the accounts the application no longer has'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sync" -l dry-run -d 'Report what would change; change nothing'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sync" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sync" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from exempt" -l until -d 'Exempt until this time: RFC 3339, or a date (UTC midnight); at most 365 days ahead' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from exempt" -l days -d 'Exempt for N days from now (at most 365)' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from exempt" -l reason -d 'Why (written to the event log)' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from exempt" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from exempt" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from exempt" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from exempt" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from exempt" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from exempt" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from exempt" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from exempt" -l clear -d 'End the account\'s exemption now'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from exempt" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from exempt" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from exempt" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from protect" -l reason -d 'Why (written to the event log)' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from protect" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from protect" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from protect" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from protect" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from protect" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from protect" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from protect" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from protect" -l clear -d 'End the protection (needs approval, as a reset does)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from protect" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from protect" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from protect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add an account (the email is trimmed and lower-cased)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "import" -d 'Add accounts from CSV (header email,org[,name]); all or nothing'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "list" -d 'Accounts'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Delete an account and its 2FA records (its events stay in the log)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Change an account\'s email, keeping its 2FA'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "move" -d 'Move an account to another organisation, or to none'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "sync" -d 'Make twofa\'s accounts follow the application\'s users table'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "exempt" -d 'Exempt an account from its organisation\'s 2FA requirement until a date'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "protect" -d 'Protect an account (admins, executives): its reset, access code and exemption need approval'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l org -d 'Organisation of an account created with --create' -r
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l qr -d 'When to draw the QR code' -r -f -a "auto\t'When stdout is a terminal (and the output is a table)'
always\t'Always (on stderr when the output is JSON); without colour when not on a terminal'
never\t'Never'"
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l qr-style -d 'The terminal background the colourless QR code is drawn for [default: asked of the terminal, else dark]' -r -f -a "dark\t'Light text on a dark background: the glyphs are the light modules'
light\t'Dark text on a light background: the glyphs are the dark modules'"
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l device -d 'The device to enroll: a new name adds one (at most 5), an existing one re-enrolls it [default: default]' -r
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l create -d 'Add the account if missing (and the database, when none was named: ./twofa.db)'
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l no-confirm -d 'Leave the enrollment pending for \'twofa confirm\'; do not ask for a code'
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand confirm" -l device -d 'The device whose enrollment to finish [default: the one pending]' -r
complete -c twofa -n "__fish_twofa_using_subcommand confirm" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand confirm" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand confirm" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand confirm" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand confirm" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand confirm" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand confirm" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand confirm" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand confirm" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand confirm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand verify" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand verify" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand verify" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand verify" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand verify" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand verify" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand verify" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand verify" -l batch -d 'Answer requests from stdin, one a line, until it ends (a co-process)'
complete -c twofa -n "__fish_twofa_using_subcommand verify" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand verify" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and not __fish_seen_subcommand_from regenerate status help" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and not __fish_seen_subcommand_from regenerate status help" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and not __fish_seen_subcommand_from regenerate status help" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and not __fish_seen_subcommand_from regenerate status help" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and not __fish_seen_subcommand_from regenerate status help" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and not __fish_seen_subcommand_from regenerate status help" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and not __fish_seen_subcommand_from regenerate status help" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and not __fish_seen_subcommand_from regenerate status help" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and not __fish_seen_subcommand_from regenerate status help" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and not __fish_seen_subcommand_from regenerate status help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and not __fish_seen_subcommand_from regenerate status help" -f -a "regenerate" -d 'Replace the recovery codes with 10 new ones and show them, once'
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and not __fish_seen_subcommand_from regenerate status help" -f -a "status" -d 'How many recovery codes are left (never the codes)'
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and not __fish_seen_subcommand_from regenerate status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from regenerate" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from regenerate" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from regenerate" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from regenerate" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from regenerate" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from regenerate" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from regenerate" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from regenerate" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from regenerate" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from regenerate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from status" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from status" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from status" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from status" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from status" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from status" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from status" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from status" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from help" -f -a "regenerate" -d 'Replace the recovery codes with 10 new ones and show them, once'
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from help" -f -a "status" -d 'How many recovery codes are left (never the codes)'
complete -c twofa -n "__fish_twofa_using_subcommand recovery; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand device; and not __fish_seen_subcommand_from list rename remove help" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and not __fish_seen_subcommand_from list rename remove help" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand device; and not __fish_seen_subcommand_from list rename remove help" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and not __fish_seen_subcommand_from list rename remove help" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand device; and not __fish_seen_subcommand_from list rename remove help" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and not __fish_seen_subcommand_from list rename remove help" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and not __fish_seen_subcommand_from list rename remove help" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and not __fish_seen_subcommand_from list rename remove help" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand device; and not __fish_seen_subcommand_from list rename remove help" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand device; and not __fish_seen_subcommand_from list rename remove help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand device; and not __fish_seen_subcommand_from list rename remove help" -f -a "list" -d 'The account\'s devices, with their state and last use'
complete -c twofa -n "__fish_twofa_using_subcommand device; and not __fish_seen_subcommand_from list rename remove help" -f -a "rename" -d 'Rename a device (its secret keeps working)'
complete -c twofa -n "__fish_twofa_using_subcommand device; and not __fish_seen_subcommand_from list rename remove help" -f -a "remove" -d 'Remove one device (a lost tablet) and keep the others'
complete -c twofa -n "__fish_twofa_using_subcommand device; and not __fish_seen_subcommand_from list rename remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from list" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from list" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from list" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from list" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from list" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from list" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from list" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from rename" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from rename" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from rename" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from rename" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from rename" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from rename" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from rename" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from rename" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from rename" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from remove" -l reason -d 'Why (written to the event log)' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from remove" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from remove" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from remove" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from remove" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from remove" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from remove" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from remove" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from help" -f -a "list" -d 'The account\'s devices, with their state and last use'
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename a device (its secret keeps working)'
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove one device (a lost tablet) and keep the others'
complete -c twofa -n "__fish_twofa_using_subcommand device; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l from -d 'Read emails from FILE (or - for stdin), one a line; \'#\' comments and blank lines ignored; at most a million lines of 64 KiB' -r
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l reason -d 'Why (written to the event log)' -r
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand disable" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand disable" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand reset" -l from -d 'Read emails from FILE (or - for stdin), one a line; \'#\' comments and blank lines ignored; at most a million lines of 64 KiB' -r
complete -c twofa -n "__fish_twofa_using_subcommand reset" -l reason -d 'Why (written to the event log)' -r
complete -c twofa -n "__fish_twofa_using_subcommand reset" -l grace-days -d 'Give the account at least N days from now to enroll again (0-3650); a later deadline in force stays' -r
complete -c twofa -n "__fish_twofa_using_subcommand reset" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand reset" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand reset" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand reset" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand reset" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand reset" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand reset" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand reset" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand reset" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand reset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand unlock" -l from -d 'Read emails from FILE (or - for stdin), one a line; \'#\' comments and blank lines ignored; at most a million lines of 64 KiB' -r
complete -c twofa -n "__fish_twofa_using_subcommand unlock" -l reason -d 'Why (written to the event log)' -r
complete -c twofa -n "__fish_twofa_using_subcommand unlock" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand unlock" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand unlock" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand unlock" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand unlock" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand unlock" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand unlock" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand unlock" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand unlock" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand unlock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand status" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand status" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand status" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand status" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand status" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand status" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand status" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand status" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand status" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand audit" -l org -d 'Only this organisation' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit" -l state -d 'Only accounts in this state' -r -f -a "enabled\t''
pending\t''
disabled\t''"
complete -c twofa -n "__fish_twofa_using_subcommand audit" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand audit" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand audit" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit" -l non-compliant -d 'Only non-compliant accounts; exit 1 when any is printed'
complete -c twofa -n "__fish_twofa_using_subcommand audit" -l locked -d 'Only accounts locked after too many failed codes'
complete -c twofa -n "__fish_twofa_using_subcommand audit" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand audit" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -l user -d 'Only events of this account' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -l since -d 'Only events at or after this time (RFC 3339 or a date, UTC midnight)' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -l limit -d 'At most N events (the newest)' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -l org -d 'Only events of accounts in this organisation' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -l action -d 'Only this action, or this family of actions (\'verify\' includes \'verify.rejected\'); see EVENTS in twofa(1)' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -l until -d 'Only events before this time (RFC 3339 or a date, UTC midnight)' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -s f -l follow -d 'Keep printing events as they are committed, oldest first, until interrupted'
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -f -a "verify" -d 'Check the event log\'s hash chain (exit 6 naming the first bad event)'
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -f -a "head" -d 'The newest event\'s hash, id and time, to copy elsewhere'
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -f -a "prune" -d 'Delete events older than TIME, after archiving them'
complete -c twofa -n "__fish_twofa_using_subcommand log; and not __fish_seen_subcommand_from verify head prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from verify" -l head -d 'Also require the event with this hash (from an earlier \'log head\') in the chain' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from verify" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from verify" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from verify" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from verify" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from verify" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from verify" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from verify" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from verify" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from head" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from head" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from head" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from head" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from head" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from head" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from head" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from head" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from head" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from head" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from prune" -l before -d 'Delete the events before this time (RFC 3339 or a date, UTC midnight)' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from prune" -l archive -d 'Write the events to this new file (ndjson) and sync it before deleting them' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from prune" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from prune" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from prune" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from prune" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from prune" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from prune" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from prune" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from prune" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from prune" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check the event log\'s hash chain (exit 6 naming the first bad event)'
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "head" -d 'The newest event\'s hash, id and time, to copy elsewhere'
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Delete events older than TIME, after archiving them'
complete -c twofa -n "__fish_twofa_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand metrics" -s o -l output -d 'Write to FILE (atomically: a temporary file renamed over it) instead of stdout (-)' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand metrics" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand metrics" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand metrics" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand metrics" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand metrics" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand metrics" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand metrics" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand metrics" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand metrics" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand metrics" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand report" -l org -d 'Only this organisation' -r
complete -c twofa -n "__fish_twofa_using_subcommand report" -s o -l output -d 'Write to FILE (atomically: a temporary file renamed over it) instead of stdout (-)' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand report" -l max-rows -d 'Rows per list of accounts, at most (the rest are counted)' -r
complete -c twofa -n "__fish_twofa_using_subcommand report" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand report" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand report" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand report" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand report" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand report" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand report" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand report" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand report" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand rekey" -l new-key-file -d 'The new key file to create (or, to resume a killed rotation, the one it created, named again)' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand rekey" -l new-key-command -d 'Run CMD (through sh -c, as --key-command) for the new key: base64 or hex on its stdout' -r
complete -c twofa -n "__fish_twofa_using_subcommand rekey" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand rekey" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand rekey" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand rekey" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand rekey" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand rekey" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand rekey" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand rekey" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand rekey" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand rekey" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand check" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand check" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand check" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand check" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand check" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand check" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand check" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand check" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand check" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand remind" -l before -d 'Remind when the deadline is at most this many days away (comma-separated: 7,1)' -r
complete -c twofa -n "__fish_twofa_using_subcommand remind" -l org -d 'Only this organisation' -r
complete -c twofa -n "__fish_twofa_using_subcommand remind" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand remind" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand remind" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand remind" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand remind" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand remind" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand remind" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand remind" -l dry-run -d 'List whom it would remind; record and notify nothing'
complete -c twofa -n "__fish_twofa_using_subcommand remind" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand remind" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand remind" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand find" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand find" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand find" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand find" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand find" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand find" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand find" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand find" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand find" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand find" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand diagnose" -l window -d 'How far to look each way for the code\'s time step, in minutes (at most 1440)' -r
complete -c twofa -n "__fish_twofa_using_subcommand diagnose" -l device -d 'The device the code comes from (needed when the account has several)' -r
complete -c twofa -n "__fish_twofa_using_subcommand diagnose" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand diagnose" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand diagnose" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand diagnose" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand diagnose" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand diagnose" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand diagnose" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand diagnose" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand diagnose" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand diagnose" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand resync" -l device -d 'The device the codes come from (needed when the account has several)' -r
complete -c twofa -n "__fish_twofa_using_subcommand resync" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand resync" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand resync" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand resync" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand resync" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand resync" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand resync" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand resync" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand resync" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand resync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand access-code" -l reason -d 'Why (written to the event log): who asked, and how their identity was checked' -r
complete -c twofa -n "__fish_twofa_using_subcommand access-code" -l ttl -d 'How long the code works: 30m, 12h, 2d (at most 7d)' -r
complete -c twofa -n "__fish_twofa_using_subcommand access-code" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand access-code" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand access-code" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand access-code" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand access-code" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand access-code" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand access-code" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand access-code" -l revoke -d 'Cancel the account\'s live access code instead of issuing one'
complete -c twofa -n "__fish_twofa_using_subcommand access-code" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand access-code" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand access-code" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand key; and not __fish_seen_subcommand_from generate help" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand key; and not __fish_seen_subcommand_from generate help" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand key; and not __fish_seen_subcommand_from generate help" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand key; and not __fish_seen_subcommand_from generate help" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand key; and not __fish_seen_subcommand_from generate help" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand key; and not __fish_seen_subcommand_from generate help" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand key; and not __fish_seen_subcommand_from generate help" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand key; and not __fish_seen_subcommand_from generate help" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand key; and not __fish_seen_subcommand_from generate help" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand key; and not __fish_seen_subcommand_from generate help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand key; and not __fish_seen_subcommand_from generate help" -f -a "generate" -d 'A new random key: base64 on stdout, or into a new file (mode 0600)'
complete -c twofa -n "__fish_twofa_using_subcommand key; and not __fish_seen_subcommand_from generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand key; and __fish_seen_subcommand_from generate" -s o -l output -d 'Write the key to FILE (created with mode 0600; refused if it exists) instead of stdout (-)' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand key; and __fish_seen_subcommand_from generate" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand key; and __fish_seen_subcommand_from generate" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand key; and __fish_seen_subcommand_from generate" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand key; and __fish_seen_subcommand_from generate" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand key; and __fish_seen_subcommand_from generate" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand key; and __fish_seen_subcommand_from generate" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand key; and __fish_seen_subcommand_from generate" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand key; and __fish_seen_subcommand_from generate" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand key; and __fish_seen_subcommand_from generate" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand key; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "generate" -d 'A new random key: base64 on stdout, or into a new file (mode 0600)'
complete -c twofa -n "__fish_twofa_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand import" -l org -d 'Organisation of the accounts --create adds' -r
complete -c twofa -n "__fish_twofa_using_subcommand import" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand import" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand import" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand import" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand import" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand import" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand import" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand import" -l create -d 'Add missing accounts'
complete -c twofa -n "__fish_twofa_using_subcommand import" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand import" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand export" -l user -d 'Only this account' -r
complete -c twofa -n "__fish_twofa_using_subcommand export" -l org -d 'Only this organisation' -r
complete -c twofa -n "__fish_twofa_using_subcommand export" -s o -l output -d 'Write to FILE, a new file with mode 0600 (refused if it exists), instead of stdout (-)' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand export" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand export" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand export" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand export" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand export" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand export" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand export" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand export" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand export" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand requests" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand requests" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand requests" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand requests" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand requests" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand requests" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand requests" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand requests" -l all -d 'Every request, approved, denied and expired too'
complete -c twofa -n "__fish_twofa_using_subcommand requests" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand requests" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand requests" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand approve" -l reason -d 'Why, or how the request was checked (written to the event log)' -r
complete -c twofa -n "__fish_twofa_using_subcommand approve" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand approve" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand approve" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand approve" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand approve" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand approve" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand approve" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand approve" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand approve" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand approve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand deny" -l reason -d 'Why (written to the event log)' -r
complete -c twofa -n "__fish_twofa_using_subcommand deny" -l db -d 'The account database: an SQLite file, or a postgres:// or mysql:// URL' -r
complete -c twofa -n "__fish_twofa_using_subcommand deny" -l key-file -d 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand deny" -l key-command -d 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)' -r
complete -c twofa -n "__fish_twofa_using_subcommand deny" -l format -d 'Output format' -r -f -a "table\t'Aligned text for people'
json\t'One JSON document'
ndjson\t'One JSON object a line (lists)'
csv\t'CSV with a header row (lists)'"
complete -c twofa -n "__fish_twofa_using_subcommand deny" -l actor -d 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]' -r
complete -c twofa -n "__fish_twofa_using_subcommand deny" -l issuer -d 'The service name authenticator apps show next to the account' -r
complete -c twofa -n "__fish_twofa_using_subcommand deny" -l hook -d 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand deny" -s y -l yes -d 'Answer yes to confirmations (needed for destructive commands without a terminal)'
complete -c twofa -n "__fish_twofa_using_subcommand deny" -s q -l quiet -d 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
complete -c twofa -n "__fish_twofa_using_subcommand deny" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "init" -d 'Create or migrate the database and key (idempotent)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "org" -d 'Organisations and their 2FA policy'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "user" -d 'Accounts'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "enroll" -d 'Start (or restart) enrollment: secret, otpauth URI, QR code, then confirm'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "confirm" -d 'Finish a pending enrollment with a current code; shows the recovery codes once'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "verify" -d 'Check a TOTP code, a recovery code or an access code (exit 0 accepted, 1 rejected, 5 locked)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "recovery" -d 'Recovery codes: regenerate, or count those left'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "device" -d 'An account\'s TOTP devices: list, rename, remove'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "disable" -d 'Turn 2FA off (refused where the organisation requires it)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "reset" -d 'Support reset (lost phone): remove secret and recovery codes, clear a lockout'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "unlock" -d 'Clear a lockout after too many failed codes'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "status" -d 'One account\'s 2FA state'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "audit" -d 'Who has 2FA: one row per account, streamed'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "log" -d 'The event log of every change, newest first; verify or prune it'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "metrics" -d 'Prometheus metrics: accounts by organisation and state, compliance, events'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "report" -d 'A self-contained HTML compliance report'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "rekey" -d 'Re-encrypt every secret under a new key (a new key file, or a key command\'s)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "check" -d 'Open every secret with the key and report any that fail (exit 6)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "remind" -d 'Deadline reminders for accounts that must still enroll (for cron)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "find" -d 'Accounts whose email or name contains TEXT'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "diagnose" -d 'For support: an account\'s 2FA health, and what a code says about the phone\'s clock'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "resync" -d 'Store a phone\'s clock drift from two consecutive codes'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "access-code" -d 'Issue a single-use temporary access code (lost phone while travelling)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "key" -d 'Master keys: make a new one'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "import" -d 'Import existing TOTP enrollments from another system (otpauth URIs or CSV)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "export" -d 'Write the enabled devices\' secrets as CSV email,uri,device,org,name (leave twofa, or restore)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "requests" -d 'Requests waiting for approval (the four-eyes rule); all of them with --all'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "approve" -d 'Approve a request; the last approval needed runs its action'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "deny" -d 'Deny a request; its action never runs'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from init org user enroll confirm verify recovery device disable reset unlock status audit log metrics report rekey check remind find diagnose resync access-code key import export requests approve deny help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "add" -d 'Add an organisation'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "list" -d 'Organisations with their policy and counts'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "policy" -d 'Show or change an organisation\'s 2FA policy'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "add" -d 'Add an account (the email is trimmed and lower-cased)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "import" -d 'Add accounts from CSV (header email,org[,name]); all or nothing'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "list" -d 'Accounts'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "remove" -d 'Delete an account and its 2FA records (its events stay in the log)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "rename" -d 'Change an account\'s email, keeping its 2FA'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "move" -d 'Move an account to another organisation, or to none'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "sync" -d 'Make twofa\'s accounts follow the application\'s users table'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "exempt" -d 'Exempt an account from its organisation\'s 2FA requirement until a date'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "protect" -d 'Protect an account (admins, executives): its reset, access code and exemption need approval'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from recovery" -f -a "regenerate" -d 'Replace the recovery codes with 10 new ones and show them, once'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from recovery" -f -a "status" -d 'How many recovery codes are left (never the codes)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from device" -f -a "list" -d 'The account\'s devices, with their state and last use'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from device" -f -a "rename" -d 'Rename a device (its secret keeps working)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from device" -f -a "remove" -d 'Remove one device (a lost tablet) and keep the others'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "verify" -d 'Check the event log\'s hash chain (exit 6 naming the first bad event)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "head" -d 'The newest event\'s hash, id and time, to copy elsewhere'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "prune" -d 'Delete events older than TIME, after archiving them'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "generate" -d 'A new random key: base64 on stdout, or into a new file (mode 0600)'
