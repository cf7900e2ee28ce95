//! The test environment for the binary's tests: a temp dir with its own database, a fixed
//! clock (`TWOFA_TEST_NOW`, honoured by debug builds only), no colour, a fixed actor, and
//! helpers that decode the JSON output into typed values.
//!
//! With `TWOFA_TEST_BACKEND=postgres` and `TWOFA_TEST_PG_URL` (a server URL such as
//! `postgres://postgres@127.0.0.1:5432/postgres`), every environment gets a fresh
//! PostgreSQL database instead of an SQLite file, so the same tests run on both backends.
//! Likewise `TWOFA_TEST_BACKEND=mysql` with `TWOFA_TEST_MYSQL_URL` (a MySQL or MariaDB
//! server URL such as `mysql://twofa:twofa@127.0.0.1:3307/mysql`, a user that may create
//! databases): every environment gets a fresh database there.
#![allow(dead_code)]

pub mod pty;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use assert_cmd::Command;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// 2027-01-15T08:00:00Z, the middle of a 30 s step is 1_800_000_015.
pub const T0: i64 = 1_800_000_000;

/// A unix time as twofa prints it (RFC 3339, UTC).
pub fn rfc3339(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .expect("a printable time")
        .format(&time::format_description::well_known::Rfc3339)
        .expect("RFC 3339")
}

pub struct TestEnv {
    pub dir: tempfile::TempDir,
    /// The SQLite file, or the PostgreSQL URL (as a path, for `TWOFA_DB`).
    pub db: PathBuf,
    pub now: i64,
    /// The PostgreSQL server URL and database name, when on that backend.
    pg: Option<(String, String)>,
    /// The MySQL server URL and database name, when on that backend.
    my: Option<(String, String)>,
}

/// The fields of a status row, in their documented order: `status` and `audit` JSON keys, and the
/// CSV header.
pub const STATUS_FIELDS: &[&str] = &[
    "email",
    "org",
    "state",
    "enrolled_at",
    "last_used_at",
    "recovery_codes_left",
    "locked",
    "required",
    "compliant",
    "deadline",
    "failed_attempts",
    "locked_until",
    "pending_expires_at",
    "exempt_until",
    "drift_steps",
    "external_id",
    "devices",
    "access_code_expires_at",
];

/// twofa's tables whose rows [`TestEnv::db_contents`] reads.
const TABLES: [&str; 7] = [
    "access_codes",
    "meta",
    "orgs",
    "accounts",
    "credentials",
    "recovery_codes",
    "events",
];

