//! The threat model's defences through the real binary, on either backend
//! (TestEnv::new): someone who can write the database but not read the key, an operator
//! with a support login (diagnose, reset, access-code), another user on a shared host.

mod common;

use common::*;
use serde::Deserialize;

const DAY: i64 = 86_400;

/// `access-code EMAIL --reason TEXT --ttl TTL`: the code issued.
#[track_caller]
fn issue_access_code(env: &TestEnv, email: &str, ttl: &str) -> AccessCode {
    env.twofa(&["access-code", email, "--reason", "ticket 7", "--ttl", ttl])
        .ok_json()
}

/// `access-code --revoke`.
#[derive(Debug, Deserialize)]
struct AccessRevoked {
    email: String,
    revoked: bool,
    expires_at: Option<String>,
}

/// `access-code EMAIL --revoke --reason r`.
#[track_caller]
fn revoke(env: &TestEnv, email: &str) -> AccessRevoked {
    env.twofa(&["access-code", email, "--revoke", "--reason", "r"])
        .ok_json()
}

/// The newest event of `email` with `action`.
#[track_caller]
fn newest(env: &TestEnv, email: &str, action: &str) -> Event {
    env.events()
        .into_iter()
        .find(|e| e.email.as_deref() == Some(email) && e.action == action)
        .unwrap_or_else(|| panic!("no {action} event of {email}"))
}

/// Asserts that `code` died with the credential it was issued for: the newest `action`
/// event of `email` says so, `status` shows no access code, and `verify` refuses it.
#[track_caller]
fn assert_access_code_died(env: &TestEnv, email: &str, action: &str, code: &str) {
    let event = newest(env, email, action);
    let detail = event.detail.as_deref().unwrap_or_default();
    assert!(detail.contains("access code was revoked"), "{event:?}");
    assert_eq!(env.status(email).access_code_expires_at, None, "{action}");
    assert_rejected(&env.verify(email, code), "wrong_code");
}

#[test]
fn an_access_code_dies_when_a_new_secret_is_confirmed() {
    let mut env = TestEnv::new();
    env.enable("alice@example.com");
    let issued = issue_access_code(&env, "alice@example.com", "7d");
    let expires = rfc3339(env.now + 7 * DAY);
    assert_eq!(issued.expires_at, expires);
    // status and audit (every format) show when it expires.
    let status = env.status("alice@example.com");
    assert_eq!(status.access_code_expires_at.as_deref(), Some(&*expires));
    let rows: Vec<Status> = env.twofa(&["audit"]).ok_json();
    assert_eq!(rows[0].access_code_expires_at.as_deref(), Some(&*expires));
    let csv = env.ok(&["audit", "--format", "csv"]);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .ends_with(",external_id,devices,access_code_expires_at")
    );
    assert!(
        lines.next().unwrap().ends_with(&format!(",{expires}")),
        "{csv}"
    );
    let ndjson = env.ok(&["audit", "--format", "ndjson"]);
    assert!(ndjson.contains(&format!("\"access_code_expires_at\":\"{expires}\"")));

    // The user re-enrolls (a new phone) and confirms the new secret: the code issued for
    // the old credential no longer opens the account.
    let enrolled: Enroll = env
        .twofa(&["enroll", "alice@example.com", "--yes", "--no-confirm"])
        .ok_json();
    assert_eq!(
        env.status("alice@example.com")
            .access_code_expires_at
            .as_deref(),
        Some(&*expires),
        "the old credential, and its access code, work until the new one is confirmed"
    );
    env.confirm("alice@example.com", &env.code(&enrolled.secret_bytes()));
    env.now += 60;
    assert_access_code_died(&env, "alice@example.com", "confirm", &issued.access_code);
}

