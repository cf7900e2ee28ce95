//! Account state through the real binary, on either backend: lockout escalation across
//! lock periods, re-enrollment without a gap, commands that only read, changes that change
//! nothing, and `audit --non-compliant`'s exit code into a closed pipe.

mod common;

use common::*;
use serde::Deserialize;

const ALICE: &str = "alice@example.com";

/// A bulk report (`disable`, `reset`, `unlock`).
#[derive(Debug, Deserialize)]
struct Report {
    action: String,
    changed: Vec<String>,
    unchanged: Vec<String>,
    failed: Vec<FailedLine>,
}

#[derive(Debug, Deserialize)]
struct FailedLine {
    line: Option<u64>,
    input: String,
    error: String,
    exit_code: i32,
}

/// One wrong code at the environment's time: (exit code, answer, stderr).
fn wrong(env: &TestEnv, secret: &[u8]) -> (i32, Verify, String) {
    env.twofa(&["verify", ALICE, "-"])
        .stdin(env.wrong_code(secret))
        .json_full()
}

#[test]
fn lockout_escalates_across_lock_periods_and_locks_for_good_at_100() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(ALICE);
    let mut failures = 0u32;
    while failures < 100 {
        let (exit, answer, stderr) = wrong(&env, &secret);
        failures += 1;
        assert_eq!(
            (exit, answer.reason.as_deref()),
            (1, Some("wrong_code")),
            "failure {failures}"
        );
        let status = env.status(ALICE);
        assert_eq!(status.failed_attempts, failures, "failures keep counting");
        if failures == 100 {
            assert!(
                stderr.contains("locked until 'twofa unlock'"),
                "the 100th failure says so: {stderr}"
            );
            assert!(status.locked && status.locked_until.is_none(), "{status:?}");
        } else if failures.is_multiple_of(5) {
            let until = twofa::clock::rfc3339(env.now + 900);
            assert!(
                stderr.contains(&format!("is now locked until {until}")),
                "failure {failures} says until when: {stderr}"
            );
            assert!(status.locked, "{status:?}");
            assert_eq!(status.locked_until.as_deref(), Some(until.as_str()));
            // Locked: even the right code gets exit 5, and it does not count.
            assert_rejected(&env.verify(ALICE, &env.code(&secret)), "locked");
            env.now += 899;
            assert_rejected(&env.verify(ALICE, &env.code(&secret)), "locked");
            assert_eq!(env.status(ALICE).failed_attempts, failures);
            env.now += 1; // the lock has run out
            let status = env.status(ALICE);
            assert!(
                !status.locked && status.locked_until.is_none(),
                "{status:?}"
            );
        } else {
            assert!(!stderr.contains("locked"), "failure {failures}: {stderr}");
            assert!(!status.locked, "{status:?}");
            env.now += 30;
        }
    }
    // Locked until unlock: years later, the right code still gets exit 5.
    env.now += 10 * 365 * 86_400;
    assert_rejected(&env.verify(ALICE, &env.code(&secret)), "locked");
    let status = env.status(ALICE);
    assert!(status.locked && status.locked_until.is_none(), "{status:?}");
    let events = env.events();
    assert_eq!(count_action(&events, "account.locked"), 20, "5, 10, … 100");
    assert!(
        events[0..5].iter().any(|e| e.detail.as_deref()
            == Some("100 consecutive failed codes; locked until 'twofa unlock' or 'twofa reset'")),
        "{events:?}"
    );
    // The table says so too, and CSV has the columns in the documented order.
    let table = env.ok(&["status", ALICE]);
    assert!(table.contains("until unlock"), "{table}");
    let csv = env.ok(&["audit", "--format", "csv"]);
    assert!(
        csv.starts_with(&format!("{}\n", STATUS_FIELDS.join(","))),
        "{csv}"
    );
    // unlock ends it, and the count starts again.
    env.ok(&["unlock", ALICE]);
    assert_eq!(env.status(ALICE).failed_attempts, 0);
    assert_accepted(&env.verify(ALICE, &env.code(&secret)), "totp");
}

