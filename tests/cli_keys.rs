//! Where the master key comes from and where twofa's secrets do not go (SECURITY.md 31,
//! 32, 39), through the binary on either backend: the database names no key file; a key
//! file (and a database file twofa sets up) belongs to the user and nobody else can write
//! it; a rotation that was killed resumes only with its own key; the hook does not inherit
//! the database password or where the key is.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{Codes, Enroll, Run, Status, TestEnv, assert_accepted};
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
/// The two ndjson answers of a `verify --batch` run given two requests.
#[track_caller]
fn two_answers(stdout: &str) -> Vec<serde_json::Value> {
    let answers: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("an ndjson answer"))
        .collect();
    assert_eq!(answers.len(), 2, "{answers:?}");
    answers
}

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
        assert!(
            attacker.open(*account, "default", sealed).is_err(),
            "row {account}"
        );
        assert!(
            real.open(*account, "default", sealed).is_ok(),
            "row {account}"
        );
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

    // A symbolic link of the user's (or root's) own is followed, and the file at its end
    // checked as any other.
    let real = env.path("real.key");
    fs::rename(&key, &real).unwrap();
    std::os::unix::fs::symlink(&real, &key).unwrap();
    env.ok(&["check"]);
    fs::set_permissions(&real, fs::Permissions::from_mode(0o620)).unwrap();
    refused(&env, "a symbolic link to");
    fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
    // A dangling link is never taken for a missing key to create.
    fs::remove_file(&key).unwrap();
    std::os::unix::fs::symlink(env.path("gone.key"), &key).unwrap();
    refused(&env, "does not exist");
    assert!(!env.path("gone.key").exists());
    fs::remove_file(&key).unwrap();
    env.twofa(&["--key-file", real.to_str().unwrap(), "check"])
        .ok();
    fs::rename(&real, &key).unwrap();

    if can_chown("every_command_refuses_a_key_file_another_user_can_change") {
        std::os::unix::fs::chown(&key, Some(NOBODY), None).unwrap();
        refused(&env, "nobody");
        // Through a link of the user's own, the file it points to is refused as well.
        let link = env.path("link.key");
        std::os::unix::fs::symlink(&key, &link).unwrap();
        env.twofa(&["--key-file", link.to_str().unwrap(), "check"])
            .fails_saying(6, "belongs to nobody");
        std::os::unix::fs::chown(&key, Some(0), None).unwrap();
        env.twofa(&["--key-file", link.to_str().unwrap(), "check"])
            .ok();
        // A link another user owns is refused, wherever it points.
        std::os::unix::fs::lchown(&link, Some(NOBODY), Some(NOBODY)).unwrap();
        let stderr = env
            .twofa(&["--key-file", link.to_str().unwrap(), "check"])
            .fails_saying(6, "symbolic link");
        assert!(stderr.contains("belongs to nobody"), "{stderr}");
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
    let hooked = |run: Run<'_>| {
        run.env("TWOFA_DB", &db)
            .env("PGPASSWORD", "pg-password-2")
            .env("PGPASSFILE", &pgpass)
            .env("MYSQL_PWD", "mysql-password-3")
            .env("HOME", env.dir.path())
            .env("KEEP_ME", "kept")
            .ok();
        fs::read_to_string(&dump).unwrap()
    };
    // With the key from a command: the command and its timeout stay behind too.
    let by_key_command = hooked(
        by_command(
            &env,
            "echo key-command-4",
            &["--hook", &hook, "org", "add", "acme"],
        )
        .env("TWOFA_KEY_COMMAND_TIMEOUT", "7"),
    );
    for gone in ["TWOFA_KEY_COMMAND", "key-command-4", "password-"] {
        assert!(
            !by_key_command.contains(gone),
            "{gone} reached the hook:\n{by_key_command}"
        );
    }
    assert!(by_key_command.contains("KEEP_ME=kept"), "{by_key_command}");
    let seen = hooked(env.twofa(&["--hook", &hook, "user", "add", ALICE]));
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

/// `twofa ARGS` with its key from `command` (as `TWOFA_KEY_COMMAND`) and no key file named.
fn by_command<'a>(env: &'a TestEnv, command: &str, args: &[&str]) -> Run<'a> {
    env.twofa(args)
        .env_remove("TWOFA_KEY_FILE")
        .env("TWOFA_KEY_COMMAND", command)
}

/// A key command that prints `key` as base64 and adds a line to `runs` each time it runs.
fn printing(key: &MasterKey, runs: &Path) -> String {
    format!(
        "echo run >> '{}'; echo {}",
        runs.display(),
        key.to_base64().as_str()
    )
}

/// How many times the command of [`printing`] ran.
fn runs(path: &Path) -> usize {
    fs::read_to_string(path).map_or(0, |s| s.lines().count())
}

/// Whether the environment's database was not set up: no SQLite file, no twofa tables in
/// the server's database.
fn no_database(env: &TestEnv) -> bool {
    if env.is_server() {
        !has_twofa_tables(env)
    } else {
        !env.db.exists()
    }
}

