//! Faults through the binary: bad keys, bad or foreign databases, bad input, closed pipes.
//! Each gets a clear message on stderr, its documented exit code, no panic, and no change.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{TestEnv, assert_failure, assert_no_panic};

const ALICE: &str = "alice@example.com";

/// An environment with an organisation, an account with 2FA enabled and one without.
fn populated() -> (TestEnv, Vec<u8>) {
    let mut env = TestEnv::sqlite();
    env.ok(&["org", "add", "acme"]);
    env.ok(&["user", "add", "bob@example.com", "--org", "acme"]);
    let (secret, _) = env.enable(ALICE);
    (env, secret)
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Deterministic noise (an LCG), for a file that is not a database.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 56) as u8
        })
        .collect()
}

/// Runs each command (plain args, stdin) and asserts the failure and that the database
/// (its bytes, WAL included) did not change.
fn assert_each_fails(env: &TestEnv, cmds: &[(&[&str], &str)], code: i32, needle: &str) {
    let before = env.db_snapshot();
    for (args, stdin) in cmds {
        let out = env.run(args, stdin);
        let stderr = assert_failure(&out, code, needle);
        assert!(
            stderr.trim_end().lines().count() <= 2,
            "{args:?}: a short message, not a dump:\n{stderr}"
        );
        assert!(env.db_snapshot() == before, "{args:?} changed the database");
    }
}

/// Commands that need the key: each must stop at a key problem.
fn key_commands(env: &TestEnv, secret: &[u8]) -> Vec<(Vec<String>, String)> {
    let code = env.code(secret);
    vec![
        (
            vec!["verify".into(), ALICE.into(), "-".into()],
            code.clone(),
        ),
        (
            vec!["verify".into(), ALICE.into(), code.clone()],
            String::new(),
        ),
        (
            vec![
                "enroll".into(),
                "carol@example.com".into(),
                "--create".into(),
                "--no-confirm".into(),
            ],
            String::new(),
        ),
        (
            vec![
                "enroll".into(),
                ALICE.into(),
                "--yes".into(),
                "--no-confirm".into(),
            ],
            String::new(),
        ),
        (vec!["init".into()], String::new()),
        (vec!["check".into()], String::new()),
    ]
}

fn assert_key_fault(env: &TestEnv, secret: &[u8], extra: &[&str], needle: &str) {
    let events = env.events().len();
    let cmds = key_commands(env, secret);
    let cmds: Vec<(Vec<&str>, &str)> = cmds
        .iter()
        .map(|(args, stdin)| {
            let mut a: Vec<&str> = extra.to_vec();
            a.extend(args.iter().map(String::as_str));
            (a, stdin.as_str())
        })
        .collect();
    let cmds: Vec<(&[&str], &str)> = cmds.iter().map(|(a, s)| (a.as_slice(), *s)).collect();
    assert_each_fails(env, &cmds, 6, needle);
    assert_eq!(env.events().len(), events, "the event log grew");
}

