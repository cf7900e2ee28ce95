//! Where the master key comes from and where twofa's secrets do not go (SECURITY.md 31,
//! 32, 39), through the binary on either backend: the database names no key file; a key
//! file (and a database file twofa sets up) belongs to the user and nobody else can write
//! it; a rotation that was killed resumes only with its own key; the hook does not inherit
//! the database password or where the key is.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{TestEnv, assert_accepted};
use twofa::crypto::{KeyId, MasterKey, key_id_hex};

const ALICE: &str = "alice@example.com";
const BOB: &str = "bob@example.com";

/// The uid of `nobody` on Debian: another local user.
const NOBODY: u32 = 65534;

/// Whether files can be given to another user here (the tests run as root).
fn can_chown(test: &str) -> bool {
    let root = rustix::process::geteuid().is_root();
    if !root {
        eprintln!("{test}: files of another user not tried (not running as root)");
    }
    root
}

/// A new key file at `path` (mode 0600) holding `bytes` as given.
fn write_key(path: &Path, bytes: &[u8]) {
    fs::write(path, bytes).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o600)).unwrap();
}

fn key_id(path: &Path) -> KeyId {
    MasterKey::load(path).unwrap().id()
}

fn meta(env: &TestEnv, key: &str) -> Vec<String> {
    env.query_strings(&format!(
        "SELECT value FROM {} WHERE key = '{key}'",
        env.table("meta")
    ))
}

/// Whether the database has twofa's tables.
fn has_twofa_tables(env: &TestEnv) -> bool {
    let sql = if env.is_postgres() {
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'twofa'"
    } else {
        "SELECT count(*) FROM sqlite_master WHERE name LIKE 'twofa%'"
    };
    env.query_strings(sql) != ["0"]
}

