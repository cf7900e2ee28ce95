//! What surprises people in their first hour with twofa, through the real binary: a
//! support person on an 80-column terminal, a policy admin re-running a command, a script
//! in cron or a co-process. What happens only on a terminal runs on a pseudo-terminal.

mod common;

use common::pty::{Terminal, fits, on_columns};
use common::{Policy, Run, Status, T0, TestEnv};

const DAY: i64 = 86_400;

fn time(t: i64) -> String {
    let d = time::OffsetDateTime::from_unix_timestamp(t).unwrap();
    d.format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

fn unix(text: &str) -> i64 {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .unwrap()
        .unix_timestamp()
}

/// When the organisation's policy started.
fn policy_since(env: &TestEnv, org: &str) -> i64 {
    let p: Policy = env.twofa(&["org", "policy", org]).ok_json();
    unix(&p.since.expect("a running policy"))
}

/// An environment with organisation `acme` and the accounts `emails` in it, without 2FA.
fn acme_with(emails: &[&str]) -> TestEnv {
    let env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    for email in emails {
        env.ok(&["user", "add", email, "--org", "acme"]);
    }
    env
}

// ---------------------------------------------------------------------------------------
// org policy --require run again

#[test]
fn require_again_without_grace_days_keeps_the_grace_period_and_changes_nothing() {
    let env = acme_with(&["a@example.com", "b@example.com"]);
    let p: Policy = env
        .twofa(&["org", "policy", "acme", "--require", "--grace-days", "14"])
        .ok_json();
    assert_eq!(p.grace_days, 14);
    let events = env.events().len();

    let (code, again, stderr) = env
        .twofa(&["org", "policy", "acme", "--require"])
        .json_full::<Policy>();
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(again.grace_days, 14, "the grace period is kept");
    assert_eq!(again.since, p.since, "and so is the policy's start");
    assert!(stderr.contains("nothing changed"), "{stderr}");
    assert_eq!(env.events().len(), events, "no change, no event");
    let a: Status = env.twofa(&["status", "a@example.com"]).ok_json();
    assert!(a.compliant, "{a:?}");
    assert_eq!(a.deadline, Some(time(T0 + 15 + 14 * DAY)));
}

#[test]
fn a_new_policy_without_grace_days_is_due_at_once() {
    let env = acme_with(&["a@example.com"]);
    let p: Policy = env.twofa(&["org", "policy", "acme", "--require"]).ok_json();
    assert_eq!(p.grace_days, 0);
    let mut env = env;
    env.now += 1;
    let a: Status = env.twofa(&["status", "a@example.com"]).ok_json();
    assert!(!a.compliant, "{a:?}");
}

/// An organisation required with 14 days of grace, three accounts without 2FA (one
/// created a day later) and one with it, at `T0 + 15 + 12 days`.
fn shortened_setup() -> TestEnv {
    let mut env = acme_with(&["a@example.com", "b@example.com"]);
    env.enable_with("on@example.com", &["--org", "acme"]);
    env.ok(&["org", "policy", "acme", "--require", "--grace-days", "14"]);
    env.now += DAY;
    env.ok(&["user", "add", "late@example.com", "--org", "acme"]);
    env.now += 11 * DAY;
    env
}

/// `twofa org policy acme --require ARGS`.
fn require_in_acme<'a>(env: &'a TestEnv, args: &[&str]) -> Run<'a> {
    env.twofa(&[&["org", "policy", "acme", "--require"], args].concat())
}

/// `org policy acme --require --grace-days DAYS` as a script runs it: it succeeds and sets
/// the period; returns what it said on stderr.
fn set_grace_days(env: &TestEnv, days: u32) -> String {
    let days_arg = days.to_string();
    let (code, p, stderr) =
        require_in_acme(env, &["--grace-days", &days_arg]).json_full::<Policy>();
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(p.grace_days, days);
    stderr
}

#[test]
fn shortening_the_grace_period_without_a_terminal_says_what_moves_and_proceeds() {
    let env = shortened_setup();
    // No --yes is needed without a terminal.
    let stderr = set_grace_days(&env, 3);
    let since = policy_since(&env, "acme");
    // Three accounts without 2FA move, the soonest from day 14 to day 3; all three were
    // compliant (day 12) and are not any more.
    for needle in [
        "from 14 days to 3 days",
        "the deadline of 3 accounts without 2FA earlier",
        &format!("{} → {}", time(since + 14 * DAY), time(since + 3 * DAY)),
        "3 of them become non-compliant at once",
    ] {
        assert!(stderr.contains(needle), "{needle:?} in:\n{stderr}");
    }
    let log = env.events();
    assert_eq!(log[0].action, "policy.require");
    assert_eq!(
        log[0].detail.as_deref(),
        Some("2FA required; grace 14 days → 3 days")
    );
}

#[test]
fn lengthening_the_grace_period_asks_nothing_and_says_nothing_of_earlier_deadlines() {
    let env = shortened_setup();
    let stderr = set_grace_days(&env, 30);
    assert!(!stderr.contains("earlier"), "{stderr}");
}