#[test]
fn wrong_key_file() {
    let (env, secret) = populated();
    let other = env.path("other.key");
    fs::write(&other, [7u8; 32]).unwrap();
    fs::set_permissions(&other, fs::Permissions::from_mode(0o600)).unwrap();
    let other = other.display().to_string();
    assert_key_fault(&env, &secret, &["--key-file", &other], "wrong key");

    // The same with the right path holding another key.
    let key = env.key_file();
    let right = fs::read(&key).unwrap();
    fs::write(&key, [7u8; 32]).unwrap();
    assert_key_fault(&env, &secret, &[], "wrong key");

    // Put back, everything works as before.
    fs::write(&key, &right).unwrap();
    let out = env.run(&["verify", ALICE, "-"], &env.code(&secret));
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn missing_key_file() {
    let (env, secret) = populated();
    let key = env.key_file();
    fs::remove_file(&key).unwrap();
    assert_key_fault(&env, &secret, &[], "missing");
    assert!(
        !key.exists(),
        "a missing key must not be replaced by a new one"
    );
}

#[test]
fn truncated_key_file() {
    let (env, secret) = populated();
    let key = env.key_file();
    let right = fs::read(&key).unwrap();
    fs::write(&key, &right[..10]).unwrap();
    assert_key_fault(&env, &secret, &[], "truncated");
    assert_eq!(
        fs::read(&key).unwrap(),
        &right[..10],
        "the key file changed"
    );
}

/// The commands run against a damaged database.
fn db_commands(secret_code: &str) -> Vec<(Vec<String>, String)> {
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    vec![
        (s(&["status", ALICE]), String::new()),
        (s(&["verify", ALICE, "-"]), secret_code.to_string()),
        (s(&["confirm", ALICE, "-"]), secret_code.to_string()),
        (
            s(&["enroll", "carol@example.com", "--create", "--no-confirm"]),
            String::new(),
        ),
        (s(&["user", "add", "carol@example.com"]), String::new()),
        (
            s(&["user", "import", "-"]),
            "email,org\ncarol@example.com,\n".to_string(),
        ),
        (s(&["user", "list"]), String::new()),
        (s(&["org", "add", "globex"]), String::new()),
        (s(&["org", "list"]), String::new()),
        (s(&["audit"]), String::new()),
        (s(&["log"]), String::new()),
        (s(&["check"]), String::new()),
        (s(&["recovery", "status", ALICE]), String::new()),
    ]
}

fn assert_db_fault(env: &TestEnv, cmds: &[(Vec<String>, String)], needle: &str) {
    let cmds: Vec<(Vec<&str>, &str)> = cmds
        .iter()
        .map(|(a, s)| (a.iter().map(String::as_str).collect(), s.as_str()))
        .collect();
    let cmds: Vec<(&[&str], &str)> = cmds.iter().map(|(a, s)| (a.as_slice(), *s)).collect();
    assert_each_fails(env, &cmds, 6, needle);
}

#[test]
fn corrupt_database_file() {
    let (env, secret) = populated();
    let code = env.code(&secret);
    let mut cmds = db_commands(&code);
    cmds.push((vec!["init".into()], String::new()));

    fs::write(&env.db, noise(64 * 1024)).unwrap();
    assert_db_fault(&env, &cmds, "corrupt");

    fs::write(
        &env.db,
        "this is a text file, not an account database\n".repeat(100),
    )
    .unwrap();
    assert_db_fault(&env, &cmds, "not an SQLite database");
}

#[test]
fn truncated_database_file() {
    let (env, secret) = populated();
    // Enough rows that the file spans many pages.
    let csv: String = std::iter::once("email,org\n".to_string())
        .chain((0..400).map(|i| format!("user{i:04}@example.com,acme\n")))
        .collect();
    let out = env.run(&["user", "import", "-"], &csv);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let bytes = fs::read(&env.db).unwrap();
    assert!(bytes.len() >= 8 * 4096, "only {} bytes", bytes.len());
    fs::write(&env.db, &bytes[..bytes.len() / 2]).unwrap();

    let code = env.code(&secret);
    let mut cmds = db_commands(&code);
    cmds.push((vec!["init".into()], String::new()));
    let before = env.db_snapshot();
    for (args, stdin) in &cmds {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = env.run(&args, stdin);
        assert_no_panic(&out);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(6), "{args:?}:\n{stderr}");
        assert!(stderr.contains("twofa: error:"), "{args:?}:\n{stderr}");
        assert!(env.db_snapshot() == before, "{args:?} changed the database");
    }
}