#[test]
fn a_success_clears_the_count_and_reset_clears_a_lock_until_unlock() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(ALICE);
    for _ in 0..7 {
        wrong(&env, &secret);
        env.now += 900;
    }
    assert_eq!(env.status(ALICE).failed_attempts, 7);
    assert_accepted(&env.verify(ALICE, &env.code(&secret)), "totp");
    assert_eq!(env.status(ALICE).failed_attempts, 0, "a success clears it");

    // Written by SQL: 99 failures; the next one locks until unlock.
    let accounts = env.table("accounts");
    env.execute(&format!("UPDATE {accounts} SET failed_attempts = 99"));
    env.now += 30;
    let (exit, _, stderr) = wrong(&env, &secret);
    assert_eq!(exit, 1, "{stderr}");
    assert!(env.status(ALICE).locked);
    env.ok(&["reset", ALICE, "--reason", "locked out", "--yes"]);
    let status = env.status(ALICE);
    assert_eq!((status.failed_attempts, status.locked), (0, false));
}

#[test]
fn confirm_failures_escalate_too() {
    let env = TestEnv::new();
    let secret = env.enroll(ALICE);
    let accounts = env.table("accounts");
    env.execute(&format!("UPDATE {accounts} SET failed_attempts = 9"));
    let out = env
        .twofa(&["confirm", ALICE, "-"])
        .stdin(env.wrong_code(&secret))
        .output();
    let stderr = assert_failure(&out, 1, "is now locked until");
    assert!(
        stderr.contains(&twofa::clock::rfc3339(env.now + 900)),
        "{stderr}"
    );
    let status = env.status(ALICE);
    assert_eq!((status.failed_attempts, status.locked), (10, true));
}

#[test]
fn re_enrolling_keeps_the_old_credential_until_the_new_one_is_confirmed() {
    let mut env = TestEnv::new();
    let (old, old_codes) = env.enable(ALICE);
    // Without --yes and without a terminal: refused, nothing changes.
    env.twofa(&["enroll", ALICE, "--no-confirm"])
        .fails_saying(4, "--yes");
    let new: Enroll = env
        .twofa(&["enroll", ALICE, "--no-confirm", "--yes"])
        .ok_json();
    let new = new.secret_bytes();
    assert_ne!(new, old);
    // The old code and the old recovery codes still work; the account is still enabled.
    let status = env.status(ALICE);
    assert_eq!((status.state.as_str(), status.compliant), ("enabled", true));
    assert_eq!(status.recovery_codes_left, 10);
    assert_accepted(&env.verify(ALICE, &env.code(&old)), "totp");
    assert_accepted(&env.verify(ALICE, &old_codes[0]), "recovery");
    // verify never accepts the pending secret.
    env.now += 30;
    assert_rejected(&env.verify(ALICE, &env.code(&new)), "wrong_code");
    // Confirmed: the new secret works, the old one and its codes no longer do.
    env.now += 30;
    let new_codes = env.confirm(ALICE, &env.code(&new));
    env.now += 30;
    assert_rejected(&env.verify(ALICE, &env.code(&old)), "wrong_code");
    assert_rejected(&env.verify(ALICE, &old_codes[1]), "wrong_code");
    env.now += 30;
    assert_accepted(&env.verify(ALICE, &env.code(&new)), "totp");
    assert_accepted(&env.verify(ALICE, &new_codes[0]), "recovery");
    // It checks with the real authenticator libraries too.
    if have("oathtool") {
        env.now += 30;
        let hex: String = new.iter().map(|b| format!("{b:02x}")).collect();
        let out = std::process::Command::new("oathtool")
            .args(["--totp", "--now", &format!("@{}", env.now), &hex])
            .output()
            .expect("oathtool");
        let code = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert_accepted(&env.verify(ALICE, &code), "totp");
    }
    let events = env.actions_of(ALICE);
    assert_eq!(events.iter().filter(|a| *a == "confirm").count(), 2);
}