/// `org policy acme --require --grace-days 3` on a terminal, answering `key`.
fn shorten_on_a_terminal(env: &TestEnv, key: &str) -> (i32, String, String) {
    let mut cmd = env.process();
    cmd.args(["org", "policy", "acme", "--require", "--grace-days", "3"]);
    let mut term = Terminal::start(cmd);
    let before = term.expect("Shorten the grace period of 'acme' to 3 days?");
    term.send(key);
    let (code, after) = term.finish();
    (code, before, after)
}

#[test]
fn shortening_the_grace_period_on_a_terminal_asks_first() {
    let env = shortened_setup();
    let events = env.events().len();
    let (code, said, _) = shorten_on_a_terminal(&env, "n");
    assert_eq!(code, 4, "{said}");
    assert!(
        words(&said)
            .join(" ")
            .contains("3 of them become non-compliant at once"),
        "{said}"
    );
    assert_eq!(env.events().len(), events, "answered no: nothing changed");
    let p: Policy = env.twofa(&["org", "policy", "acme"]).ok_json();
    assert_eq!(p.grace_days, 14);

    let (code, said, _) = shorten_on_a_terminal(&env, "y");
    assert_eq!(code, 0, "{said}");
    let p: Policy = env.twofa(&["org", "policy", "acme"]).ok_json();
    assert_eq!(p.grace_days, 3);
    let a: Status = env.twofa(&["status", "a@example.com"]).ok_json();
    assert!(!a.compliant, "{a:?}");
}

#[test]
fn a_dry_run_of_a_shorter_grace_period_says_what_would_move() {
    let env = shortened_setup();
    let out = require_in_acme(&env, &["--grace-days", "3", "--dry-run"]).ok();
    assert!(
        out.contains("moves the deadline of 3 accounts without 2FA earlier"),
        "{out}"
    );
    let p: Policy = env.twofa(&["org", "policy", "acme"]).ok_json();
    assert_eq!(p.grace_days, 14, "a dry run changes nothing");
}

// ---------------------------------------------------------------------------------------
// reset --grace-days never shortens a deadline

#[test]
fn reset_with_grace_days_keeps_a_later_deadline_and_extends_an_earlier_one() {
    let mut env = acme_with(&["a@example.com"]);
    env.enable_with("b@example.com", &["--org", "acme"]);
    env.ok(&["org", "policy", "acme", "--require", "--grace-days", "14"]);
    let org_deadline = time(policy_since(&env, "acme") + 14 * DAY);
    env.now += 3 * DAY;
    let reset = |env: &TestEnv, email: &str, days: &str| {
        env.twofa(&[
            "reset",
            email,
            "--reason",
            "lost phone",
            "--grace-days",
            days,
            "--yes",
        ])
        .ok()
    };
    // 3 days from now is before the organisation's deadline (11 days away): kept.
    let said = reset(&env, "b@example.com", "3");
    assert!(
        said.contains(&format!("deadline {org_deadline} kept")),
        "{said}"
    );
    let b: Status = env.twofa(&["status", "b@example.com"]).ok_json();
    assert_eq!(b.deadline.as_deref(), Some(org_deadline.as_str()));
    assert_eq!(b.state, "disabled", "the reset itself happened");
    // 20 days from now is later: the account's own deadline.
    let twenty = time(env.now + 20 * DAY);
    let said = reset(&env, "a@example.com", "20");
    assert!(said.contains(&format!("own deadline {twenty}")), "{said}");
    // Asked again for fewer days, it stays.
    reset(&env, "a@example.com", "1");
    let a: Status = env.twofa(&["status", "a@example.com"]).ok_json();
    assert_eq!(a.deadline, Some(twenty.clone()));
    // A later reset without --grace-days does not take it away either.
    env.twofa(&["reset", "a@example.com", "--reason", "again", "--yes"])
        .ok();
    let a: Status = env.twofa(&["status", "a@example.com"]).ok_json();
    assert_eq!(a.deadline, Some(twenty));
    let details: Vec<String> = env
        .events()
        .into_iter()
        .filter(|e| e.action == "reset")
        .filter_map(|e| e.detail)
        .collect();
    assert!(
        details
            .iter()
            .any(|d| d.contains("own deadline") && d.contains("20 days from now")),
        "{details:?}"
    );
}

// ---------------------------------------------------------------------------------------
// --quiet in cron: nothing unless something failed

#[test]
fn remind_quiet_prints_nothing_when_it_reminded_and_nothing_failed() {
    let mut env = acme_with(&["a@example.com", "b@example.com"]);
    env.ok(&["org", "policy", "acme", "--require", "--grace-days", "14"]);
    env.now += 10 * DAY;
    let out = env
        .twofa(&["remind", "--before", "7", "--quiet", "--dry-run"])
        .output();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "", "nothing to mail");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    // A hook that fails is a failure: said on stderr, so cron mails it.
    let out = env
        .twofa(&["--hook", "exit 3", "remind", "--before", "7", "--quiet"])
        .output();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("hook 'exit 3' failed"), "{stderr}");
    assert_eq!(common::count_action(&env.events(), "policy.reminder"), 2);
    // JSON is what a script asked for, --quiet or not.
    env.ok(&["org", "policy", "acme", "--require", "--grace-days", "15"]);
    let rows: Vec<common::Reminder> = env.twofa(&["remind", "--before", "7", "--quiet"]).ok_json();
    assert_eq!(rows.len(), 2, "{rows:?}");
}