#[test]
fn database_of_another_application() {
    let mut env = TestEnv::sqlite();
    env.db = env.path("app.db");
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute_batch(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, password TEXT);
             INSERT INTO users (email, password) VALUES ('alice@example.com', 'x'), ('bob@example.com', 'y');
             PRAGMA user_version = 42;",
        )
        .unwrap();
    }
    let app_rows = |env: &TestEnv| -> Vec<(i64, String, String)> {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let mut stmt = conn
            .prepare("SELECT id, email, password FROM users ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let rows = app_rows(&env);

    let mut cmds = db_commands("123456");
    cmds.push((
        vec!["enroll".into(), ALICE.into(), "--no-confirm".into()],
        String::new(),
    ));
    cmds.push((
        vec!["org".into(), "policy".into(), "acme".into()],
        String::new(),
    ));
    cmds.push((vec!["unlock".into(), ALICE.into()], String::new()));
    assert_db_fault(&env, &cmds, "no twofa tables");
    assert!(!env.key_file().exists(), "a key was created");

    // init adds twofa's tables beside the application's and touches nothing else.
    let out = env.run(&["init"], "");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_no_panic(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("added twofa tables"));
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(tables.contains(&"users".to_string()), "{tables:?}");
    for t in [
        "twofa_meta",
        "twofa_accounts",
        "twofa_credentials",
        "twofa_events",
    ] {
        assert!(tables.contains(&t.to_string()), "{t} missing: {tables:?}");
    }
    assert!(
        tables
            .iter()
            .all(|t| t == "users" || t.starts_with("twofa_")),
        "{tables:?}"
    );
    let user_version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(user_version, 42);
    let journal: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(
        journal, "delete",
        "the application's journal mode was changed"
    );
    drop(conn);
    assert_eq!(app_rows(&env), rows);
    assert_eq!(mode(&env.key_file()), 0o600);

    // And twofa works in it now.
    env.ok(&["user", "add", ALICE]);
    assert_eq!(app_rows(&env), rows);
}

#[test]
fn newer_schema_is_refused() {
    let (env, secret) = populated();
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let n = conn
            .execute(
                "UPDATE twofa_meta SET value = '999' WHERE key = 'schema_version'",
                [],
            )
            .unwrap();
        assert_eq!(n, 1);
    }
    let code = env.code(&secret);
    let mut cmds = db_commands(&code);
    cmds.push((vec!["init".into()], String::new()));
    assert_db_fault(&env, &cmds, "newer");
}

#[test]
fn no_database_at_all() {
    let env = TestEnv::sqlite_bare();
    let csv = "email,org\nx@example.com,\n";
    let secrets = "email,secret\nx@example.com,JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\n";
    // A mistyped --db (here TWOFA_DB) never becomes a new, empty database: not even for
    // the commands that add something.
    for (args, stdin) in [
        (&["status", "x@example.com"][..], ""),
        (&["verify", "x@example.com", "123456"], ""),
        (&["confirm", "x@example.com", "123456"], ""),
        (&["enroll", "x@example.com", "--no-confirm"], ""),
        (&["enroll", "x@example.com", "--create", "--no-confirm"], ""),
        (&["user", "list"], ""),
        (&["audit"], ""),
        (&["log"], ""),
        (&["log", "verify"], ""),
        (&["check"], ""),
        (&["user", "add", "x@example.com"], ""),
        (&["org", "add", "acme"], ""),
        (&["user", "import", "-"], csv),
        (&["import", "-", "--create"], secrets),
    ] {
        let out = env.run(args, stdin);
        let stderr = assert_failure(&out, 6, "no account database at");
        assert!(stderr.contains(&env.db.display().to_string()), "{stderr}");
        assert!(stderr.contains("twofa init"), "{stderr}");
        assert!(!env.db.exists(), "{args:?} created the database");
        assert!(!env.key_file().exists(), "{args:?} created the key");
    }

    let out = env.run(&["init"], "");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_no_panic(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "one-line notice:\n{stderr}"
    );
    assert!(stderr.contains("created"), "{stderr}");
    assert!(stderr.contains(&env.db.display().to_string()), "{stderr}");
    assert_eq!(mode(&env.db), 0o600);
    assert_eq!(mode(&env.key_file()), 0o600);
    assert_eq!(fs::read(env.key_file()).unwrap().len(), 32);

    // init again: nothing to do, nothing changed, no notice.
    let db = env.db_snapshot();
    let key = fs::read(env.key_file()).unwrap();
    let events = env.events().len();
    let out = env.run(&["init"], "");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        env.db_snapshot() == db,
        "a second init changed the database"
    );
    assert_eq!(fs::read(env.key_file()).unwrap(), key);
    assert_eq!(env.events().len(), events);
    assert_eq!(mode(&env.db), 0o600);
}

#[test]
fn files_twofa_creates_are_private() {
    // Only init creates a database, and enroll --create where none was named (./twofa.db,
    // the README's first run).
    for args in [
        &["init"][..],
        &["enroll", ALICE, "--create", "--no-confirm"],
    ] {
        let env = TestEnv::sqlite_bare();
        let out = env
            .twofa(args)
            .env_remove("TWOFA_DB")
            .env_remove("TWOFA_KEY_FILE")
            .output();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("created account database"),
            "{args:?}:\n{stderr}"
        );
        assert_eq!(mode(&env.db), 0o600, "{args:?}: database");
        assert_eq!(mode(&env.key_file()), 0o600, "{args:?}: key");
    }

    // With a key file given explicitly.
    let env = TestEnv::sqlite_bare();
    let key = env.path("keys.bin");
    let out = env.run(&["--key-file", key.to_str().unwrap(), "init"], "");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(mode(&key), 0o600);
    assert!(!env.key_file().exists());
}