/// The configured PostgreSQL test server (`TWOFA_TEST_PG_URL`), whatever the backend.
pub fn pg_server_url() -> Option<String> {
    std::env::var("TWOFA_TEST_PG_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// The configured PostgreSQL test server for a PostgreSQL-only test; `None` (after saying
/// so on stderr) when there is none.
pub fn pg_server_for(test: &str) -> Option<String> {
    let server = pg_server_url();
    if server.is_none() {
        // Straight to the stream: the test harness would swallow println! of a pass.
        let _ = writeln!(
            std::io::stderr(),
            "{test}: not run against PostgreSQL (TWOFA_TEST_PG_URL is not set)"
        );
    }
    server
}

/// The PostgreSQL server to run against, if the suite was asked to.
pub fn pg_server() -> Option<String> {
    let wanted = std::env::var("TWOFA_TEST_BACKEND").is_ok_and(|b| b == "postgres");
    match (wanted, pg_server_url()) {
        (true, Some(url)) => Some(url),
        (true, None) => panic!("TWOFA_TEST_BACKEND=postgres needs TWOFA_TEST_PG_URL"),
        _ => None,
    }
}

/// The configured MySQL or MariaDB test server (`TWOFA_TEST_MYSQL_URL`), whatever the
/// backend.
pub fn mysql_server_url() -> Option<String> {
    std::env::var("TWOFA_TEST_MYSQL_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// The MySQL server to run against, if the suite was asked to.
pub fn mysql_server() -> Option<String> {
    let wanted = std::env::var("TWOFA_TEST_BACKEND").is_ok_and(|b| b == "mysql");
    match (wanted, mysql_server_url()) {
        (true, Some(url)) => Some(url),
        (true, None) => panic!("TWOFA_TEST_BACKEND=mysql needs TWOFA_TEST_MYSQL_URL"),
        _ => None,
    }
}

/// A connection to a MySQL test database whose session reads the SQL the tests write for
/// the other backends: `"` quotes names, `||` concatenates, a backslash is a character.
pub fn mysql_connect(url: &str) -> mysql::Conn {
    let opts = mysql::Opts::from_url(&url.replacen("mariadb://", "mysql://", 1))
        .expect("a MySQL test URL");
    let opts = mysql::OptsBuilder::from_opts(opts).init(vec![
        "SET NAMES utf8mb4, sql_mode = 'ANSI_QUOTES,PIPES_AS_CONCAT,NO_BACKSLASH_ESCAPES,STRICT_ALL_TABLES'",
    ]);
    mysql::Conn::new(opts).expect("connect to the MySQL test server")
}

/// `sql` as the MySQL test session runs it: the column `key` (a reserved word there) quoted.
pub fn mysql_dialect(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote = None;
    let bytes = sql.as_bytes();
    let word = |i: usize| {
        bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    };
    let mut i = 0;
    while i < sql.len() {
        let c = bytes[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'\'' || c == b'"' || c == b'`' => quote = Some(c),
            None if sql[i..].starts_with("--") => {
                let end = sql[i..].find('\n').map_or(sql.len(), |n| i + n);
                out.push_str(&sql[i..end]);
                i = end;
                continue;
            }
            None if sql[i..].starts_with("key") && !word(i + 3) && (i == 0 || !word(i - 1)) => {
                out.push_str("`key`");
                i += 3;
                continue;
            }
            None => {}
        }
        let ch = sql[i..].chars().next().expect("a character");
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

pub fn pg_connect(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("connect to the PostgreSQL test server")
}

/// `url` with its database replaced by `name`.
pub fn pg_url_for(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl TestEnv {
    /// An environment on an SQLite file set up by `twofa init`, whatever the suite's
    /// backend: for tests of the file itself (corruption, permissions, crash safety).
    pub fn sqlite() -> Self {
        Self::sqlite_bare().initialised()
    }

    /// [`TestEnv::sqlite`] without the file: only `init` (and `enroll --create` without a
    /// named database) creates one.
    pub fn sqlite_bare() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        TestEnv {
            db: dir.path().join("twofa.db"),
            dir,
            now: T0 + 15,
            pg: None,
            my: None,
        }
    }

    /// An environment on the suite's backend (SQLite unless TWOFA_TEST_BACKEND=postgres),
    /// its database set up by `twofa init`.
    pub fn new() -> Self {
        Self::bare().initialised()
    }

    /// [`TestEnv::new`] before `init`: no SQLite file, or a PostgreSQL database without
    /// twofa's tables (an application's, for a test to fill).
    pub fn bare() -> Self {
        if let Some(server) = mysql_server() {
            return Self::on_mysql_server(server);
        }
        match pg_server() {
            Some(server) => Self::on_pg_server(server),
            None => Self::sqlite_bare(),
        }
    }

    /// Runs `twofa init` (its notice unread).
    fn initialised(self) -> Self {
        let out = self.process().arg("init").output().expect("run twofa init");
        assert!(
            out.status.success(),
            "twofa init failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self
    }

    /// An environment on a fresh PostgreSQL database (without twofa's tables) whatever the
    /// suite's backend, for the PostgreSQL-only tests; `None` (after saying so) when no
    /// server is configured.
    pub fn postgres(test: &str) -> Option<Self> {
        pg_server_for(test).map(Self::on_pg_server)
    }

    /// An environment on a new database of its own on `server`.
    fn on_pg_server(server: String) -> Self {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("twofa_t{}_{n}", std::process::id());
        let mut client = pg_connect(&server);
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .and_then(|()| client.batch_execute(&format!("CREATE DATABASE \"{name}\"")))
            .expect("create a test database");
        TestEnv {
            dir: tempfile::tempdir().expect("temp dir"),
            db: PathBuf::from(pg_url_for(&server, &name)),
            now: T0 + 15,
            pg: Some((server, name)),
            my: None,
        }
    }

    /// An environment on a fresh MySQL database (without twofa's tables) whatever the
    /// suite's backend, for the MySQL-only tests; `None` (after saying so) when no server
    /// is configured.
    pub fn mysql(test: &str) -> Option<Self> {
        let server = mysql_server_url();
        if server.is_none() {
            let _ = writeln!(
                std::io::stderr(),
                "{test}: not run against MySQL (TWOFA_TEST_MYSQL_URL is not set)"
            );
        }
        server.map(Self::on_mysql_server)
    }

    /// An environment on a new database of its own on the MySQL `server`.
    fn on_mysql_server(server: String) -> Self {
        use mysql::prelude::Queryable;
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("twofa_t{}_{n}", std::process::id());
        let mut conn = mysql_connect(&server);
        conn.query_drop(format!("DROP DATABASE IF EXISTS {name}"))
            .and_then(|()| conn.query_drop(format!("CREATE DATABASE {name}")))
            .expect("create a test database");
        TestEnv {
            dir: tempfile::tempdir().expect("temp dir"),
            db: PathBuf::from(pg_url_for(&server, &name)),
            now: T0 + 15,
            pg: None,
            my: Some((server, name)),
        }
    }

    /// The PostgreSQL server's URL and this environment's database name on it.
    fn pg(&self) -> (&str, &str) {
        let (server, name) = self
            .pg
            .as_ref()
            .or(self.my.as_ref())
            .expect("a database server's environment");
        (server, name)
    }

    /// The PostgreSQL server this environment's database is on.
    pub fn server(&self) -> &str {
        self.pg().0
    }

    /// This environment's PostgreSQL database name.
    pub fn db_name(&self) -> &str {
        self.pg().1
    }

    /// The database as `TWOFA_DB` names it: a file path or a PostgreSQL URL.
    pub fn url(&self) -> &str {
        self.db.to_str().expect("a UTF-8 database name")
    }

    /// A direct connection to this environment's PostgreSQL database.
    pub fn sql(&self) -> postgres::Client {
        pg_connect(self.url())
    }

    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }

    pub fn is_mysql(&self) -> bool {
        self.my.is_some()
    }

    /// Whether the database is on a server (PostgreSQL, MySQL) rather than a file.
    pub fn is_server(&self) -> bool {
        self.is_postgres() || self.is_mysql()
    }

    /// A direct connection to this environment's MySQL database (see [`mysql_connect`]).
    pub fn my_sql(&self) -> mysql::Conn {
        mysql_connect(self.url())
    }

    /// The rows of `sql` on MySQL, every value as bytes (NULL as none).
    fn mysql_rows(&self, sql: &str) -> Vec<Vec<Option<Vec<u8>>>> {
        use mysql::prelude::Queryable;
        let rows: Vec<mysql::Row> = self.my_sql().query(mysql_dialect(sql)).expect("query");
        rows.into_iter()
            .map(|r| {
                r.unwrap()
                    .into_iter()
                    .map(|v| match v {
                        mysql::Value::NULL => None,
                        mysql::Value::Bytes(b) => Some(b),
                        other => Some(other.as_sql(true).into_bytes()),
                    })
                    .collect()
            })
            .collect()
    }

    /// The name of twofa's table `name` (`recovery_codes`) on this backend.
    pub fn table(&self, name: &str) -> String {
        if self.is_postgres() {
            format!("twofa.{name}")
        } else {
            format!("twofa_{name}")
        }
    }

    /// The first column of `sql`'s rows, as text, on either backend.
    pub fn query_strings(&self, sql: &str) -> Vec<String> {
        if self.is_mysql() {
            return self
                .mysql_rows(sql)
                .into_iter()
                .map(|r| String::from_utf8_lossy(&r[0].clone().unwrap_or_default()).into_owned())
                .collect();
        }
        if self.is_postgres() {
            self.sql()
                .query(&format!("SELECT x::text FROM ({sql}) AS q(x)"), &[])
                .expect("query")
                .iter()
                .map(|r| r.get::<_, String>(0))
                .collect()
        } else {
            let conn = rusqlite::Connection::open(&self.db).expect("open the database");
            let mut stmt = conn.prepare(sql).expect("prepare");
            stmt.query_map([], |r| r.get::<_, rusqlite::types::Value>(0))
                .expect("query")
                .map(|v| match v.expect("row") {
                    rusqlite::types::Value::Text(t) => t,
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Real(f) => f.to_string(),
                    rusqlite::types::Value::Null => String::new(),
                    rusqlite::types::Value::Blob(b) => String::from_utf8_lossy(&b).into_owned(),
                })
                .collect()
        }
    }

    /// Runs one SQL statement on this environment's database (either backend), as an older
    /// version or another program might have written it.
    pub fn execute(&self, sql: &str) {
        if self.is_mysql() {
            use mysql::prelude::Queryable;
            self.my_sql()
                .query_drop(mysql_dialect(sql))
                .expect("execute");
        } else if self.is_postgres() {
            self.sql().batch_execute(sql).expect("execute");
        } else {
            rusqlite::Connection::open(&self.db)
                .expect("open the database")
                .execute_batch(sql)
                .expect("execute");
        }
    }

    /// Everything the database holds, as bytes: the SQLite file and its WAL; on
    /// PostgreSQL every row of schema twofa as text plus the raw sealed secrets.
    pub fn db_contents(&self) -> Vec<u8> {
        if self.is_mysql() {
            let mut bytes = Vec::new();
            for table in TABLES {
                for row in self.mysql_rows(&format!("SELECT * FROM twofa_{table}")) {
                    for v in row {
                        bytes.extend_from_slice(&v.unwrap_or_default());
                        bytes.push(b'|');
                    }
                    bytes.push(b'\n');
                }
            }
            return bytes;
        }
        if !self.is_postgres() {
            let mut bytes = std::fs::read(&self.db).expect("read the database");
            for suffix in ["-wal", "-journal"] {
                if let Ok(more) = std::fs::read(format!("{}{suffix}", self.db.display())) {
                    bytes.extend_from_slice(&more);
                }
            }
            return bytes;
        }
        let mut client = self.sql();
        let mut bytes = Vec::new();
        for table in TABLES {
            for row in client
                .query(&format!("SELECT t::text FROM twofa.{table} AS t"), &[])
                .expect("dump")
            {
                bytes.extend_from_slice(row.get::<_, String>(0).as_bytes());
                bytes.push(b'\n');
            }
        }
        for row in client
            .query("SELECT secret FROM twofa.credentials", &[])
            .expect("dump")
        {
            bytes.extend_from_slice(row.get::<_, &[u8]>(0));
        }
        bytes
    }

    /// Environment variables for a twofa process started by hand.
    pub fn vars(&self) -> Vec<(&'static str, std::ffi::OsString)> {
        vec![
            ("TWOFA_DB", self.db.clone().into_os_string()),
            ("TWOFA_KEY_FILE", self.key_file().into_os_string()),
            ("TWOFA_TEST_NOW", self.now.to_string().into()),
        ]
    }

    /// A twofa command against this environment's database at its current time.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.process())
    }

    /// `twofa ARGS` against this environment, to be given stdin and run (see [`Run`]).
    pub fn twofa(&self, args: &[&str]) -> Run<'_> {
        Run {
            env: self,
            args: args.iter().map(|a| a.to_string()).collect(),
            stdin: Vec::new(),
            vars: Vec::new(),
        }
    }

    /// Runs `args` with `--format json` and returns (exit code, parsed stdout).
    #[track_caller]
    pub fn json(&self, args: &[&str]) -> (i32, Value) {
        self.twofa(args).json()
    }

    #[track_caller]
    pub fn json_stdin(&self, args: &[&str], stdin: &str) -> (i32, Value) {
        self.twofa(args).stdin(stdin).json()
    }

    /// Runs `args`; asserts success; returns stdout.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        self.twofa(args).ok()
    }

    /// Starts an enrollment (creating the account) and returns the raw secret.
    pub fn enroll(&self, email: &str) -> Vec<u8> {
        self.enroll_with(email, &[])
    }

    /// [`TestEnv::enroll`] with more arguments (`--org acme`).
    #[track_caller]
    pub fn enroll_with(&self, email: &str, extra: &[&str]) -> Vec<u8> {
        let enrolled: Enroll = self
            .twofa(&[&["enroll", email, "--create", "--no-confirm"], extra].concat())
            .ok_json();
        assert_eq!(enrolled.state, "pending", "{enrolled:?}");
        enrolled.secret_bytes()
    }

    /// Enrolls and confirms; returns the secret and the recovery codes. The clock moves
    /// on one step so the next code is fresh.
    #[track_caller]
    pub fn enable(&mut self, email: &str) -> (Vec<u8>, Vec<String>) {
        self.enable_with(email, &[])
    }

    /// [`TestEnv::enable`] with more arguments for `enroll`.
    #[track_caller]
    pub fn enable_with(&mut self, email: &str, extra: &[&str]) -> (Vec<u8>, Vec<String>) {
        let secret = self.enroll_with(email, extra);
        let codes = self.confirm(email, &self.code(&secret));
        self.now += 30;
        (secret, codes)
    }

    /// `confirm EMAIL -` with `code` on stdin; asserts success and ten recovery codes,
    /// and returns them.
    #[track_caller]
    pub fn confirm(&self, email: &str, code: &str) -> Vec<String> {
        let shown: Codes = self.twofa(&["confirm", email, "-"]).stdin(code).ok_json();
        shown.assert_ten(email);
        shown.recovery_codes
    }

    /// `recovery regenerate EMAIL`; asserts success and ten codes, and returns them.
    #[track_caller]
    pub fn regenerate(&self, email: &str) -> Vec<String> {
        let shown: Codes = self
            .twofa(&["recovery", "regenerate", email, "--yes"])
            .ok_json();
        shown.assert_ten(email);
        shown.recovery_codes
    }

    /// `recovery status EMAIL`: how many recovery codes are left; asserts success.
    #[track_caller]
    pub fn recovery_left(&self, email: &str) -> u32 {
        let left: RecoveryLeft = self.twofa(&["recovery", "status", email]).ok_json();
        assert_eq!(left.email, email, "{left:?}");
        left.recovery_codes_left
    }

    /// The TOTP code of `secret` at the environment's time (plus `offset` seconds).
    pub fn code_at(&self, secret: &[u8], offset: i64) -> String {
        twofa::totp::code_at(secret, self.now + offset).expect("code")
    }

    pub fn code(&self, secret: &[u8]) -> String {
        self.code_at(secret, 0)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn key_file(&self) -> PathBuf {
        if self.is_server() {
            self.dir.path().join("twofa.key")
        } else {
            PathBuf::from(format!("{}.key", self.db.display()))
        }
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        if let Some((server, name)) = &self.pg {
            let _ = pg_connect(server)
                .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
        }
        if let Some((server, name)) = &self.my {
            use mysql::prelude::Queryable;
            let _ = mysql_connect(server).query_drop(format!("DROP DATABASE IF EXISTS {name}"));
        }
    }
}

/// Whether a program is on PATH.
pub fn have(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|p| Path::new(&p).join(program).is_file())
    })
}

/// More helpers: stderr alongside the JSON, status and log documents, wrong codes.
impl TestEnv {
    /// Runs `args` with `--format json` and `stdin`; returns (exit code, parsed stdout,
    /// stderr).
    #[track_caller]
    pub fn json_full(&self, args: &[&str], stdin: &str) -> (i32, Value, String) {
        self.twofa(args).stdin(stdin).json_full()
    }

    /// A twofa process against this environment's database at its current time.
    pub fn process(&self) -> std::process::Command {
        self.program(assert_cmd::cargo::cargo_bin("twofa"))
    }

    /// A twofa process under `strace -f`, which logs the system calls `calls` (such as
    /// `fsync,write`) with their strings to `log`.
    pub fn traced(&self, calls: &str, log: &Path) -> std::process::Command {
        let mut c = self.program("strace");
        c.args([
            "-f",
            "-qq",
            "-s",
            "64",
            "-e",
            &format!("trace={calls}"),
            "-o",
        ])
        .arg(log)
        .arg(assert_cmd::cargo::cargo_bin("twofa"));
        c
    }

    /// `program` in this environment's directory with only its variables: the database,
    /// the key, the clock, the actor, no colour.
    fn program(&self, program: impl AsRef<std::ffi::OsStr>) -> std::process::Command {
        let mut c = std::process::Command::new(program);
        c.current_dir(self.dir.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("TWOFA_DB", &self.db)
            .env("TWOFA_KEY_FILE", self.key_file())
            .env("TWOFA_TEST_NOW", self.now.to_string())
            .env("TWOFA_ACTOR", "tester")
            .env("NO_COLOR", "1");
        c
    }

    /// Starts `n` copies of `twofa ARGS --format json` at once (each with `stdin`; all
    /// started before any is waited for), then waits for all of them.
    pub fn concurrently(&self, n: usize, args: &[&str], stdin: &str) -> Vec<Output> {
        let children: Vec<_> = (0..n)
            .map(|_| {
                let mut child = self
                    .process()
                    .args(args)
                    .args(["--format", "json"])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn twofa");
                child
                    .stdin
                    .take()
                    .unwrap()
                    .write_all(stdin.as_bytes())
                    .unwrap();
                child
            })
            .collect();
        children
            .into_iter()
            .map(|c| c.wait_with_output().expect("wait for twofa"))
            .collect()
    }

    /// `status EMAIL`; asserts success.
    #[track_caller]
    pub fn status(&self, email: &str) -> Status {
        self.twofa(&["status", email]).ok_json()
    }

    /// `verify EMAIL -` with `code` on stdin, `n` processes at once: each one's exit code
    /// and answer. Asserts that none panicked or let an error (such as SQLite's "database
    /// is locked") reach the user.
    #[track_caller]
    pub fn verify_concurrently(&self, n: usize, email: &str, code: &str) -> Vec<(i32, Verify)> {
        let args = ["verify", email, "-"];
        self.concurrently(n, &args, code)
            .iter()
            .map(|out| {
                let (exit, v, stderr) = parse_json::<Verify>(&args, out);
                // SQLite's "database is locked" must never reach the user (the failure that
                // locks the account says "is now locked until", which is its message).
                for word in ["database is locked", "error"] {
                    assert!(!stderr.contains(word), "{word} reached the user: {stderr}");
                }
                (exit, v)
            })
            .collect()
    }

    /// A 6-digit code that `secret` does not produce in the accepted window (±1 step).
    pub fn wrong_code(&self, secret: &[u8]) -> String {
        let window: Vec<String> = (-1..=1).map(|s| self.code_at(secret, s * 30)).collect();
        (0..1_000_000u32)
            .map(|n| format!("{:06}", (n * 7919 + 123_457) % 1_000_000))
            .find(|c| !window.contains(c))
            .expect("a wrong code")
    }

    /// `verify EMAIL -` with `code` on stdin; returns (exit code, the verify object).
    #[track_caller]
    pub fn verify(&self, email: &str, code: &str) -> (i32, Verify) {
        self.twofa(&["verify", email, "-"]).stdin(code).json()
    }
}

/// Accounts whose kept facts (the credential's copies and the count of unspent recovery
/// codes on the account row, migration 007; the unspent access code's expiry, migration
/// 008; the devices summed up, migration 009) differ from a recount of the credential,
/// recovery-code and access-code tables: `$T` is the table prefix.
const FACTS_DRIFT: &str = "SELECT a.email FROM $Taccounts a
    LEFT JOIN (SELECT account_id,
                      CASE WHEN count(CASE WHEN state = 'enabled' THEN 1 END) > 0
                           THEN 'enabled' ELSE 'pending' END AS state,
                      max(expires_at) AS expires_at, min(enrolled_at) AS enrolled_at,
                      max(last_used_at) AS last_used_at,
                      CASE WHEN max(drift_steps) >= -min(drift_steps) THEN max(drift_steps)
                           ELSE min(drift_steps) END AS drift_steps,
                      count(CASE WHEN state = 'enabled' THEN 1 END) AS devices
               FROM $Tcredentials GROUP BY account_id) c ON c.account_id = a.id
    LEFT JOIN $Taccess_codes x ON x.account_id = a.id AND x.used_at IS NULL
    WHERE a.cred_state IS DISTINCT FROM c.state
       OR a.access_code_expires_at IS DISTINCT FROM x.expires_at
       OR a.cred_expires_at IS DISTINCT FROM c.expires_at
       OR a.cred_enrolled_at IS DISTINCT FROM c.enrolled_at
       OR a.cred_last_used_at IS DISTINCT FROM c.last_used_at
       OR a.cred_drift_steps IS DISTINCT FROM c.drift_steps
       OR a.cred_devices <> coalesce(c.devices, 0)
       OR a.codes_left <> (SELECT count(*) FROM $Trecovery_codes r
                           WHERE r.account_id = a.id AND r.used_at IS NULL)
    ORDER BY a.email";

impl TestEnv {
    /// The accounts whose kept facts differ from a recount ([`FACTS_DRIFT`]); `None` when
    /// there is nothing to compare: no database yet, one that is not twofa's or predates
    /// the facts (a migration test's old schema), or one a test has damaged.
    pub fn facts_drift(&self) -> Option<Vec<String>> {
        if self.is_mysql() {
            use mysql::prelude::Queryable;
            let sql = FACTS_DRIFT
                .replace("$T", "twofa_")
                .replace("WHERE a.", "WHERE NOT a.")
                .replace("OR a.", "OR NOT a.")
                .replace("NOT a.codes_left <>", "a.codes_left <>")
                .replace("NOT a.cred_devices <>", "a.cred_devices <>")
                .replace(" IS DISTINCT FROM ", " <=> ");
            return mysql_connect(self.url()).query(sql).ok();
        }
        if self.is_postgres() {
            let mut client = postgres::Client::connect(self.url(), postgres::NoTls).ok()?;
            let rows = client
                .query(&FACTS_DRIFT.replace("$T", "twofa."), &[])
                .ok()?;
            return Some(rows.iter().map(|r| r.get::<_, String>(0)).collect());
        }
        if !self.db.is_file() {
            return None;
        }
        let flags =
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = rusqlite::Connection::open_with_flags(&self.db, flags).ok()?;
        let sql = FACTS_DRIFT.replace("$T", "twofa_");
        let mut stmt = conn.prepare(&sql).ok()?;
        let emails = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .ok()?
            .collect::<Result<Vec<_>, _>>()
            .ok()?;
        Some(emails)
    }

    /// Asserts that after `args` ran, every account's kept facts equal a recount: the
    /// suite checks this after every command it runs through [`Run`].
    #[track_caller]
    pub fn assert_facts_recount(&self, args: &[String]) {
        if let Some(drift) = self.facts_drift() {
            assert!(
                drift.is_empty(),
                "after twofa {}: the facts kept on these accounts differ from a recount: {drift:?}",
                args.join(" ")
            );
        }
    }

    /// Runs `args` (as given, no `--format` added) with `stdin`; returns the raw output
    /// whatever the exit code.
    pub fn run(&self, args: &[&str], stdin: &str) -> std::process::Output {
        self.twofa(args).stdin(stdin).output()
    }

    /// `bash -c SCRIPT` with this environment's variables, and `$TWOFA` set to the binary
    /// (for pipelines such as `"$TWOFA" audit | head -1`).
    pub fn bash(&self, script: &str) -> Command {
        let mut c = self.program("bash");
        c.env("TWOFA", assert_cmd::cargo::cargo_bin("twofa"))
            .args(["-c", script]);
        Command::from_std(c)
    }

    /// The whole event log (`log --format json`), newest first.
    #[track_caller]
    pub fn events(&self) -> Vec<Event> {
        self.twofa(&["log"]).ok_json()
    }

    /// The actions of the event log's rows about `email`, newest first.
    #[track_caller]
    pub fn actions_of(&self, email: &str) -> Vec<String> {
        self.events()
            .into_iter()
            .filter(|e| e.email.as_deref() == Some(email))
            .map(|e| e.action)
            .collect()
    }

    /// The database file's bytes followed by its WAL file's (if any): equal snapshots
    /// before and after a command prove it changed nothing.
    pub fn db_snapshot(&self) -> Vec<u8> {
        let mut bytes = std::fs::read(&self.db).unwrap_or_default();
        let wal = PathBuf::from(format!("{}-wal", self.db.display()));
        if let Ok(w) = std::fs::read(wal) {
            bytes.extend_from_slice(b"\0-wal-\0");
            bytes.extend_from_slice(&w);
        }
        bytes
    }
}

/// A `--format json` run's (exit code, parsed stdout, stderr); an empty stdout parses as
/// JSON `null` (so as `None` or `Value::Null`). Asserts that it did not panic and that
/// stdout is a `T`.
#[track_caller]
pub fn parse_json<T: DeserializeOwned>(args: &[&str], out: &Output) -> (i32, T, String) {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{args:?} panicked:\n{stderr}");
    let code = out.status.code().expect("exit code");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let value = if stdout.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!("{args:?}: stdout is not JSON ({e}):\n{stdout}\nstderr:\n{stderr}")
        })
    };
    let typed = serde_json::from_value(value).unwrap_or_else(|e| {
        panic!(
            "{args:?} (exit {code}): stdout is not a {} ({e}):\n{stdout}\nstderr:\n{stderr}",
            std::any::type_name::<T>()
        )
    });
    (code, typed, stderr)
}

