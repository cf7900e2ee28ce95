//! Crash safety: twofa is killed (SIGKILL) at random moments during user import, bulk
//! reset, recovery regenerate and rekey, 50 times each; every time the database passes
//! `PRAGMA integrity_check` and every account is entirely before or entirely after the
//! operation.

mod common;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::TestEnv;
use rusqlite::{Connection, params};
use twofa::crypto::{MasterKey, key_id_hex, sealed_key_id};

const KILLS: u64 = 50;

/// A deterministic spread of kill delays (milliseconds) over `0..max`.
fn delay(i: u64, max: u64) -> Duration {
    let x = i
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    Duration::from_millis((x >> 33) % max)
}

fn spawn(env: &TestEnv, args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("twofa"))
        .args(args)
        .env("TWOFA_DB", &env.db)
        .env("TWOFA_TEST_NOW", env.now.to_string())
        .env("TWOFA_ACTOR", "crash")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn twofa")
}

/// How long (ms) `args` takes when left to finish: kill delays are spread over this, so
/// the kills land mid-way however fast or loaded the machine is.
fn full_run_ms(env: &TestEnv, args: &[&str]) -> u64 {
    let started = std::time::Instant::now();
    let status = spawn(env, args).wait().unwrap();
    assert!(status.success(), "{args:?} failed when left to finish");
    (started.elapsed().as_millis() as u64).max(2)
}

/// Runs `args`, kills it after `after` unless it finished; true when it was killed.
fn kill_after(env: &TestEnv, args: &[&str], after: Duration) -> bool {
    let mut child = spawn(env, args);
    std::thread::sleep(after);
    let killed = matches!(child.try_wait(), Ok(None));
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    killed
}