#[test]
fn key_file_readable_by_others_draws_a_warning() {
    let (mut env, secret) = populated();
    env.now += 30;
    let out = env.run(&["verify", ALICE, "-"], &env.code(&secret));
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stderr.is_empty(), "no warning with 0600");

    fs::set_permissions(env.key_file(), fs::Permissions::from_mode(0o644)).unwrap();
    env.now += 30;
    let out = env.run(&["verify", ALICE, "-"], &env.code(&secret));
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning"), "{stderr}");
    assert!(stderr.contains("group or others"), "{stderr}");
    assert!(
        stderr.contains(&env.key_file().display().to_string()),
        "{stderr}"
    );
    // The warning does not change the file's mode behind the user's back.
    assert_eq!(mode(&env.key_file()), 0o644);
}

#[test]
fn unknown_account_or_organisation() {
    let (env, _) = populated();
    let events = env.events().len();
    let nobody = "nobody@example.com";
    let cmds: [(&[&str], &str); 5] = [
        (&["status", nobody], ""),
        (&["verify", nobody, "-"], "123456\n"),
        (&["confirm", nobody, "123456"], ""),
        (&["enroll", nobody, "--no-confirm"], ""),
        (&["recovery", "status", nobody], ""),
    ];
    assert_each_fails(&env, &cmds, 3, nobody);

    let orgs: [(&[&str], &str); 4] = [
        (&["user", "add", "x@example.com", "--org", "nope"], ""),
        (
            &[
                "enroll",
                "x@example.com",
                "--create",
                "--org",
                "nope",
                "--no-confirm",
            ],
            "",
        ),
        (&["user", "list", "--org", "nope"], ""),
        (&["user", "import", "-"], "email,org\nx@example.com,nope\n"),
    ];
    assert_each_fails(&env, &orgs, 3, "nope");
    assert_eq!(env.events().len(), events, "the event log grew");
    let out = env.run(&["status", "x@example.com"], "");
    assert_eq!(out.status.code(), Some(3), "the account was created");
}

#[test]
fn malformed_codes_are_usage_errors() {
    let (env, _) = populated();
    env.enroll("carol@example.com");
    let events = env.events().len();
    for bad in ["12345", "abcdef", "1234567"] {
        let stdin = format!("{bad}\n");
        let cmds: [(&[&str], &str); 5] = [
            (&["verify", ALICE, bad], ""),
            (&["verify", ALICE, "-"], &stdin),
            (&["verify", ALICE], &stdin),
            (&["confirm", "carol@example.com", bad], ""),
            (&["confirm", "carol@example.com", "-"], &stdin),
        ];
        // Says what was wrong, never what was typed (no message repeats a code).
        assert_each_fails(&env, &cmds, 2, "were given");
        let err = env.twofa(&["verify", ALICE, "-"]).stdin(&stdin).fails(2);
        assert!(!err.contains(bad), "{bad} echoed: {err}");
    }
    assert_eq!(env.events().len(), events, "the event log grew");
    let (_, v) = env.json(&["status", ALICE]);
    assert_eq!(v["locked"], false);
}

#[test]
fn malformed_emails_are_usage_errors() {
    let (env, _) = populated();
    let events = env.events().len();
    for (bad, needle) in [
        ("not-an-email", "not-an-email"),
        ("a@b@c", "a@b@c"),
        ("", "empty"),
    ] {
        let cmds: [(&[&str], &str); 4] = [
            (&["user", "add", bad], ""),
            (&["user", "import", "-"], &format!("email,org\n{bad},\n")),
            (&["enroll", bad, "--create", "--no-confirm"], ""),
            (&["status", bad], ""),
        ];
        assert_each_fails(&env, &cmds, 2, needle);
    }
    // The commands that take a code say which rule their EMAIL broke without showing it:
    // it may be the code, the two given the wrong way round.
    for command in ["verify", "confirm", "diagnose"] {
        for bad in ["not-an-email", "a@b@c"] {
            let err = env
                .twofa(&[command, bad, "123456"])
                .fails_saying(2, "the email is not an email address");
            assert!(!err.contains(bad), "{command}: {err}");
        }
    }
    assert_eq!(env.events().len(), events, "the event log grew");
}