#[test]
fn an_expired_re_enrollment_leaves_the_old_credential_as_it_was() {
    let mut env = TestEnv::new();
    let (old, old_codes) = env.enable(ALICE);
    let before = env.status(ALICE);
    let new: Enroll = env
        .twofa(&["enroll", ALICE, "--no-confirm", "--yes"])
        .ok_json();
    env.now += 16 * 60;
    env.twofa(&["confirm", ALICE, "-"])
        .stdin(env.code(&new.secret_bytes()))
        .fails_saying(4, "still work");
    assert_eq!(env.status(ALICE), before, "nothing changed");
    assert_accepted(&env.verify(ALICE, &env.code(&old)), "totp");
    assert_accepted(&env.verify(ALICE, &old_codes[0]), "recovery");
    // Enrolling again starts a fresh re-enrollment, which confirms.
    let again: Enroll = env
        .twofa(&["enroll", ALICE, "--no-confirm", "--yes"])
        .ok_json();
    env.now += 30;
    env.confirm(ALICE, &env.code(&again.secret_bytes()));
}

#[test]
fn rekey_and_check_cover_a_pending_re_enrollment() {
    let mut env = TestEnv::new();
    env.enable(ALICE);
    let new: Enroll = env
        .twofa(&["enroll", ALICE, "--no-confirm", "--yes"])
        .ok_json();
    let checked: serde_json::Value = env.twofa(&["check"]).ok_json();
    assert_eq!(checked["secrets"], 2, "{checked}");
    let new_key = env.path("new.key");
    env.ok(&["rekey", "--new-key-file", new_key.to_str().unwrap()]);
    std::fs::rename(&new_key, env.key_file()).unwrap();
    env.ok(&["check"]);
    env.now += 30;
    env.confirm(ALICE, &env.code(&new.secret_bytes()));
}

/// The directory's file names and contents.
fn dir_contents(env: &TestEnv) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).unwrap_or_default())
        })
        .collect();
    files.sort();
    files
}

const READ_ONLY: [&[&str]; 15] = [
    &["status", ALICE],
    &["audit"],
    &["audit", "--non-compliant", "--format", "csv"],
    &["find", "alice"],
    &["log"],
    &["log", "head"],
    &["log", "verify"],
    &["org", "list"],
    &["user", "list"],
    &["recovery", "status", ALICE],
    &["org", "policy", "acme"],
    &["check"],
    &["metrics"],
    &["report"],
    &["org", "policy", "acme", "--require", "--dry-run"],
];

#[test]
fn commands_that_only_read_change_no_byte() {
    let mut env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    env.enable_with(ALICE, &["--org", "acme"]);
    env.enroll("bob@example.com");
    let (db, dir) = (env.db_contents(), dir_contents(&env));
    for args in READ_ONLY {
        let out = env.run(args, "");
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        assert!(env.db_contents() == db, "{args:?} changed the database");
        assert!(dir_contents(&env) == dir, "{args:?} changed the directory");
    }
}

/// The directory's files with their bytes, but for SQLite's shared-memory index (`-shm`,
/// which a reader of a WAL database writes its read marks into) and an empty WAL (which
/// holds nothing): the files a command that only reads must leave as they were.
fn dir_without_sqlite_companions(env: &TestEnv) -> Vec<(String, Vec<u8>)> {
    dir_contents(env)
        .into_iter()
        .filter(|(name, bytes)| {
            let companion = name.ends_with("-shm") || (name.ends_with("-wal") && bytes.is_empty());
            !companion
        })
        .collect()
}

/// The `openat` calls of an `strace` log on `path` exactly (not its `-wal` or `-shm`).
fn opens_of(trace: &str, path: &std::path::Path) -> Vec<String> {
    let quoted = format!("\"{}\"", path.display());
    trace
        .lines()
        .filter(|l| l.contains("openat(") && l.contains(&quoted))
        .map(str::to_string)
        .collect()
}