#[test]
fn an_access_code_dies_with_an_import_over_its_credential() {
    let mut env = TestEnv::new();
    env.enable("bob@example.com");
    let issued = issue_access_code(&env, "bob@example.com", "7d");
    let csv = env.path("secrets.csv");
    std::fs::write(
        &csv,
        "email,secret\nbob@example.com,JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\n",
    )
    .unwrap();
    env.ok(&["import", csv.to_str().unwrap(), "--yes"]);
    env.now += 60;
    assert_access_code_died(&env, "bob@example.com", "import", &issued.access_code);
}

#[test]
fn reset_disable_and_remove_revoke_the_access_code_and_say_so() {
    let mut env = TestEnv::new();
    for (op, email) in [
        ("reset", "r@example.com"),
        ("disable", "d@example.com"),
        ("remove", "x@example.com"),
    ] {
        env.enable(email);
        let issued = issue_access_code(&env, email, "2d");
        let args: Vec<&str> = match op {
            "remove" => vec!["user", "remove", email, "--reason", "left", "--yes"],
            _ => vec![op, email, "--reason", "lost phone", "--yes"],
        };
        env.ok(&args);
        let action = if op == "remove" { "user.remove" } else { op };
        if op == "remove" {
            env.ok(&["user", "add", email]);
        }
        // Enabled again from scratch: the old code does not come back with it.
        env.enable(email);
        assert_access_code_died(&env, email, action, &issued.access_code);
    }
}

#[test]
fn a_spent_or_expired_access_code_shows_no_expiry() {
    let mut env = TestEnv::new();
    env.enable("alice@example.com");
    let issued = issue_access_code(&env, "alice@example.com", "30m");
    assert_accepted(
        &env.verify("alice@example.com", &issued.access_code),
        "access_code",
    );
    assert_eq!(env.status("alice@example.com").access_code_expires_at, None);
    issue_access_code(&env, "alice@example.com", "30m");
    assert!(
        env.status("alice@example.com")
            .access_code_expires_at
            .is_some()
    );
    env.now += 31 * 60;
    assert_eq!(env.status("alice@example.com").access_code_expires_at, None);
}

#[test]
fn access_code_revoke_cancels_a_live_code_and_is_logged() {
    let mut env = TestEnv::new();
    env.enable("alice@example.com");
    let issued = issue_access_code(&env, "alice@example.com", "12h");
    let revoked: AccessRevoked = env
        .twofa(&[
            "access-code",
            "alice@example.com",
            "--revoke",
            "--reason",
            "phone found, ticket 7",
        ])
        .ok_json();
    assert_eq!(revoked.email, "alice@example.com");
    assert!(revoked.revoked);
    assert_eq!(revoked.expires_at, Some(rfc3339(env.now + 12 * 3600)));
    let event = newest(&env, "alice@example.com", "access-code.revoke");
    assert!(
        event
            .detail
            .as_deref()
            .unwrap()
            .starts_with("phone found, ticket 7"),
        "{event:?}"
    );
    assert_eq!(env.status("alice@example.com").access_code_expires_at, None);
    assert_rejected(
        &env.verify("alice@example.com", &issued.access_code),
        "wrong_code",
    );
    // Nothing live: said so, exit 0, no event.
    let events = env.events().len();
    let again = revoke(&env, "alice@example.com");
    assert!(!again.revoked && again.expires_at.is_none(), "{again:?}");
    let table = env.ok(&[
        "access-code",
        "alice@example.com",
        "--revoke",
        "--reason",
        "r",
    ]);
    assert!(table.contains("nothing to revoke"), "{table}");
    assert_eq!(env.events().len(), events, "no change, no event");
    // A spent code is not live either.
    let spent = issue_access_code(&env, "alice@example.com", "1h");
    assert_accepted(
        &env.verify("alice@example.com", &spent.access_code),
        "access_code",
    );
    let after = revoke(&env, "alice@example.com");
    assert!(!after.revoked);
    // --revoke issues nothing, so it takes no --ttl; the reason is still required.
    env.twofa(&[
        "access-code",
        "alice@example.com",
        "--revoke",
        "--ttl",
        "1h",
        "--reason",
        "r",
    ])
    .fails(2);
    env.twofa(&["access-code", "alice@example.com", "--revoke"])
        .fails_saying(2, "--reason");
    env.twofa(&[
        "access-code",
        "nobody@example.com",
        "--revoke",
        "--reason",
        "r",
    ])
    .fails(3);
}