#[test]
fn adding_what_exists_is_refused() {
    let (env, _) = populated();
    let events = env.events().len();
    let cmds: [(&[&str], &str); 4] = [
        (&["user", "add", ALICE], ""),
        (&["user", "add", "  Alice@Example.COM "], ""),
        (&["org", "add", "acme"], ""),
        (
            &["user", "import", "-"],
            "email,org\ncarol@example.com,\nbob@example.com,acme\n",
        ),
    ];
    assert_each_fails(&env, &cmds, 4, "already exists");
    assert_eq!(env.events().len(), events, "the event log grew");
    // All-or-nothing: the import's first line did not land either.
    assert_eq!(
        env.run(&["status", "carol@example.com"], "").status.code(),
        Some(3)
    );
}

/// Runs `SCRIPT` under bash, where `$TWOFA` is the binary; the script ends with
/// `exit "${PIPESTATUS[0]}"` so its status is twofa's.
fn pipe_into_head(env: &TestEnv, twofa_args: &str) -> std::process::Output {
    env.bash(&format!(
        "\"$TWOFA\" {twofa_args} | head -1; exit \"${{PIPESTATUS[0]}}\""
    ))
    .output()
    .expect("run bash")
}

fn assert_quiet_success(out: &std::process::Output, what: &str) {
    assert_no_panic(out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{what}: stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{what}: stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn closed_pipe_ends_quietly() {
    let env = TestEnv::sqlite();
    // Output well beyond a pipe's buffer (64 KiB), so that twofa is still writing when
    // head has gone and the write fails for certain.
    let csv: String = std::iter::once("email,org\n".to_string())
        .chain((0..4000).map(|i| format!("user{i:05}@example.com,\n")))
        .collect();
    assert_eq!(
        env.run(&["user", "import", "-"], &csv).status.code(),
        Some(0)
    );
    // A long event log: the import logged each account.
    assert!(env.events().len() >= 4000);

    for args in [
        "audit",
        "audit --format json",
        "audit --format ndjson",
        "audit --format csv",
        "user list",
        "log",
        "log --format json",
        "--help",
        "audit --help",
    ] {
        let out = pipe_into_head(&env, args);
        assert_quiet_success(&out, args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(stdout.lines().count(), 1, "{args}: {stdout}");
    }

    // A closed stdout (not a pipe at all).
    for args in ["audit", "log", "--help"] {
        let out = env
            .bash(&format!("\"$TWOFA\" {args} >&-"))
            .output()
            .expect("run bash");
        assert_quiet_success(&out, args);
    }
    // The database is intact afterwards.
    env.ok(&["status", "user00000@example.com"]);
}

/// A database twofa may read but not write (immutable, so even root cannot write it):
/// reads work, every change exits 6 saying so, and nothing changes.
#[test]
fn read_only_database() {
    let mut env = TestEnv::sqlite();
    let (secret, _) = env.enable("ro@example.com");
    let set = |flag: &str| {
        let out = std::process::Command::new("chattr")
            .args([flag, env.db.to_str().unwrap()])
            .output()
            .expect("chattr (e2fsprogs) is needed for this test");
        assert!(
            out.status.success(),
            "chattr {flag}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let state = |env: &TestEnv| {
        (
            env.events(),
            env.json(&["audit"]).1,
            std::fs::read(&env.db).unwrap(),
        )
    };
    let before = state(&env);
    set("+i");
    let status = env.run(&["status", "ro@example.com", "--format", "json"], "");
    let code = env.code(&secret);
    let writes = [
        env.run(&["user", "add", "new@example.com"], ""),
        env.run(&["verify", "ro@example.com", "-"], &code),
        env.run(&["reset", "ro@example.com", "--reason", "r", "--yes"], ""),
        env.run(&["org", "add", "acme"], ""),
    ];
    let after = state(&env);
    set("-i");
    assert_eq!(
        status.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    for out in &writes {
        assert_failure(out, 6, "read-only");
    }
    assert_eq!(before, after, "the database changed");
    assert_eq!(env.status("ro@example.com").state, "enabled");
}