/// Asserts that no file under `dir` is a key file or holds `key` (raw or as base64).
#[track_caller]
fn assert_no_key_file(dir: &Path, key: &MasterKey) {
    let b64 = key.to_base64();
    let raw = data_encoding::BASE64.decode(b64.as_bytes()).unwrap();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            assert!(
                path.extension().is_none_or(|e| e != "key"),
                "a key file appeared: {}",
                path.display()
            );
            let bytes = fs::read(&path).unwrap();
            for needle in [&raw[..], b64.as_bytes()] {
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == needle),
                    "{} holds the key",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn a_key_command_alone_serves_the_whole_life_cycle() {
    let mut env = TestEnv::bare();
    let key = MasterKey::generate().unwrap();
    let count = env.path("runs");
    let command = printing(&key, &count);

    // init records the command's key: no key file is created, the command runs once.
    let ready: serde_json::Value = by_command(&env, &command, &["init"]).ok_json();
    assert_eq!(
        ready["key_source"], "command (TWOFA_KEY_COMMAND)",
        "{ready}"
    );
    assert_eq!(ready["key_file"], serde_json::Value::Null, "{ready}");
    assert_eq!(ready["key_id"], key_id_hex(&key.id()), "{ready}");
    assert_eq!(meta(&env, "key_id"), [key_id_hex(&key.id())]);
    assert_eq!(runs(&count), 1);

    let enrolled: Enroll = by_command(
        &env,
        &command,
        &["enroll", ALICE, "--create", "--no-confirm"],
    )
    .ok_json();
    let secret = enrolled.secret_bytes();
    let codes: Codes = by_command(&env, &command, &["confirm", ALICE, "-"])
        .stdin(env.code(&secret))
        .ok_json();
    assert_eq!(codes.recovery_codes.len(), 10);
    assert_eq!(runs(&count), 3, "enroll and confirm each ran it once");
    env.now += 30;
    let verified = by_command(&env, &command, &["verify", ALICE, "-"])
        .stdin(env.code(&secret))
        .json();
    assert_accepted(&verified, "totp");
    assert_eq!(runs(&count), 4);

    // Commands that do not open a secret never run it.
    let verified = by_command(&env, &command, &["verify", ALICE, "-"])
        .stdin(&codes.recovery_codes[0])
        .json();
    assert_accepted(&verified, "recovery");
    let status: Status = by_command(&env, &command, &["status", ALICE]).ok_json();
    assert_eq!(status.state, "enabled");
    for args in [
        &["audit"][..],
        &["log"],
        &["user", "add", BOB],
        &["recovery", "status", ALICE],
        &["recovery", "regenerate", ALICE, "--yes"],
        &["unlock", ALICE],
    ] {
        by_command(&env, &command, args).ok();
    }
    assert_eq!(runs(&count), 4, "a command that needs no key ran it");

    // verify --batch runs it once for all its requests.
    env.now += 30;
    let requests = format!(
        "{ALICE} {}\n{ALICE} {}\n",
        env.wrong_code(&secret),
        env.code(&secret)
    );
    let answers = by_command(&env, &command, &["verify", "--batch"])
        .stdin(requests)
        .ok();
    let answers = two_answers(&answers);
    assert_eq!(answers[1]["accepted"], true, "{answers:?}");
    assert_eq!(runs(&count), 5);

    let checked: serde_json::Value = by_command(&env, &command, &["check"]).ok_json();
    assert_eq!(checked["key_source"], "command (TWOFA_KEY_COMMAND)");
    assert_eq!(checked["secrets"], 1);
    let shown = by_command(&env, &command, &["check"]).ok();
    assert!(
        shown.starts_with("key: command (TWOFA_KEY_COMMAND)\n"),
        "{shown}"
    );
    by_command(
        &env,
        &command,
        &["reset", ALICE, "--reason", "lost phone", "--yes"],
    )
    .ok();
    by_command(&env, &command, &["enroll", ALICE, "--no-confirm"]).ok();
    assert_eq!(runs(&count), 8);

    // Given on the command line, it is named so.
    let checked: serde_json::Value = env
        .twofa(&["--key-command", &command, "check"])
        .env_remove("TWOFA_KEY_FILE")
        .ok_json();
    assert_eq!(checked["key_source"], "command (--key-command)");

    assert_no_key_file(env.dir.path(), &key);
    assert!(!env.key_file().exists());
}

#[test]
fn a_key_command_gets_no_secret_and_no_input() {
    let env = TestEnv::bare();
    let key = MasterKey::generate().unwrap();
    let dump = env.path("command.env");
    let command = format!(
        "env > '{}'; cat >> '{}'; echo {}",
        dump.display(),
        dump.display(),
        key.to_base64().as_str()
    );
    by_command(&env, &command, &["init"])
        .env("PGPASSWORD", "pg-password-1")
        .env("MYSQL_PWD", "mysql-password-2")
        .env("TWOFA_KEY_COMMAND_TIMEOUT", "20")
        .env("KEEP_ME", "kept")
        .stdin("stdin-is-not-passed-on")
        .ok();
    let seen = fs::read_to_string(&dump).unwrap();
    for gone in [
        "PGPASSWORD",
        "MYSQL_PWD",
        "TWOFA_KEY_COMMAND",
        "TWOFA_KEY_COMMAND_TIMEOUT",
        "password-",
        "stdin-is-not",
    ] {
        assert!(
            !seen.contains(gone),
            "{gone} reached the key command:\n{seen}"
        );
    }
    assert!(seen.contains("KEEP_ME=kept"), "{seen}");
}

#[test]
fn a_key_file_and_a_key_command_together_are_refused() {
    let env = TestEnv::bare();
    let count = env.path("runs");
    let command = printing(&MasterKey::generate().unwrap(), &count);
    let key = env.key_file();
    let key_arg = key.to_str().unwrap();
    let runs_of = |run: Run<'_>, names: [&str; 2]| {
        let stderr = run.fails(2);
        for name in names {
            assert!(stderr.contains(name), "{name}: {stderr}");
        }
        assert!(stderr.contains("one place only"), "{stderr}");
    };
    // The environment's key file (TestEnv names one) and a key command.
    runs_of(
        env.twofa(&["init"]).env("TWOFA_KEY_COMMAND", &command),
        ["TWOFA_KEY_FILE", "TWOFA_KEY_COMMAND"],
    );
    runs_of(
        env.twofa(&["--key-command", &command, "init"]),
        ["TWOFA_KEY_FILE", "--key-command"],
    );
    runs_of(
        env.twofa(&["--key-file", key_arg, "check"])
            .env_remove("TWOFA_KEY_FILE")
            .env("TWOFA_KEY_COMMAND", &command),
        ["--key-file", "TWOFA_KEY_COMMAND"],
    );
    runs_of(
        env.twofa(&["check", "--key-file", key_arg, "--key-command", &command]),
        ["--key-file", "--key-command"],
    );
    assert_eq!(runs(&count), 0, "the command ran");
    assert!(!key.exists(), "a key file was created");
    assert!(no_database(&env), "a database was set up");

    // Set to nothing in the environment, the key command is not set; given empty on the
    // command line, it is refused.
    env.twofa(&["init"]).env("TWOFA_KEY_COMMAND", "").ok();
    env.twofa(&["--key-command", " ", "check"])
        .env_remove("TWOFA_KEY_FILE")
        .fails_saying(2, "--key-command is empty");
}