#[test]
fn an_access_code_reason_obeys_the_text_rules() {
    let mut env = TestEnv::new();
    env.enable("alice@example.com");
    let long = "x".repeat(300);
    for (reason, why) in [
        ("evil\u{1b}]0;pwned\u{7}", "control character"),
        ("two\nlines", "control character"),
        ("rtl\u{202e}txt", "format character"),
        (long.as_str(), "300 characters"),
        ("   ", "--reason"),
    ] {
        for extra in [&[][..], &["--revoke"][..]] {
            let args = [
                &["access-code", "alice@example.com", "--reason", reason][..],
                extra,
            ]
            .concat();
            let err = env.twofa(&args).fails_saying(2, why);
            assert!(
                !err.contains('\u{1b}') && !err.contains('\u{202e}'),
                "{err}"
            );
        }
    }
    assert!(
        !env.actions_of("alice@example.com")
            .iter()
            .any(|a| a.starts_with("access_code")),
        "nothing was issued"
    );
}

/// `diagnose EMAIL -` with `code` on stdin: (exit code, answer, stderr).
#[track_caller]
fn diagnose(env: &TestEnv, email: &str, code: &str) -> (i32, Option<Diagnose>, String) {
    env.twofa(&["diagnose", email, "-"]).stdin(code).json_full()
}

#[test]
fn diagnose_evaluates_no_code_of_a_locked_account() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("alice@example.com");
    let wrong = env.wrong_code(&secret);
    for _ in 0..5 {
        env.verify("alice@example.com", &wrong);
    }
    assert!(env.status("alice@example.com").locked);
    // The right code: a support login learns nothing from it while the account is locked.
    let (exit, d, _) = diagnose(&env, "alice@example.com", &env.code(&secret));
    let d = d.expect("a diagnosis");
    assert_eq!(exit, 0, "{d:?}");
    assert!(d.locked && d.code_given, "{d:?}");
    assert_eq!(
        (d.matches, d.offset_steps, d.offset_seconds),
        (None, None, None)
    );
    assert!(!d.already_used && !d.within_window, "{d:?}");
    assert!(d.advice.contains("locked"), "{}", d.advice);
    let event = env
        .events()
        .into_iter()
        .find(|e| e.action == "diagnose")
        .unwrap();
    assert_eq!(
        event.detail.as_deref(),
        Some("a code was given; not evaluated: the account is locked")
    );
    // JSON says null, not false.
    let (_, raw) = env.json_stdin(&["diagnose", "alice@example.com", "-"], &env.code(&secret));
    for field in ["matches", "offset_steps", "offset_seconds"] {
        assert!(
            raw.get(field).is_some_and(|v| v.is_null()),
            "{field}: {raw}"
        );
    }
    let table = env
        .twofa(&["diagnose", "alice@example.com", "-"])
        .stdin(env.code(&secret))
        .ok();
    assert!(
        table.contains("not checked: the account is locked"),
        "{table}"
    );
    assert_eq!(env.status("alice@example.com").failed_attempts, 5);
}

