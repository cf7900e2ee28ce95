//! The commands against PostgreSQL, through the real binary. Each test creates its own
//! database (a unique name, dropped at the end) on the server named by
//! `TWOFA_TEST_PG_URL` (CI: postgres://postgres@127.0.0.1:5432/postgres, started by
//! `.ci/postgres-up`) and points `TWOFA_DB` at it. Without that variable each test says it
//! was not run against PostgreSQL and returns.
//!
//! Only what is PostgreSQL's own lives here (schema, TLS, the password file, URL
//! redaction, privileges): the backend-neutral suites run on PostgreSQL as they are, with
//! `TWOFA_TEST_BACKEND=postgres`.

mod common;

use std::io::Write;
use std::path::PathBuf;

use assert_cmd::Command;
use common::{TestEnv, assert_failure, pg_server_for, pg_url_for};
use postgres::{Client, NoTls};

const ALICE: &str = "alice@example.com";

/// `url` with `password` added to its user, if it names a user and no password.
fn with_password(url: &str, password: &str) -> Option<String> {
    let start = url.find("://")? + 3;
    let at = start + url[start..].find('@')?;
    let user = &url[start..at];
    if user.contains(':') {
        return None;
    }
    Some(format!("{}{user}:{password}{}", &url[..start], &url[at..]))
}

/// Every relation outside schema twofa and the system schemas, and the schemas
/// themselves: what `init` must leave as it was.
fn application_objects(db: &mut Client) -> Vec<String> {
    db.query(
        "SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname NOT IN ('twofa', 'pg_catalog', 'information_schema')
           AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
         UNION ALL
         SELECT 'schema ' || nspname FROM pg_namespace
         WHERE nspname NOT IN ('twofa', 'pg_catalog', 'information_schema')
           AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp%'
         ORDER BY 1",
        &[],
    )
    .expect("list relations")
    .iter()
    .map(|r| r.get(0))
    .collect()
}

fn application_rows(db: &mut Client) -> Vec<String> {
    db.query(
        "SELECT 'app.users ' || id || ' ' || email FROM app.users
         UNION ALL SELECT 'public.meta ' || key || '=' || value FROM public.meta
         ORDER BY 1",
        &[],
    )
    .expect("read the application's rows")
    .iter()
    .map(|r| r.get(0))
    .collect()
}

fn schema_twofa_exists(db: &mut Client) -> bool {
    db.query_one(
        "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'twofa')",
        &[],
    )
    .expect("read pg_namespace")
    .get(0)
}

#[test]
fn init_adds_schema_twofa_and_touches_nothing_else() {
    let Some(env) = TestEnv::postgres("init_adds_schema_twofa_and_touches_nothing_else") else {
        return;
    };
    let mut db = env.sql();
    // The application's own schema and tables, one of them named like a twofa table.
    db.batch_execute(
        "CREATE SCHEMA app;
         CREATE TABLE app.users (id serial PRIMARY KEY, email text UNIQUE);
         INSERT INTO app.users (email) VALUES ('alice@example.com'), ('bob@example.com');
         CREATE TABLE public.meta (key text PRIMARY KEY, value text);
         INSERT INTO public.meta VALUES ('schema_version', 'the application''s own');",
    )
    .unwrap();
    let objects = application_objects(&mut db);
    let rows = application_rows(&mut db);

    // Without twofa tables every other command refuses (exit 6) and adds nothing.
    let out = env.run(&["status", ALICE], "");
    let stderr = assert_failure(&out, 6, "has no twofa tables");
    assert!(stderr.contains("init"), "{stderr}");
    let out = env.run(&["audit"], "");
    assert_failure(&out, 6, "has no twofa tables");
    assert!(!schema_twofa_exists(&mut db));
    assert!(!env.key_file().exists(), "no key without init");

    let out = env.run(&["init"], "");
    assert!(out.status.success(), "{out:?}");
    assert!(env.key_file().exists());
    assert!(schema_twofa_exists(&mut db));
    let tables: Vec<String> = db
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = 'twofa' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        tables,
        [
            "access_codes",
            "accounts",
            "approvals",
            "credentials",
            "events",
            "meta",
            "orgs",
            "recovery_codes",
            "reminders",
            "requests"
        ]
    );
    assert_schema_is_latest(&mut db);

    // init again is a no-op; commands work; the application's objects and rows stay.
    env.ok(&["init"]);
    env.ok(&["org", "add", "acme"]);
    env.ok(&["user", "add", ALICE, "--org", "acme"]);
    env.enroll(ALICE);
    assert_eq!(application_objects(&mut db), objects);
    assert_eq!(application_rows(&mut db), rows);
    assert_schema_is_latest(&mut db);
    // The secret is stored sealed, never in the clear.
    let sealed: Vec<u8> = db
        .query_one("SELECT secret FROM twofa.credentials", &[])
        .unwrap()
        .get(0);
    assert!(sealed.len() > 20);
}