#[test]
fn a_key_command_that_fails_or_prints_no_key_is_exit_6() {
    let env = TestEnv::bare();
    let key = MasterKey::generate().unwrap();
    // A command that prints nothing gives a new database no key: nothing is created.
    for quiet in ["true", "echo 'vault: token expired' >&2; exit 2"] {
        by_command(&env, quiet, &["init"]).fails(6);
        assert!(no_database(&env), "a database was set up");
        assert_no_key_file(env.dir.path(), &key);
    }
    let count = env.path("runs");
    by_command(&env, &printing(&key, &count), &["init"]).ok();

    let failing = "echo 'Error: permission denied (403)' >&2; echo 'second line' >&2; exit 2";
    let stderr = by_command(&env, failing, &["check"]).fails(6);
    for needle in [
        "exit status: 2",
        "'Error: permission denied (403)'",
        "TWOFA_KEY_COMMAND",
    ] {
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
    assert!(!stderr.contains("second line"), "{stderr}");
    by_command(
        &env,
        "printf 'x\\033[2J%.0s' $(seq 50) >&2; exit 1",
        &["check"],
    )
    .fails_saying(6, "\\u{1b}[2J");
    by_command(&env, "kill -9 $$", &["check"]).fails_saying(6, "signal: 9");
    by_command(&env, "true", &["check"]).fails_saying(6, "printed nothing");

    // Output that is not a key says what is wrong with it, never what it was.
    let not_base64 = format!("echo '={}h'", "hunter2".repeat(6));
    for (garbage, what) in [
        ("echo hunter2-hunter2", "15 bytes"),
        (not_base64.as_str(), "44 characters that are not base64"),
        ("head -c 5000 /dev/zero", "more than 4096 bytes"),
    ] {
        let stderr = by_command(&env, garbage, &["check"]).fails_saying(6, what);
        assert!(!stderr.contains("hunter2"), "{stderr}");
    }

    // Another key: exit 6 naming both key ids.
    let other = MasterKey::generate().unwrap();
    let stderr = by_command(
        &env,
        &printing(&other, &count),
        &["enroll", ALICE, "--create", "--no-confirm"],
    )
    .fails_saying(6, "wrong key");
    for id in [other.id(), key.id()] {
        assert!(stderr.contains(&key_id_hex(&id)), "{stderr}");
    }
    assert!(!stderr.contains(other.to_base64().as_str()), "{stderr}");
}

#[test]
fn a_key_command_that_hangs_is_stopped_with_what_it_started() {
    let env = TestEnv::bare();
    let pid_file = env.path("grandchild.pid");
    let hanging = format!("sleep 100 & echo $! > '{}'; wait", pid_file.display());
    by_command(&env, &hanging, &["init"])
        .env("TWOFA_KEY_COMMAND_TIMEOUT", "1")
        .fails_saying(6, "did not finish within 1 s");
    let pid = fs::read_to_string(&pid_file).unwrap().trim().to_string();
    // Killed: gone, or a zombie waiting for init to reap it. (Not a timing assertion: the
    // kill was sent before twofa exited; this waits only for the kernel to finish it.)
    let gone = || {
        fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |stat| {
            stat.rsplit(')')
                .next()
                .unwrap_or("")
                .trim_start()
                .starts_with('Z')
        })
    };
    for _ in 0..100 {
        if gone() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(gone(), "the key command's child {pid} still runs");
    assert!(no_database(&env), "a database was set up");

    for bad in ["0", "soon", "1.5", "100000"] {
        by_command(&env, "true", &["check"])
            .env("TWOFA_KEY_COMMAND_TIMEOUT", bad)
            .fails_saying(2, "TWOFA_KEY_COMMAND_TIMEOUT");
    }
}

/// `twofa ARGS` as a systemd service with a credentials directory `dir` and no key named.
fn in_service<'a>(env: &'a TestEnv, dir: &Path, args: &[&str]) -> Run<'a> {
    env.twofa(args)
        .env_remove("TWOFA_KEY_FILE")
        .env("CREDENTIALS_DIRECTORY", dir)
}

/// Enrolls and confirms ALICE as a service with the credentials directory `dir` would, and
/// moves the clock past the confirming code; returns her secret.
fn enable_in_service(env: &mut TestEnv, dir: &Path) -> Vec<u8> {
    let enrolled: Enroll =
        in_service(env, dir, &["enroll", ALICE, "--create", "--no-confirm"]).ok_json();
    let secret = enrolled.secret_bytes();
    in_service(env, dir, &["confirm", ALICE, "-"])
        .stdin(env.code(&secret))
        .ok();
    env.now += 30;
    secret
}