#[test]
fn diagnose_evaluates_at_most_ten_codes_an_account_an_hour_across_processes() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("alice@example.com");
    env.enable("bob@example.com");
    // Twelve processes at once, right and wrong codes alike: ten are evaluated.
    let wrong = env.wrong_code(&secret);
    let outs = env.concurrently(12, &["diagnose", "alice@example.com", "-"], &wrong);
    let mut codes: Vec<i32> = outs.iter().map(|o| o.status.code().unwrap()).collect();
    codes.sort_unstable();
    assert_eq!(codes, [vec![0; 10], vec![4; 2]].concat(), "{outs:?}");
    let opens = rfc3339(env.now + 3600);
    for out in outs.iter().filter(|o| o.status.code() == Some(4)) {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("in the last hour") && err.contains(&opens),
            "{err}"
        );
        assert!(!err.contains(&wrong), "{err}");
    }
    env.now += 60;
    let (exit, _, err) = diagnose(&env, "alice@example.com", &env.code(&secret));
    assert_eq!(exit, 4, "{err}");
    // Without a code it still diagnoses; another account has its own ten.
    let d: Diagnose = env.twofa(&["diagnose", "alice@example.com"]).ok_json();
    assert_eq!(d.matches, None);
    let (exit, d, _) = diagnose(&env, "bob@example.com", &wrong);
    assert_eq!((exit, d.unwrap().code_given), (0, true));
    // The refusals are logged, the code never.
    let events = env.events();
    let refused = count_action(&events, "diagnose.refused");
    assert_eq!(refused, 3);
    assert!(
        events
            .iter()
            .all(|e| !serde_json::to_string(e).unwrap().contains(&wrong)),
        "a code reached the log"
    );
    // An hour after the first evaluation, the next one runs.
    env.now += 3600 - 60;
    let (exit, d, err) = diagnose(&env, "alice@example.com", &env.code(&secret));
    assert_eq!(exit, 0, "{err}");
    assert_eq!(d.unwrap().matches, Some(true));
}

#[test]
fn a_slow_phone_after_a_success_reads_as_a_clock_offset_not_a_reused_code() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("alice@example.com");
    env.now += 600;
    assert_accepted(&env.verify("alice@example.com", &env.code(&secret)), "totp");
    for behind in [60, 120, 300] {
        let phone = env.code_at(&secret, -behind);
        let (exit, d, _) = diagnose(&env, "alice@example.com", &phone);
        let d = d.expect("a diagnosis");
        assert_eq!(exit, 0);
        assert_eq!(d.offset_seconds, Some(-behind), "{d:?}");
        if behind == 60 {
            // Two steps back: outside the ±1 window as well.
            assert!(!d.within_window, "{d:?}");
        }
        assert!(!d.already_used, "{behind} s behind: {d:?}");
        assert!(d.advice.contains("behind"), "{}", d.advice);
        assert!(!d.advice.contains("accepted already"), "{}", d.advice);
    }
    // The code verify took, and the one before it inside the window, are reused.
    for offset in [0, -30] {
        let (_, d, _) = diagnose(&env, "alice@example.com", &env.code_at(&secret, offset));
        let d = d.unwrap();
        assert!(d.already_used && d.within_window, "{offset}: {d:?}");
    }
}

#[test]
fn resync_spends_the_two_codes_it_saw() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("alice@example.com");
    env.now += 3600;
    let first = env.code_at(&secret, -330);
    let second = env.code_at(&secret, -300);
    let r: Resync = env
        .twofa(&["resync", "alice@example.com", "-"])
        .stdin(format!("{first}\n{second}\n"))
        .ok_json();
    assert_eq!(r.drift_steps, -10);
    // Whoever saw them (a support person, a shoulder) cannot use them.
    assert_rejected(&env.verify("alice@example.com", &second), "reused");
    assert_rejected(&env.verify("alice@example.com", &first), "reused");
    assert_eq!(env.status("alice@example.com").failed_attempts, 0);
    // The phone's next code works.
    env.now += 30;
    assert_accepted(
        &env.verify("alice@example.com", &env.code_at(&secret, -300)),
        "totp",
    );
    // Resyncing with codes before the spent step changes nothing.
    env.twofa(&["resync", "alice@example.com", &first, &second])
        .fails_saying(1, "accepted before");
}