/// Asserts a failed run: exit `code`, stderr naming the problem (`needle`, case-insensitive),
/// no panic. Returns stderr.
#[track_caller]
pub fn assert_failure(out: &std::process::Output, code: i32, needle: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(code),
        "expected exit {code}; stderr:\n{stderr}\nstdout:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        stderr.to_lowercase().contains(&needle.to_lowercase()),
        "stderr should mention {needle:?}:\n{stderr}"
    );
    assert_no_panic(out);
    stderr
}

/// Asserts that the process did not panic (and was not killed by a signal).
#[track_caller]
pub fn assert_no_panic(out: &std::process::Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic:\n{stderr}");
    assert!(out.status.code().is_some(), "killed by a signal: {out:?}");
}

/// One `twofa` run being set up: `env.twofa(&["verify", email, "-"]).stdin(code)`, then
/// one of the finishers: `.json::<T>()` (exit code and typed stdout of `--format json`),
/// `.ok_json::<T>()`, `.ok()`, `.fails(code)`, `.fails_saying(code, text)`, `.output()`.
pub struct Run<'a> {
    env: &'a TestEnv,
    args: Vec<String>,
    stdin: Vec<u8>,
    /// Variables set (`Some`) or removed (`None`) on top of the environment's.
    vars: Vec<(String, Option<std::ffi::OsString>)>,
}