fn db(env: &TestEnv) -> Connection {
    let conn = Connection::open(&env.db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    conn
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Gives every account without one a pending credential sealed with the real key, the
/// way enroll stores it (much faster than thousands of enroll processes).
fn seal_pending_for_all(env: &TestEnv) {
    let key = MasterKey::load(&env.key_file()).unwrap();
    let mut conn = Connection::open(&env.db).unwrap();
    let tx = conn.transaction().unwrap();
    let ids: Vec<i64> = tx
        .prepare("SELECT id FROM twofa_accounts WHERE id NOT IN (SELECT account_id FROM twofa_credentials)")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for id in ids {
        let sealed = key.seal(id, "default", &[id as u8; 20]).unwrap();
        tx.execute(
            "INSERT INTO twofa_credentials (account_id, device, state, secret, created_at,
                                            expires_at)
             VALUES (?1, 'default', 'pending', ?2, ?3, ?4)",
            params![id, sealed, env.now, env.now + 900],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

fn import_csv(env: &TestEnv, rows: usize, prefix: &str) -> std::path::PathBuf {
    let mut csv = String::from("email,org\n");
    for i in 0..rows {
        csv.push_str(&format!("{prefix}{i}@example.com,\n"));
    }
    let path = env.path(&format!("{prefix}.csv"));
    std::fs::write(&path, csv).unwrap();
    path
}

#[test]
fn killed_imports_are_all_or_nothing() {
    let env = TestEnv::sqlite();
    env.ok(&["init"]);
    let warm = import_csv(&env, 20_000, "warm-");
    let full = full_run_ms(&env, &["user", "import", warm.to_str().unwrap()]);
    let mut killed = 0;
    for i in 0..KILLS {
        let path = import_csv(&env, 20_000, &format!("imp{i}-"));
        killed += u64::from(kill_after(
            &env,
            &["user", "import", path.to_str().unwrap()],
            delay(i, full),
        ));
        let conn = db(&env);
        let n = count(
            &conn,
            &format!("SELECT count(*) FROM twofa_accounts WHERE email LIKE 'imp{i}-%'"),
        );
        let logged = count(
            &conn,
            &format!(
                "SELECT count(*) FROM twofa_events WHERE action = 'user.import' AND detail LIKE '%imp{i}-.csv'"
            ),
        );
        assert!(n == 0 || n == 20_000, "run {i}: {n} of 20000 accounts");
        assert_eq!(
            logged,
            i64::from(n == 20_000),
            "run {i}: event iff imported"
        );
        std::fs::remove_file(path).unwrap();
    }
    assert!(killed > KILLS / 4, "only {killed} runs were killed mid-way");
}

#[test]
fn killed_bulk_resets_leave_each_account_before_or_after() {
    let env = TestEnv::sqlite();
    let path = import_csv(&env, 3_000, "r");
    env.ok(&["user", "import", path.to_str().unwrap()]);
    let list: String = (0..3_000).map(|i| format!("r{i}@example.com\n")).collect();
    let list_path = env.path("list.txt");
    std::fs::write(&list_path, list).unwrap();
    seal_pending_for_all(&env);
    let full = full_run_ms(
        &env,
        &[
            "reset",
            "--from",
            list_path.to_str().unwrap(),
            "--reason",
            "warm",
            "--yes",
        ],
    );
    let mut killed = 0;
    for i in 0..KILLS {
        seal_pending_for_all(&env);
        let reason = format!("run {i}");
        killed += u64::from(kill_after(
            &env,
            &[
                "reset",
                "--from",
                list_path.to_str().unwrap(),
                "--reason",
                &reason,
                "--yes",
            ],
            delay(i, full),
        ));
        let conn = db(&env);
        let mut reset: HashMap<String, i64> = HashMap::new();
        let mut stmt = conn
            .prepare("SELECT email, count(*) FROM twofa_events WHERE action = 'reset' AND detail = ?1 GROUP BY email")
            .unwrap();
        for row in stmt
            .query_map([&reason], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
        {
            let (email, n): (String, i64) = row.unwrap();
            reset.insert(email, n);
        }
        let mut stmt = conn
            .prepare(
                "SELECT a.email, c.account_id IS NOT NULL FROM twofa_accounts a
                 LEFT JOIN twofa_credentials c ON c.account_id = a.id",
            )
            .unwrap();
        for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap() {
            let (email, has_credential): (String, bool) = row.unwrap();
            let events = reset.get(&email).copied().unwrap_or(0);
            assert!(events <= 1, "run {i}: {email} reset {events} times");
            assert_eq!(has_credential, events == 0, "run {i}: {email} half reset");
        }
    }
    assert!(killed > KILLS / 4, "only {killed} runs were killed mid-way");
}

#[test]
fn killed_regenerates_leave_one_whole_set() {
    let mut env = TestEnv::sqlite();
    env.enable("k@example.com");
    let full = full_run_ms(&env, &["recovery", "regenerate", "k@example.com", "--yes"]);
    let mut killed = 0;
    for i in 0..KILLS {
        env.now += 1; // each set gets its own creation time
        killed += u64::from(kill_after(
            &env,
            &["recovery", "regenerate", "k@example.com", "--yes"],
            delay(i, full),
        ));
        let conn = db(&env);
        assert_eq!(
            count(&conn, "SELECT count(*) FROM twofa_recovery_codes"),
            10,
            "run {i}"
        );
        assert_eq!(
            count(
                &conn,
                "SELECT count(DISTINCT created_at) FROM twofa_recovery_codes"
            ),
            1,
            "run {i}: a mixed set"
        );
        let newest = count(&conn, "SELECT max(created_at) FROM twofa_recovery_codes");
        let logged = count(
            &conn,
            &format!(
                "SELECT count(*) FROM twofa_events WHERE action = 'recovery.regenerate' AND at = {}",
                env.now
            ),
        );
        assert_eq!(
            logged,
            i64::from(newest == env.now),
            "run {i}: event iff replaced"
        );
    }
    assert!(killed > KILLS / 4, "only {killed} runs were killed mid-way");
}

#[test]
fn killed_rekeys_resume_and_every_secret_always_opens() {
    let env = TestEnv::sqlite();
    let path = import_csv(&env, 4_000, "k");
    env.ok(&["user", "import", path.to_str().unwrap()]);
    seal_pending_for_all(&env);
    let warm = env.path("key-warm");
    let full = full_run_ms(&env, &["rekey", "--new-key-file", warm.to_str().unwrap()]);
    let mut killed = 0;
    let mut current = warm;
    for i in 0..KILLS {
        let new = env.path(&format!("key{i}"));
        // Kill a rotation, possibly several times, then let it finish.
        let mut attempt = 0;
        loop {
            let args = [
                "--key-file",
                current.to_str().unwrap(),
                "rekey",
                "--new-key-file",
                new.to_str().unwrap(),
            ];
            let was_killed = if attempt == 0 {
                kill_after(&env, &args, delay(i, full))
            } else {
                let out = Command::new(assert_cmd::cargo::cargo_bin("twofa"))
                    .args(args)
                    .env("TWOFA_DB", &env.db)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "run {i}: resume failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                false
            };
            killed += u64::from(was_killed);
            // Between kills, every secret opens with the key it names, of the two at hand.
            assert_every_secret_opens(&env, &[&current, &new], i);
            attempt += 1;
            // Done when the database records the new key and no rotation (a run may finish
            // just before its kill); otherwise resume, or start again if killed before the
            // key existed.
            if rotation_done(&env, &new) {
                break;
            }
        }
        let rotated = Command::new(assert_cmd::cargo::cargo_bin("twofa"))
            .args(["--key-file", new.to_str().unwrap(), "check"])
            .env("TWOFA_DB", &env.db)
            .output()
            .unwrap();
        assert!(
            rotated.status.success(),
            "run {i}: {}",
            String::from_utf8_lossy(&rotated.stderr)
        );
        current = new;
    }
    assert!(killed > KILLS / 4, "only {killed} runs were killed mid-way");
}

/// Asserts that every stored secret opens, with whichever of `keys` (files; a missing one
/// is skipped) carries its id, to what [`seal_pending_for_all`] sealed.
fn assert_every_secret_opens(env: &TestEnv, keys: &[&std::path::Path], run: u64) {
    let keys: Vec<MasterKey> = keys
        .iter()
        .filter(|k| k.exists())
        .map(|k| MasterKey::load(k).unwrap())
        .collect();
    let conn = db(env);
    let mut stmt = conn
        .prepare("SELECT account_id, secret FROM twofa_credentials")
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
        .unwrap();
    for row in rows {
        let (id, sealed) = row.unwrap();
        let key = keys
            .iter()
            .find(|k| sealed_key_id(&sealed) == Some(k.id()))
            .unwrap_or_else(|| panic!("run {run}: no key at hand opens row {id}"));
        assert_eq!(
            key.open(id, "default", &sealed).unwrap().as_slice(),
            [id as u8; 20],
            "run {run}: row {id}"
        );
    }
}

/// Whether the rotation to the key in `new` has finished: the database records that key
/// and no rotation in progress.
fn rotation_done(env: &TestEnv, new: &std::path::Path) -> bool {
    let Ok(key) = MasterKey::load(new) else {
        return false;
    };
    let conn = db(env);
    let meta = |key: &str| -> Option<String> {
        conn.query_row("SELECT value FROM twofa_meta WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .ok()
    };
    meta("key_id") == Some(key_id_hex(&key.id())) && meta("rekey_to").is_none()
}