/// An application's SQLite database in WAL mode whose newest rows are still in its WAL (not
/// yet checkpointed), as a running application leaves it: `users (email, org, name)` with
/// `rows`.
fn app_database_in_wal(
    env: &TestEnv,
    name: &str,
    rows: &[(&str, &str, &str)],
) -> std::path::PathBuf {
    let live = env.path(&format!("{name}.live"));
    let path = env.path(name);
    let app = rusqlite::Connection::open(&live).unwrap();
    app.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
         CREATE TABLE users (email TEXT, org TEXT, name TEXT);",
    )
    .unwrap();
    for (email, org, name) in rows {
        app.execute("INSERT INTO users VALUES (?1, ?2, ?3)", [email, org, name])
            .unwrap();
    }
    // While the application holds it open: its file and its WAL, as they are.
    std::fs::copy(&live, &path).unwrap();
    std::fs::copy(
        format!("{}-wal", live.display()),
        format!("{}-wal", path.display()),
    )
    .unwrap();
    drop(app);
    path
}

/// `user sync --source SOURCE --query "SELECT email, org, name FROM users"`, then `extra`.
fn sync_args<'a>(source: &'a std::path::Path, extra: &[&'a str]) -> Vec<&'a str> {
    let source = source.to_str().expect("a UTF-8 path");
    let query = "SELECT email, org, name FROM users";
    [
        &["user", "sync", "--source", source, "--query", query][..],
        extra,
    ]
    .concat()
}

#[test]
fn user_sync_never_writes_its_sqlite_source() {
    let env = TestEnv::new();
    let source = app_database_in_wal(
        &env,
        "app.db",
        &[
            ("alice@example.com", "acme", "Alice"),
            ("bob@example.com", "acme", "Bob"),
        ],
    );
    let wal = std::path::PathBuf::from(format!("{}-wal", source.display()));
    let db_before = std::fs::read(&source).unwrap();
    let wal_before = std::fs::read(&wal).unwrap();
    assert!(!wal_before.is_empty(), "the rows are in the WAL");
    for extra in [&["--dry-run"][..], &[][..]] {
        let args = sync_args(&source, extra);
        let report: SyncReport = env.twofa(&args).ok_json();
        assert_eq!(
            report.added,
            ["alice@example.com", "bob@example.com"],
            "{extra:?}"
        );
        assert!(
            std::fs::read(&wal).ok().as_deref() == Some(&*wal_before),
            "{extra:?}: the source's WAL was changed or removed"
        );
        assert!(
            std::fs::read(&source).unwrap() == db_before,
            "{extra:?}: the source's file changed"
        );
    }
    assert_eq!(env.status("bob@example.com").org.as_deref(), Some("acme"));
}

#[test]
fn a_mistyped_database_is_never_created() {
    // No SQLite file, or a PostgreSQL database without twofa's tables.
    let env = TestEnv::bare();
    let csv = "email,org\nx@example.com,\n";
    let secrets = "email,secret\nx@example.com,JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\n";
    for (args, stdin) in [
        (&["user", "add", "x@example.com"][..], ""),
        (&["org", "add", "acme"], ""),
        (&["user", "import", "-"], csv),
        (&["import", "-", "--create"], secrets),
        (&["enroll", "x@example.com", "--create", "--no-confirm"], ""),
    ] {
        let err = env.twofa(args).stdin(stdin).fails(6);
        let hint = if env.is_server() {
            "no twofa tables"
        } else {
            "no account database at"
        };
        assert!(
            err.contains(hint) && err.contains("init"),
            "{args:?}: {err}"
        );
        assert!(!env.key_file().exists(), "{args:?} created a key");
        if env.is_postgres() {
            let schema = env.query_strings("SELECT coalesce(to_regclass('twofa.meta')::text, '')");
            assert_eq!(schema, [""], "{args:?} added twofa's tables");
        } else if env.is_mysql() {
            let tables = env.query_strings(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE()",
            );
            assert_eq!(tables, ["0"], "{args:?} added twofa's tables");
        } else {
            assert!(!env.db.exists(), "{args:?} created the database");
        }
    }
    // init does, and then they work.
    env.ok(&["init"]);
    env.ok(&["user", "add", "x@example.com"]);
}

#[test]
fn user_sync_stores_no_name_that_breaks_the_text_rules() {
    let env = TestEnv::new();
    env.ok(&["user", "add", "kept@example.com", "--name", "Kept Name"]);
    let long = "x".repeat(300_000);
    let hostile = [
        ("osc@example.com", "pwned\u{1b}]0;owned\u{7}"),
        ("lines@example.com", "two\nlines"),
        ("bidi@example.com", "txt\u{202e}gpj.exe"),
        ("long@example.com", long.as_str()),
        ("kept@example.com", "\u{1b}[2J"),
    ];
    let mut rows: Vec<(&str, &str, &str)> = hostile.iter().map(|(e, n)| (*e, "acme", *n)).collect();
    rows.push(("fine@example.com", "acme", "Zoë Ünal"));
    let source = app_database_in_wal(&env, "app.db", &rows);
    for extra in [&["--dry-run"][..], &[][..]] {
        let args = sync_args(&source, extra);
        let (code, report, stderr): (i32, SyncReport, String) = env.twofa(&args).json_full();
        assert_eq!(code, 0, "{stderr}");
        let mut rejected: Vec<&str> = hostile.iter().map(|(e, _)| *e).collect();
        rejected.sort_unstable();
        assert_eq!(report.rejected_names, rejected);
        assert!(report.added.contains(&"osc@example.com".to_string()));
        assert!(
            stderr.contains("5 names from the users query break the text rules"),
            "{stderr}"
        );
        assert!(
            !stderr.contains('\u{1b}') && !stderr.contains('\u{202e}'),
            "{stderr}"
        );
        assert!(
            stderr.len() < 1000,
            "the names are not repeated: {} bytes",
            stderr.len()
        );
    }
    // The accounts are there, their names empty or as they were.
    let users: Vec<User> = env.twofa(&["user", "list"]).ok_json();
    let name = |email: &str| {
        users
            .iter()
            .find(|u| u.email == email)
            .unwrap_or_else(|| panic!("{email} was not synced"))
            .name
            .clone()
    };
    for (email, _) in &hostile[..4] {
        assert_eq!(name(email), None, "{email}");
    }
    assert_eq!(name("kept@example.com").as_deref(), Some("Kept Name"));
    assert_eq!(name("fine@example.com").as_deref(), Some("Zoë Ünal"));
    let db = env.db_contents();
    assert!(
        !db.windows(5).any(|w| w == b"pwned"),
        "a hostile name was stored"
    );
}

#[test]
fn user_sync_refuses_an_external_id_that_breaks_the_text_rules() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("alice@example.com");
    // MySQL's TEXT holds 64 KiB; the long id below needs more.
    let long_text = if env.is_mysql() { "LONGTEXT" } else { "TEXT" };
    env.app_sql(&format!(
        "CREATE TABLE app_users (email TEXT, org TEXT, ext {long_text})"
    ));
    env.app_sql("INSERT INTO app_users VALUES ('alice@example.com', NULL, '1')");
    let query = "SELECT email, org, ext AS external_id FROM app_users";
    env.ok(&["user", "sync", "--query", query]);
    let long = "7".repeat(300_000);
    for (id, rule) in [
        ("2\u{1b}]0;pwned\u{7}", "control character"),
        ("2\nforged", "control character"),
        ("2\u{202e}txt", "format character"),
        (long.as_str(), "300000 characters"),
    ] {
        env.app_sql(&format!("UPDATE app_users SET ext = '{id}'"));
        // A bad row: the sync changes nothing, so the credential is not revoked as if the
        // application had re-created the user.
        let err = env
            .twofa(&["user", "sync", "--query", query])
            .fails_saying(2, "users query row 1: the external_id");
        assert!(err.contains(rule), "{err}");
        assert!(
            !err.contains('\u{1b}') && !err.contains('\u{202e}'),
            "{err}"
        );
        assert!(
            err.len() < 1000,
            "the id is not repeated: {} bytes",
            err.len()
        );
        let status = env.status("alice@example.com");
        assert_eq!(status.state, "enabled");
        assert_eq!(status.external_id.as_deref(), Some("1"));
    }
    assert!(
        !env.actions_of("alice@example.com")
            .contains(&"account.reused".to_string())
    );
    env.now += 30;
    assert_accepted(&env.verify("alice@example.com", &env.code(&secret)), "totp");
}