impl Run<'_> {
    /// What the process reads on stdin (nothing by default).
    pub fn stdin(mut self, input: impl AsRef<[u8]>) -> Self {
        self.stdin = input.as_ref().to_vec();
        self
    }

    /// Sets the variable `name` for this run.
    pub fn env(mut self, name: &str, value: impl Into<std::ffi::OsString>) -> Self {
        self.vars.push((name.to_string(), Some(value.into())));
        self
    }

    /// Removes the variable `name` (e.g. `TWOFA_ACTOR`) for this run.
    pub fn env_remove(mut self, name: &str) -> Self {
        self.vars.push((name.to_string(), None));
        self
    }

    fn args(&self) -> Vec<&str> {
        self.args.iter().map(String::as_str).collect()
    }

    /// Runs the command as given (no `--format` added) and returns its output, whatever
    /// the exit code.
    pub fn output(&self) -> Output {
        let mut cmd = self.env.cmd();
        for (name, value) in &self.vars {
            match value {
                Some(v) => cmd.env(name, v),
                None => cmd.env_remove(name),
            };
        }
        let out = cmd
            .args(&self.args)
            .write_stdin(self.stdin.clone())
            .output()
            .expect("run twofa");
        self.env.assert_facts_recount(&self.args);
        out
    }

    /// Runs it with `--format json`: (exit code, stdout as a `T`, stderr).
    #[track_caller]
    pub fn json_full<T: DeserializeOwned>(mut self) -> (i32, T, String) {
        self.args.extend(["--format".into(), "json".into()]);
        parse_json(&self.args(), &self.output())
    }

    /// Runs it with `--format json`: (exit code, stdout as a `T`). An empty stdout is
    /// JSON `null`, so `Option<T>` reads a run that printed nothing.
    #[track_caller]
    pub fn json<T: DeserializeOwned>(self) -> (i32, T) {
        let (code, value, _) = self.json_full();
        (code, value)
    }

    /// Runs it with `--format json`; asserts exit 0 and returns stdout as a `T`.
    #[track_caller]
    pub fn ok_json<T: DeserializeOwned>(self) -> T {
        let args = self.args.join(" ");
        let (code, value, stderr) = self.json_full();
        assert_eq!(code, 0, "twofa {args} failed:\n{stderr}");
        value
    }

    /// Runs it as given; asserts exit 0 and returns stdout.
    #[track_caller]
    pub fn ok(self) -> String {
        let out = self.output();
        assert!(
            out.status.success(),
            "{:?} failed with {:?}:\n{}",
            self.args,
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs it as given; asserts exit `code` without a panic and returns stderr.
    #[track_caller]
    pub fn fails(self, code: i32) -> String {
        self.fails_saying(code, "")
    }

    /// [`Run::fails`], and stderr mentions `needle` (case-insensitive).
    #[track_caller]
    pub fn fails_saying(self, code: i32, needle: &str) -> String {
        assert_failure(&self.output(), code, needle)
    }
}

/// `verify`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Verify {
    pub email: String,
    pub accepted: bool,
    pub method: Option<String>,
    pub reason: Option<String>,
    pub recovery_codes_left: Option<u32>,
    /// The device whose TOTP code decided the answer.
    pub device: Option<String>,
}