#[test]
fn user_sync_quiet_prints_nothing_unless_it_failed() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    env.app_sql(
        "CREATE TABLE app_users (email TEXT, team TEXT);
         INSERT INTO app_users VALUES ('a@example.com', 'acme'), ('b@example.com', NULL);",
    );
    let query = "SELECT email, team AS org FROM app_users";
    let out = env
        .twofa(&["user", "sync", "--query", query, "--quiet"])
        .output();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(env.status("a@example.com").org.as_deref(), Some("acme"));
    let report: common::SyncReport = env
        .twofa(&["user", "sync", "--query", query, "--quiet", "--dry-run"])
        .ok_json();
    assert!(report.added.is_empty() && report.dry_run, "{report:?}");
    env.app_sql("INSERT INTO app_users VALUES ('not an email', 'acme');");
    env.twofa(&["user", "sync", "--query", query, "--quiet"])
        .fails_saying(2, "not an email");
}

// ---------------------------------------------------------------------------------------
// Help and messages fit the terminal

/// The words of `text`, in order (line breaks and indents do not count).
fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

#[test]
fn help_wraps_at_80_columns_between_words_and_keeps_examples_whole() {
    // Help shows TWOFA_DB's value: a short path, not a server URL (one word, never broken).
    let env = TestEnv::sqlite();
    for command in [
        "reset",
        "org policy",
        "user sync",
        "verify",
        "remind",
        "log",
    ] {
        for flag in ["-h", "--help"] {
            let (code, narrow) = on_columns(&env, 80, &format!("{command} {flag}"));
            assert_eq!(code, 0, "{narrow}");
            assert!(fits(&narrow, 80), "{command} {flag}:\n{narrow}");
            let wide = env.twofa(&[command.split(' ').collect::<Vec<_>>(), vec![flag]].concat());
            let wide = wide.ok();
            assert_eq!(
                words(&narrow),
                words(&wide),
                "{command} {flag}: a word was broken"
            );
            // Every example is one line, as in a pipe.
            let examples = |text: &str| -> Vec<String> {
                text.split_once("Examples:")
                    .map(|(_, e)| e.lines().map(str::to_string).collect())
                    .unwrap_or_default()
            };
            assert_eq!(examples(&narrow), examples(&wide), "{command} {flag}");
        }
    }
}

#[test]
fn messages_on_an_80_column_terminal_wrap_between_words() {
    let env = acme_with(&[]);
    let email = "margaret.hamilton-longname@engineering.example.com";
    env.ok(&["user", "add", email, "--org", "acme"]);
    env.ok(&["org", "policy", "acme", "--require", "--grace-days", "14"]);
    // An error (exit 4) that names the account twice and the command to run instead.
    let (code, shown) = on_columns(&env, 80, &format!("disable {email} --yes"));
    assert_eq!(code, 4, "{shown}");
    assert!(fits(&shown, 80), "{shown}");
    assert!(
        shown.matches(email).count() >= 2,
        "the email is whole:\n{shown}"
    );
    assert!(
        shown.starts_with("twofa: error: cannot disable 2FA"),
        "{shown}"
    );
    assert!(
        shown.contains("\n  "),
        "continuations are indented:\n{shown}"
    );
    // A warning with timestamps.
    let since = policy_since(&env, "acme");
    let (code, shown) = on_columns(&env, 80, "org policy acme --require --grace-days 1 --yes");
    assert_eq!(code, 0, "{shown}");
    assert!(fits(&shown, 80), "{shown}");
    for t in [since + 14 * DAY, since + DAY] {
        assert!(shown.contains(&time(t)), "{} is whole:\n{shown}", time(t));
    }
    // Into a pipe nothing is wrapped: one line, for grep.
    let out = env.twofa(&["disable", email, "--yes"]).output();
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
}

#[test]
fn a_qr_code_wider_than_the_terminal_is_not_drawn_and_the_uri_is() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    let (code, shown) = on_columns(&env, 40, "enroll narrow@example.com --create --no-confirm");
    assert_eq!(code, 0, "{shown}");
    assert!(
        !shown.contains(['█', '▀', '▄']),
        "no broken QR code:\n{shown}"
    );
    assert!(
        words(&shown)
            .join(" ")
            .contains("the terminal is 40 columns wide and the QR code needs"),
        "{shown}"
    );
    assert!(
        shown.contains("otpauth://totp/twofa:narrow@example.com?secret="),
        "{shown}"
    );
    // Wide enough, it is drawn.
    let (code, shown) = on_columns(
        &env,
        100,
        "enroll wide@example.com --create --no-confirm --qr-style dark",
    );
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains('█'), "{shown}");
    assert!(!shown.contains("columns wide"), "{shown}");
}

