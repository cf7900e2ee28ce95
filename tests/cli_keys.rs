//! Where the master key comes from and where twofa's secrets do not go (SECURITY.md 31,
//! 32, 39), through the binary on either backend: the database names no key file; a key
//! file (and a database file twofa sets up) belongs to the user and nobody else can write
//! it; a rotation that was killed resumes only with its own key; the hook does not inherit
//! the database password or where the key is.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{Enroll, TestEnv, assert_accepted};
use twofa::crypto::{KeyId, MasterKey, key_id_hex, sealed_key_id};

const ALICE: &str = "alice@example.com";
const BOB: &str = "bob@example.com";
const CAROL: &str = "carol@example.com";

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

/// A key file of a fresh random key at `path`; returns its id.
fn new_key(path: &Path) -> KeyId {
    MasterKey::create(path).unwrap().id()
}

fn key_id(path: &Path) -> KeyId {
    MasterKey::load(path).unwrap().id()
}

/// Every stored secret as the database holds it: (account row, sealed bytes), pending
/// re-enrollments included.
fn sealed_secrets(env: &TestEnv) -> Vec<(i64, Vec<u8>)> {
    let sql = format!(
        "SELECT account_id, secret FROM {t} UNION ALL
         SELECT account_id, replacement_secret FROM {t} WHERE replacement_secret IS NOT NULL",
        t = env.table("credentials")
    );
    if env.is_mysql() {
        use mysql::prelude::Queryable;
        return env.my_sql().query(&sql).unwrap();
    }
    if env.is_postgres() {
        return env
            .sql()
            .query(&sql, &[])
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
    }
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let mut stmt = conn.prepare(&sql).unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Sets (or with `None` deletes) a row of twofa's meta table, as someone who can write the
/// database would.
fn set_meta(env: &TestEnv, key: &str, value: Option<&str>) {
    let t = env.table("meta");
    env.execute(&format!("DELETE FROM {t} WHERE key = '{key}'"));
    if let Some(v) = value {
        env.execute(&format!(
            "INSERT INTO {t} (key, value) VALUES ('{key}', '{v}')"
        ));
    }
}

fn meta(env: &TestEnv, key: &str) -> Vec<String> {
    env.query_strings(&format!(
        "SELECT value FROM {} WHERE key = '{key}'",
        env.table("meta")
    ))
}

#[test]
fn a_key_file_the_database_names_is_never_used() {
    let mut env = TestEnv::new();
    let (alice, _) = env.enable(ALICE);
    // Someone who can write the database (not read the key) names a key of their own.
    let planted = env.path("planted.key");
    let planted_id = new_key(&planted);
    set_meta(&env, "rekey_to", Some(&key_id_hex(&planted_id)));
    set_meta(&env, "rekey_file", Some(planted.to_str().unwrap()));

    let bob: Enroll = env
        .twofa(&["enroll", BOB, "--create", "--no-confirm"])
        .ok_json();
    env.twofa(&["user", "import", "-"])
        .stdin("email,org\ncarol@example.com,\n")
        .ok();
    env.twofa(&["enroll", CAROL, "--no-confirm"]).ok();
    let attacker = MasterKey::load(&planted).unwrap();
    let real = MasterKey::load(&env.key_file()).unwrap();
    let secrets = sealed_secrets(&env);
    assert_eq!(secrets.len(), 3);
    for (account, sealed) in &secrets {
        assert_eq!(sealed_key_id(sealed), Some(real.id()), "row {account}");
        assert!(attacker.open(*account, sealed).is_err(), "row {account}");
        assert!(real.open(*account, sealed).is_ok(), "row {account}");
    }
    env.ok(&["check"]);
    env.confirm(BOB, &env.code(&bob.secret_bytes()));
    env.now += 30;
    assert_accepted(&env.verify(ALICE, &env.code(&alice)), "totp");

    // A rekey starts afresh (nothing is sealed with the planted key), forgets the planted
    // file, and the planted key opens nothing afterwards either.
    let new = env.path("new.key");
    env.ok(&["rekey", "--new-key-file", new.to_str().unwrap()]);
    assert!(meta(&env, "rekey_to").is_empty());
    assert!(
        meta(&env, "rekey_file").is_empty(),
        "the planted location stays"
    );
    let new_id = key_id(&new);
    for (account, sealed) in sealed_secrets(&env) {
        assert_eq!(sealed_key_id(&sealed), Some(new_id), "row {account}");
    }
    env.twofa(&["--key-file", new.to_str().unwrap(), "check"])
        .ok();
}

#[test]
fn init_forgets_a_key_file_location_older_versions_recorded() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    set_meta(&env, "rekey_file", Some("/tmp/old-rekey.key"));
    env.ok(&["init"]);
    assert!(meta(&env, "rekey_file").is_empty());
}