/// The exit code a rejection with `reason` has: 5 for `locked`, else 1.
fn rejection_exit(reason: &str) -> i32 {
    if reason == "locked" { 5 } else { 1 }
}

/// Asserts a `verify` run accepted the code (exit 0) by `method`.
#[track_caller]
pub fn assert_accepted((exit, v): &(i32, Verify), method: &str) {
    assert_eq!(*exit, 0, "{v:?}");
    assert!(v.accepted, "{v:?}");
    assert_eq!(v.method.as_deref(), Some(method), "{v:?}");
    assert_eq!(v.reason, None, "{v:?}");
}

/// Asserts a `verify` run rejected the code for `reason`, with that reason's exit code
/// (5 for `locked`, else 1) and no method.
#[track_caller]
pub fn assert_rejected((exit, v): &(i32, Verify), reason: &str) {
    assert_eq!(*exit, rejection_exit(reason), "{v:?}");
    assert!(!v.accepted, "{v:?}");
    assert_eq!(v.reason.as_deref(), Some(reason), "{v:?}");
    assert_eq!(v.method, None, "{v:?}");
}

/// `status` and each `audit` row.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Status {
    pub email: String,
    pub org: Option<String>,
    pub state: String,
    pub enrolled_at: Option<String>,
    pub last_used_at: Option<String>,
    pub recovery_codes_left: u32,
    pub locked: bool,
    pub required: bool,
    pub compliant: bool,
    pub deadline: Option<String>,
    pub failed_attempts: u32,
    pub locked_until: Option<String>,
    pub pending_expires_at: Option<String>,
    pub exempt_until: Option<String>,
    pub drift_steps: i64,
    pub external_id: Option<String>,
    pub devices: u32,
    pub access_code_expires_at: Option<String>,
}