// ---------------------------------------------------------------------------------------
// Finding things

#[test]
fn an_unknown_organisation_suggests_the_close_ones() {
    let env = acme_with(&[]);
    env.ok(&["org", "add", "acme-eu"]);
    env.ok(&["org", "add", "globex"]);
    let said = env.twofa(&["audit", "--org", "acmee"]).fails(3);
    assert!(
        said.contains("no organisation 'acmee'; did you mean 'acme'"),
        "{said}"
    );
    assert!(!said.contains("globex"), "{said}");
    // Inside a transaction too (user add), and nothing close: how to add it.
    let said = env
        .twofa(&["user", "add", "a@example.com", "--org", "globx"])
        .fails(3);
    assert!(said.contains("did you mean 'globex'?"), "{said}");
    env.twofa(&["user", "list", "--org", "initech"])
        .fails_saying(3, "add it with 'twofa org add initech'");
}

#[test]
fn organisation_ids_are_case_insensitive_and_stored_in_lower_case() {
    let env = TestEnv::new();
    env.ok(&["org", "add", "Acme"]);
    env.ok(&["user", "add", "a@example.com", "--org", "ACME"]);
    assert_eq!(env.status("a@example.com").org.as_deref(), Some("acme"));
    env.twofa(&["org", "add", "acme"])
        .fails_saying(4, "'acme' already exists");
    let rows: Vec<Status> = env.twofa(&["audit", "--org", "AcMe"]).ok_json();
    assert_eq!(common::emails(&rows), ["a@example.com"]);
}

#[test]
fn an_upper_case_organisation_written_before_keeps_working() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    let orgs = env.table("orgs");
    env.execute(&format!(
        "INSERT INTO {orgs} (slug, created_at) VALUES ('Legacy', 0)"
    ));
    env.ok(&["user", "add", "a@example.com", "--org", "legacy"]);
    assert_eq!(env.status("a@example.com").org.as_deref(), Some("Legacy"));
    let rows: Vec<Status> = env.twofa(&["audit", "--org", "LEGACY"]).ok_json();
    assert_eq!(common::emails(&rows), ["a@example.com"]);
    env.ok(&["org", "policy", "legacy", "--require", "--grace-days", "5"]);
    // No second organisation of the same name.
    env.twofa(&["org", "add", "legacy"])
        .fails_saying(4, "'Legacy' already exists");
    // user sync names it in lower case: the account stays where it is, unchanged.
    env.app_sql(
        "CREATE TABLE app_users (email TEXT, team TEXT);
         INSERT INTO app_users VALUES ('a@example.com', 'legacy'), ('b@example.com', 'LEGACY');",
    );
    let before = env.status("a@example.com");
    let report: common::SyncReport = env
        .twofa(&[
            "user",
            "sync",
            "--query",
            "SELECT email, team AS org FROM app_users",
        ])
        .ok_json();
    assert!(
        report.updated.is_empty() && report.orgs_added.is_empty(),
        "{report:?}"
    );
    assert_eq!(report.added, ["b@example.com"]);
    assert_eq!(
        env.status("a@example.com"),
        before,
        "its grace period did not restart"
    );
    assert_eq!(env.status("b@example.com").org.as_deref(), Some("Legacy"));
    let events: Vec<common::Event> = env.twofa(&["log", "--org", "legacy"]).ok_json();
    assert!(events.len() >= 3, "{events:?}");
}

#[test]
fn find_log_and_audit_say_when_nothing_matches_on_a_terminal_only() {
    let env = acme_with(&["a@example.com"]);
    for (args, said) in [
        ("find zzzz", "no accounts match 'zzzz'"),
        ("log --action reset", "no events match"),
        ("audit --org acme --locked", "no accounts match"),
    ] {
        let (code, shown) = on_columns(&env, 100, args);
        assert_eq!(code, 0, "{shown}");
        assert!(shown.contains(said), "{args}: {shown}");
        // To a pipe, or as JSON, nothing but the (empty) result.
        let out = env.twofa(&args.split(' ').collect::<Vec<_>>()).output();
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args}");
        let (_, json) = on_columns(&env, 100, &format!("{args} --format json"));
        assert!(!json.contains(said), "{args}: {json}");
    }
}