/// Commands that only read open the SQLite file and the key file read-only (strace), and
/// leave every file as it was, also with no other connection open (nothing cleans up after
/// them then).
#[test]
fn commands_that_only_read_open_the_database_and_key_read_only() {
    assert!(have("strace"), "strace is needed (apt-get install strace)");
    let mut env = TestEnv::sqlite();
    env.ok(&["org", "add", "acme"]);
    env.enable_with(ALICE, &["--org", "acme"]);
    env.enroll("bob@example.com");
    let traces = tempfile::tempdir().unwrap();
    let before = dir_without_sqlite_companions(&env);
    for (i, args) in READ_ONLY.iter().enumerate() {
        let log = traces.path().join(format!("{i}.trace"));
        let out = env.traced("openat", &log).args(*args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        let trace = std::fs::read_to_string(&log).unwrap();
        let db_opens = opens_of(&trace, &env.db);
        assert!(
            !db_opens.is_empty(),
            "{args:?} did not open the database?\n{trace}"
        );
        for open in db_opens.iter().chain(&opens_of(&trace, &env.key_file())) {
            for flag in ["O_WRONLY", "O_RDWR", "O_CREAT"] {
                assert!(!open.contains(flag), "{args:?}: {open}");
            }
        }
        assert!(
            dir_without_sqlite_companions(&env) == before,
            "{args:?} changed a file"
        );
        let wal = std::fs::read(format!("{}-wal", env.db.display())).unwrap_or_default();
        assert!(wal.is_empty(), "{args:?} wrote to the WAL");
    }
}

/// A database whose key was never recorded (its tables added by hand, or by a twofa that
/// failed to make the key file): a command that only reads records none and creates no key
/// file, where `log verify` used to.
#[test]
fn commands_that_only_read_record_no_key() {
    let env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    env.ok(&["user", "add", ALICE, "--org", "acme"]);
    let meta = env.table("meta");
    env.execute(&format!("DELETE FROM {meta} WHERE key = 'key_id'"));
    std::fs::remove_file(env.key_file()).unwrap();
    let key_ids = || env.query_strings(&format!("SELECT value FROM {meta} WHERE key = 'key_id'"));
    for args in READ_ONLY {
        let out = env.run(args, "");
        assert_no_panic(&out);
        // check needs the key it does not have (exit 6); the others answer.
        let expected = if args[0] == "check" { 6 } else { 0 };
        assert_eq!(out.status.code(), Some(expected), "{args:?}: {out:?}");
        assert!(!env.key_file().exists(), "{args:?} created a key file");
        assert!(key_ids().is_empty(), "{args:?} recorded a key");
    }
    // diagnose logs what it read, and nothing else: it gives the database no key either.
    env.ok(&["diagnose", ALICE]);
    assert!(!env.key_file().exists() && key_ids().is_empty());
    // Nor does export, which needs the key it does not have.
    let out = env.run(&["export", "--yes"], "");
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(6), "{out:?}");
    assert!(!env.key_file().exists(), "export created a key file");
    assert!(key_ids().is_empty(), "export recorded a key");
}