#[test]
fn init_adopts_no_key_file_of_another_user() {
    if !can_chown("init_adopts_no_key_file_of_another_user") {
        return;
    }
    let env = TestEnv::new();
    env.app_sql("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)");
    // Another user put a key beside the shared database.
    let key = env.key_file();
    write_key(&key, &[7u8; 32]);
    fs::set_permissions(&key, fs::Permissions::from_mode(0o644)).unwrap();
    std::os::unix::fs::chown(&key, Some(NOBODY), Some(NOBODY)).unwrap();
    let stderr = env.twofa(&["init"]).fails(6);
    for needle in [key.to_str().unwrap(), "nobody", "0644", "chown"] {
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
    assert!(!has_twofa_tables(&env), "init went on");
    assert_eq!(fs::read(&key).unwrap(), [7u8; 32]);

    // Owned by root but writable by the group: refused too, saying how to fix it.
    std::os::unix::fs::chown(&key, Some(0), Some(0)).unwrap();
    fs::set_permissions(&key, fs::Permissions::from_mode(0o664)).unwrap();
    let stderr = env.twofa(&["init"]).fails(6);
    for needle in [key.to_str().unwrap(), "root", "0664", "chmod go-w"] {
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
    assert!(!has_twofa_tables(&env));

    // The user's own key, readable by the group: adopted, with the warning.
    fs::set_permissions(&key, fs::Permissions::from_mode(0o640)).unwrap();
    let out = env.run(&["init"], "");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("group or others"));
    assert!(has_twofa_tables(&env));
    assert_eq!(meta(&env, "key_id"), [key_id_hex(&key_id(&key))]);
}

#[test]
fn every_command_refuses_a_key_file_another_user_can_change() {
    let mut env = TestEnv::new();
    let (alice, _) = env.enable(ALICE);
    let key = env.key_file();
    let code = env.code(&alice);
    let refused = |env: &TestEnv, needle: &str| {
        for args in [
            &["verify", ALICE, "-"][..],
            &["check"],
            &["enroll", BOB, "--create"],
        ] {
            let stderr = env.twofa(args).stdin(&code).fails_saying(6, needle);
            assert!(stderr.contains(key.to_str().unwrap()), "{args:?}: {stderr}");
        }
    };
    fs::set_permissions(&key, fs::Permissions::from_mode(0o602)).unwrap();
    refused(&env, "0602");
    fs::set_permissions(&key, fs::Permissions::from_mode(0o600)).unwrap();

    // A symbolic link is refused, wherever it points: the file itself must be named.
    let real = env.path("real.key");
    fs::rename(&key, &real).unwrap();
    std::os::unix::fs::symlink(&real, &key).unwrap();
    refused(&env, "symbolic link");
    fs::remove_file(&key).unwrap();
    env.twofa(&["--key-file", real.to_str().unwrap(), "check"])
        .ok();
    fs::rename(&real, &key).unwrap();

    if can_chown("every_command_refuses_a_key_file_another_user_can_change") {
        std::os::unix::fs::chown(&key, Some(NOBODY), None).unwrap();
        refused(&env, "nobody");
        // Through a link, the file it points to is refused as well.
        let link = env.path("link.key");
        std::os::unix::fs::symlink(&key, &link).unwrap();
        env.twofa(&["--key-file", link.to_str().unwrap(), "check"])
            .fails_saying(6, "symbolic link");
        std::os::unix::fs::chown(&key, Some(0), None).unwrap();
    }
    env.now += 30;
    assert_accepted(&env.verify(ALICE, &env.code(&alice)), "totp");
}

#[test]
fn a_key_file_holds_raw_bytes_base64_or_hex() {
    let mut env = TestEnv::new();
    let (alice, _) = env.enable(ALICE);
    let key = env.key_file();
    let raw = fs::read(&key).unwrap();
    for text in [
        format!("{}\n", data_encoding::BASE64.encode(&raw)),
        data_encoding::BASE64.encode(&raw),
        format!("{}\n", data_encoding::HEXLOWER.encode(&raw)),
        data_encoding::HEXUPPER.encode(&raw),
    ] {
        write_key(&key, text.as_bytes());
        env.now += 30;
        assert_accepted(&env.verify(ALICE, &env.code(&alice)), "totp");
    }
    // Text that is not a key says so, and shows none of it.
    let damaged = format!("{}x\n", &data_encoding::HEXLOWER.encode(&raw)[1..]);
    write_key(&key, damaged.as_bytes());
    let stderr = env.twofa(&["check"]).fails_saying(6, "base64 or hex");
    assert!(!stderr.contains(&damaged[..16]), "{stderr}");

    // A new database takes a key written as text (`openssl rand -base64 32`).
    let fresh = TestEnv::new();
    let text_key = fresh.path("text.key");
    write_key(
        &text_key,
        format!("{}\n", data_encoding::BASE64.encode(&[3u8; 32])).as_bytes(),
    );
    fresh
        .twofa(&["--key-file", text_key.to_str().unwrap(), "init"])
        .ok();
    assert_eq!(meta(&fresh, "key_id"), [key_id_hex(&key_id(&text_key))]);
    assert_eq!(
        key_id(&text_key),
        MasterKey::load(&{
            let raw = fresh.path("raw.key");
            write_key(&raw, &[3u8; 32]);
            raw
        })
        .unwrap()
        .id(),
        "text and raw forms are the same key"
    );
}

#[test]
fn a_new_database_file_is_never_one_another_user_put_there() {
    if !can_chown("a_new_database_file_is_never_one_another_user_put_there") {
        return;
    }
    let env = TestEnv::sqlite();
    fs::write(&env.db, b"").unwrap();
    fs::set_permissions(&env.db, fs::Permissions::from_mode(0o666)).unwrap();
    std::os::unix::fs::chown(&env.db, Some(NOBODY), Some(NOBODY)).unwrap();
    let stderr = env.twofa(&["init"]).fails_saying(6, "nobody");
    assert!(stderr.contains(env.db.to_str().unwrap()), "{stderr}");
    assert!(stderr.contains("0666"), "{stderr}");
    assert_eq!(fs::read(&env.db).unwrap(), b"");
    assert!(!env.key_file().exists(), "a key was created beside it");
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