#[test]
fn log_action_takes_actions_families_and_old_names_and_refuses_the_rest() {
    let mut env = TestEnv::new();
    env.ok(&["user", "add", "gone@example.com"]);
    env.twofa(&["user", "remove", "gone@example.com", "--yes"])
        .ok();
    let events = env.events();
    assert_eq!(events[0].action, "user.remove");
    // An event an earlier version wrote under the old name.
    let table = env.table("events");
    env.execute(&format!(
        "INSERT INTO {table} (at, actor, action, email) VALUES ({}, 'old', 'user.removed', 'older@example.com')",
        T0
    ));
    env.now += 1;
    for filter in ["user.remove", "user.removed", "user", "USER.REMOVE"] {
        let rows: Vec<common::Event> = env.twofa(&["log", "--action", filter]).ok_json();
        let emails: Vec<_> = rows.iter().filter_map(|e| e.email.as_deref()).collect();
        assert!(
            emails.contains(&"gone@example.com") && emails.contains(&"older@example.com"),
            "{filter}: {rows:?}"
        );
    }
    let said = env.twofa(&["log", "--action", "user.delete"]).fails(2);
    assert!(said.contains("'user.delete' is not an action"), "{said}");
    for listed in [
        "user.remove",
        "verify.rejected",
        "policy.reminder",
        "family of them: ",
    ] {
        assert!(said.contains(listed), "{listed}: {said}");
    }
}

// ---------------------------------------------------------------------------------------
// user import logs each account; user sync reports every bad row

#[test]
fn user_import_logs_each_account_for_hooks_and_log_user() {
    let env = acme_with(&[]);
    std::fs::write(
        env.path("accounts.csv"),
        "email,org,name\na@example.com,acme,A\nb@example.com,,\nc@example.com,ACME,C\n",
    )
    .unwrap();
    let hooked = env.path("hooked");
    env.twofa(&[
        "--hook",
        &format!("jq -c '[.action, .email, .org]' >> '{}'", hooked.display()),
        "user",
        "import",
        "accounts.csv",
    ])
    .ok();
    let calls = std::fs::read_to_string(&hooked).unwrap();
    let calls: Vec<&str> = calls.lines().collect();
    assert_eq!(
        calls,
        [
            r#"["user.add","a@example.com","acme"]"#,
            r#"["user.add","b@example.com",null]"#,
            r#"["user.add","c@example.com","acme"]"#,
            r#"["user.import",null,null]"#,
        ]
    );
    let rows: Vec<common::Event> = env.twofa(&["log", "--user", "c@example.com"]).ok_json();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        rows[0].detail.as_deref(),
        Some("user import from accounts.csv")
    );
    // All or nothing: a bad file logs nothing.
    let before = env.events().len();
    std::fs::write(
        env.path("bad.csv"),
        "email,org\nd@example.com,acme\nnot-an-email,acme\n",
    )
    .unwrap();
    env.twofa(&["user", "import", "bad.csv"]).fails(2);
    assert_eq!(env.events().len(), before);
}

#[test]
fn user_sync_reports_every_bad_row_and_both_rows_of_a_duplicate() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    env.ok(&["user", "add", "kept@example.com"]);
    let mut rows = vec![
        "('kept@example.com', NULL)".to_string(),
        "('c@example.com', NULL)".to_string(),
        "('c@example.com', NULL)".to_string(),
        "('Dup@example.com', NULL)".to_string(),
        "('dup@example.com', NULL)".to_string(),
        "('e@example.com', 'Bad Org')".to_string(),
    ];
    for i in 0..60 {
        rows.push(format!("('zz-bad{i:02}', NULL)"));
    }
    env.app_sql(&format!(
        "CREATE TABLE app_users (email TEXT, team TEXT);
         INSERT INTO app_users VALUES {};",
        rows.join(", ")
    ));
    let before = env.db_contents();
    let said = env
        .twofa(&[
            "user",
            "sync",
            "--prune",
            "--query",
            "SELECT email, team AS org FROM app_users",
        ])
        .fails(2);
    assert!(
        said.contains("63 rows of the users query are bad; nothing changed:"),
        "{said}"
    );
    assert!(said.trim_end().ends_with("… and 13 more"), "{said}");
    assert!(
        said.contains("'Bad Org' is not an organisation id"),
        "{said}"
    );
    for email in ["c@example.com", "dup@example.com"] {
        let line = said
            .lines()
            .find(|l| l.contains(&format!("{email} is also on row")))
            .unwrap_or_else(|| panic!("{email}:\n{said}"));
        let numbers: Vec<u64> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        assert_eq!(numbers.len(), 2, "{line}");
        assert_ne!(numbers[0], numbers[1], "both rows: {line}");
        assert!(numbers.iter().all(|&n| (1..=66).contains(&n)), "{line}");
    }
    assert_eq!(env.db_contents(), before, "nothing changed");
}

// ---------------------------------------------------------------------------------------
// Dates and times: one parser

/// `twofa user exempt a@example.com --until UNTIL`, with a reason.
fn exempt_a_until<'a>(env: &'a TestEnv, until: &str) -> Run<'a> {
    env.twofa(&[
        "user",
        "exempt",
        "a@example.com",
        "--until",
        until,
        "--reason",
        "leave",
    ])
}