/// A credential file as systemd writes it: the key as text (systemd-creds encrypts what
/// it is given), mode 0400.
fn write_credential(dir: &Path, key: &MasterKey) -> std::path::PathBuf {
    fs::create_dir_all(dir).unwrap();
    let path = dir.join("twofa.key");
    fs::write(&path, format!("{}\n", key.to_base64().as_str())).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
    path
}

#[test]
fn a_systemd_credential_is_the_key_when_none_is_named() {
    let mut env = TestEnv::bare();
    // Where systemd would mount it: /run/credentials/UNIT, outside the working directory.
    let run = tempfile::tempdir().unwrap();
    let creds = run.path().join("twofa-verify.service");
    let key = MasterKey::generate().unwrap();
    let credential = write_credential(&creds, &key);
    let label = format!("systemd credential {}", credential.display());

    // A new database takes the credential's key; no key file is created beside it.
    let ready: serde_json::Value = in_service(&env, &creds, &["init"]).ok_json();
    assert_eq!(ready["key_source"], label.as_str(), "{ready}");
    assert_eq!(meta(&env, "key_id"), [key_id_hex(&key.id())]);
    let secret = enable_in_service(&mut env, &creds);
    // The unit of the README: verify --batch, and the timer's remind and metrics.
    let answer = in_service(&env, &creds, &["verify", "--batch"])
        .stdin(format!(
            "{{\"email\": \"{ALICE}\", \"code\": \"{}\"}}\n",
            env.code(&secret)
        ))
        .ok();
    assert!(answer.contains("\"accepted\":true"), "{answer}");
    in_service(&env, &creds, &["remind", "--before", "7"]).ok();
    in_service(&env, &creds, &["metrics"]).ok();
    let out = in_service(&env, &creds, &["check"]).output();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with(&format!("key: {label}\n")),
        "{out:?}"
    );
    assert!(out.stderr.is_empty(), "{out:?}");
    assert!(!env.key_file().exists(), "a key file was created");
    assert_no_key_file(env.dir.path(), &key);

    // Its group bits are the mask of systemd's ACL: readable by the group draws no warning.
    fs::set_permissions(&credential, fs::Permissions::from_mode(0o440)).unwrap();
    let out = in_service(&env, &creds, &["check"]).output();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    // Checked like any key file: writable by others, refused.
    fs::set_permissions(&credential, fs::Permissions::from_mode(0o442)).unwrap();
    in_service(&env, &creds, &["check"]).fails_saying(6, "chmod go-w");
    fs::set_permissions(&credential, fs::Permissions::from_mode(0o400)).unwrap();
    if can_chown("a_systemd_credential_is_the_key_when_none_is_named") {
        std::os::unix::fs::chown(&credential, Some(NOBODY), Some(NOBODY)).unwrap();
        in_service(&env, &creds, &["check"]).fails_saying(6, "nobody");
        std::os::unix::fs::chown(&credential, Some(0), Some(0)).unwrap();
        in_service(&env, &creds, &["check"]).ok();
    }

    // A key named on the command line or in the environment comes first.
    let other = env.path("other.key");
    new_key(&other);
    in_service(
        &env,
        &creds,
        &["--key-file", other.to_str().unwrap(), "check"],
    )
    .fails_saying(6, "wrong key");
    in_service(&env, &creds, &["check"])
        .env("TWOFA_KEY_COMMAND", format!("cat '{}'", other.display()))
        .fails_saying(6, "TWOFA_KEY_COMMAND");
    // Without the file (a unit without LoadCredential=twofa.key), the default key file.
    let empty = env.path("no-credentials");
    fs::create_dir(&empty).unwrap();
    in_service(&env, &creds.join("none"), &["check"]).fails_saying(6, "missing");
    let default = if env.is_server() {
        "key file twofa.key is missing".to_string()
    } else {
        format!("key file {} is missing", env.key_file().display())
    };
    in_service(&env, &empty, &["check"]).fails_saying(6, &default);
}