#[test]
fn a_newer_schema_is_refused() {
    let Some(env) = TestEnv::postgres("a_newer_schema_is_refused") else {
        return;
    };
    env.ok(&["init"]);
    env.ok(&["user", "add", ALICE]);
    let mut db = env.sql();
    db.batch_execute("UPDATE twofa.meta SET value = '999' WHERE key = 'schema_version'")
        .unwrap();
    assert_failure(&env.run(&["status", ALICE], ""), 6, "newer");
    assert_failure(&env.run(&["init"], ""), 6, "newer");
    assert_failure(
        &env.run(&["user", "add", "bob@example.com"], ""),
        6,
        "newer",
    );
    let accounts: i64 = db
        .query_one("SELECT count(*) FROM twofa.accounts", &[])
        .unwrap()
        .get(0);
    assert_eq!(accounts, 1, "nothing changed");
}

#[test]
fn a_connection_failure_is_exit_6_and_never_shows_the_password() {
    // Port 1 on loopback refuses connections: no server is needed for this one.
    let dir = tempfile::tempdir().unwrap();
    let url = "postgres://app:Sup3r-Secret-Pw@127.0.0.1:1/accounts";
    let out = Command::cargo_bin("twofa")
        .unwrap()
        .current_dir(dir.path())
        .env_clear()
        .env("TWOFA_DB", url)
        .env("NO_COLOR", "1")
        .args(["status", ALICE])
        .output()
        .unwrap();
    let stderr = assert_failure(
        &out,
        6,
        "cannot connect to postgres://app:***@127.0.0.1:1/accounts",
    );
    assert!(!stderr.contains("Sup3r-Secret-Pw"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Sup3r-Secret-Pw"));
    let out = Command::cargo_bin("twofa")
        .unwrap()
        .current_dir(dir.path())
        .env_clear()
        .env("NO_COLOR", "1")
        .args([
            "--db",
            "postgresql://127.0.0.1:1/accounts?password=Sup3r-Secret-Pw",
            "init",
        ])
        .output()
        .unwrap();
    let stderr = assert_failure(&out, 6, "password=***");
    assert!(!stderr.contains("Sup3r-Secret-Pw"), "{stderr}");
    assert!(
        !dir.path().join("twofa.key").exists(),
        "no key for a database never reached"
    );
}

#[test]
fn the_default_key_file_is_twofa_key_and_messages_hide_the_password() {
    let Some(env) =
        TestEnv::postgres("the_default_key_file_is_twofa_key_and_messages_hide_the_password")
    else {
        return;
    };
    // Trust authentication ignores the password, so the URL still connects.
    let url = with_password(env.url(), "Hidden-Pw-4711").unwrap_or_else(|| env.url().to_string());
    let run = |args: &[&str]| {
        env.cmd()
            .env_remove("TWOFA_KEY_FILE")
            .env("TWOFA_DB", &url)
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["init"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("twofa.key"), "{stderr}");
    assert!(run(&["user", "add", ALICE]).status.success());
    assert!(!stderr.contains("Hidden-Pw-4711"), "{stderr}");
    if url != env.url() {
        assert!(stderr.contains(":***@"), "{stderr}");
    }
    let key = env.dir.path().join("twofa.key");
    assert!(
        key.is_file(),
        "the key is twofa.key in the current directory"
    );
    let names: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["twofa.key"], "nothing else is created");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // The same default finds it again: a TOTP verify needs the key.
    let out = run(&["enroll", ALICE, "--no-confirm", "--format", "json"]);
    assert!(out.status.success(), "{out:?}");
    // A wrong key is refused (exit 6) without showing the password.
    std::fs::write(env.dir.path().join("other.key"), [7u8; 32]).unwrap();
    std::fs::set_permissions(
        env.dir.path().join("other.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let out = env
        .cmd()
        .env("TWOFA_DB", &url)
        .env("TWOFA_KEY_FILE", env.dir.path().join("other.key"))
        .args(["verify", ALICE, "123456"])
        .output()
        .unwrap();
    let stderr = assert_failure(&out, 6, "wrong key");
    assert!(!stderr.contains("Hidden-Pw-4711"), "{stderr}");
}

/// `url` with its user replaced by `user` (and no password).
fn with_user(url: &str, user: &str) -> Option<String> {
    let start = url.find("://")? + 3;
    let at = start + url[start..].find('@')?;
    Some(format!("{}{user}{}", &url[..start], &url[at..]))
}

/// A login role with a password for one test; dropped with what it owns.
struct PasswordRole<'a> {
    env: &'a TestEnv,
    name: String,
}

impl Drop for PasswordRole<'_> {
    fn drop(&mut self) {
        let _ = self
            .env
            .sql()
            .batch_execute(&format!("DROP OWNED BY \"{}\"", self.name));
        if let Ok(mut admin) = Client::connect(self.env.server(), NoTls) {
            let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS \"{}\"", self.name));
        }
    }
}

