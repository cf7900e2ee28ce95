
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'twofa' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'twofa'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'twofa' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create or migrate the database and key (idempotent)')
            [CompletionResult]::new('org', 'org', [CompletionResultType]::ParameterValue, 'Organisations and their 2FA policy')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'Accounts')
            [CompletionResult]::new('enroll', 'enroll', [CompletionResultType]::ParameterValue, 'Start (or restart) enrollment: secret, otpauth URI, QR code, then confirm')
            [CompletionResult]::new('confirm', 'confirm', [CompletionResultType]::ParameterValue, 'Finish a pending enrollment with a current code; shows the recovery codes once')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a TOTP code, a recovery code or an access code (exit 0 accepted, 1 rejected, 5 locked)')
            [CompletionResult]::new('recovery', 'recovery', [CompletionResultType]::ParameterValue, 'Recovery codes: regenerate, or count those left')
            [CompletionResult]::new('device', 'device', [CompletionResultType]::ParameterValue, 'An account''s TOTP devices: list, rename, remove')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Turn 2FA off (refused where the organisation requires it)')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Support reset (lost phone): remove secret and recovery codes, clear a lockout')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Clear a lockout after too many failed codes')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'One account''s 2FA state')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Who has 2FA: one row per account, streamed')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'The event log of every change, newest first; verify or prune it')
            [CompletionResult]::new('metrics', 'metrics', [CompletionResultType]::ParameterValue, 'Prometheus metrics: accounts by organisation and state, compliance, events')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'A self-contained HTML compliance report')
            [CompletionResult]::new('rekey', 'rekey', [CompletionResultType]::ParameterValue, 'Re-encrypt every secret under a new key (a new key file, or a key command''s)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Open every secret with the key and report any that fail (exit 6)')
            [CompletionResult]::new('remind', 'remind', [CompletionResultType]::ParameterValue, 'Deadline reminders for accounts that must still enroll (for cron)')
            [CompletionResult]::new('find', 'find', [CompletionResultType]::ParameterValue, 'Accounts whose email or name contains TEXT')
            [CompletionResult]::new('diagnose', 'diagnose', [CompletionResultType]::ParameterValue, 'For support: an account''s 2FA health, and what a code says about the phone''s clock')
            [CompletionResult]::new('resync', 'resync', [CompletionResultType]::ParameterValue, 'Store a phone''s clock drift from two consecutive codes')
            [CompletionResult]::new('access-code', 'access-code', [CompletionResultType]::ParameterValue, 'Issue a single-use temporary access code (lost phone while travelling)')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Master keys: make a new one')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import existing TOTP enrollments from another system (otpauth URIs or CSV)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the enabled devices'' secrets as CSV email,uri,device,org,name (leave twofa, or restore)')
            [CompletionResult]::new('requests', 'requests', [CompletionResultType]::ParameterValue, 'Requests waiting for approval (the four-eyes rule); all of them with --all')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve a request; the last approval needed runs its action')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Deny a request; its action never runs')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;init' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;org' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an organisation')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Organisations with their policy and counts')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Show or change an organisation''s 2FA policy')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;org;add' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Display name')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;org;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;org;policy' {
            [CompletionResult]::new('--grace-days', '--grace-days', [CompletionResultType]::ParameterName, 'Days an account has to enroll after the policy starts (or after it is created), 0-3650 [default: the grace period in force; 0 for a new policy]')
            [CompletionResult]::new('--approvals', '--approvals', [CompletionResultType]::ParameterName, 'Other operators who must approve a reset, access code or exemption of the organisation''s accounts, and a change that lowers this or makes 2FA optional (0-3)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('--require', '--require', [CompletionResultType]::ParameterName, 'Make 2FA mandatory')
            [CompletionResult]::new('--optional', '--optional', [CompletionResultType]::ParameterName, 'Make 2FA optional')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what --require or --optional would change (who would become non-compliant, or be required no more); change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;org;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an organisation')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Organisations with their policy and counts')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Show or change an organisation''s 2FA policy')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;org;help;add' {
            break
        }
        'twofa;org;help;list' {
            break
        }
        'twofa;org;help;policy' {
            break
        }
        'twofa;org;help;help' {
            break
        }
        'twofa;user' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an account (the email is trimmed and lower-cased)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add accounts from CSV (header email,org[,name]); all or nothing')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Accounts')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete an account and its 2FA records (its events stay in the log)')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Change an account''s email, keeping its 2FA')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Move an account to another organisation, or to none')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Make twofa''s accounts follow the application''s users table')
            [CompletionResult]::new('exempt', 'exempt', [CompletionResultType]::ParameterValue, 'Exempt an account from its organisation''s 2FA requirement until a date')
            [CompletionResult]::new('protect', 'protect', [CompletionResultType]::ParameterValue, 'Protect an account (admins, executives): its reset, access code and exemption need approval')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;user;add' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organisation id')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Display name')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;user;import' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;user;list' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Only this organisation')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;user;remove' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read emails from FILE (or - for stdin), one a line; ''#'' comments and blank lines ignored; at most a million lines of 64 KiB')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (written to the event log)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;user;rename' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;user;move' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The organisation to move it to')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('--no-org', '--no-org', [CompletionResultType]::ParameterName, 'Move it out of any organisation')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;user;sync' {
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A SELECT returning email, org and optionally name and external_id')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'The application''s database, if not the account database: an SQLite path, a postgres:// or a mysql:// URL')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Remove the accounts the application no longer has')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Report what would change; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;user;exempt' {
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Exempt until this time: RFC 3339, or a date (UTC midnight); at most 365 days ahead')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Exempt for N days from now (at most 365)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (written to the event log)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('--clear', '--clear', [CompletionResultType]::ParameterName, 'End the account''s exemption now')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;user;protect' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (written to the event log)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('--clear', '--clear', [CompletionResultType]::ParameterName, 'End the protection (needs approval, as a reset does)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;user;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an account (the email is trimmed and lower-cased)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add accounts from CSV (header email,org[,name]); all or nothing')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Accounts')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete an account and its 2FA records (its events stay in the log)')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Change an account''s email, keeping its 2FA')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Move an account to another organisation, or to none')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Make twofa''s accounts follow the application''s users table')
            [CompletionResult]::new('exempt', 'exempt', [CompletionResultType]::ParameterValue, 'Exempt an account from its organisation''s 2FA requirement until a date')
            [CompletionResult]::new('protect', 'protect', [CompletionResultType]::ParameterValue, 'Protect an account (admins, executives): its reset, access code and exemption need approval')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;user;help;add' {
            break
        }
        'twofa;user;help;import' {
            break
        }
        'twofa;user;help;list' {
            break
        }
        'twofa;user;help;remove' {
            break
        }
        'twofa;user;help;rename' {
            break
        }
        'twofa;user;help;move' {
            break
        }
        'twofa;user;help;sync' {
            break
        }
        'twofa;user;help;exempt' {
            break
        }
        'twofa;user;help;protect' {
            break
        }
        'twofa;user;help;help' {
            break
        }
        'twofa;enroll' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organisation of an account created with --create')
            [CompletionResult]::new('--qr', '--qr', [CompletionResultType]::ParameterName, 'When to draw the QR code')
            [CompletionResult]::new('--qr-style', '--qr-style', [CompletionResultType]::ParameterName, 'The terminal background the colourless QR code is drawn for [default: asked of the terminal, else dark]')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'The device to enroll: a new name adds one (at most 5), an existing one re-enrolls it [default: default]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Add the account if missing (and the database, when none was named: ./twofa.db)')
            [CompletionResult]::new('--no-confirm', '--no-confirm', [CompletionResultType]::ParameterName, 'Leave the enrollment pending for ''twofa confirm''; do not ask for a code')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;confirm' {
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'The device whose enrollment to finish [default: the one pending]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;verify' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Answer requests from stdin, one a line, until it ends (a co-process)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;recovery' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('regenerate', 'regenerate', [CompletionResultType]::ParameterValue, 'Replace the recovery codes with 10 new ones and show them, once')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'How many recovery codes are left (never the codes)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;recovery;regenerate' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;recovery;status' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;recovery;help' {
            [CompletionResult]::new('regenerate', 'regenerate', [CompletionResultType]::ParameterValue, 'Replace the recovery codes with 10 new ones and show them, once')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'How many recovery codes are left (never the codes)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;recovery;help;regenerate' {
            break
        }
        'twofa;recovery;help;status' {
            break
        }
        'twofa;recovery;help;help' {
            break
        }
        'twofa;device' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The account''s devices, with their state and last use')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a device (its secret keeps working)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove one device (a lost tablet) and keep the others')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;device;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;device;rename' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;device;remove' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (written to the event log)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;device;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The account''s devices, with their state and last use')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a device (its secret keeps working)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove one device (a lost tablet) and keep the others')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;device;help;list' {
            break
        }
        'twofa;device;help;rename' {
            break
        }
        'twofa;device;help;remove' {
            break
        }
        'twofa;device;help;help' {
            break
        }
        'twofa;disable' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read emails from FILE (or - for stdin), one a line; ''#'' comments and blank lines ignored; at most a million lines of 64 KiB')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (written to the event log)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;reset' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read emails from FILE (or - for stdin), one a line; ''#'' comments and blank lines ignored; at most a million lines of 64 KiB')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (written to the event log)')
            [CompletionResult]::new('--grace-days', '--grace-days', [CompletionResultType]::ParameterName, 'Give the account at least N days from now to enroll again (0-3650); a later deadline in force stays')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;unlock' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read emails from FILE (or - for stdin), one a line; ''#'' comments and blank lines ignored; at most a million lines of 64 KiB')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (written to the event log)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;status' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;audit' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Only this organisation')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Only accounts in this state')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('--non-compliant', '--non-compliant', [CompletionResultType]::ParameterName, 'Only non-compliant accounts; exit 1 when any is printed')
            [CompletionResult]::new('--locked', '--locked', [CompletionResultType]::ParameterName, 'Only accounts locked after too many failed codes')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;log' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of this account')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after this time (RFC 3339 or a date, UTC midnight)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N events (the newest)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Only events of accounts in this organisation')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only this action, or this family of actions (''verify'' includes ''verify.rejected''); see EVENTS in twofa(1)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before this time (RFC 3339 or a date, UTC midnight)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing events as they are committed, oldest first, until interrupted')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing events as they are committed, oldest first, until interrupted')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the event log''s hash chain (exit 6 naming the first bad event)')
            [CompletionResult]::new('head', 'head', [CompletionResultType]::ParameterValue, 'The newest event''s hash, id and time, to copy elsewhere')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete events older than TIME, after archiving them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;log;verify' {
            [CompletionResult]::new('--head', '--head', [CompletionResultType]::ParameterName, 'Also require the event with this hash (from an earlier ''log head'') in the chain')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;log;head' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;log;prune' {
            [CompletionResult]::new('--before', '--before', [CompletionResultType]::ParameterName, 'Delete the events before this time (RFC 3339 or a date, UTC midnight)')
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Write the events to this new file (ndjson) and sync it before deleting them')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;log;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the event log''s hash chain (exit 6 naming the first bad event)')
            [CompletionResult]::new('head', 'head', [CompletionResultType]::ParameterValue, 'The newest event''s hash, id and time, to copy elsewhere')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete events older than TIME, after archiving them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;log;help;verify' {
            break
        }
        'twofa;log;help;head' {
            break
        }
        'twofa;log;help;prune' {
            break
        }
        'twofa;log;help;help' {
            break
        }
        'twofa;metrics' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE (atomically: a temporary file renamed over it) instead of stdout (-)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (atomically: a temporary file renamed over it) instead of stdout (-)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;report' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Only this organisation')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE (atomically: a temporary file renamed over it) instead of stdout (-)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (atomically: a temporary file renamed over it) instead of stdout (-)')
            [CompletionResult]::new('--max-rows', '--max-rows', [CompletionResultType]::ParameterName, 'Rows per list of accounts, at most (the rest are counted)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;rekey' {
            [CompletionResult]::new('--new-key-file', '--new-key-file', [CompletionResultType]::ParameterName, 'The new key file to create (or, to resume a killed rotation, the one it created, named again)')
            [CompletionResult]::new('--new-key-command', '--new-key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c, as --key-command) for the new key: base64 or hex on its stdout')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;check' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;remind' {
            [CompletionResult]::new('--before', '--before', [CompletionResultType]::ParameterName, 'Remind when the deadline is at most this many days away (comma-separated: 7,1)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Only this organisation')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List whom it would remind; record and notify nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;find' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;diagnose' {
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'How far to look each way for the code''s time step, in minutes (at most 1440)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'The device the code comes from (needed when the account has several)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;resync' {
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'The device the codes come from (needed when the account has several)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;access-code' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (written to the event log): who asked, and how their identity was checked')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'How long the code works: 30m, 12h, 2d (at most 7d)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('--revoke', '--revoke', [CompletionResultType]::ParameterName, 'Cancel the account''s live access code instead of issuing one')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;key' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'A new random key: base64 on stdout, or into a new file (mode 0600)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;key;generate' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the key to FILE (created with mode 0600; refused if it exists) instead of stdout (-)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the key to FILE (created with mode 0600; refused if it exists) instead of stdout (-)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;key;help' {
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'A new random key: base64 on stdout, or into a new file (mode 0600)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;key;help;generate' {
            break
        }
        'twofa;key;help;help' {
            break
        }
        'twofa;import' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organisation of the accounts --create adds')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Add missing accounts')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;export' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only this account')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Only this organisation')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE, a new file with mode 0600 (refused if it exists), instead of stdout (-)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE, a new file with mode 0600 (refused if it exists), instead of stdout (-)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;requests' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every request, approved, denied and expired too')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;approve' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why, or how the request was checked (written to the event log)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;deny' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (written to the event log)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The account database: an SQLite file, or a postgres:// or mysql:// URL')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The 32-byte key file that encrypts TOTP secrets [default: $CREDENTIALS_DIRECTORY/twofa.key when systemd gave it, else the database path + .key; twofa.key for a URL]')
            [CompletionResult]::new('--key-command', '--key-command', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) and read the key from its stdout, as base64 or hex (instead of a key file)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the event log [default: $SUDO_USER, else $USER, else the user name of the process]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The service name authenticator apps show next to the account')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) after each committed change, with the event as JSON on stdin')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for destructive commands without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the essential output (codes, URIs, results); remind and user sync (for cron): nothing unless something failed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create or migrate the database and key (idempotent)')
            [CompletionResult]::new('org', 'org', [CompletionResultType]::ParameterValue, 'Organisations and their 2FA policy')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'Accounts')
            [CompletionResult]::new('enroll', 'enroll', [CompletionResultType]::ParameterValue, 'Start (or restart) enrollment: secret, otpauth URI, QR code, then confirm')
            [CompletionResult]::new('confirm', 'confirm', [CompletionResultType]::ParameterValue, 'Finish a pending enrollment with a current code; shows the recovery codes once')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a TOTP code, a recovery code or an access code (exit 0 accepted, 1 rejected, 5 locked)')
            [CompletionResult]::new('recovery', 'recovery', [CompletionResultType]::ParameterValue, 'Recovery codes: regenerate, or count those left')
            [CompletionResult]::new('device', 'device', [CompletionResultType]::ParameterValue, 'An account''s TOTP devices: list, rename, remove')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Turn 2FA off (refused where the organisation requires it)')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Support reset (lost phone): remove secret and recovery codes, clear a lockout')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Clear a lockout after too many failed codes')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'One account''s 2FA state')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Who has 2FA: one row per account, streamed')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'The event log of every change, newest first; verify or prune it')
            [CompletionResult]::new('metrics', 'metrics', [CompletionResultType]::ParameterValue, 'Prometheus metrics: accounts by organisation and state, compliance, events')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'A self-contained HTML compliance report')
            [CompletionResult]::new('rekey', 'rekey', [CompletionResultType]::ParameterValue, 'Re-encrypt every secret under a new key (a new key file, or a key command''s)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Open every secret with the key and report any that fail (exit 6)')
            [CompletionResult]::new('remind', 'remind', [CompletionResultType]::ParameterValue, 'Deadline reminders for accounts that must still enroll (for cron)')
            [CompletionResult]::new('find', 'find', [CompletionResultType]::ParameterValue, 'Accounts whose email or name contains TEXT')
            [CompletionResult]::new('diagnose', 'diagnose', [CompletionResultType]::ParameterValue, 'For support: an account''s 2FA health, and what a code says about the phone''s clock')
            [CompletionResult]::new('resync', 'resync', [CompletionResultType]::ParameterValue, 'Store a phone''s clock drift from two consecutive codes')
            [CompletionResult]::new('access-code', 'access-code', [CompletionResultType]::ParameterValue, 'Issue a single-use temporary access code (lost phone while travelling)')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Master keys: make a new one')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import existing TOTP enrollments from another system (otpauth URIs or CSV)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the enabled devices'' secrets as CSV email,uri,device,org,name (leave twofa, or restore)')
            [CompletionResult]::new('requests', 'requests', [CompletionResultType]::ParameterValue, 'Requests waiting for approval (the four-eyes rule); all of them with --all')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve a request; the last approval needed runs its action')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Deny a request; its action never runs')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;help;init' {
            break
        }
        'twofa;help;org' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an organisation')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Organisations with their policy and counts')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Show or change an organisation''s 2FA policy')
            break
        }
        'twofa;help;org;add' {
            break
        }
        'twofa;help;org;list' {
            break
        }
        'twofa;help;org;policy' {
            break
        }
        'twofa;help;user' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an account (the email is trimmed and lower-cased)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add accounts from CSV (header email,org[,name]); all or nothing')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Accounts')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete an account and its 2FA records (its events stay in the log)')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Change an account''s email, keeping its 2FA')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Move an account to another organisation, or to none')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Make twofa''s accounts follow the application''s users table')
            [CompletionResult]::new('exempt', 'exempt', [CompletionResultType]::ParameterValue, 'Exempt an account from its organisation''s 2FA requirement until a date')
            [CompletionResult]::new('protect', 'protect', [CompletionResultType]::ParameterValue, 'Protect an account (admins, executives): its reset, access code and exemption need approval')
            break
        }
        'twofa;help;user;add' {
            break
        }
        'twofa;help;user;import' {
            break
        }
        'twofa;help;user;list' {
            break
        }
        'twofa;help;user;remove' {
            break
        }
        'twofa;help;user;rename' {
            break
        }
        'twofa;help;user;move' {
            break
        }
        'twofa;help;user;sync' {
            break
        }
        'twofa;help;user;exempt' {
            break
        }
        'twofa;help;user;protect' {
            break
        }
        'twofa;help;enroll' {
            break
        }
        'twofa;help;confirm' {
            break
        }
        'twofa;help;verify' {
            break
        }
        'twofa;help;recovery' {
            [CompletionResult]::new('regenerate', 'regenerate', [CompletionResultType]::ParameterValue, 'Replace the recovery codes with 10 new ones and show them, once')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'How many recovery codes are left (never the codes)')
            break
        }
        'twofa;help;recovery;regenerate' {
            break
        }
        'twofa;help;recovery;status' {
            break
        }
        'twofa;help;device' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The account''s devices, with their state and last use')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a device (its secret keeps working)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove one device (a lost tablet) and keep the others')
            break
        }
        'twofa;help;device;list' {
            break
        }
        'twofa;help;device;rename' {
            break
        }
        'twofa;help;device;remove' {
            break
        }
        'twofa;help;disable' {
            break
        }
        'twofa;help;reset' {
            break
        }
        'twofa;help;unlock' {
            break
        }
        'twofa;help;status' {
            break
        }
        'twofa;help;audit' {
            break
        }
        'twofa;help;log' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the event log''s hash chain (exit 6 naming the first bad event)')
            [CompletionResult]::new('head', 'head', [CompletionResultType]::ParameterValue, 'The newest event''s hash, id and time, to copy elsewhere')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete events older than TIME, after archiving them')
            break
        }
        'twofa;help;log;verify' {
            break
        }
        'twofa;help;log;head' {
            break
        }
        'twofa;help;log;prune' {
            break
        }
        'twofa;help;metrics' {
            break
        }
        'twofa;help;report' {
            break
        }
        'twofa;help;rekey' {
            break
        }
        'twofa;help;check' {
            break
        }
        'twofa;help;remind' {
            break
        }
        'twofa;help;find' {
            break
        }
        'twofa;help;diagnose' {
            break
        }
        'twofa;help;resync' {
            break
        }
        'twofa;help;access-code' {
            break
        }
        'twofa;help;key' {
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'A new random key: base64 on stdout, or into a new file (mode 0600)')
            break
        }
        'twofa;help;key;generate' {
            break
        }
        'twofa;help;import' {
            break
        }
        'twofa;help;export' {
            break
        }
        'twofa;help;requests' {
            break
        }
        'twofa;help;approve' {
            break
        }
        'twofa;help;deny' {
            break
        }
        'twofa;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