#[test]
fn key_generate_prints_a_new_key_or_writes_a_private_file() {
    let env = TestEnv::bare();
    let printed: Vec<String> = (0..2)
        .map(|_| {
            let out = env.twofa(&["key", "generate"]).output();
            assert_eq!(out.status.code(), Some(0), "{out:?}");
            let line = String::from_utf8(out.stdout.clone()).unwrap();
            let key = line.strip_suffix('\n').expect("one line");
            assert_eq!(
                data_encoding::BASE64.decode(key.as_bytes()).unwrap().len(),
                32
            );
            // Its id on stderr, for matching it to a database.
            let id = key_id_hex(&MasterKey::parse_text(key.as_bytes()).unwrap().id());
            assert!(
                String::from_utf8_lossy(&out.stderr).contains(&id),
                "{out:?}"
            );
            key.to_string()
        })
        .collect();
    assert_ne!(printed[0], printed[1]);
    // --format does not wrap it: the output is the key alone.
    let json = env.twofa(&["key", "generate", "--format", "json"]).ok();
    assert_eq!(json.trim_end().len(), 44, "{json}");

    let file = env.path("new.key");
    let file_arg = file.to_str().unwrap();
    let out = env.twofa(&["key", "generate", "-o", file_arg]).output();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    assert_eq!(
        fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let written = fs::read(&file).unwrap();
    assert_eq!(written.len(), 45, "a line of base64");
    // Never over an existing file (nor through a link), which stays as it was.
    env.twofa(&["key", "generate", "-o", file_arg])
        .fails_saying(4, "exists");
    assert_eq!(fs::read(&file).unwrap(), written);
    let link = env.path("link.key");
    std::os::unix::fs::symlink(env.path("elsewhere.key"), &link).unwrap();
    env.twofa(&["key", "generate", "-o", link.to_str().unwrap()])
        .fails_saying(4, "exists");
    assert!(!env.path("elsewhere.key").exists());

    // The file is a key file: a new database takes it.
    env.twofa(&["--key-file", file_arg, "init"]).ok();
    assert_eq!(meta(&env, "key_id"), [key_id_hex(&key_id(&file))]);
}

#[test]
fn key_generate_warns_on_a_terminal() {
    let env = TestEnv::sqlite_bare();
    let mut cmd = env.process();
    cmd.args(["key", "generate"]);
    let mut term = common::pty::Terminal::start(cmd);
    term.expect("scrollback");
    let (code, shown) = term.finish();
    assert_eq!(code, 0, "{shown}");
    assert!(
        shown.lines().any(|l| l.trim().len() == 44),
        "the key is printed all the same:\n{shown}"
    );
}

/// Replaces the stored secret of account row `account` with `sealed`, as someone who can
/// write the database would (or puts the original back).
fn set_secret(env: &TestEnv, account: i64, sealed: &[u8]) {
    let hex = data_encoding::HEXLOWER.encode(sealed);
    let literal = if env.is_postgres() {
        format!("'\\x{hex}'::bytea")
    } else {
        format!("X'{hex}'")
    };
    env.execute(&format!(
        "UPDATE {} SET secret = {literal} WHERE account_id = {account}",
        env.table("credentials")
    ));
}

/// How many stored secrets each key id seals.
fn sealed_by(env: &TestEnv, key: &MasterKey) -> usize {
    sealed_secrets(env)
        .iter()
        .filter(|(_, s)| sealed_key_id(s) == Some(key.id()))
        .count()
}

#[test]
fn a_rekey_to_a_key_command_resumes_with_the_same_key_only() {
    let mut env = TestEnv::bare();
    let (old, new) = (
        MasterKey::generate().unwrap(),
        MasterKey::generate().unwrap(),
    );
    let (old_runs, new_runs) = (env.path("old.runs"), env.path("new.runs"));
    let current = printing(&old, &old_runs);
    let next = printing(&new, &new_runs);
    by_command(&env, &current, &["init"]).ok();
    // More secrets than one batch re-encrypts (500), so that a run can stop between two.
    let mut csv = String::from("email,secret\n");
    for i in 0..501 {
        let bytes: Vec<u8> = (0..20u8)
            .map(|j| (i as u8 ^ 0x5a).wrapping_add(j))
            .collect();
        let secret = data_encoding::BASE32_NOPAD.encode(&bytes);
        csv.push_str(&format!("user{i:03}@example.com,{secret}\n"));
    }
    by_command(&env, &current, &["import", "-", "--create"])
        .stdin(csv)
        .ok();
    assert_eq!(sealed_by(&env, &old), 501);

    // The last account's secret does not open: the first batch is re-encrypted and
    // committed, then the run stops, as a run killed between two batches would.
    let (last, sealed) = sealed_secrets(&env)
        .into_iter()
        .max_by_key(|(id, _)| *id)
        .unwrap();
    let mut damaged = sealed.clone();
    *damaged.last_mut().unwrap() ^= 1;
    set_secret(&env, last, &damaged);
    by_command(&env, &current, &["rekey", "--new-key-command", &next])
        .fails_saying(6, "does not open");
    assert_eq!(sealed_by(&env, &new), 500);
    assert_eq!(meta(&env, "rekey_to"), [key_id_hex(&new.id())]);
    // The database holds the new key's id, never the command or the key.
    let all_meta = env.query_strings(&format!("SELECT value FROM {}", env.table("meta")));
    for value in &all_meta {
        assert!(
            !value.contains("echo") && !value.contains(new.to_base64().as_str()),
            "{value}"
        );
    }
    set_secret(&env, last, &sealed);

    // Another key, or the current one given as the new one: refused, nothing changes.
    let other = MasterKey::generate().unwrap();
    let stderr = by_command(
        &env,
        &current,
        &[
            "rekey",
            "--new-key-command",
            &printing(&other, &env.path("other.runs")),
        ],
    )
    .fails_saying(6, "has not finished");
    assert!(stderr.contains(&key_id_hex(&new.id())), "{stderr}");
    by_command(&env, &next, &["rekey", "--new-key-command", &next])
        .fails_saying(6, "re-encrypts to");
    assert_eq!(sealed_by(&env, &new), 500);
    // Meanwhile an enrollment with the current key seals with it.
    let carol: Enroll = by_command(
        &env,
        &current,
        &["enroll", CAROL, "--create", "--no-confirm"],
    )
    .ok_json();

    // The same key finishes it: the rest and carol's secret.
    let runs_before = runs(&new_runs);
    let (code, done, stderr) = by_command(&env, &current, &["rekey", "--new-key-command", &next])
        .json_full::<serde_json::Value>();
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("resuming"), "{stderr}");
    assert_eq!(done["rekeyed"], 2, "{done}");
    assert_eq!(done["key_id"], key_id_hex(&new.id()), "{done}");
    assert_eq!(done["key_file"], serde_json::Value::Null, "{done}");
    assert_eq!(done["key_source"], "command (--new-key-command)", "{done}");
    assert_eq!(runs(&new_runs), runs_before + 1, "once per run");
    assert_eq!(sealed_by(&env, &new), 502);
    assert!(meta(&env, "rekey_to").is_empty());
    assert_eq!(meta(&env, "key_id"), [key_id_hex(&new.id())]);

    // From now on the new command is the key; the old one is refused.
    by_command(&env, &next, &["check"]).ok();
    by_command(&env, &current, &["check"]).fails_saying(6, "wrong key");
    env.now += 30;
    by_command(&env, &next, &["confirm", CAROL, "-"])
        .stdin(env.code(&carol.secret_bytes()))
        .ok();
    assert_no_key_file(env.dir.path(), &old);
    assert_no_key_file(env.dir.path(), &new);

    // The key in use is no new key; the message of a rotation says where the key is now.
    by_command(&env, &next, &["rekey", "--new-key-command", &next])
        .fails_saying(6, "already in use");
    let out = by_command(&env, &next, &["rekey", "--new-key-command", &current]).ok();
    assert!(out.contains("--key-command"), "{out}");
    assert!(out.contains("command (--new-key-command)"), "{out}");

    // Exactly one new key.
    env.twofa(&["rekey"]).fails(2);
    env.twofa(&[
        "rekey",
        "--new-key-file",
        "x.key",
        "--new-key-command",
        "true",
    ])
    .fails(2);
}