#[test]
fn the_password_comes_from_the_password_file_as_libpq_reads_it() {
    let Some(env) =
        TestEnv::postgres("the_password_comes_from_the_password_file_as_libpq_reads_it")
    else {
        return;
    };
    let role = PasswordRole {
        env: &env,
        name: format!("{}_pw", env.db_name()),
    };
    env.sql()
        .batch_execute(&format!(
            "CREATE ROLE \"{r}\" LOGIN PASSWORD 'Pgpass-Pw-0815';
             GRANT CREATE ON DATABASE \"{db}\" TO \"{r}\"",
            r = role.name,
            db = env.db_name()
        ))
        .unwrap();
    let url = with_user(env.url(), &role.name).expect("TWOFA_TEST_PG_URL names a user");
    let file = env.dir.path().join("pgpass");
    let run = |args: &[&str]| {
        env.cmd()
            .env("TWOFA_DB", &url)
            .env("PGPASSFILE", &file)
            .args(args)
            .output()
            .unwrap()
    };
    let write = |text: &str, mode: u32| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(&file, text).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
    };

    // No password anywhere: the server's refusal (this role must log in with a password,
    // as pg_hba.conf's default for loopback TCP asks).
    let out = run(&["init"]);
    let stderr = assert_failure(&out, 6, "password");
    assert!(!stderr.contains("Pgpass-Pw-0815"), "{stderr}");

    // The first matching line: other roles' and other databases' lines are skipped.
    let lines = format!(
        "# twofa test\n*:*:*:someone_else:wrong-1\n*:*:other_db:{r}:wrong-2\n*:*:{db}:{r}:Pgpass-Pw-0815\n*:*:*:*:wrong-3\n",
        r = role.name,
        db = env.db_name()
    );
    write(&lines, 0o600);
    let out = run(&["init"]);
    assert!(out.status.success(), "{out:?}");
    assert!(run(&["org", "list"]).status.success());

    // A file its group or others can read is not used, and the error says so.
    write(&lines, 0o644);
    let stderr = assert_failure(&run(&["org", "list"]), 6, "chmod 600");
    assert!(stderr.contains(&file.display().to_string()), "{stderr}");

    // A wrong password is the server's refusal, and is never shown.
    write(&format!("*:*:*:{}:Not-The-Pw-42\n", role.name), 0o600);
    let stderr = assert_failure(&run(&["org", "list"]), 6, "password authentication failed");
    assert!(!stderr.contains("Not-The-Pw-42"), "{stderr}");
}

/// The test database that the CI server (.ci/postgres-up) serves over TLS only.
struct TlsOnlyDb(String);

impl Drop for TlsOnlyDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = Client::connect(&self.0, NoTls) {
            let _ = admin.batch_execute("DROP DATABASE IF EXISTS twofa_tls_only WITH (FORCE)");
        }
    }
}