/// Emails that read as `alice@example.com`: a Cyrillic `а`, a fullwidth `ａ`.
const ALICE_TWINS: [&str; 2] = ["\u{430}lice@example.com", "\u{ff41}lice@example.com"];

#[test]
fn an_email_that_looks_like_an_existing_account_is_refused_wherever_accounts_are_made() {
    let mut env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    env.ok(&["user", "add", "alice@example.com"]);
    env.enable("bob@example.com");
    let csv = |email: &str| format!("email,org\nnew@example.com,\n{email},acme\n");
    let secrets = |email: &str| format!("email,secret\n{email},JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\n");
    for twin in ALICE_TWINS {
        let source = app_database_in_wal(
            &env,
            &format!("app-{}.db", twin.len()),
            &[("new@example.com", "acme", "New"), (twin, "acme", "Twin")],
        );
        let attempts: [(Vec<&str>, String); 6] = [
            (vec!["user", "add", twin], String::new()),
            (vec!["user", "import", "-"], csv(twin)),
            (
                vec!["enroll", twin, "--create", "--no-confirm"],
                String::new(),
            ),
            (vec!["import", "-", "--create"], secrets(twin)),
            (
                vec!["user", "rename", "bob@example.com", twin],
                String::new(),
            ),
            (sync_args(&source, &[]), String::new()),
        ];
        for (args, stdin) in attempts {
            let err = env.twofa(&args).stdin(&stdin).fails(4);
            assert!(
                err.contains("alice@example.com"),
                "{args:?} names the account: {err}"
            );
            assert!(err.contains("looks like"), "{args:?}: {err}");
            assert!(err.contains("\\u{"), "{args:?} spells it out: {err}");
        }
    }
    // Nothing was added, renamed or half-done: all or nothing.
    let users: Vec<User> = env.twofa(&["user", "list"]).ok_json();
    assert_eq!(emails(&users), ["alice@example.com", "bob@example.com"]);
    // The account itself may take a spelling only it looks like; others still may not.
    env.ok(&["user", "rename", "alice@example.com", ALICE_TWINS[0]]);
    env.twofa(&["user", "add", "alice@example.com"]).fails(4);
}