#[test]
fn a_key_in_a_kubernetes_secret_volume_is_followed() {
    // kubelet's layout: twofa.key -> ..data/twofa.key, ..data -> ..2026_12_07_12_00_00.N,
    // all root's (here: the user's own), the file mode 0644 by default.
    let mut env = TestEnv::new();
    let (alice, _) = env.enable(ALICE);
    let volume = env.path("secret");
    let version = volume.join("..2026_12_07_12_00_00.1");
    fs::create_dir_all(&version).unwrap();
    fs::copy(env.key_file(), version.join("twofa.key")).unwrap();
    fs::set_permissions(version.join("twofa.key"), fs::Permissions::from_mode(0o644)).unwrap();
    std::os::unix::fs::symlink("..2026_12_07_12_00_00.1", volume.join("..data")).unwrap();
    std::os::unix::fs::symlink("..data/twofa.key", volume.join("twofa.key")).unwrap();
    fs::remove_file(env.key_file()).unwrap();
    let mounted = volume.join("twofa.key");
    env.now += 30;
    let out = env
        .twofa(&["verify", ALICE, "-", "--format", "json"])
        .env("TWOFA_KEY_FILE", &mounted)
        .stdin(env.code(&alice))
        .output();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // Readable by others (kubelet's default mode): the warning, not a refusal.
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("group or others"),
        "{out:?}"
    );
    let checked: serde_json::Value = env
        .twofa(&["check"])
        .env("TWOFA_KEY_FILE", &mounted)
        .ok_json();
    assert_eq!(checked["key_source"], format!("file {}", mounted.display()));
}

// ---------------------------------------------------------------------------------------
// The README's "Keys" recipes, run as written with stand-ins for vault, aws and systemd.

