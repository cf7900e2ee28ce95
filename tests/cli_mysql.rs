//! The commands against MySQL or MariaDB, through the real binary. Each test creates its
//! own database (a unique name, dropped at the end) on the server named by
//! `TWOFA_TEST_MYSQL_URL` (CI: mysql://twofa:twofa@127.0.0.1:3307/mysql, a MariaDB server
//! started by `.ci/mariadb-up`) and points `TWOFA_DB` at it. Without that variable each
//! test says it was not run against MySQL and returns.
//!
//! Only what is MySQL's own lives here (its tables beside the application's, TLS, the
//! password, the server's errors, a MySQL source for `user sync`): the backend-neutral
//! suites run on MariaDB as they are, with `TWOFA_TEST_BACKEND=mysql`.

mod common;

use assert_cmd::Command;
use common::{TestEnv, assert_failure, pg_url_for};
use mysql::prelude::Queryable;

const ALICE: &str = "alice@example.com";

/// The application's tables and their rows, as text: what twofa must leave as it was.
fn application_state(env: &TestEnv) -> Vec<String> {
    let mut state = env.query_strings(
        "SELECT concat(table_name, ' ', engine) FROM information_schema.tables
         WHERE table_schema = DATABASE() AND table_name NOT LIKE 'twofa\\_%' ORDER BY 1",
    );
    state.extend(env.query_strings("SELECT concat(id, ' ', email) FROM users ORDER BY id"));
    state
}

#[test]
fn init_adds_twofa_tables_and_touches_nothing_else() {
    let Some(mut env) = TestEnv::mysql("init_adds_twofa_tables_and_touches_nothing_else") else {
        return;
    };
    env.execute(
        "CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(200)) ENGINE = MyISAM;
         INSERT INTO users VALUES (1, 'alice@example.com'), (2, 'bob@example.com');",
    );
    let before = application_state(&env);
    let out = env.run(&["init"], "");
    assert!(out.status.success(), "{out:?}");
    env.ok(&["user", "add", ALICE]);
    env.enable("bob@example.com");
    assert_eq!(application_state(&env), before);
    // Every table of twofa's is InnoDB (transactions, row locks) with bytewise text.
    let tables = env.query_strings(
        "SELECT concat(table_name, ' ', engine, ' ', table_collation)
         FROM information_schema.tables
         WHERE table_schema = DATABASE() AND table_name LIKE 'twofa\\_%' ORDER BY 1",
    );
    let names: Vec<&str> = tables
        .iter()
        .map(|t| t.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "twofa_access_codes",
            "twofa_accounts",
            "twofa_approvals",
            "twofa_credentials",
            "twofa_events",
            "twofa_meta",
            "twofa_orgs",
            "twofa_recovery_codes",
            "twofa_reminders",
            "twofa_requests",
        ]
    );
    for t in &tables {
        assert!(t.ends_with(" InnoDB utf8mb4_bin"), "{t}");
    }
}

#[test]
fn a_newer_schema_is_refused() {
    let Some(env) = TestEnv::mysql("a_newer_schema_is_refused") else {
        return;
    };
    env.ok(&["init"]);
    env.ok(&["user", "add", ALICE]);
    env.execute("UPDATE twofa_meta SET value = '999' WHERE key = 'schema_version'");
    assert_failure(&env.run(&["status", ALICE], ""), 6, "newer");
    assert_failure(&env.run(&["init"], ""), 6, "newer");
    assert_failure(
        &env.run(&["user", "add", "bob@example.com"], ""),
        6,
        "newer",
    );
    assert_eq!(
        env.query_strings("SELECT count(*) FROM twofa_accounts"),
        ["1"]
    );
}

#[test]
fn a_database_without_twofa_tables_is_refused_and_left_alone() {
    let Some(env) = TestEnv::mysql("a_database_without_twofa_tables_is_refused_and_left_alone")
    else {
        return;
    };
    env.execute("CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(200))");
    for args in [&["status", ALICE][..], &["user", "add", ALICE], &["audit"]] {
        let err = assert_failure(&env.run(args, ""), 6, "has no twofa tables");
        assert!(err.contains("init"), "{err}");
    }
    assert_eq!(
        env.query_strings(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
        ),
        ["1"]
    );
    assert!(!env.key_file().exists());
}