#[test]
fn every_time_option_takes_rfc3339_or_a_date() {
    let mut env = acme_with(&["a@example.com"]);
    env.ok(&["org", "policy", "acme", "--require"]);
    // T0 is 2027-01-15: a date three months on.
    let s: Status = exempt_a_until(&env, "2027-04-01").ok_json();
    assert_eq!(s.exempt_until.as_deref(), Some("2027-04-01T00:00:00Z"));
    let s: Status = exempt_a_until(&env, "2027-04-02T12:00:00+02:00").ok_json();
    assert_eq!(s.exempt_until.as_deref(), Some("2027-04-02T10:00:00Z"));
    exempt_a_until(&env, "1.4.2027").fails_saying(
        2,
        "write RFC 3339 like 2026-01-31T00:00:00Z, or a date like 2026-01-31",
    );
    for (since, until) in [
        ("2027-01-15", "2027-01-16"),
        ("2027-01-15T00:00:00Z", "2027-01-16"),
    ] {
        let rows: Vec<common::Event> = env
            .twofa(&["log", "--since", since, "--until", until])
            .ok_json();
        assert!(!rows.is_empty(), "{since}..{until}");
    }
    env.now += 400 * DAY;
    let out: common::Pruned = env
        .twofa(&["log", "prune", "--before", "2027-02-01", "--yes"])
        .ok_json();
    assert!(out.pruned > 0, "{out:?}");
}

#[test]
fn since_after_until_is_a_usage_error() {
    let env = acme_with(&[]);
    for (since, until) in [("2027-02-01", "2027-01-01"), ("2027-01-01", "2027-01-01")] {
        let said = env
            .twofa(&["log", "--since", since, "--until", until])
            .fails(2);
        assert!(said.contains("is not before --until"), "{said}");
    }
}

// ---------------------------------------------------------------------------------------
// Honest texts

#[test]
fn a_locked_verify_says_until_when() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("a@example.com");
    let wrong = env.wrong_code(&secret);
    for _ in 0..4 {
        env.verify("a@example.com", &wrong);
    }
    // The failure that locks: rejected (exit 1), and until when.
    let (code, v, _) = env
        .twofa(&["verify", "a@example.com", "-"])
        .stdin(&wrong)
        .json_full::<serde_json::Value>();
    assert_eq!(code, 1);
    let until = time(env.now + 15 * 60);
    assert_eq!(v["locked_until"], serde_json::json!(until));
    // Every attempt while locked: exit 5, until when (JSON and text).
    let right = env.code(&secret);
    let (code, v, _) = env
        .twofa(&["verify", "a@example.com", "-"])
        .stdin(&right)
        .json_full::<serde_json::Value>();
    assert_eq!(code, 5);
    assert_eq!(v["reason"], "locked");
    assert_eq!(v["locked_until"], serde_json::json!(until));
    let raw = env
        .twofa(&["verify", "a@example.com", "-", "--format", "json"])
        .stdin(&right)
        .output();
    let raw = String::from_utf8_lossy(&raw.stdout);
    let at = |key: &str| raw.find(&format!("\"{key}\"")).unwrap();
    assert!(
        at("recovery_codes_left") < at("locked_until"),
        "appended: {raw}"
    );
    let out = env
        .twofa(&["verify", "a@example.com", "-"])
        .stdin(&right)
        .output();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("a@example.com: rejected (locked until {until})")
    );
    // Not locked: null.
    env.now += 16 * 60;
    let (_, v, _) = env
        .twofa(&["verify", "a@example.com", "-"])
        .stdin(env.code(&secret))
        .json_full::<serde_json::Value>();
    assert_eq!(v["locked_until"], serde_json::Value::Null);
}

#[test]
fn confirm_speaks_of_the_app_code_only_and_verify_of_access_codes_too() {
    let env = TestEnv::new();
    env.enroll("a@example.com");
    for bad in ["12345", "abcd-efgh-jkmn-pqrs"] {
        let said = env
            .twofa(&["confirm", "a@example.com", "-"])
            .stdin(bad)
            .fails(2);
        assert!(
            said.contains("6 digits the authenticator app shows"),
            "{said}"
        );
        assert!(
            !said.contains("recovery"),
            "no recovery codes before there are any: {said}"
        );
    }
    let said = env
        .twofa(&["verify", "a@example.com", "-"])
        .stdin("12345")
        .fails(2);
    assert!(
        said.contains("recovery code") && said.contains("access code"),
        "{said}"
    );
    let help = env.ok(&["verify", "--help"]);
    assert!(help.contains("access code"), "{help}");
}

#[test]
fn recovery_status_of_an_imported_account_says_how_to_issue_codes() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    env.twofa(&["import", "-", "--create"])
        .stdin("otpauth://totp/Old:imp@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Old\n")
        .ok();
    let said = env.ok(&["recovery", "status", "imp@example.com"]);
    assert!(said.contains("no recovery codes yet"), "{said}");
    assert!(
        said.contains("twofa recovery regenerate imp@example.com"),
        "{said}"
    );
    let out = env
        .twofa(&["recovery", "status", "imp@example.com"])
        .output();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("0 recovery codes left"));
    env.twofa(&["recovery", "regenerate", "imp@example.com", "--yes"])
        .ok();
    let said = env.ok(&["recovery", "status", "imp@example.com"]);
    assert!(said.contains("10 of 10 recovery codes left"), "{said}");
}