/// The code blocks of the README's "Keys" section: (language, text), in order.
fn keys_recipes() -> Vec<(String, String)> {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let section = readme.split_once("\n## Keys\n").expect("a Keys section").1;
    let section = section.split("\n## ").next().unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in section.lines() {
        match (&mut current, line.trim_end().strip_prefix("```")) {
            (None, Some(lang)) => current = Some((lang.to_string(), String::new())),
            (Some(_), Some("")) => blocks.push(current.take().unwrap()),
            (Some((_, block)), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(current.is_none(), "an unclosed code block in Keys");
    blocks
}

/// The Keys recipe in `lang` that contains `marker`, with each (from, to) replaced (each
/// must occur); exactly one recipe has the marker.
fn recipe(lang: &str, marker: &str, paths: &[(&str, &str)]) -> String {
    let found: Vec<String> = keys_recipes()
        .into_iter()
        .filter(|(l, b)| l == lang && b.contains(marker))
        .map(|(_, b)| b)
        .collect();
    assert_eq!(found.len(), 1, "one {lang} recipe with {marker:?}");
    let mut text = found.into_iter().next().unwrap();
    for (from, to) in paths {
        assert!(
            text.contains(from),
            "the recipe no longer has {from}:\n{text}"
        );
        text = text.replace(from, to);
    }
    text
}

#[test]
fn every_keys_recipe_has_a_test() {
    let known = [
        ("sh", "vault kv"),
        ("sh", "aws kms"),
        ("sh", "systemd-creds encrypt"),
        ("ini", "LoadCredentialEncrypted="),
    ];
    let blocks = keys_recipes();
    for (lang, block) in &blocks {
        assert!(
            known.iter().any(|(l, m)| l == lang && block.contains(m)),
            "a Keys recipe without a test in tests/cli_keys.rs:\n{block}"
        );
    }
    assert_eq!(blocks.len(), known.len(), "{blocks:#?}");
}

/// Stand-ins for the secret stores' tools, keeping what they are given in `store`
/// (outside the working directory, like the real stores): each checks that it got the
/// arguments the real tool takes in the README's recipe, and fails otherwise.
const STAND_INS: [(&str, &str); 4] = [
    (
        "vault",
        r#"#!/bin/sh
# vault kv put PATH key=-  |  vault kv get -field=key PATH (prints the value, no newline)
fail() { echo "vault stand-in: unexpected arguments: $*" >&2; exit 2; }
[ "$#" = 4 ] && [ "$1" = kv ] || fail "$@"
case "$2" in
put) [ "$4" = key=- ] || fail "$@"; cat > "$STORE/vault$(echo "$3" | tr / _)" ;;
get) [ "$3" = -field=key ] || fail "$@"; printf %s "$(cat "$STORE/vault$(echo "$4" | tr / _)")" ;;
*) fail "$@" ;;
esac
"#,
    ),
    (
        "aws",
        r#"#!/bin/sh
# aws kms encrypt/decrypt as the README calls them; the "ciphertext" is a marker and the
# plaintext; output text is base64, as the real CLI prints a blob.
fail() { echo "aws stand-in: unexpected: $*" >&2; exit 2; }
[ "$1 $2" = "kms encrypt" ] && {
  [ "$3 $4 $5 $6 $7 $8 $9 ${10}" = "--key-id alias/twofa --plaintext fileb:///dev/stdin --query CiphertextBlob --output text" ] || fail "$@"
  cat > "$STORE/plain"
  [ "$(wc -c < "$STORE/plain")" = 32 ] || fail "a plaintext of $(wc -c < "$STORE/plain") bytes, not the 32 of the key"
  { printf 'KMS-STAND-IN:'; cat "$STORE/plain"; } | base64 -w0; echo
  rm "$STORE/plain"; exit 0
}
[ "$1 $2 $3" = "kms decrypt --ciphertext-blob" ] && [ "$5 $6 $7 $8" = "--query Plaintext --output text" ] || fail "$@"
file=${4#fileb://}
[ "$file" != "$4" ] && [ "$(head -c 13 "$file")" = KMS-STAND-IN: ] || fail "$@"
tail -c +14 "$file" | base64 -w0; echo
"#,
    ),
    (
        "systemd-creds",
        r#"#!/bin/sh
# systemd-creds encrypt --name=NAME - OUT: OUT holds a marker, the name and the input.
[ "$#" = 4 ] && [ "$1" = encrypt ] && [ "$3" = - ] || { echo "systemd-creds stand-in: $*" >&2; exit 2; }
{ echo "CREDS-STAND-IN ${2#--name=}"; base64 -w0; echo; } > "$4"
"#,
    ),
    (
        "systemd-run",
        r#"#!/bin/sh
# systemd-run --pipe --wait --collect [-p User=U] [-E VAR=VALUE] -p LoadCredentialEncrypted=NAME:PATH CMD...:
# CMD runs with the credential decrypted into its own CREDENTIALS_DIRECTORY (mode 0400).
creds=$(mktemp -d)
while [ "$#" -gt 0 ]; do
  case "$1" in
  --pipe|--wait|--collect) ;;
  -E) export "$2"; shift ;;
  -p) case "$2" in
      User=*) ;;
      LoadCredentialEncrypted=*)
        spec=${2#LoadCredentialEncrypted=}; name=${spec%%:*}; file=${spec#*:}
        [ "$(head -n1 "$file")" = "CREDS-STAND-IN $name" ] || { echo "systemd-run stand-in: $file is no credential $name" >&2; exit 2; }
        tail -n +2 "$file" | base64 -d > "$creds/$name"; chmod 0400 "$creds/$name" ;;
      *) echo "systemd-run stand-in: property $2" >&2; exit 2 ;;
      esac; shift ;;
  -*) echo "systemd-run stand-in: option $1" >&2; exit 2 ;;
  *) break ;;
  esac
  shift
done
CREDENTIALS_DIRECTORY=$creds "$@"; status=$?
rm -rf "$creds"; exit $status
"#,
    ),
];