/// Runs twofa on `url` (`MYSQL_PWD` as given) in an empty environment.
fn twofa_on(url: &str, mysql_pwd: Option<&str>, args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::cargo_bin("twofa").unwrap();
    cmd.current_dir(dir.path())
        .env_clear()
        .env("TWOFA_DB", url)
        .env("NO_COLOR", "1")
        .env("TWOFA_KEY_FILE", dir.path().join("twofa.key"))
        .args(args);
    if let Some(pwd) = mysql_pwd {
        cmd.env("MYSQL_PWD", pwd);
    }
    cmd.output().unwrap()
}

#[test]
fn an_unreachable_server_is_exit_6_and_never_shows_the_password() {
    // Port 1 on loopback refuses connections: no server is needed for this one.
    for url in [
        "mysql://app:Sup3r-Secret-Pw@127.0.0.1:1/accounts",
        "mariadb://app:Sup3r-Secret-Pw@127.0.0.1:1/accounts",
    ] {
        let out = twofa_on(url, None, &["status", ALICE]);
        let shown = url.replace("Sup3r-Secret-Pw", "***");
        let stderr = assert_failure(&out, 6, &format!("cannot connect to {shown}"));
        assert!(!stderr.contains("Sup3r-Secret-Pw"), "{stderr}");
        assert!(!String::from_utf8_lossy(&out.stdout).contains("Sup3r-Secret-Pw"));
    }
    let out = twofa_on(
        "mysql://app@127.0.0.1:1/accounts",
        Some("Sup3r-Secret-Pw"),
        &["init"],
    );
    let stderr = assert_failure(
        &out,
        6,
        "cannot connect to mysql://app@127.0.0.1:1/accounts",
    );
    assert!(!stderr.contains("Sup3r-Secret-Pw"), "{stderr}");
}