/// Recovery codes shown once: `confirm`, `recovery regenerate`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Codes {
    pub email: String,
    pub recovery_codes: Vec<String>,
}

impl Codes {
    #[track_caller]
    fn assert_ten(&self, email: &str) {
        assert_eq!(self.email, email, "{self:?}");
        assert_eq!(self.recovery_codes.len(), 10, "{self:?}");
    }
}

/// `recovery status`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RecoveryLeft {
    pub email: String,
    pub recovery_codes_left: u32,
}

/// `enroll`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Enroll {
    pub email: String,
    pub issuer: String,
    pub uri: String,
    pub secret: String,
    pub state: String,
    pub recovery_codes: Option<Vec<String>>,
}

impl Enroll {
    /// The secret, decoded from base32.
    #[track_caller]
    pub fn secret_bytes(&self) -> Vec<u8> {
        data_encoding::BASE32_NOPAD
            .decode(self.secret.as_bytes())
            .expect("a base32 secret")
    }
}

/// A `log` row.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Event {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub email: Option<String>,
    pub org: Option<String>,
    pub detail: Option<String>,
}

/// `org policy`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Policy {
    pub org: String,
    pub required: bool,
    pub grace_days: u32,
    pub since: Option<String>,
    pub would_be_non_compliant: Option<Vec<Status>>,
    /// With `--dry-run`: accounts without 2FA that an exemption keeps out.
    pub exempt: Option<Vec<Status>>,
}