#[test]
fn a_killed_rekey_resumes_with_its_own_key_only() {
    let mut env = TestEnv::new();
    let (alice, _) = env.enable(ALICE);
    let (bob, _) = env.enable(BOB);
    let old_id = key_id(&env.key_file());
    let rotated = env.path("rotated.key");
    let rotated_arg = rotated.to_str().unwrap().to_string();
    env.ok(&["rekey", "--new-key-file", &rotated_arg]);
    let rotated_id = key_id(&rotated);
    // The rotation killed after its last batch, before it recorded the new key as the
    // database's: every secret re-sealed, the old key still recorded, the rotation open.
    set_meta(&env, "key_id", Some(&key_id_hex(&old_id)));
    set_meta(&env, "rekey_to", Some(&key_id_hex(&rotated_id)));
    // Meanwhile an enrollment with the old key seals with it (the key it was given).
    let carol: Enroll = env
        .twofa(&["enroll", CAROL, "--create", "--no-confirm"])
        .ok_json();
    let by_key = |env: &TestEnv| {
        let mut ids: Vec<String> = sealed_secrets(env)
            .iter()
            .map(|(_, s)| key_id_hex(&sealed_key_id(s).unwrap()))
            .collect();
        ids.sort();
        ids
    };
    let mut mixed = vec![
        key_id_hex(&old_id),
        key_id_hex(&rotated_id),
        key_id_hex(&rotated_id),
    ];
    mixed.sort();
    assert_eq!(by_key(&env), mixed);

    // Each key alone opens only its own secrets, and says how to finish.
    let stderr = env
        .twofa(&["verify", ALICE, "-"])
        .stdin(env.code(&alice))
        .fails_saying(6, "has not finished");
    assert!(stderr.contains("rekey --new-key-file"), "{stderr}");
    env.twofa(&["check"]).fails_saying(6, "has not finished");
    env.twofa(&["--key-file", &rotated_arg, "check"])
        .fails_saying(6, "has not finished");

    // Another key file, a missing one, or the new key given as the current one: refused,
    // nothing changes.
    let other = env.path("other.key");
    new_key(&other);
    let before = by_key(&env);
    env.twofa(&["rekey", "--new-key-file", other.to_str().unwrap()])
        .fails_saying(6, &key_id_hex(&rotated_id));
    let missing = env.path("missing.key");
    env.twofa(&["rekey", "--new-key-file", missing.to_str().unwrap()])
        .fails_saying(6, "has not finished");
    assert!(!missing.exists());
    env.twofa(&[
        "--key-file",
        &rotated_arg,
        "rekey",
        "--new-key-file",
        &rotated_arg,
    ])
    .fails_saying(6, "--key-file");
    assert_eq!(by_key(&env), before);
    assert_eq!(meta(&env, "rekey_to"), [key_id_hex(&rotated_id)]);

    // The same key file again finishes it: carol's secret is re-sealed too.
    let out = env.run(
        &["rekey", "--new-key-file", &rotated_arg, "--format", "json"],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("resuming"));
    let done: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(done["rekeyed"], 1, "{done}");
    assert_eq!(by_key(&env), vec![key_id_hex(&rotated_id); 3]);
    assert!(meta(&env, "rekey_to").is_empty());
    fs::rename(&rotated, env.key_file()).unwrap();
    env.ok(&["check"]);
    env.now += 30;
    assert_accepted(&env.verify(ALICE, &env.code(&alice)), "totp");
    assert_accepted(&env.verify(BOB, &env.code(&bob)), "totp");
    env.confirm(CAROL, &env.code(&carol.secret_bytes()));

    // A finished rotation is no rotation: an existing file is refused as before.
    env.twofa(&["rekey", "--new-key-file", other.to_str().unwrap()])
        .fails_saying(4, "exists");
}

/// Whether the database has twofa's tables.
fn has_twofa_tables(env: &TestEnv) -> bool {
    let sql = if env.is_postgres() {
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'twofa'"
    } else if env.is_mysql() {
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE()
           AND table_name LIKE 'twofa%'"
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
    let env = TestEnv::bare();
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
    let fresh = TestEnv::bare();
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
    let env = TestEnv::sqlite_bare();
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
    let shown_db = if env.is_mysql() {
        let password = url::Url::parse(&db)
            .unwrap()
            .password()
            .unwrap()
            .to_string();
        db.replace(&format!(":{password}@"), ":***@")
    } else if env.is_postgres() {
        db.replace("db-password-1", "***")
    } else {
        db.clone()
    };
    assert_eq!(value("TWOFA_DB"), Some(shown_db.as_str()));
}