#[test]
fn a_wrong_password_is_refused_and_never_shown() {
    let Some(env) = TestEnv::mysql("a_wrong_password_is_refused_and_never_shown") else {
        return;
    };
    let mut url = url::Url::parse(env.url()).unwrap();
    url.set_password(Some("Wr0ng-Secret-Pw")).unwrap();
    let out = twofa_on(url.as_str(), None, &["init"]);
    let stderr = assert_failure(&out, 6, "Access denied");
    assert!(stderr.contains(":***@"), "{stderr}");
    assert!(!stderr.contains("Wr0ng-Secret-Pw"), "{stderr}");
    // The same from MYSQL_PWD, for a URL without a password.
    let password = url::Url::parse(env.url())
        .unwrap()
        .password()
        .unwrap()
        .to_string();
    url.set_password(None).unwrap();
    let out = twofa_on(url.as_str(), Some("Wr0ng-Secret-Pw"), &["init"]);
    let stderr = assert_failure(&out, 6, "Access denied");
    assert!(!stderr.contains("Wr0ng-Secret-Pw"), "{stderr}");
    // And the right one from MYSQL_PWD works.
    let out = twofa_on(url.as_str(), Some(&password), &["init"]);
    assert!(out.status.success(), "{out:?}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains(&format!(":{password}@")));
}

#[test]
fn a_missing_database_says_to_create_it() {
    let Some(env) = TestEnv::mysql("a_missing_database_says_to_create_it") else {
        return;
    };
    let url = pg_url_for(env.url(), "twofa_no_such_database");
    for args in [&["init"][..], &["status", ALICE]] {
        let out = twofa_on(&url, None, args);
        let stderr = assert_failure(&out, 6, "Unknown database 'twofa_no_such_database'");
        assert!(stderr.contains("create the database first"), "{stderr}");
    }
    let names = env.query_strings("SHOW DATABASES LIKE 'twofa_no_such_database'");
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn bad_url_parameters_are_refused_naming_them() {
    let out = twofa_on(
        "mysql://app:pw@127.0.0.1:1/a?ssl-mode=sometimes",
        None,
        &["init"],
    );
    assert_failure(&out, 6, "ssl-mode 'sometimes' is not supported");
    let out = twofa_on(
        "mysql://app:pw@127.0.0.1:1/a?charset=latin1",
        None,
        &["init"],
    );
    assert_failure(&out, 6, "the parameter 'charset' is not known");
    let out = twofa_on("mysql://app:pw@127.0.0.1:1", None, &["init"]);
    assert_failure(&out, 6, "name the database");
}

/// The test server's TLS files (`TWOFA_TEST_MYSQL_TLS_DIR`, written by `.ci/mariadb-up`).
fn tls_dir(test: &str) -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("TWOFA_TEST_MYSQL_TLS_DIR").map(std::path::PathBuf::from);
    if dir.is_none() {
        eprintln!("{test}: not run (TWOFA_TEST_MYSQL_TLS_DIR is not set)");
    }
    dir
}

#[test]
fn ssl_mode_encrypts_and_verifies_as_the_mysql_client_does() {
    let test = "ssl_mode_encrypts_and_verifies_as_the_mysql_client_does";
    let (Some(env), Some(tls)) = (TestEnv::mysql(test), tls_dir(test)) else {
        return;
    };
    env.ok(&["init"]);
    // The user twofa_tls may connect over TLS only: a connection that works was encrypted.
    let mut url = url::Url::parse(env.url()).unwrap();
    url.set_username("twofa_tls").unwrap();
    let with = |query: &str| format!("{url}?{query}");
    let ca = tls.join("ca.pem");
    let other = tls.join("other-ca.pem");
    for ok in [
        String::from(url.as_str()), // preferred, the default
        with("ssl-mode=preferred"),
        with("ssl-mode=required"),
        with(&format!("ssl-mode=verify-ca&ssl-ca={}", ca.display())),
        with(&format!("ssl-mode=VERIFY_CA&ssl-ca={}", ca.display())),
    ] {
        let out = twofa_on(&ok, None, &["audit"]);
        assert!(out.status.success(), "{ok}: {out:?}");
    }
    let out = twofa_on(&with("ssl-mode=disabled"), None, &["audit"]);
    assert_failure(&out, 6, "Access denied");
    // Another CA signed nothing here; the server's certificate names localhost, not the
    // address.
    let out = twofa_on(
        &with(&format!("ssl-mode=verify-ca&ssl-ca={}", other.display())),
        None,
        &["audit"],
    );
    assert_failure(&out, 6, "cannot connect");
    let out = twofa_on(
        &with(&format!("ssl-mode=verify-identity&ssl-ca={}", ca.display())),
        None,
        &["audit"],
    );
    assert_failure(&out, 6, "cannot connect");
    let mut by_name = url.clone();
    by_name.set_host(Some("localhost")).unwrap();
    let out = twofa_on(
        &format!("{by_name}?ssl-mode=verify-identity&ssl-ca={}", ca.display()),
        None,
        &["audit"],
    );
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn user_sync_reads_a_mysql_source_in_a_read_only_transaction() {
    let test = "user_sync_reads_a_mysql_source_in_a_read_only_transaction";
    let (Some(env), Some(app)) = (TestEnv::mysql(test), TestEnv::mysql(test)) else {
        return;
    };
    env.ok(&["init"]);
    app.execute(
        r#"CREATE TABLE users (id BIGINT PRIMARY KEY, mail VARCHAR(200), team VARCHAR(50),
                               full_name TEXT);
           INSERT INTO users VALUES (2, 'bob@example.com', 'acme', 'Bob'),
             (1, 'alice@example.com', 'acme', NULL), (3, 'carol@example.com', 'beta', 'Carol');"#,
    );
    let query = "SELECT mail AS email, team AS org, full_name AS name, id AS external_id \
                 FROM users WHERE team <> \"nobody\"";
    let out = env
        .twofa(&["user", "sync", "--source", app.url(), "--query", query])
        .ok();
    assert!(out.contains("3 added"), "{out}");
    let emails: Vec<String> = env
        .twofa(&["audit"])
        .ok_json::<Vec<common::Status>>()
        .into_iter()
        .map(|s| s.email)
        .collect();
    assert_eq!(
        emails,
        ["alice@example.com", "bob@example.com", "carol@example.com"]
    );
    assert_eq!(
        env.status("carol@example.com").external_id.as_deref(),
        Some("3")
    );
    // A statement that writes is refused, and nothing ran.
    for writing in ["DELETE FROM users", "UPDATE users SET team = 'x'"] {
        env.twofa(&["user", "sync", "--source", app.url(), "--query", writing])
            .fails(2);
    }
    assert_eq!(
        app.query_strings("SELECT count(*) FROM users WHERE team <> 'x'"),
        ["3"]
    );
    let mut c = app.my_sql();
    let rows: Vec<String> = c.query("SELECT mail FROM users ORDER BY id").unwrap();
    assert_eq!(rows.len(), 3);
}
