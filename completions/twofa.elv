
use builtin;
use str;

set edit:completion:arg-completer[twofa] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'twofa'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'twofa'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create or migrate the database and key (idempotent)'
            cand org 'Organisations and their 2FA policy'
            cand user 'Accounts'
            cand enroll 'Start (or restart) enrollment: secret, otpauth URI, QR code, then confirm'
            cand confirm 'Finish a pending enrollment with a current code; shows the recovery codes once'
            cand verify 'Check a TOTP code, a recovery code or an access code (exit 0 accepted, 1 rejected, 5 locked)'
            cand recovery 'Recovery codes: regenerate, or count those left'
            cand device 'An account''s TOTP devices: list, rename, remove'
            cand disable 'Turn 2FA off (refused where the organisation requires it)'
            cand reset 'Support reset (lost phone): remove secret and recovery codes, clear a lockout'
            cand unlock 'Clear a lockout after too many failed codes'
            cand status 'One account''s 2FA state'
            cand audit 'Who has 2FA: one row per account, streamed'
            cand log 'The event log of every change, newest first; verify or prune it'
            cand metrics 'Prometheus metrics: accounts by organisation and state, compliance, events'
            cand report 'A self-contained HTML compliance report'
            cand rekey 'Re-encrypt every secret under a new key (a new key file, or a key command''s)'
            cand check 'Open every secret with the key and report any that fail (exit 6)'
            cand remind 'Deadline reminders for accounts that must still enroll (for cron)'
            cand find 'Accounts whose email or name contains TEXT'
            cand diagnose 'For support: an account''s 2FA health, and what a code says about the phone''s clock'
            cand resync 'Store a phone''s clock drift from two consecutive codes'
            cand access-code 'Issue a single-use temporary access code (lost phone while travelling)'
            cand key 'Master keys: make a new one'
            cand import 'Import existing TOTP enrollments from another system (otpauth URIs or CSV)'
            cand export 'Write the enabled devices'' secrets as CSV email,uri,device,org,name (leave twofa, or restore)'
            cand requests 'Requests waiting for approval (the four-eyes rule); all of them with --all'
            cand approve 'Approve a request; the last approval needed runs its action'
            cand deny 'Deny a request; its action never runs'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;init'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;org'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand add 'Add an organisation'
            cand list 'Organisations with their policy and counts'
            cand policy 'Show or change an organisation''s 2FA policy'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;org;add'= {
            cand --name 'Display name'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;org;list'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;org;policy'= {
            cand --grace-days 'Days an account has to enroll after the policy starts (or after it is created), 0-3650 [default: the grace period in force; 0 for a new policy]'
            cand --approvals 'Other operators who must approve a reset, access code or exemption of the organisation''s accounts, and a change that lowers this or makes 2FA optional (0-3)'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand --require 'Make 2FA mandatory'
            cand --optional 'Make 2FA optional'
            cand --dry-run 'Say what --require or --optional would change (who would become non-compliant, or be required no more); change nothing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;org;help'= {
            cand add 'Add an organisation'
            cand list 'Organisations with their policy and counts'
            cand policy 'Show or change an organisation''s 2FA policy'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;org;help;add'= {
        }
        &'twofa;org;help;list'= {
        }
        &'twofa;org;help;policy'= {
        }
        &'twofa;org;help;help'= {
        }
        &'twofa;user'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand add 'Add an account (the email is trimmed and lower-cased)'
            cand import 'Add accounts from CSV (header email,org[,name]); all or nothing'
            cand list 'Accounts'
            cand remove 'Delete an account and its 2FA records (its events stay in the log)'
            cand rename 'Change an account''s email, keeping its 2FA'
            cand move 'Move an account to another organisation, or to none'
            cand sync 'Make twofa''s accounts follow the application''s users table'
            cand exempt 'Exempt an account from its organisation''s 2FA requirement until a date'
            cand protect 'Protect an account (admins, executives): its reset, access code and exemption need approval'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;user;add'= {
            cand --org 'Organisation id'
            cand --name 'Display name'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;user;import'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;user;list'= {
            cand --org 'Only this organisation'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;user;remove'= {
            cand --from 'Read emails from FILE (or - for stdin), one a line; ''#'' comments and blank lines ignored; at most a million lines of 64 KiB'
            cand --reason 'Why (written to the event log)'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;user;rename'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;user;move'= {
            cand --org 'The organisation to move it to'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand --no-org 'Move it out of any organisation'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;user;sync'= {
            cand --query 'A SELECT returning email, org and optionally name and external_id'
            cand --source 'The application''s database, if not the account database: an SQLite path, a postgres:// or a mysql:// URL'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand --prune 'Remove the accounts the application no longer has'
            cand --dry-run 'Report what would change; change nothing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;user;exempt'= {
            cand --until 'Exempt until this time: RFC 3339, or a date (UTC midnight); at most 365 days ahead'
            cand --days 'Exempt for N days from now (at most 365)'
            cand --reason 'Why (written to the event log)'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand --clear 'End the account''s exemption now'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;user;protect'= {
            cand --reason 'Why (written to the event log)'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand --clear 'End the protection (needs approval, as a reset does)'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;user;help'= {
            cand add 'Add an account (the email is trimmed and lower-cased)'
            cand import 'Add accounts from CSV (header email,org[,name]); all or nothing'
            cand list 'Accounts'
            cand remove 'Delete an account and its 2FA records (its events stay in the log)'
            cand rename 'Change an account''s email, keeping its 2FA'
            cand move 'Move an account to another organisation, or to none'
            cand sync 'Make twofa''s accounts follow the application''s users table'
            cand exempt 'Exempt an account from its organisation''s 2FA requirement until a date'
            cand protect 'Protect an account (admins, executives): its reset, access code and exemption need approval'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;user;help;add'= {
        }
        &'twofa;user;help;import'= {
        }
        &'twofa;user;help;list'= {
        }
        &'twofa;user;help;remove'= {
        }
        &'twofa;user;help;rename'= {
        }
        &'twofa;user;help;move'= {
        }
        &'twofa;user;help;sync'= {
        }
        &'twofa;user;help;exempt'= {
        }
        &'twofa;user;help;protect'= {
        }
        &'twofa;user;help;help'= {
        }
        &'twofa;enroll'= {
            cand --org 'Organisation of an account created with --create'
            cand --qr 'When to draw the QR code'
            cand --qr-style 'The terminal background the colourless QR code is drawn for [default: asked of the terminal, else dark]'
            cand --device 'The device to enroll: a new name adds one (at most 5), an existing one re-enrolls it [default: default]'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand --create 'Add the account if missing (and the database, when none was named: ./twofa.db)'
            cand --no-confirm 'Leave the enrollment pending for ''twofa confirm''; do not ask for a code'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;confirm'= {
            cand --device 'The device whose enrollment to finish [default: the one pending]'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;verify'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand --batch 'Answer requests from stdin, one a line, until it ends (a co-process)'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;recovery'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand regenerate 'Replace the recovery codes with 10 new ones and show them, once'
            cand status 'How many recovery codes are left (never the codes)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;recovery;regenerate'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;recovery;status'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;recovery;help'= {
            cand regenerate 'Replace the recovery codes with 10 new ones and show them, once'
            cand status 'How many recovery codes are left (never the codes)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;recovery;help;regenerate'= {
        }
        &'twofa;recovery;help;status'= {
        }
        &'twofa;recovery;help;help'= {
        }
        &'twofa;device'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'The account''s devices, with their state and last use'
            cand rename 'Rename a device (its secret keeps working)'
            cand remove 'Remove one device (a lost tablet) and keep the others'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;device;list'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;device;rename'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;device;remove'= {
            cand --reason 'Why (written to the event log)'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;device;help'= {
            cand list 'The account''s devices, with their state and last use'
            cand rename 'Rename a device (its secret keeps working)'
            cand remove 'Remove one device (a lost tablet) and keep the others'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;device;help;list'= {
        }
        &'twofa;device;help;rename'= {
        }
        &'twofa;device;help;remove'= {
        }
        &'twofa;device;help;help'= {
        }
        &'twofa;disable'= {
            cand --from 'Read emails from FILE (or - for stdin), one a line; ''#'' comments and blank lines ignored; at most a million lines of 64 KiB'
            cand --reason 'Why (written to the event log)'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;reset'= {
            cand --from 'Read emails from FILE (or - for stdin), one a line; ''#'' comments and blank lines ignored; at most a million lines of 64 KiB'
            cand --reason 'Why (written to the event log)'
            cand --grace-days 'Give the account at least N days from now to enroll again (0-3650); a later deadline in force stays'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;unlock'= {
            cand --from 'Read emails from FILE (or - for stdin), one a line; ''#'' comments and blank lines ignored; at most a million lines of 64 KiB'
            cand --reason 'Why (written to the event log)'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;status'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;audit'= {
            cand --org 'Only this organisation'
            cand --state 'Only accounts in this state'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand --non-compliant 'Only non-compliant accounts; exit 1 when any is printed'
            cand --locked 'Only accounts locked after too many failed codes'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;log'= {
            cand --user 'Only events of this account'
            cand --since 'Only events at or after this time (RFC 3339 or a date, UTC midnight)'
            cand --limit 'At most N events (the newest)'
            cand --org 'Only events of accounts in this organisation'
            cand --action 'Only this action, or this family of actions (''verify'' includes ''verify.rejected''); see EVENTS in twofa(1)'
            cand --until 'Only events before this time (RFC 3339 or a date, UTC midnight)'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -f 'Keep printing events as they are committed, oldest first, until interrupted'
            cand --follow 'Keep printing events as they are committed, oldest first, until interrupted'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand verify 'Check the event log''s hash chain (exit 6 naming the first bad event)'
            cand head 'The newest event''s hash, id and time, to copy elsewhere'
            cand prune 'Delete events older than TIME, after archiving them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;log;verify'= {
            cand --head 'Also require the event with this hash (from an earlier ''log head'') in the chain'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;log;head'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;log;prune'= {
            cand --before 'Delete the events before this time (RFC 3339 or a date, UTC midnight)'
            cand --archive 'Write the events to this new file (ndjson) and sync it before deleting them'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;log;help'= {
            cand verify 'Check the event log''s hash chain (exit 6 naming the first bad event)'
            cand head 'The newest event''s hash, id and time, to copy elsewhere'
            cand prune 'Delete events older than TIME, after archiving them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;log;help;verify'= {
        }
        &'twofa;log;help;head'= {
        }
        &'twofa;log;help;prune'= {
        }
        &'twofa;log;help;help'= {
        }
        &'twofa;metrics'= {
            cand -o 'Write to FILE (atomically: a temporary file renamed over it) instead of stdout (-)'
            cand --output 'Write to FILE (atomically: a temporary file renamed over it) instead of stdout (-)'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;report'= {
            cand --org 'Only this organisation'
            cand -o 'Write to FILE (atomically: a temporary file renamed over it) instead of stdout (-)'
            cand --output 'Write to FILE (atomically: a temporary file renamed over it) instead of stdout (-)'
            cand --max-rows 'Rows per list of accounts, at most (the rest are counted)'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;rekey'= {
            cand --new-key-file 'The new key file to create (or, to resume a killed rotation, the one it created, named again)'
            cand --new-key-command 'Run CMD (through sh -c, as --key-command) for the new key: base64 or hex on its stdout'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;check'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;remind'= {
            cand --before 'Remind when the deadline is at most this many days away (comma-separated: 7,1)'
            cand --org 'Only this organisation'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand --dry-run 'List whom it would remind; record and notify nothing'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;find'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;diagnose'= {
            cand --window 'How far to look each way for the code''s time step, in minutes (at most 1440)'
            cand --device 'The device the code comes from (needed when the account has several)'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;resync'= {
            cand --device 'The device the codes come from (needed when the account has several)'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;access-code'= {
            cand --reason 'Why (written to the event log): who asked, and how their identity was checked'
            cand --ttl 'How long the code works: 30m, 12h, 2d (at most 7d)'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand --revoke 'Cancel the account''s live access code instead of issuing one'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;key'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand generate 'A new random key: base64 on stdout, or into a new file (mode 0600)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;key;generate'= {
            cand -o 'Write the key to FILE (created with mode 0600; refused if it exists) instead of stdout (-)'
            cand --output 'Write the key to FILE (created with mode 0600; refused if it exists) instead of stdout (-)'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;key;help'= {
            cand generate 'A new random key: base64 on stdout, or into a new file (mode 0600)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;key;help;generate'= {
        }
        &'twofa;key;help;help'= {
        }
        &'twofa;import'= {
            cand --org 'Organisation of the accounts --create adds'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand --create 'Add missing accounts'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;export'= {
            cand --user 'Only this account'
            cand --org 'Only this organisation'
            cand -o 'Write to FILE, a new file with mode 0600 (refused if it exists), instead of stdout (-)'
            cand --output 'Write to FILE, a new file with mode 0600 (refused if it exists), instead of stdout (-)'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;requests'= {
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand --all 'Every request, approved, denied and expired too'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;approve'= {
            cand --reason 'Why, or how the request was checked (written to the event log)'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;deny'= {
            cand --reason 'Why (written to the event log)'
            cand --db 'The account database: an SQLite file, or a postgres:// or mysql:// URL'
            cand --key-file 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]'
            cand --key-command 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)'
            cand --format 'Output format'
            cand --actor 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]'
            cand --issuer 'The service name authenticator apps show next to the account'
            cand --hook 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin'
            cand -y 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (needed for destructive commands without a terminal)'
            cand -q 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand --quiet 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;help'= {
            cand init 'Create or migrate the database and key (idempotent)'
            cand org 'Organisations and their 2FA policy'
            cand user 'Accounts'
            cand enroll 'Start (or restart) enrollment: secret, otpauth URI, QR code, then confirm'
            cand confirm 'Finish a pending enrollment with a current code; shows the recovery codes once'
            cand verify 'Check a TOTP code, a recovery code or an access code (exit 0 accepted, 1 rejected, 5 locked)'
            cand recovery 'Recovery codes: regenerate, or count those left'
            cand device 'An account''s TOTP devices: list, rename, remove'
            cand disable 'Turn 2FA off (refused where the organisation requires it)'
            cand reset 'Support reset (lost phone): remove secret and recovery codes, clear a lockout'
            cand unlock 'Clear a lockout after too many failed codes'
            cand status 'One account''s 2FA state'
            cand audit 'Who has 2FA: one row per account, streamed'
            cand log 'The event log of every change, newest first; verify or prune it'
            cand metrics 'Prometheus metrics: accounts by organisation and state, compliance, events'
            cand report 'A self-contained HTML compliance report'
            cand rekey 'Re-encrypt every secret under a new key (a new key file, or a key command''s)'
            cand check 'Open every secret with the key and report any that fail (exit 6)'
            cand remind 'Deadline reminders for accounts that must still enroll (for cron)'
            cand find 'Accounts whose email or name contains TEXT'
            cand diagnose 'For support: an account''s 2FA health, and what a code says about the phone''s clock'
            cand resync 'Store a phone''s clock drift from two consecutive codes'
            cand access-code 'Issue a single-use temporary access code (lost phone while travelling)'
            cand key 'Master keys: make a new one'
            cand import 'Import existing TOTP enrollments from another system (otpauth URIs or CSV)'
            cand export 'Write the enabled devices'' secrets as CSV email,uri,device,org,name (leave twofa, or restore)'
            cand requests 'Requests waiting for approval (the four-eyes rule); all of them with --all'
            cand approve 'Approve a request; the last approval needed runs its action'
            cand deny 'Deny a request; its action never runs'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;help;init'= {
        }
        &'twofa;help;org'= {
            cand add 'Add an organisation'
            cand list 'Organisations with their policy and counts'
            cand policy 'Show or change an organisation''s 2FA policy'
        }
        &'twofa;help;org;add'= {
        }
        &'twofa;help;org;list'= {
        }
        &'twofa;help;org;policy'= {
        }
        &'twofa;help;user'= {
            cand add 'Add an account (the email is trimmed and lower-cased)'
            cand import 'Add accounts from CSV (header email,org[,name]); all or nothing'
            cand list 'Accounts'
            cand remove 'Delete an account and its 2FA records (its events stay in the log)'
            cand rename 'Change an account''s email, keeping its 2FA'
            cand move 'Move an account to another organisation, or to none'
            cand sync 'Make twofa''s accounts follow the application''s users table'
            cand exempt 'Exempt an account from its organisation''s 2FA requirement until a date'
            cand protect 'Protect an account (admins, executives): its reset, access code and exemption need approval'
        }
        &'twofa;help;user;add'= {
        }
        &'twofa;help;user;import'= {
        }
        &'twofa;help;user;list'= {
        }
        &'twofa;help;user;remove'= {
        }
        &'twofa;help;user;rename'= {
        }
        &'twofa;help;user;move'= {
        }
        &'twofa;help;user;sync'= {
        }
        &'twofa;help;user;exempt'= {
        }
        &'twofa;help;user;protect'= {
        }
        &'twofa;help;enroll'= {
        }
        &'twofa;help;confirm'= {
        }
        &'twofa;help;verify'= {
        }
        &'twofa;help;recovery'= {
            cand regenerate 'Replace the recovery codes with 10 new ones and show them, once'
            cand status 'How many recovery codes are left (never the codes)'
        }
        &'twofa;help;recovery;regenerate'= {
        }
        &'twofa;help;recovery;status'= {
        }
        &'twofa;help;device'= {
            cand list 'The account''s devices, with their state and last use'
            cand rename 'Rename a device (its secret keeps working)'
            cand remove 'Remove one device (a lost tablet) and keep the others'
        }
        &'twofa;help;device;list'= {
        }
        &'twofa;help;device;rename'= {
        }
        &'twofa;help;device;remove'= {
        }
        &'twofa;help;disable'= {
        }
        &'twofa;help;reset'= {
        }
        &'twofa;help;unlock'= {
        }
        &'twofa;help;status'= {
        }
        &'twofa;help;audit'= {
        }
        &'twofa;help;log'= {
            cand verify 'Check the event log''s hash chain (exit 6 naming the first bad event)'
            cand head 'The newest event''s hash, id and time, to copy elsewhere'
            cand prune 'Delete events older than TIME, after archiving them'
        }
        &'twofa;help;log;verify'= {
        }
        &'twofa;help;log;head'= {
        }
        &'twofa;help;log;prune'= {
        }
        &'twofa;help;metrics'= {
        }
        &'twofa;help;report'= {
        }
        &'twofa;help;rekey'= {
        }
        &'twofa;help;check'= {
        }
        &'twofa;help;remind'= {
        }
        &'twofa;help;find'= {
        }
        &'twofa;help;diagnose'= {
        }
        &'twofa;help;resync'= {
        }
        &'twofa;help;access-code'= {
        }
        &'twofa;help;key'= {
            cand generate 'A new random key: base64 on stdout, or into a new file (mode 0600)'
        }
        &'twofa;help;key;generate'= {
        }
        &'twofa;help;import'= {
        }
        &'twofa;help;export'= {
        }
        &'twofa;help;requests'= {
        }
        &'twofa;help;approve'= {
        }
        &'twofa;help;deny'= {
        }
        &'twofa;help;help'= {
        }
    ]
    $completions[$command]
}