#[test]
fn optional_dry_run_lists_who_would_be_required_no_more() {
    let mut env = acme_with(&["a@example.com"]);
    env.enable_with("b@example.com", &["--org", "acme"]);
    env.ok(&["org", "policy", "acme", "--require"]);
    let (code, v, _) = env
        .twofa(&["org", "policy", "acme", "--optional", "--dry-run"])
        .json_full::<serde_json::Value>();
    assert_eq!(code, 0);
    assert_eq!(v["required"], false);
    let rows = v["would_no_longer_be_required"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{v}");
    assert_eq!(rows[0]["email"], "a@example.com");
    let text = env.ok(&["org", "policy", "acme", "--optional", "--dry-run"]);
    assert!(text.contains("Dry run, nothing changed"), "{text}");
    let p: Policy = env.twofa(&["org", "policy", "acme"]).ok_json();
    assert!(p.required, "a dry run changes nothing");
    env.twofa(&["org", "policy", "acme", "--dry-run"])
        .fails_saying(2, "--require or --optional");
}

#[test]
fn metrics_and_report_refuse_a_format_they_cannot_write() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    for command in ["metrics", "report"] {
        let out = env.twofa(&[command, "--format", "json"]).output();
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(out.stdout.is_empty(), "{command}: nothing on stdout");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.starts_with("twofa: error: "), "{said}");
        assert!(said.contains("audit --format json"), "{said}");
    }
}