impl TestEnv {
    /// `org policy ORG --require --grace-days N --dry-run`: what requiring 2FA would do,
    /// changing nothing.
    #[track_caller]
    pub fn policy_dry_run(&self, org: &str, grace_days: u32) -> Policy {
        let grace = grace_days.to_string();
        self.twofa(&[
            "org",
            "policy",
            org,
            "--require",
            "--grace-days",
            &grace,
            "--dry-run",
        ])
        .ok_json()
    }
}

/// The emails of `rows`, in their order.
pub fn emails<R: HasEmail>(rows: &[R]) -> Vec<&str> {
    rows.iter().map(HasEmail::email).collect()
}

/// A row that names an account.
pub trait HasEmail {
    fn email(&self) -> &str;
}

impl HasEmail for Status {
    fn email(&self) -> &str {
        &self.email
    }
}

/// How many of `events` have `action`.
pub fn count_action(events: &[Event], action: &str) -> usize {
    events.iter().filter(|e| e.action == action).count()
}

/// `import`'s summary.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Imported {
    pub source: String,
    pub imported: u64,
    pub created: u64,
    pub replaced: u64,
    pub weak_secrets: u64,
}

/// An `export` row (also the CSV's columns).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Exported {
    pub email: String,
    pub uri: String,
    pub device: String,
    pub org: Option<String>,
    pub name: Option<String>,
}

