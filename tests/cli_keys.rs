//! Where twofa's secrets do not go (SECURITY.md 39), through the binary on either
//! backend: the hook does not inherit the database password or where the key is.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::TestEnv;

const ALICE: &str = "alice@example.com";

/// A new key file at `path` (mode 0600) holding `bytes` as given.
fn write_key(path: &Path, bytes: &[u8]) {
    fs::write(path, bytes).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o600)).unwrap();
}

#[test]
fn the_hook_inherits_no_secret() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    let dump = env.path("hook.env");
    let hook = format!("env > '{}'", dump.display());
    // On PostgreSQL the database URL carries a password (the test server ignores it).
    let db = if env.is_postgres() {
        let mut url = url::Url::parse(env.url()).unwrap();
        url.set_password(Some("db-password-1")).unwrap();
        url.to_string()
    } else {
        env.url().to_string()
    };
    let pgpass = env.path("pgpass");
    write_key(&pgpass, b"");
    env.twofa(&["--hook", &hook, "user", "add", ALICE])
        .env("TWOFA_DB", &db)
        .env("PGPASSWORD", "pg-password-2")
        .env("PGPASSFILE", &pgpass)
        .env("MYSQL_PWD", "mysql-password-3")
        .env("TWOFA_KEY_COMMAND", "echo key-command-4")
        .env("HOME", env.dir.path())
        .env("KEEP_ME", "kept")
        .ok();
    let seen = fs::read_to_string(&dump).unwrap();
    let vars: Vec<(&str, &str)> = seen.lines().filter_map(|l| l.split_once('=')).collect();
    let value = |name: &str| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    for gone in [
        "PGPASSWORD",
        "PGPASSFILE",
        "MYSQL_PWD",
        "TWOFA_KEY_FILE",
        "TWOFA_KEY_COMMAND",
    ] {
        assert_eq!(value(gone), None, "{gone} reached the hook");
    }
    for secret in [
        "password-",
        "key-command-4",
        env.key_file().to_str().unwrap(),
    ] {
        assert!(!seen.contains(secret), "{secret} reached the hook:\n{seen}");
    }
    assert_eq!(value("KEEP_ME"), Some("kept"));
    assert_eq!(value("HOME"), env.dir.path().to_str());
    assert!(value("PATH").is_some_and(|p| !p.is_empty()));
    assert_eq!(value("TWOFA_ACTOR"), Some("tester"));
    let shown_db = if env.is_postgres() {
        db.replace("db-password-1", "***")
    } else {
        db.clone()
    };
    assert_eq!(value("TWOFA_DB"), Some(shown_db.as_str()));
}