/// A directory on PATH with `twofa` (this build) and the [`STAND_INS`] keeping their
/// state in `store`.
fn stand_ins(dir: &Path, store: &Path) -> std::path::PathBuf {
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(assert_cmd::cargo::cargo_bin("twofa"), bin.join("twofa")).unwrap();
    for (name, text) in STAND_INS {
        let path = bin.join(name);
        fs::write(&path, text.replace("$STORE", &store.display().to_string())).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

/// Runs a recipe with `sh -e` in the environment's directory, the stand-ins first on PATH
/// and no key named; asserts success and returns stdout.
#[track_caller]
fn run_recipe(env: &TestEnv, bin: &Path, script: &str) -> String {
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = env
        .bash("exec sh -ec \"$RECIPE\"")
        .env_remove("TWOFA_KEY_FILE")
        .env("PATH", path)
        .env("RECIPE", script)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{script}\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// After a recipe set the database up: an account enrolled with `command` as the key, and
/// the code accepted, nothing key-like left in the working directory.
fn enroll_and_verify_by(env: &mut TestEnv, command: &str) {
    let enrolled: Enroll =
        by_command(env, command, &["enroll", ALICE, "--create", "--no-confirm"]).ok_json();
    let secret = enrolled.secret_bytes();
    by_command(env, command, &["confirm", ALICE, "-"])
        .stdin(env.code(&secret))
        .ok();
    env.now += 30;
    let verified = by_command(env, command, &["verify", ALICE, "-"])
        .stdin(env.code(&secret))
        .json();
    assert_accepted(&verified, "totp");
    assert!(!env.key_file().exists());
}

/// Runs the secret-store recipe that contains `marker` (with `paths` replaced): it makes a
/// key, puts it in the store (a directory outside the working directory, which
/// `stored_key` reads the key back from), sets the database up with `TWOFA_KEY_COMMAND`,
/// and checks it. Then an account enrolls and verifies with the recipe's own key command,
/// and no key file appears in the working directory. `{store}` in a replacement path is
/// the store's directory.
fn key_command_recipe(marker: &str, paths: &[(&str, &str)], stored_key: fn(&Path) -> MasterKey) {
    let mut env = TestEnv::bare();
    let outside = tempfile::tempdir().unwrap();
    let bin = stand_ins(outside.path(), outside.path());
    let store = outside.path().display().to_string();
    let paths: Vec<(&str, String)> = paths
        .iter()
        .map(|(from, to)| (*from, to.replace("{store}", &store)))
        .collect();
    let paths: Vec<(&str, &str)> = paths.iter().map(|(f, t)| (*f, t.as_str())).collect();
    let script = recipe("sh", marker, &paths);
    let checked = run_recipe(&env, &bin, &script);
    assert!(
        checked
            .lines()
            .any(|l| l == "key: command (TWOFA_KEY_COMMAND)"),
        "{checked}"
    );
    let key = stored_key(outside.path());
    assert_eq!(meta(&env, "key_id"), [key_id_hex(&key.id())]);
    let command = script
        .lines()
        .find_map(|l| l.strip_prefix("export TWOFA_KEY_COMMAND='"))
        .and_then(|c| c.strip_suffix('\''))
        .expect("the recipe exports TWOFA_KEY_COMMAND");
    let command = format!("PATH='{}':\"$PATH\" {command}", bin.display());
    enroll_and_verify_by(&mut env, &command);
    assert_no_key_file(env.dir.path(), &key);
}

#[test]
fn the_vault_recipe_keeps_the_key_in_vault_alone() {
    key_command_recipe("vault kv", &[], |store| {
        let stored = fs::read_to_string(store.join("vaultsecret_twofa")).unwrap();
        MasterKey::parse_text(stored.as_bytes()).unwrap()
    });
}

#[test]
fn the_kms_recipe_keeps_only_the_encrypted_key() {
    key_command_recipe(
        "aws kms",
        &[("/etc/twofa/twofa.key.enc", "{store}/twofa.key.enc")],
        |store| {
            let blob = fs::read(store.join("twofa.key.enc")).unwrap();
            assert!(blob.starts_with(b"KMS-STAND-IN:"), "not what KMS returned");
            MasterKey::parse_text(data_encoding::BASE64.encode(&blob[13..]).as_bytes()).unwrap()
        },
    );
}

#[test]
fn the_systemd_recipe_runs_verify_batch_with_the_credential() {
    let mut env = TestEnv::bare();
    let outside = tempfile::tempdir().unwrap();
    let bin = stand_ins(outside.path(), outside.path());
    let credstore = outside.path().join("credstore.encrypted");
    fs::create_dir(&credstore).unwrap();
    let encrypted = credstore.join("twofa.key");
    let db = env.url().to_string();
    let paths = [
        (
            "/etc/credstore.encrypted/twofa.key",
            encrypted.to_str().unwrap(),
        ),
        ("/srv/app/app.db", db.as_str()),
    ];
    run_recipe(&env, &bin, &recipe("sh", "systemd-creds encrypt", &paths));
    assert!(!env.key_file().exists(), "init created a key file");

    // The service manager's part: LoadCredentialEncrypted= decrypts the credential into
    // the unit's own directory, mode 0400, and ExecStart runs with it.
    let unit = recipe(
        "ini",
        "LoadCredentialEncrypted=",
        &[("/usr/local/bin/twofa", "twofa")],
    );
    let setting = |name: &str| -> String {
        let prefix = format!("{name}=");
        let values: Vec<&str> = unit
            .lines()
            .filter_map(|l| l.strip_prefix(&prefix))
            .collect();
        assert_eq!(values.len(), 1, "one {name}= in the unit:\n{unit}");
        values[0].to_string()
    };
    let (name, source) = setting("LoadCredentialEncrypted")
        .split_once(':')
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .unwrap();
    assert_eq!(name, "twofa.key", "the credential twofa looks for");
    assert_eq!(source, "/etc/credstore.encrypted/twofa.key");
    let sealed = fs::read_to_string(&encrypted).unwrap();
    let (marker, text) = sealed.split_once('\n').unwrap();
    assert_eq!(
        marker, "CREDS-STAND-IN twofa.key",
        "encrypted under another name"
    );
    let run = tempfile::tempdir().unwrap();
    let creds = run.path().join("twofa-verify@1.service");
    let key_text = data_encoding::BASE64
        .decode(text.trim().as_bytes())
        .unwrap();
    let key = MasterKey::parse_text(&key_text).unwrap();
    let credential = write_credential(&creds, &key);
    assert_eq!(meta(&env, "key_id"), [key_id_hex(&key.id())]);
    let (var, value) = setting("Environment")
        .split_once('=')
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .unwrap();
    assert_eq!(
        (var.as_str(), value.as_str()),
        ("TWOFA_DB", "/srv/app/app.db")
    );

    let secret = enable_in_service(&mut env, &creds);
    let exec: Vec<String> = setting("ExecStart")
        .split_whitespace()
        .map(String::from)
        .collect();
    assert_eq!(exec[0], "twofa");
    let args: Vec<&str> = exec[1..].iter().map(String::as_str).collect();
    let answers = in_service(&env, &creds, &args)
        .env("TWOFA_DB", &db)
        .stdin(format!(
            "{ALICE} {}\n{ALICE} {}\n",
            env.code(&secret),
            env.wrong_code(&secret)
        ))
        .ok();
    let answers = two_answers(&answers);
    assert_eq!(answers[0]["accepted"], true, "{answers:?}");
    assert_eq!(answers[1]["accepted"], false, "{answers:?}");
    let checked: serde_json::Value = in_service(&env, &creds, &["check"]).ok_json();
    assert_eq!(
        checked["key_source"],
        format!("systemd credential {}", credential.display())
    );
    assert_no_key_file(env.dir.path(), &key);
}