#[test]
fn a_user_import_names_the_line_an_email_looks_like() {
    let env = TestEnv::new();
    let twin = ALICE_TWINS[0];
    let csv = format!("email,org\nalice@example.com,\nnew@example.com,\n{twin},\n");
    let err = env
        .twofa(&["user", "import", "-"])
        .stdin(&csv)
        .fails_saying(4, "line 4:");
    assert!(err.contains("looks like the email on line 2"), "{err}");
    assert!(!err.contains("existing account"), "{err}");
    let users: Vec<User> = env.twofa(&["user", "list"]).ok_json();
    assert!(users.is_empty(), "nothing was imported: {users:?}");
}

#[test]
fn the_migration_fills_in_skeletons_and_keeps_existing_look_alikes() {
    let env = TestEnv::bare();
    // Schema version 7 by hand: every migration before this one, in their order.
    let (prefix, files): (&str, [&str; 7]) = if env.is_postgres() {
        env.execute("CREATE SCHEMA twofa");
        (
            "twofa.",
            [
                include_str!("../migrations/postgres/001_initial.sql"),
                include_str!("../migrations/postgres/004_external_id.sql"),
                include_str!("../migrations/postgres/005_exemptions_reminders.sql"),
                include_str!("../migrations/postgres/006_event_chain.sql"),
                include_str!("../migrations/postgres/002_replacement.sql"),
                include_str!("../migrations/postgres/003_support.sql"),
                include_str!("../migrations/postgres/007_account_facts.sql"),
            ],
        )
    } else if env.is_mysql() {
        (
            "twofa_",
            [
                include_str!("../migrations/mysql/001_initial.sql"),
                include_str!("../migrations/mysql/004_external_id.sql"),
                include_str!("../migrations/mysql/005_exemptions_reminders.sql"),
                include_str!("../migrations/mysql/006_event_chain.sql"),
                include_str!("../migrations/mysql/002_replacement.sql"),
                include_str!("../migrations/mysql/003_support.sql"),
                include_str!("../migrations/mysql/007_account_facts.sql"),
            ],
        )
    } else {
        (
            "twofa_",
            [
                include_str!("../migrations/sqlite/001_initial.sql"),
                include_str!("../migrations/sqlite/004_external_id.sql"),
                include_str!("../migrations/sqlite/005_exemptions_reminders.sql"),
                include_str!("../migrations/sqlite/006_event_chain.sql"),
                include_str!("../migrations/sqlite/002_replacement.sql"),
                include_str!("../migrations/sqlite/003_support.sql"),
                include_str!("../migrations/sqlite/007_account_facts.sql"),
            ],
        )
    };
    for sql in files {
        env.execute(sql);
    }
    // A look-alike pair from before, more accounts than one batch, and a live access code.
    let expires = T0 + 3600;
    let numbers = if env.is_postgres() {
        "SELECT generate_series(1, 1200) AS n"
    } else if env.is_mysql() {
        "SELECT seq AS n FROM seq_1_to_1200"
    } else {
        "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1200) SELECT n FROM s"
    };
    env.execute(
        &format!(
            "INSERT INTO $tmeta VALUES ('schema_version', '7');
             INSERT INTO $taccounts (id, email, created_at) VALUES
               (1, 'alice@example.com', {T0}), (2, '{}', {T0}), (3, 'bob@example.com', {T0});
             INSERT INTO $taccounts (id, email, created_at)
               SELECT n + 10, 'user' || n || '@example.com', {T0} FROM ({numbers}) AS s;
             INSERT INTO $taccess_codes (account_id, hash, created_at, expires_at)
               VALUES (3, 'not-a-real-hash', {T0}, {expires});",
            ALICE_TWINS[0]
        )
        .replace("$t", prefix),
    );
    env.ok(&["init"]);
    let skeletons = env.query_strings(&format!(
        "SELECT coalesce(skeleton, '') FROM {} ORDER BY id",
        env.table("accounts")
    ));
    assert_eq!(skeletons.len(), 1203);
    assert_eq!(skeletons[0], skeletons[1], "the pair reads the same");
    assert!(
        skeletons.iter().all(|s| !s.is_empty()),
        "every account has one"
    );
    assert_eq!(skeletons[0], twofa::text::skeleton("alice@example.com"));
    // Both stay; a third is refused; the access code shows.
    env.ok(&["status", "alice@example.com"]);
    env.ok(&["status", ALICE_TWINS[0]]);
    env.twofa(&["user", "add", ALICE_TWINS[1]])
        .fails_saying(4, "looks like");
    env.twofa(&["user", "add", "user1200@examp1e.com"])
        .fails_saying(4, "user1200@example.com");
    assert_eq!(
        env.status("bob@example.com").access_code_expires_at,
        Some(rfc3339(expires))
    );
}
