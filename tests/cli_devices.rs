//! Several named TOTP devices per account (SECURITY.md 42), through the real binary on the
//! suite's backend: adding and confirming devices, verify against every device with replay
//! per device and one lockout per account, the cap of 5, rename and remove, re-enrolling one
//! device, status and diagnose of waiting enrollments, export and import one row a device,
//! concurrent codes of two devices, and a database from before devices migrated in place.

mod common;

use serde::Deserialize;
use serde_json::Value;

use common::{
    Enroll, Exported, Imported, Status, T0, TestEnv, Verify, assert_accepted, assert_rejected,
    count_action,
};

const ALICE: &str = "alice@example.com";

/// A `device list` row.
#[derive(Debug, Deserialize)]
struct DeviceRow {
    email: String,
    device: String,
    state: String,
    enrolled_at: Option<String>,
    last_used_at: Option<String>,
    pending_expires_at: Option<String>,
}

/// `status` with the enrollments waiting for their code.
#[derive(Debug, Deserialize)]
struct StatusWaiting {
    devices: u32,
    /// Only there when an enrollment waits.
    #[serde(default)]
    pending_enrollments: Vec<Waiting>,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
struct Waiting {
    device: String,
    expires_at: String,
    replaces: bool,
}

/// Starts the enrollment of `device` of `email` (an account that exists); its secret.
#[track_caller]
fn enroll_device(env: &TestEnv, email: &str, device: &str, extra: &[&str]) -> Vec<u8> {
    let args = [
        &["enroll", email, "--device", device, "--no-confirm"],
        extra,
    ]
    .concat();
    let enrolled: Enroll = env.twofa(&args).ok_json();
    assert_eq!(enrolled.state, "pending", "{enrolled:?}");
    enrolled.secret_bytes()
}

/// Adds `device` beside the account's enabled ones and confirms it: its secret. The
/// clock moves on one step.
#[track_caller]
fn add_device(env: &mut TestEnv, email: &str, device: &str) -> Vec<u8> {
    let secret = enroll_device(env, email, device, &[]);
    let shown: Value = env
        .twofa(&["confirm", email, "-", "--device", device])
        .stdin(env.code(&secret))
        .ok_json();
    assert_eq!(shown["device"], device, "{shown}");
    assert_eq!(shown["recovery_codes"], Value::Null, "codes stay: {shown}");
    env.now += 30;
    secret
}

fn devices(env: &TestEnv, email: &str) -> Vec<DeviceRow> {
    env.twofa(&["device", "list", email]).ok_json()
}

fn names(rows: &[DeviceRow]) -> Vec<&str> {
    rows.iter().map(|r| r.device.as_str()).collect()
}

#[track_caller]
fn accepted_on(got: &(i32, Verify), device: &str) {
    assert_accepted(got, "totp");
    assert_eq!(got.1.device.as_deref(), Some(device), "{got:?}");
}

#[test]
fn two_devices_verify_in_the_same_step_each_once() {
    let mut env = TestEnv::new();
    let (phone, codes) = env.enable(ALICE);
    let tablet = add_device(&mut env, ALICE, "tablet");
    assert_eq!(env.status(ALICE).devices, 2);
    assert_eq!(
        env.recovery_left(ALICE),
        10,
        "the codes of the first device stay"
    );
    assert_eq!(codes.len(), 10);

    // The same time step: each device's code is accepted once, then reused.
    accepted_on(&env.verify(ALICE, &env.code(&phone)), "default");
    accepted_on(&env.verify(ALICE, &env.code(&tablet)), "tablet");
    let again = env.verify(ALICE, &env.code(&tablet));
    assert_rejected(&again, "reused");
    assert_eq!(again.1.device.as_deref(), Some("tablet"));
    assert_rejected(&env.verify(ALICE, &env.code(&phone)), "reused");
    // A recovery code names no device.
    let recovered = env.verify(ALICE, &codes[0]);
    assert_accepted(&recovered, "recovery");
    assert_eq!(recovered.1.device, None);
    // The events name the device; each device shows its own last use.
    let details: Vec<String> = env
        .events()
        .into_iter()
        .filter(|e| e.action == "verify.accepted")
        .filter_map(|e| e.detail)
        .collect();
    assert_eq!(
        details,
        ["totp; device 'tablet'", "totp; device 'default'"],
        "newest first"
    );
    let rows = devices(&env, ALICE);
    assert_eq!(names(&rows), ["default", "tablet"]);
    assert!(
        rows.iter()
            .all(|r| r.state == "enabled" && r.email == ALICE)
    );
    assert!(rows.iter().all(|r| r.last_used_at.is_some()));
    assert!(rows.iter().all(|r| r.enrolled_at.is_some()));
    let status = env.status(ALICE);
    assert_eq!((status.state.as_str(), status.devices), ("enabled", 2));
    // metrics and the report count the devices and the accounts with a backup device.
    let metrics = env.ok(&["metrics"]);
    assert!(metrics.contains("twofa_devices{org=\"\"} 2\n"), "{metrics}");
    assert!(
        metrics.contains("twofa_accounts_with_backup_device{org=\"\"} 1\n"),
        "{metrics}"
    );
    let report = env.ok(&["report"]);
    assert!(report.contains("with a backup device (100.0%)"), "{report}");
}

#[test]
fn one_failure_count_and_one_lockout_across_devices() {
    let mut env = TestEnv::new();
    let (phone, _) = env.enable(ALICE);
    let tablet = add_device(&mut env, ALICE, "tablet");
    // A code wrong for both devices counts once per attempt, for the account.
    let wrong = wrong_for_all(&env, &[&phone, &tablet]);
    for n in 1..=4 {
        assert_rejected(&env.verify(ALICE, &wrong), "wrong_code");
        assert_eq!(env.status(ALICE).failed_attempts, n);
    }
    // A right code of either device clears the count for the account.
    accepted_on(&env.verify(ALICE, &env.code(&tablet)), "tablet");
    assert_eq!(env.status(ALICE).failed_attempts, 0);
    for _ in 0..5 {
        assert_rejected(&env.verify(ALICE, &wrong), "wrong_code");
    }
    assert!(env.status(ALICE).locked);
    env.now += 30;
    assert_rejected(&env.verify(ALICE, &env.code(&phone)), "locked");
    assert_rejected(&env.verify(ALICE, &env.code(&tablet)), "locked");
    let events = env.events();
    assert_eq!(count_action(&events, "account.locked"), 1, "{events:?}");
}

#[test]
fn five_devices_at_most() {
    let mut env = TestEnv::new();
    env.enable(ALICE);
    for name in ["b", "c", "d"] {
        add_device(&mut env, ALICE, name);
    }
    // A pending one counts while it waits.
    enroll_device(&env, ALICE, "e", &[]);
    let err = env
        .twofa(&["enroll", ALICE, "--device", "f", "--no-confirm"])
        .fails_saying(4, "the most an account may have (5)");
    assert!(err.contains("twofa device remove"), "{err}");
    // Re-enrolling one of the five is no new device.
    enroll_device(&env, ALICE, "c", &["--yes"]);
    // Once the pending one expires, its place is free again.
    env.now += 16 * 60;
    enroll_device(&env, ALICE, "f", &[]);
    let rows = devices(&env, ALICE);
    assert_eq!(names(&rows), ["default", "b", "c", "d", "f"]);
    assert_eq!(env.status(ALICE).devices, 4);
    // Names: the text rules, at most 64 characters, unique per account.
    let long = "x".repeat(65);
    for bad in [long.as_str(), "", "tab\u{1b}let", "a\u{200b}b"] {
        env.twofa(&["enroll", ALICE, "--device", bad, "--no-confirm"])
            .fails(2);
    }
}

#[test]
fn an_existing_device_is_re_enrolled_with_yes_and_works_until_confirmed() {
    let mut env = TestEnv::new();
    let (phone, codes) = env.enable(ALICE);
    let tablet = add_device(&mut env, ALICE, "tablet");
    // Without --yes and without a terminal: refused.
    env.twofa(&["enroll", ALICE, "--device", "tablet", "--no-confirm"])
        .fails_saying(4, "--yes");
    let new_tablet = enroll_device(&env, ALICE, "tablet", &["--yes"]);
    // Waiting: status and device list say so; the old secret still works.
    let waiting: StatusWaiting = env.twofa(&["status", ALICE]).ok_json();
    assert_eq!(waiting.devices, 2);
    assert_eq!(
        waiting.pending_enrollments,
        [Waiting {
            device: "tablet".into(),
            expires_at: common::rfc3339(env.now + 15 * 60),
            replaces: true
        }]
    );
    let human = env.ok(&["status", ALICE]);
    assert!(
        human.contains("re-enrollment of device 'tablet' pending until")
            && human.contains("twofa confirm alice@example.com --device tablet"),
        "{human}"
    );
    accepted_on(&env.verify(ALICE, &env.code(&tablet)), "tablet");
    assert_rejected(&env.verify(ALICE, &env.code(&new_tablet)), "wrong_code");
    // diagnose given a code of the new secret says: confirm.
    let d: Value = env
        .twofa(&["diagnose", ALICE, "-", "--device", "tablet"])
        .stdin(env.code(&new_tablet))
        .ok_json();
    assert!(
        d["advice"].as_str().unwrap().starts_with(
            "this is the new enrollment: run 'twofa confirm alice@example.com --device tablet'"
        ),
        "{d}"
    );
    assert_eq!(d["new_enrollment"], "tablet");
    assert_eq!(d["pending_enrollments"][0]["device"], "tablet");
    // Renamed while it waits: both its secrets go along.
    env.ok(&["device", "rename", ALICE, "tablet", "tab 2"]);
    // confirm finds the one waiting enrollment by itself.
    env.now += 30;
    let shown: Value = env
        .twofa(&["confirm", ALICE, "-"])
        .stdin(env.code(&new_tablet))
        .ok_json();
    assert_eq!(shown["device"], "tab 2");
    env.now += 30;
    assert_rejected(&env.verify(ALICE, &env.code(&tablet)), "wrong_code");
    accepted_on(&env.verify(ALICE, &env.code(&new_tablet)), "tab 2");
    accepted_on(&env.verify(ALICE, &env.code(&phone)), "default");
    // The other device and the recovery codes were not touched.
    assert_accepted(&env.verify(ALICE, &codes[1]), "recovery");
    let waiting: StatusWaiting = env.twofa(&["status", ALICE]).ok_json();
    assert!(waiting.pending_enrollments.is_empty());
}

#[test]
fn confirm_asks_which_device_when_several_wait() {
    let mut env = TestEnv::new();
    env.enable(ALICE);
    let a = enroll_device(&env, ALICE, "a", &[]);
    enroll_device(&env, ALICE, "b", &[]);
    env.twofa(&["confirm", ALICE, "-"])
        .stdin(env.code(&a))
        .fails_saying(2, "--device");
    env.twofa(&["confirm", ALICE, "-", "--device", "zz"])
        .stdin(env.code(&a))
        .fails_saying(3, "has no device 'zz'");
    let rows = devices(&env, ALICE);
    assert_eq!(rows[1].state, "pending");
    assert!(rows[1].pending_expires_at.is_some());
    let shown: Value = env
        .twofa(&["confirm", ALICE, "-", "--device", "a"])
        .stdin(env.code(&a))
        .ok_json();
    assert_eq!(shown["device"], "a");
    assert_eq!(env.status(ALICE).devices, 2);
}

#[test]
fn rename_keeps_the_secret_and_remove_keeps_the_others() {
    let mut env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    env.twofa(&["org", "policy", "acme", "--require"]).ok();
    let (phone, codes) = env.enable_with(ALICE, &["--org", "acme"]);
    let tablet = add_device(&mut env, ALICE, "tablet");

    let renamed: Value = env
        .twofa(&["device", "rename", ALICE, "tablet", "old ipad"])
        .ok_json();
    assert_eq!(renamed["renamed_from"], "tablet");
    accepted_on(&env.verify(ALICE, &env.code(&tablet)), "old ipad");
    env.twofa(&["device", "rename", ALICE, "tablet", "x"])
        .fails_saying(3, "has no device 'tablet'");
    env.twofa(&["device", "rename", ALICE, "old ipad", "default"])
        .fails_saying(4, "has a device 'default' already");
    env.twofa(&["device", "rename", "nobody@example.com", "a", "b"])
        .fails(3);
    // The resealed secret is bound to the new name.
    env.ok(&["check"]);

    env.twofa(&["device", "remove", ALICE, "old ipad"]).fails(2);
    let removed: Value = env
        .twofa(&["device", "remove", ALICE, "old ipad", "--reason", "lost"])
        .ok_json();
    assert_eq!(removed["devices_left"], 1);
    env.now += 30;
    assert_rejected(&env.verify(ALICE, &env.code(&tablet)), "wrong_code");
    accepted_on(&env.verify(ALICE, &env.code(&phone)), "default");
    assert_eq!(env.recovery_left(ALICE), 10);
    // The last enabled device of a required account: refused, pointing to reset.
    let err = env
        .twofa(&["device", "remove", ALICE, "default", "--reason", "x"])
        .fails_saying(4, "twofa reset");
    assert!(err.contains("last enabled device"), "{err}");
    // Where 2FA is optional, removing the last device turns it off with its codes.
    env.twofa(&["org", "policy", "acme", "--optional"]).ok();
    env.ok(&["device", "remove", ALICE, "default", "--reason", "leaving"]);
    let status = env.status(ALICE);
    assert_eq!((status.state.as_str(), status.devices), ("disabled", 0));
    assert_rejected(&env.verify(ALICE, &codes[2]), "not_enrolled");
    let events = env.events();
    assert_eq!(count_action(&events, "device.rename"), 1);
    assert_eq!(count_action(&events, "device.remove"), 2);
    assert!(devices(&env, ALICE).is_empty());
}

#[test]
fn reset_removes_every_device() {
    let mut env = TestEnv::new();
    env.enable(ALICE);
    add_device(&mut env, ALICE, "tablet");
    env.ok(&["reset", ALICE, "--reason", "lost everything", "--yes"]);
    assert!(devices(&env, ALICE).is_empty());
    assert_eq!(env.status(ALICE).devices, 0);
}

#[test]
fn resync_and_diagnose_take_a_device() {
    let mut env = TestEnv::new();
    env.enable(ALICE);
    let tablet = add_device(&mut env, ALICE, "tablet");
    let ahead = |s: i64| env.code_at(&tablet, s * 30);
    env.twofa(&["resync", ALICE, &ahead(3), &ahead(4)])
        .fails_saying(2, "--device");
    let r: Value = env
        .twofa(&["resync", ALICE, &ahead(3), &ahead(4), "--device", "tablet"])
        .ok_json();
    assert_eq!(r["drift_steps"], 4);
    // verify centres that device's window on its drift.
    env.now += 30;
    accepted_on(&env.verify(ALICE, &env.code_at(&tablet, 4 * 30)), "tablet");
    let d: Value = env
        .twofa(&["diagnose", ALICE, "-"])
        .stdin(env.code(&tablet))
        .json()
        .1;
    assert!(d.is_null() || d["error"].is_null(), "{d}");
    env.twofa(&["diagnose", ALICE, "-"])
        .stdin(env.code(&tablet))
        .fails_saying(2, "--device");
    let d: Value = env
        .twofa(&["diagnose", ALICE, "-", "--device", "tablet"])
        .stdin(env.code_at(&tablet, 6 * 30))
        .ok_json();
    assert_eq!(
        (d["device"].as_str(), d["drift_steps"].as_i64()),
        (Some("tablet"), Some(4))
    );
    assert_eq!(d["matches"], true);
    // Without a code no device is needed.
    let d: Value = env.twofa(&["diagnose", ALICE]).ok_json();
    assert_eq!(d["device"], Value::Null);
}

/// A 6-digit code that none of `secrets` gives within the verify window (±1 step).
fn wrong_for_all(env: &TestEnv, secrets: &[&[u8]]) -> String {
    let window: Vec<String> = secrets
        .iter()
        .flat_map(|s| (-1..=1).map(|k| env.code_at(s, k * 30)))
        .collect();
    (0..1_000_000u32)
        .map(|n| format!("{:06}", (n * 7919 + 123_457) % 1_000_000))
        .find(|c| !window.contains(c))
        .expect("a wrong code")
}

#[test]
fn concurrent_codes_of_two_devices_accept_once_per_device_and_step() {
    use std::io::Write;
    use std::process::Stdio;

    let mut env = TestEnv::new();
    let (phone, _) = env.enable(ALICE);
    let tablet = add_device(&mut env, ALICE, "tablet");
    let args = ["verify", ALICE, "-", "--format", "json"];
    let codes = [("default", env.code(&phone)), ("tablet", env.code(&tablet))];
    // Eight processes for each device's code of one time step, all started at once.
    let children: Vec<_> = (0..16)
        .map(|i| {
            let (device, code) = &codes[i % 2];
            let mut child = env
                .process()
                .args(args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn twofa");
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(code.as_bytes()).unwrap();
            drop(stdin);
            (*device, child)
        })
        .collect();
    let mut accepted = Vec::new();
    for (device, child) in children {
        let out = child.wait_with_output().expect("wait for twofa");
        let (exit, v, stderr) = common::parse_json::<Verify>(&args, &out);
        assert!(!stderr.contains("database is locked"), "{stderr}");
        assert_eq!(v.device.as_deref(), Some(device), "{v:?}");
        if exit == 0 {
            accepted.push(device);
        } else {
            assert_rejected(&(exit, v), "reused");
        }
    }
    accepted.sort_unstable();
    assert_eq!(
        accepted,
        ["default", "tablet"],
        "one accept per device and step"
    );
    let events = env.events();
    assert_eq!(count_action(&events, "verify.accepted"), 2);
    assert_eq!(count_action(&events, "verify.reused"), 14);
    let status = env.status(ALICE);
    assert_eq!((status.failed_attempts, status.locked), (0, false));
}

#[test]
fn export_and_import_one_row_a_device_round_trip() {
    let mut env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    env.ok(&[
        "user",
        "add",
        ALICE,
        "--org",
        "acme",
        "--name",
        "Alice Liddell",
    ]);
    let (phone, _) = env.enable(ALICE);
    let tablet = add_device(&mut env, ALICE, "my tablet");
    let (bob, _) = env.enable("bob@example.com");
    enroll_device(&env, "bob@example.com", "pending one", &[]);
    let csv = env.ok(&["export", "--yes"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("email,uri,device,org,name"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 3, "enabled devices only, one a row: {csv}");
    assert!(
        rows[0].starts_with("alice@example.com,otpauth://")
            && rows[0].ends_with(",default,acme,Alice Liddell"),
        "{csv}"
    );
    assert!(rows[1].ends_with(",my tablet,acme,Alice Liddell"), "{csv}");
    assert!(rows[2].ends_with(",default,,"), "{csv}");
    let json: Vec<Exported> = env.twofa(&["export", "--yes"]).ok_json();
    assert_eq!(json[1].device, "my tablet");
    assert_eq!(json[0].name.as_deref(), Some("Alice Liddell"));

    // Into a fresh database: the same accounts, organisations, names and devices.
    let mut fresh = TestEnv::new();
    fresh.now = env.now;
    let imported: Imported = fresh
        .twofa(&["import", "-", "--create"])
        .stdin(&csv)
        .ok_json();
    assert_eq!((imported.imported, imported.created), (3, 2));
    let audit = |e: &TestEnv| -> Vec<(String, Option<String>, String, u32, bool, bool)> {
        let rows: Vec<Status> = e.twofa(&["audit"]).ok_json();
        rows.into_iter()
            .map(|s| (s.email, s.org, s.state, s.devices, s.required, s.compliant))
            .collect()
    };
    assert_eq!(audit(&fresh), audit(&env));
    let users: Vec<common::User> = fresh.twofa(&["user", "list"]).ok_json();
    assert_eq!(users[0].name.as_deref(), Some("Alice Liddell"));
    assert_eq!(names(&devices(&fresh, ALICE)), ["default", "my tablet"]);
    fresh.now += 30;
    accepted_on(&fresh.verify(ALICE, &fresh.code(&tablet)), "my tablet");
    accepted_on(&fresh.verify(ALICE, &fresh.code(&phone)), "default");
    accepted_on(
        &fresh.verify("bob@example.com", &fresh.code(&bob)),
        "default",
    );
    // Exported again, the rows are the same.
    assert_eq!(fresh.ok(&["export", "--yes"]), csv);

    // A row whose email disagrees with its URI's label is refused, naming the line.
    let uri = rows[2].split(',').nth(1).unwrap();
    let err = TestEnv::new()
        .twofa(&["import", "-", "--create"])
        .stdin(format!(
            "email,uri,device\ncarol@example.com,{uri},default\n"
        ))
        .fails_saying(2, "line 2");
    assert!(
        err.contains("carol@example.com disagrees with the URI's label bob@example.com"),
        "{err}"
    );
    // The same device twice is refused; a device column is optional.
    let err = TestEnv::new()
        .twofa(&["import", "-", "--create"])
        .stdin(format!(
            "email,uri,device\nbob@example.com,{uri},a\nbob@example.com,{uri},a\n"
        ))
        .fails(2);
    assert!(
        err.contains("line 3") && err.contains("also on line 2"),
        "{err}"
    );
}

#[test]
fn a_database_from_before_devices_is_migrated_in_place() {
    let env = TestEnv::sqlite_bare();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema8.db");
    std::fs::copy(fixtures, &env.db).unwrap();
    std::fs::copy(format!("{fixtures}.key"), env.key_file()).unwrap();
    let mut perms = std::fs::metadata(env.key_file()).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o600);
    std::fs::set_permissions(env.key_file(), perms).unwrap();
    let log = "SELECT id || ' ' || action || ' ' || hash FROM twofa_events ORDER BY id";
    let before = env.query_strings(log);
    assert_eq!(before.len(), 13);
    env.ok(&["init"]);
    // The chain is intact and the log as it was.
    env.ok(&["log", "verify"]);
    assert_eq!(env.query_strings(log), before);
    // Each credential is now the device 'default', with its secret and replay history.
    let rows: Vec<Status> = env.twofa(&["audit"]).ok_json();
    let facts: Vec<(&str, &str, u32)> = rows
        .iter()
        .map(|s| (s.email.as_str(), s.state.as_str(), s.devices))
        .collect();
    assert_eq!(
        facts,
        [
            ("alice@example.com", "enabled", 1),
            ("bob@example.com", "enabled", 1),
            ("carol@example.com", "disabled", 0),
            ("dave@example.com", "disabled", 0)
        ]
    );
    assert_eq!(rows[0].recovery_codes_left, 10);
    let alice = devices(&env, ALICE);
    assert_eq!(names(&alice), ["default"]);
    assert!(alice[0].last_used_at.is_some(), "{alice:?}");
    env.ok(&["check"]);
    let bob = data_encoding::BASE32_NOPAD
        .decode(b"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        .unwrap();
    accepted_on(&env.verify("bob@example.com", &env.code(&bob)), "default");
    // alice's re-enrollment from before waits still (expired by now: the fixture's clock).
    let alice_secret = data_encoding::BASE32_NOPAD
        .decode(b"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        .unwrap();
    accepted_on(&env.verify(ALICE, &env.code(&alice_secret)), "default");
    env.ok(&["log", "verify"]);
}

#[test]
fn a_schema_8_database_migrates_on_this_backend() {
    let env = TestEnv::bare();
    let (prefix, dir) = if env.is_postgres() {
        env.execute("CREATE SCHEMA twofa");
        ("twofa.", "postgres")
    } else if env.is_mysql() {
        ("twofa_", "mysql")
    } else {
        ("twofa_", "sqlite")
    };
    let files = [
        "001_initial",
        "004_external_id",
        "005_exemptions_reminders",
        "006_event_chain",
        "002_replacement",
        "003_support",
        "007_account_facts",
        "008_hardening",
    ];
    for f in files {
        let path = format!("{}/migrations/{dir}/{f}.sql", env!("CARGO_MANIFEST_DIR"));
        env.execute(&std::fs::read_to_string(path).unwrap());
    }
    // One account with an enabled credential sealed as before devices (bound to its row),
    // one step accepted, drift 1; the key file as init writes it.
    let key = twofa::crypto::MasterKey::generate().unwrap();
    key.write_new(&env.key_file()).unwrap();
    let secret = [7u8; 20];
    let sealed = key.seal(1, "default", &secret).unwrap();
    let hex: String = sealed.iter().map(|b| format!("{b:02x}")).collect();
    let blob = if env.is_postgres() {
        format!("'\\x{hex}'")
    } else {
        format!("X'{hex}'")
    };
    let step = env.now / 30 + 1;
    env.execute(
        &format!(
            "INSERT INTO $tmeta VALUES ('schema_version', '8'), ('key_id', '{}');
         INSERT INTO $taccounts (id, email, created_at) VALUES (1, 'alice@example.com', {T0});
         INSERT INTO $tcredentials (account_id, state, secret, created_at, enrolled_at,
                                    last_step, drift_steps)
           VALUES (1, 'enabled', {blob}, {T0}, {T0}, {step}, 1);",
            twofa::crypto::key_id_hex(&key.id())
        )
        .replace("$t", prefix),
    );
    env.ok(&["init"]);
    let status = env.status(ALICE);
    assert_eq!(
        (status.state.as_str(), status.devices, status.drift_steps),
        ("enabled", 1, 1)
    );
    // The step accepted before is still spent; the window centred on the drift holds.
    let code = |offset: i64| twofa::totp::code_at(&secret, env.now + offset).unwrap();
    assert_rejected(&env.verify(ALICE, &code(30)), "reused");
    accepted_on(&env.verify(ALICE, &code(60)), "default");
    env.ok(&["check"]);
}