#[test]
fn reading_a_database_without_twofa_tables_creates_nothing() {
    // An application database with a table of twofa's name, but none of twofa's schema.
    let env = TestEnv::bare();
    if env.is_postgres() {
        env.execute(
            "CREATE SCHEMA twofa; CREATE TABLE twofa.meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        );
    } else if env.is_mysql() {
        env.execute(
            "CREATE TABLE users (id INTEGER); CREATE TABLE twofa_meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)",
        );
    } else {
        env.execute(
            "CREATE TABLE users (id INTEGER); CREATE TABLE twofa_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        );
    }
    let snapshot = || {
        let rows = env.query_strings(&format!("SELECT key FROM {}", env.table("meta")));
        (rows, dir_contents(&env))
    };
    let before = snapshot();
    for args in READ_ONLY {
        env.twofa(args).fails_saying(6, "no twofa tables");
        assert!(snapshot() == before, "{args:?} changed something");
        assert!(!env.key_file().exists(), "{args:?} created a key file");
    }
}

#[test]
fn reading_an_older_schema_asks_for_init_and_changes_nothing() {
    let env = TestEnv::new();
    env.ok(&["user", "add", ALICE]);
    let meta = env.table("meta");
    env.execute(&format!(
        "UPDATE {meta} SET value = '1' WHERE key = 'schema_version'"
    ));
    let db = env.db_contents();
    env.twofa(&["status", ALICE])
        .fails_saying(6, "older than this twofa");
    assert!(env.db_contents() == db);
}

#[test]
fn a_reset_that_changes_nothing_logs_nothing_and_calls_no_hook() {
    let mut env = TestEnv::new();
    env.ok(&["user", "add", ALICE]);
    env.enable("bob@example.com");
    let calls = env.path("hook-calls");
    let hook = format!("cat >> '{}'", calls.display());
    let events = env.events().len();
    let out = env.run(
        &[
            "reset",
            ALICE,
            "--reason",
            "lost phone",
            "--yes",
            "--hook",
            &hook,
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("nothing to reset"),
        "{out:?}"
    );
    for args in [
        &["disable", ALICE, "--yes", "--hook", &hook][..],
        &["unlock", ALICE, "--hook", &hook],
    ] {
        let report: Report = env.twofa(args).ok_json();
        assert_eq!(report.changed, Vec::<String>::new(), "{args:?}");
        assert_eq!(report.unchanged, vec![ALICE.to_string()], "{args:?}");
    }
    assert_eq!(env.events().len(), events, "no event");
    assert!(!calls.exists(), "no hook call");
    // A reset that changes something: one event, one hook call.
    let report: Report = env
        .twofa(&[
            "reset",
            "bob@example.com",
            "--reason",
            "lost phone",
            "--yes",
            "--hook",
            &hook,
        ])
        .ok_json();
    assert_eq!((report.action.as_str(), report.changed.len()), ("reset", 1));
    assert_eq!(env.events().len(), events + 1);
    assert_eq!(std::fs::read_to_string(&calls).unwrap().lines().count(), 1);
}

#[test]
fn bulk_reports_list_emails_and_failed_lines() {
    let mut env = TestEnv::new();
    env.enable("a@example.com");
    env.ok(&["user", "add", "b@example.com"]);
    let long = format!("{}@example.com", "x".repeat(300));
    let input = format!(
        "# lost\na@example.com\nB@Example.com\n\nnobody@example.com\nnot an email\n{long}\n"
    );
    let (exit, report, _) = env
        .twofa(&["reset", "--from", "-", "--reason", "incident 7", "--yes"])
        .stdin(&input)
        .json_full::<Report>();
    assert_eq!(exit, 3, "the worst failure: an unknown account");
    assert_eq!(report.action, "reset");
    assert_eq!(report.changed, ["a@example.com"]);
    assert_eq!(report.unchanged, ["b@example.com"]);
    let failed: Vec<(Option<u64>, &str, i32)> = report
        .failed
        .iter()
        .map(|f| (f.line, f.input.as_str(), f.exit_code))
        .collect();
    assert_eq!(failed[0], (Some(5), "nobody@example.com", 3));
    assert_eq!(failed[1], (Some(6), "not an email", 2));
    assert_eq!(failed[2].0, Some(7));
    assert_eq!(failed[2].1.chars().count(), 81, "80 characters and …");
    assert!(failed[2].1.ends_with('…'));
    assert!(report.failed[0].error.contains("no account"));
}

#[test]
fn audit_non_compliant_into_head_exits_1_in_every_format() {
    let env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    // Enough rows that the reader has gone while twofa still writes.
    let csv: String = std::iter::once("email,org\n".to_string())
        .chain((0..3000).map(|i| format!("user{i:05}@example.com,acme\n")))
        .collect();
    env.twofa(&["user", "import", "-"]).stdin(&csv).ok();
    env.ok(&["org", "policy", "acme", "--require"]);
    for format in ["csv", "table", "ndjson", "json"] {
        for reader in ["head -1", "head -c 10", "true"] {
            let out = env
                .bash(&format!(
                    "\"$TWOFA\" audit --non-compliant --format {format} | {reader} >/dev/null; exit ${{PIPESTATUS[0]}}"
                ))
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1), "{format} | {reader}: {out:?}");
            assert_eq!(
                String::from_utf8_lossy(&out.stderr),
                "",
                "{format} | {reader}"
            );
        }
    }
    // None non-compliant: 0, also into head.
    env.ok(&["org", "policy", "acme", "--optional"]);
    for format in ["csv", "table", "ndjson", "json"] {
        let out = env
            .bash(&format!(
                "\"$TWOFA\" audit --non-compliant --format {format} | head -1; exit ${{PIPESTATUS[0]}}"
            ))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}: {out:?}");
    }
}