impl HasEmail for Exported {
    fn email(&self) -> &str {
        &self.email
    }
}

/// `log verify`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LogVerify {
    pub events: u64,
    pub ok: bool,
    pub first_bad: Option<BadEvent>,
    pub problem: Option<String>,
    /// With `--head`: whether the chain still holds that event.
    pub head_found: Option<bool>,
}

/// `log head`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LogHead {
    pub events: u64,
    pub id: Option<i64>,
    pub hash: Option<String>,
    pub at: Option<String>,
}

/// The event `log verify` names.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BadEvent {
    pub id: i64,
    pub at: String,
    pub action: String,
    pub email: Option<String>,
    pub reason: String,
}

/// `log prune`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Pruned {
    pub pruned: u64,
    pub before: String,
    pub archive: Option<String>,
    pub anchor: Option<String>,
}

/// A line of a `log prune --archive` file: the log row with its id and chain hash.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Archived {
    #[serde(flatten)]
    pub event: Event,
    pub id: i64,
    pub hash: Option<String>,
}

/// `user sync`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SyncReport {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub orphaned: Vec<String>,
    pub removed: Vec<String>,
    pub reused: Vec<String>,
    pub orgs_added: Vec<String>,
    pub dry_run: bool,
    pub rejected_names: Vec<String>,
}

/// One answer line of `verify --batch`: a `verify` object, or an error for a request that
/// could not be decided.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum BatchAnswer {
    Error {
        email: Option<String>,
        accepted: bool,
        error: String,
        exit_code: i32,
    },
    Verify(Verify),
}

/// `user move`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Moved {
    pub email: String,
    pub org: Option<String>,
    pub previous_org: Option<String>,
    pub changed: bool,
    pub state: String,
    pub required: bool,
    pub compliant: bool,
    pub deadline: Option<String>,
}

/// `user rename`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Renamed {
    pub email: String,
    pub renamed_from: String,
    pub state: String,
}

impl TestEnv {
    /// Runs `sql` (statements separated by `;`) on this environment's database directly,
    /// as the application would: its own tables beside twofa's.
    pub fn app_sql(&self, sql: &str) {
        if self.is_mysql() {
            self.execute(sql);
        } else if self.is_postgres() {
            self.sql().batch_execute(sql).expect("application SQL");
        } else {
            rusqlite::Connection::open(&self.db)
                .and_then(|c| c.execute_batch(sql))
                .expect("application SQL");
        }
    }
}
/// A `remind` row.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Reminder {
    pub email: String,
    pub org: Option<String>,
    pub deadline: String,
    pub days_left: i64,
    pub threshold: u32,
}

impl HasEmail for Reminder {
    fn email(&self) -> &str {
        &self.email
    }
}

/// A `policy.reminder` event's detail (JSON in the event's `detail`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReminderDetail {
    pub deadline: String,
    pub days_left: i64,
    pub threshold: u32,
}

/// A `user list` / `find` row.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    pub email: String,
    pub org: Option<String>,
    pub name: Option<String>,
    pub state: String,
    pub created_at: Option<String>,
}

impl HasEmail for User {
    fn email(&self) -> &str {
        &self.email
    }
}

/// `diagnose`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Diagnose {
    pub email: String,
    pub state: String,
    pub locked: bool,
    pub locked_until: Option<String>,
    pub failed_attempts: u32,
    pub code_given: bool,
    pub matches: Option<bool>,
    pub offset_steps: Option<i64>,
    pub offset_seconds: Option<i64>,
    pub already_used: bool,
    pub within_window: bool,
    pub drift_steps: i64,
    pub clock_synchronized: Option<bool>,
    pub advice: String,
    pub pending_expires_at: Option<String>,
    pub recovery_codes_left: u32,
}

/// `resync`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Resync {
    pub email: String,
    pub drift_steps: i64,
    pub drift_seconds: i64,
}

/// `access-code`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AccessCode {
    pub email: String,
    pub access_code: String,
    pub expires_at: String,
}

/// The code `oathtool` (a real TOTP client) shows for `secret` at unix time `at`: a
/// phone whose clock reads `at`.
pub fn oathtool_at(secret: &[u8], at: i64) -> String {
    let b32 = data_encoding::BASE32_NOPAD.encode(secret);
    let out = std::process::Command::new("oathtool")
        .args(["--totp", "-b", &b32, "-N", &format!("@{at}")])
        .output()
        .expect("run oathtool (apt-get install oathtool)");
    assert!(out.status.success(), "oathtool failed: {out:?}");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string()
}

/// The secret `enroll` showed for typing in by hand (the first line after its heading that
/// is not empty, in groups of four), decoded.
pub fn secret_shown(text: &str) -> Vec<u8> {
    let line = text
        .lines()
        .skip_while(|l| !l.contains("Or type the secret in by hand:"))
        .skip(1)
        .find(|l| !l.trim().is_empty())
        .unwrap_or_else(|| panic!("no secret shown:\n{text}"));
    let b32: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    data_encoding::BASE32_NOPAD
        .decode(b32.as_bytes())
        .expect("a base32 secret")
}