#[test]
fn clap_errors_say_twofa_error_and_negative_numbers_name_the_range() {
    let env = TestEnv::new();
    let said = env.twofa(&["nosuch"]).fails(2);
    assert!(
        said.starts_with("twofa: error: unrecognized subcommand"),
        "{said}"
    );
    assert!(!said.contains("\nerror:"), "{said}");
    for (args, range) in [
        (
            &["org", "policy", "acme", "--require", "--grace-days", "-1"][..],
            "from 0 to 3650",
        ),
        (
            &[
                "reset",
                "a@example.com",
                "--reason",
                "r",
                "--grace-days",
                "-1",
            ],
            "from 0 to 3650",
        ),
        (
            &[
                "user",
                "exempt",
                "a@example.com",
                "--days",
                "-1",
                "--reason",
                "r",
            ],
            "from 1 to 365",
        ),
        (&["remind", "--before", "7,-1"], "from 1 to 3650"),
        (
            &["diagnose", "a@example.com", "--window", "-1"],
            "from 0 to 1440",
        ),
        (&["log", "--limit", "-1"], "0 or more"),
        (&["report", "--max-rows", "-1"], "0 or more"),
    ] {
        let said = env.twofa(args).fails(2);
        assert!(
            said.starts_with("twofa: error: invalid value '-1'"),
            "{args:?}: {said}"
        );
        assert!(said.contains(range), "{args:?}: {said}");
        assert!(
            !said.contains("-- -1"),
            "no hint to pass -1 as a value: {said}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Tables drop the columns that say nothing first

/// Accounts enabled, and used once, without an organisation: at 120 columns the audit
/// cannot show every column.
fn used_accounts(emails: &[&str]) -> TestEnv {
    let mut env = TestEnv::new();
    for email in emails {
        let (secret, _) = env.enable(email);
        env.verify(email, &env.code(&secret));
        env.now += 30;
    }
    env
}

/// The header row of a drawn table: the words of the lines before the `╞═` rule.
fn header_words(shown: &str) -> String {
    let head: Vec<&str> = shown.lines().take_while(|l| !l.starts_with('╞')).collect();
    words(&head.join(" ").replace(['│', '┆', '┌', '┬', '┐', '─'], " ")).join(" ")
}

#[test]
fn a_narrow_audit_drops_empty_columns_before_useful_ones() {
    let env = used_accounts(&["alice@example.com", "bob@example.com", "carol@example.com"]);
    let (code, shown) = on_columns(&env, 120, "audit");
    assert_eq!(code, 0, "{shown}");
    assert!(fits(&shown, 120), "{shown}");
    let header = header_words(&shown);
    // (Headers wrap at spaces: ENROLLED AT may be one line or two.)
    for shown_column in ["ENROLLED", "USED", "STATE", "COMPLIANT"] {
        assert!(
            header.contains(shown_column),
            "{shown_column}: {header}\n{shown}"
        );
    }
    for empty_column in ["FAILED", "UNTIL", "DEADLINE", "DRIFT", "EXTERNAL"] {
        assert!(
            !header.contains(empty_column),
            "{empty_column}: {header}\n{shown}"
        );
    }
    assert!(
        shown.contains("of them empty; --format csv shows all"),
        "{shown}"
    );
    // A column with a value is not empty any more: one failed code and it is back.
    let mut env = env;
    let (secret, _) = env.enable("dave@example.com");
    env.verify("dave@example.com", &env.wrong_code(&secret));
    let (_, shown) = on_columns(&env, 120, "audit");
    assert!(header_words(&shown).contains("FAILED"), "{shown}");
    // Into a pipe, every column, one line a row.
    let piped = env.ok(&["audit"]);
    assert!(
        piped.contains("FAILED ATTEMPTS") && piped.contains("LOCKED UNTIL"),
        "{piped}"
    );
}

#[test]
fn each_page_of_a_long_table_keeps_what_its_own_rows_show() {
    let mut env = TestEnv::new();
    let mut csv = String::from("email,org\n");
    for i in 0..1000 {
        csv.push_str(&format!("a{i:04}@example.com,\n"));
    }
    env.twofa(&["user", "import", "-"]).stdin(csv).ok();
    // The 1001st row (in email order) has a failed code: the second page shows it.
    let (secret, _) = env.enable("zed@example.com");
    env.verify("zed@example.com", &env.wrong_code(&secret));
    let (code, shown) = on_columns(&env, 100, "audit");
    assert_eq!(code, 0);
    let pages: Vec<&str> = shown.split("┌").skip(1).collect();
    assert_eq!(pages.len(), 2, "two pages of at most 1000 rows");
    assert!(
        !header_words(pages[0]).contains("FAILED"),
        "{}",
        &pages[0][..400]
    );
    assert!(header_words(pages[1]).contains("FAILED"), "{}", pages[1]);
    assert!(pages[1].contains("zed@example.com"));
}

#[test]
fn output_dash_means_stdout_and_writes_no_file_named_dash() {
    let mut env = TestEnv::new();
    env.enable("alice@example.com");
    let metrics = env.ok(&["metrics", "-o", "-"]);
    assert!(metrics.contains("# TYPE twofa_accounts gauge"), "{metrics}");
    let report = env.ok(&["report", "--output", "-"]);
    assert!(report.starts_with("<!DOCTYPE html>"), "{report}");
    let export = env.ok(&["export", "-o", "-", "--yes"]);
    assert!(
        export.starts_with("email,uri,device,org,name\n")
            && export.contains("alice@example.com,otpauth://"),
        "{export}"
    );
    let key = env.ok(&["key", "generate", "-o", "-"]);
    assert_eq!(key.trim_end().len(), 44, "{key}");
    assert!(
        !env.path("-").exists(),
        "a file named '-' was written in the working directory"
    );
}

#[test]
fn reset_with_grace_days_of_an_account_without_2fa_says_only_the_deadline_moved() {
    let mut env = acme_with(&["bob@example.com", "carol@example.com"]);
    let said = env.ok(&[
        "--format",
        "table",
        "reset",
        "bob@example.com",
        "--grace-days",
        "5",
        "--reason",
        "t1",
        "--yes",
    ]);
    assert!(
        said.starts_with("bob@example.com: no 2FA to reset; own deadline "),
        "{said}"
    );
    assert!(!said.contains("enroll again"), "{said}");
    env.enable("carol@example.com");
    let said = env.ok(&[
        "--format",
        "table",
        "reset",
        "carol@example.com",
        "--reason",
        "t2",
        "--yes",
    ]);
    assert!(
        said.contains("2FA reset; the account must enroll again"),
        "{said}"
    );
}

#[test]
fn confirm_on_a_locked_account_says_until_when() {
    let env = TestEnv::new();
    let secret = env.enroll("carol@example.com");
    for _ in 0..5 {
        env.twofa(&["confirm", "carol@example.com", "-"])
            .stdin("000000")
            .fails(1);
    }
    let locked_until = time(T0 + 15 + 15 * 60);
    // Even the right code is not checked while the lock holds.
    let (code, said): (i32, serde_json::Value) = env
        .twofa(&["confirm", "carol@example.com", "-"])
        .stdin(env.code(&secret))
        .json();
    assert_eq!(code, 5, "{said}");
    assert_eq!(said["reason"], "locked", "{said}");
    assert_eq!(said["locked_until"], locked_until.as_str(), "{said}");
    let out = env
        .twofa(&["--format", "table", "confirm", "carol@example.com", "-"])
        .stdin("000000")
        .output();
    assert_eq!(out.status.code(), Some(5));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("code rejected (locked until {locked_until})")),
        "{text}"
    );
}

#[test]
fn help_fits_a_terminal_that_reports_columns_but_no_rows() {
    // A pty of `script` without a size set, as CI and some web terminals make: help still
    // wraps at the columns the terminal reports (else 80), never at clap's 100.
    let env = TestEnv::sqlite();
    for (size, columns) in [
        ("cols 80 rows 0", 80),
        ("cols 0 rows 0", 80),
        ("cols 64 rows 0", 64),
    ] {
        let out = env
            .bash(&format!(
                "script -qec 'stty {size}; COLUMNS= \"$TWOFA\" enroll --help' /dev/null"
            ))
            .output()
            .expect("run script");
        let shown = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
        assert!(out.status.success(), "{shown}");
        assert!(shown.contains("Usage:"), "{shown}");
        assert!(fits(&shown, columns), "{size}:\n{shown}");
    }
}