/// `sslmode` as libpq means it, against a server that refuses unencrypted connections to
/// the database `twofa_tls_only` and whose certificate, signed by a test CA, names
/// `localhost` only (TWOFA_TEST_PG_TLS_DIR holds `ca.pem` and an unrelated `other-ca.pem`).
#[test]
fn sslmode_encrypts_and_verifies_as_libpq_does() {
    let test = "sslmode_encrypts_and_verifies_as_libpq_does";
    let Some(server) = pg_server_for(test) else {
        return;
    };
    let Some(tls) = std::env::var_os("TWOFA_TEST_PG_TLS_DIR").map(PathBuf::from) else {
        let _ = writeln!(
            std::io::stderr(),
            "{test}: not run (TWOFA_TEST_PG_TLS_DIR is not set; see .ci/postgres-up)"
        );
        return;
    };
    let _db = TlsOnlyDb(server.clone());
    let mut admin = Client::connect(&server, NoTls).unwrap();
    admin
        .batch_execute("DROP DATABASE IF EXISTS twofa_tls_only WITH (FORCE)")
        .unwrap();
    admin
        .batch_execute("CREATE DATABASE twofa_tls_only")
        .unwrap();
    let by_ip = pg_url_for(&server, "twofa_tls_only");
    let by_name = by_ip.replacen("@127.0.0.1", "@localhost", 1);
    assert_ne!(by_name, by_ip, "TWOFA_TEST_PG_URL names the host 127.0.0.1");
    let with = |url: &str, query: &str| format!("{url}?{query}");
    let ca = |file: &str| format!("sslrootcert={}", tls.join(file).display());
    let dir = tempfile::tempdir().unwrap();
    let run = |url: &str, args: &[&str], envs: &[(&str, &str)]| {
        Command::cargo_bin("twofa")
            .unwrap()
            .current_dir(dir.path())
            .env_clear()
            .env("TWOFA_DB", url)
            .env("TWOFA_KEY_FILE", dir.path().join("twofa.key"))
            .env("NO_COLOR", "1")
            .envs(envs.iter().copied())
            .args(args)
            .output()
            .unwrap()
    };
    let ok = |url: &str, args: &[&str]| {
        let out = run(url, args, &[]);
        assert!(out.status.success(), "{url}: {out:?}");
    };

    // Unencrypted, this database is refused: a connection to it that works was encrypted.
    let refused = run(&with(&by_ip, "sslmode=disable"), &["init"], &[]);
    assert_failure(&refused, 6, "no encryption");
    assert_failure(
        &run(&by_ip, &["init"], &[("PGSSLMODE", "disable")]),
        6,
        "no encryption",
    );
    // prefer (the default) and require encrypt without checking the certificate.
    ok(&by_ip, &["init"]);
    ok(&with(&by_ip, "sslmode=require"), &["org", "list"]);
    // verify-full: a certificate from the CA, issued for the host name used.
    ok(
        &with(&by_name, &format!("sslmode=verify-full&{}", ca("ca.pem"))),
        &["org", "list"],
    );
    let out = run(
        &by_name,
        &["org", "list"],
        &[
            ("PGSSLMODE", "verify-full"),
            ("PGSSLROOTCERT", &tls.join("ca.pem").display().to_string()),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let wrong_name = with(&by_ip, &format!("sslmode=verify-full&{}", ca("ca.pem")));
    assert_failure(
        &run(&wrong_name, &["org", "list"], &[]),
        6,
        "not valid for name",
    );
    // verify-ca: the chain only, whatever the name.
    ok(
        &with(&by_ip, &format!("sslmode=verify-ca&{}", ca("ca.pem"))),
        &["org", "list"],
    );
    for mode in ["verify-ca", "verify-full"] {
        let other = with(&by_name, &format!("sslmode={mode}&{}", ca("other-ca.pem")));
        assert_failure(&run(&other, &["org", "list"], &[]), 6, "UnknownIssuer");
        // No CA file given, and no ~/.postgresql/root.crt.
        let none = with(&by_name, &format!("sslmode={mode}"));
        assert_failure(&run(&none, &["org", "list"], &[]), 6, "sslrootcert");
    }
    let allow = with(&by_ip, "sslmode=allow");
    assert_failure(
        &run(&allow, &["org", "list"], &[]),
        6,
        "sslmode 'allow' is not supported",
    );
}

/// Asserts `twofa.meta` records the newest schema version.
#[track_caller]
fn assert_schema_is_latest(db: &mut Client) {
    let version: String = db
        .query_one(
            "SELECT value FROM twofa.meta WHERE key = 'schema_version'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(version, latest_schema_version());
}

/// The newest schema version: the number of PostgreSQL migrations.
fn latest_schema_version() -> String {
    std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres"))
        .expect("the migrations")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql"))
        })
        .count()
        .to_string()
}
