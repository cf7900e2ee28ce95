//! Many processes at once on one database file: replay, recovery-code spending and the
//! lockout hold under concurrency, and no "database is locked" ever reaches the user.

mod common;

use std::process::{Output, Stdio};

use common::TestEnv;
use serde_json::Value;

fn reasons(outputs: &[Output]) -> Vec<(i32, String)> {
    outputs
        .iter()
        .map(|o| {
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert!(
                !stderr.contains("locked"),
                "database lock leaked to the user: {stderr}"
            );
            assert!(!stderr.contains("panicked"), "{stderr}");
            let v: Value = serde_json::from_slice(&o.stdout)
                .unwrap_or_else(|e| panic!("not JSON ({e}): {stderr}"));
            (
                o.status.code().unwrap(),
                v["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn thirty_two_verifies_of_one_code_accept_exactly_one() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("race@example.com");
    let code = env.code(&secret);
    let got = reasons(&env.concurrently(32, &["verify", "race@example.com", "-"], &code));
    assert_eq!(got.iter().filter(|(c, _)| *c == 0).count(), 1, "{got:?}");
    assert_eq!(
        got.iter().filter(|(c, r)| *c == 1 && r == "reused").count(),
        31,
        "{got:?}"
    );
    // Replays do not count toward the lockout.
    assert_eq!(env.json(&["status", "race@example.com"]).1["locked"], false);
}

#[test]
fn thirty_two_redeems_of_one_recovery_code_accept_exactly_one() {
    let mut env = TestEnv::new();
    let (_, codes) = env.enable("race@example.com");
    let got = reasons(&env.concurrently(32, &["verify", "race@example.com", "-"], &codes[0]));
    assert_eq!(got.iter().filter(|(c, _)| *c == 0).count(), 1, "{got:?}");
    assert_eq!(
        got.iter().filter(|(c, r)| *c == 1 && r == "reused").count(),
        31,
        "{got:?}"
    );
    assert_eq!(
        env.json(&["recovery", "status", "race@example.com"]).1["recovery_codes_left"],
        9
    );
}

#[test]
fn ten_concurrent_wrong_codes_still_lock_at_five() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("race@example.com");
    let right = env.code(&secret);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let got = reasons(&env.concurrently(10, &["verify", "race@example.com", "-"], wrong));
    let rejected = got
        .iter()
        .filter(|(c, r)| *c == 1 && r == "wrong_code")
        .count();
    let locked = got.iter().filter(|(c, r)| *c == 5 && r == "locked").count();
    assert_eq!((rejected, locked), (5, 5), "{got:?}");
    let (code, v) = env.json_stdin(&["verify", "race@example.com", "-"], &right);
    assert_eq!((code, v["reason"].as_str()), (5, Some("locked")));
}

#[test]
fn regenerate_racing_redeems_leaves_one_whole_set() {
    let mut env = TestEnv::new();
    let (_, old) = env.enable("race@example.com");
    let regen = env
        .process()
        .args([
            "recovery",
            "regenerate",
            "race@example.com",
            "--format",
            "json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let redeems = env.concurrently(6, &["verify", "race@example.com", "-"], &old[1]);
    let regen = regen.wait_with_output().unwrap();
    assert_eq!(
        regen.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&regen.stderr)
    );
    let new: Vec<String> =
        serde_json::from_slice::<Value>(&regen.stdout).unwrap()["recovery_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
    let got = reasons(&redeems);
    assert!(got.iter().filter(|(c, _)| *c == 0).count() <= 1, "{got:?}");
    assert!(got.iter().all(|(c, _)| *c == 0 || *c == 1), "{got:?}");
    // Afterwards: the whole old set is void, the whole new set is there.
    env.now += 30;
    assert_eq!(
        env.json(&["recovery", "status", "race@example.com"]).1["recovery_codes_left"],
        10
    );
    let (code, v) = env.json_stdin(&["verify", "race@example.com", "-"], &old[2]);
    assert_eq!((code, v["reason"].as_str()), (1, Some("wrong_code")));
    let (code, _) = env.json_stdin(&["verify", "race@example.com", "-"], &new[0]);
    assert_eq!(code, 0);
}

#[test]
fn reset_racing_verifies_ends_disabled_without_errors() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("race@example.com");
    let code = env.code(&secret);
    let reset = env
        .process()
        .args(["reset", "race@example.com", "--reason", "race", "--yes"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let got = reasons(&env.concurrently(8, &["verify", "race@example.com", "-"], &code));
    let reset = reset.wait_with_output().unwrap();
    assert_eq!(
        reset.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );
    assert!(got.iter().filter(|(c, _)| *c == 0).count() <= 1, "{got:?}");
    for (c, r) in &got {
        assert!(
            (*c == 0) || (*c == 1 && ["reused", "not_enrolled"].contains(&r.as_str())),
            "{got:?}"
        );
    }
    assert_eq!(
        env.json(&["status", "race@example.com"]).1["state"],
        "disabled"
    );
}

/// Eight `enroll --create` of one new email at once, on a database nobody has opened yet:
/// the database and the account are created once and every enroll succeeds in turn, each
/// replacing the pending secret before it.
#[test]
fn concurrent_enroll_create_of_one_new_email_take_turns() {
    let env = TestEnv::new();
    let outputs = env.concurrently(8, &["enroll", "new@example.com", "--create"], "");
    let mut secrets = Vec::new();
    for o in &outputs {
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{stderr}");
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        secrets.push(v["secret"].as_str().unwrap().to_string());
    }
    secrets.sort();
    secrets.dedup();
    assert_eq!(secrets.len(), 8, "each enroll hands out a fresh secret");
    let events = env.events();
    let count = |action: &str| {
        events
            .iter()
            .filter(|e| e["action"] == action && e["email"] == "new@example.com")
            .count()
    };
    assert_eq!((count("user.add"), count("enroll")), (1, 8), "{events:?}");
    let (code, users) = env.json(&["user", "list"]);
    assert_eq!(
        (code, users.as_array().map(Vec::len)),
        (0, Some(1)),
        "{users}"
    );
    assert_eq!(env.status("new@example.com")["state"], "pending");
}
