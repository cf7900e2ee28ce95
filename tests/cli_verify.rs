//! `enroll`, `confirm` and `verify` through the binary: the ±1 step window, replay
//! protection, lockout, code input forms, enrollment states, and the event log they write.

mod common;

use common::{TestEnv, assert_failure};
use serde_json::Value;

const ALICE: &str = "alice@example.com";

/// A six-digit code that is none of the codes `secret` has in the window around the
/// environment's time (so it is wrong for certain, not by chance).
fn wrong_code(env: &TestEnv, secret: &[u8]) -> String {
    let window: Vec<String> = [-30, 0, 30]
        .iter()
        .map(|&o| env.code_at(secret, o))
        .collect();
    (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| !window.contains(c))
        .expect("a code outside the window")
}

/// `verify EMAIL -` with `code` on stdin: (exit code, JSON).
fn verify(env: &TestEnv, email: &str, code: &str) -> (i32, Value) {
    env.json_stdin(&["verify", email, "-"], &format!("{code}\n"))
}

fn assert_accepted(exit: i32, v: &Value) {
    assert_eq!(exit, 0, "{v}");
    assert_eq!(v["accepted"], true, "{v}");
    assert_eq!(v["method"], "totp", "{v}");
    assert_eq!(v["reason"], Value::Null, "{v}");
}

fn assert_rejected(exit: i32, v: &Value, want_exit: i32, reason: &str) {
    assert_eq!(exit, want_exit, "{v}");
    assert_eq!(v["accepted"], false, "{v}");
    assert_eq!(v["reason"], reason, "{v}");
    assert_eq!(v["method"], Value::Null, "{v}");
}

fn status(env: &TestEnv, email: &str) -> Value {
    let (code, v) = env.json(&["status", email]);
    assert_eq!(code, 0, "status {email}: {v}");
    v
}

fn actions(env: &TestEnv, email: &str) -> Vec<String> {
    env.events()
        .iter()
        .filter(|e| e["email"] == email)
        .map(|e| e["action"].as_str().expect("action").to_string())
        .collect()
}

#[test]
fn accepted_once_then_reused() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(ALICE);
    let code = env.code(&secret);
    let (exit, v) = verify(&env, ALICE, &code);
    assert_accepted(exit, &v);
    assert_eq!(v["email"], ALICE);

    let (exit, v) = verify(&env, ALICE, &code);
    assert_rejected(exit, &v, 1, "reused");

    // Still reused a step later: the step, not the moment, was spent.
    env.now += 30;
    let (exit, v) = verify(&env, ALICE, &code);
    assert_rejected(exit, &v, 1, "reused");
}

#[test]
fn window_is_one_step_each_way() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(ALICE);

    let (exit, v) = verify(&env, ALICE, &env.code_at(&secret, -60));
    assert_rejected(exit, &v, 1, "wrong_code");
    let (exit, v) = verify(&env, ALICE, &env.code_at(&secret, 60));
    assert_rejected(exit, &v, 1, "wrong_code");

    // Fresh steps, well after the one confirm accepted.
    env.now += 300;
    let (exit, v) = verify(&env, ALICE, &env.code_at(&secret, -30));
    assert_accepted(exit, &v);
    let (exit, v) = verify(&env, ALICE, &env.code_at(&secret, 30));
    assert_accepted(exit, &v);
    // The current step is now behind the last accepted one.
    let (exit, v) = verify(&env, ALICE, &env.code(&secret));
    assert_rejected(exit, &v, 1, "reused");
}

#[test]
fn reused_code_is_logged_and_does_not_count_toward_lockout() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(ALICE);
    let code = env.code(&secret);
    let (exit, v) = verify(&env, ALICE, &code);
    assert_accepted(exit, &v);

    for attempt in 1..=6 {
        let (exit, v) = verify(&env, ALICE, &code);
        assert_eq!(exit, 1, "replay {attempt}: {v}");
        assert_eq!(v["reason"], "reused", "replay {attempt}: {v}");
    }
    // Had the replays counted, the account would be locked by now; four real failures
    // are still short of the limit.
    let wrong = wrong_code(&env, &secret);
    for attempt in 1..=4 {
        let (exit, v) = verify(&env, ALICE, &wrong);
        assert_rejected(exit, &v, 1, "wrong_code");
        assert_eq!(
            status(&env, ALICE)["locked"],
            false,
            "after failure {attempt}"
        );
    }
    env.now += 30;
    let (exit, v) = verify(&env, ALICE, &env.code(&secret));
    assert_accepted(exit, &v);

    let actions = actions(&env, ALICE);
    assert_eq!(
        actions.iter().filter(|a| *a == "verify.reused").count(),
        6,
        "{actions:?}"
    );
    assert!(
        !actions.iter().any(|a| a == "account.locked"),
        "{actions:?}"
    );
}

#[test]
fn five_failures_lock_for_fifteen_minutes() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(ALICE);
    let wrong = wrong_code(&env, &secret);
    for attempt in 1..=5 {
        assert_eq!(
            status(&env, ALICE)["locked"],
            false,
            "before attempt {attempt}"
        );
        let (exit, v) = verify(&env, ALICE, &wrong);
        // The attempt that reaches the limit is still a rejection, not a lock.
        assert_rejected(exit, &v, 1, "wrong_code");
    }
    assert_eq!(status(&env, ALICE)["locked"], true);

    // Locked: even the right code is refused, with its own exit code.
    let (exit, v) = verify(&env, ALICE, &env.code(&secret));
    assert_rejected(exit, &v, 5, "locked");
    env.now += 899;
    let (exit, v) = verify(&env, ALICE, &env.code(&secret));
    assert_rejected(exit, &v, 5, "locked");

    // Fifteen minutes after the fifth failure the lock has run out.
    env.now += 1;
    assert_eq!(status(&env, ALICE)["locked"], false);
    let (exit, v) = verify(&env, ALICE, &env.code(&secret));
    assert_accepted(exit, &v);

    // And the count starts afresh: one failure does not lock again.
    let (exit, v) = verify(&env, ALICE, &wrong_code(&env, &secret));
    assert_rejected(exit, &v, 1, "wrong_code");
    assert_eq!(status(&env, ALICE)["locked"], false);
}

#[test]
fn a_success_resets_the_failure_count() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(ALICE);
    let wrong = wrong_code(&env, &secret);
    for _ in 0..4 {
        let (exit, v) = verify(&env, ALICE, &wrong);
        assert_rejected(exit, &v, 1, "wrong_code");
    }
    let (exit, v) = verify(&env, ALICE, &env.code(&secret));
    assert_accepted(exit, &v);
    for attempt in 1..=4 {
        let (exit, v) = verify(&env, ALICE, &wrong);
        assert_rejected(exit, &v, 1, "wrong_code");
        assert_eq!(
            status(&env, ALICE)["locked"],
            false,
            "after failure {attempt}"
        );
    }
    env.now += 30;
    let (exit, v) = verify(&env, ALICE, &env.code(&secret));
    assert_accepted(exit, &v);
}

#[test]
fn code_input_forms() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(ALICE);
    let spaced = |c: &str| format!("{} {}", &c[..3], &c[3..]);
    let dashed = |c: &str| format!("{}-{}", &c[..3], &c[3..]);

    // As an argument, plain.
    let (exit, v) = env.json(&["verify", ALICE, &env.code(&secret)]);
    assert_accepted(exit, &v);
    // As an argument, with a space and with a dash.
    env.now += 30;
    let (exit, v) = env.json(&["verify", ALICE, &spaced(&env.code(&secret))]);
    assert_accepted(exit, &v);
    env.now += 30;
    let (exit, v) = env.json(&["verify", ALICE, &dashed(&env.code(&secret))]);
    assert_accepted(exit, &v);
    // From stdin with `-`, grouped.
    env.now += 30;
    let (exit, v) = env.json_stdin(
        &["verify", ALICE, "-"],
        &format!("{}\n", spaced(&env.code(&secret))),
    );
    assert_accepted(exit, &v);
    // From stdin with CODE omitted.
    env.now += 30;
    let (exit, v) = env.json_stdin(&["verify", ALICE], &format!("{}\n", env.code(&secret)));
    assert_accepted(exit, &v);
    env.now += 30;
    let (exit, v) = env.json_stdin(&["verify", ALICE], &dashed(&env.code(&secret)));
    assert_accepted(exit, &v);
    // The input forms do not get around replay protection.
    let (exit, v) = env.json(&["verify", ALICE, &spaced(&env.code(&secret))]);
    assert_rejected(exit, &v, 1, "reused");
}

#[test]
fn verify_needs_an_active_enrollment() {
    let env = TestEnv::new();
    // Pending: a correct code from the pending secret is still not accepted.
    let secret = env.enroll("pending@example.com");
    let (exit, v) = verify(&env, "pending@example.com", &env.code(&secret));
    assert_rejected(exit, &v, 1, "not_enrolled");
    assert_eq!(status(&env, "pending@example.com")["state"], "pending");

    // No enrollment at all.
    env.ok(&["user", "add", "bob@example.com"]);
    let (exit, v) = verify(&env, "bob@example.com", "123456");
    assert_rejected(exit, &v, 1, "not_enrolled");

    // not_enrolled is not a failed code: it never locks.
    for _ in 0..6 {
        let (exit, v) = verify(&env, "bob@example.com", "123456");
        assert_rejected(exit, &v, 1, "not_enrolled");
    }
    assert_eq!(status(&env, "bob@example.com")["locked"], false);

    // Unknown account.
    let out = env.run(&["verify", "nobody@example.com", "-"], "123456\n");
    assert_failure(&out, 3, "nobody@example.com");
}

#[test]
fn pending_enrollment_expires_after_fifteen_minutes() {
    let mut env = TestEnv::new();
    let secret = env.enroll(ALICE);
    let bob = env.enroll("bob@example.com");
    // Just inside the fifteen minutes a pending enrollment can still be confirmed.
    env.now += 899;
    let (exit, v) = env.json_stdin(&["confirm", "bob@example.com", "-"], &env.code(&bob));
    assert_eq!(exit, 0, "{v}");
    assert_eq!(v["recovery_codes"].as_array().map(Vec::len), Some(10));

    env.now += 1;
    let out = env.run(&["confirm", ALICE, "-"], &env.code(&secret));
    assert_failure(&out, 4, "expired");
    assert_eq!(status(&env, ALICE)["state"], "disabled");
    let (exit, v) = verify(&env, ALICE, &env.code(&secret));
    assert_rejected(exit, &v, 1, "not_enrolled");
}

#[test]
fn confirm_needs_something_pending_and_the_right_code() {
    let mut env = TestEnv::new();
    env.ok(&["user", "add", "bob@example.com"]);
    let out = env.run(&["confirm", "bob@example.com", "-"], "123456\n");
    assert_failure(&out, 4, "no pending enrollment");

    let (secret, _) = env.enable(ALICE);
    let out = env.run(&["confirm", ALICE, "-"], &env.code(&secret));
    assert_failure(&out, 4, "already enabled");

    let carol = env.enroll("carol@example.com");
    let wrong = wrong_code(&env, &carol);
    let (exit, v) = env.json_stdin(&["confirm", "carol@example.com", "-"], &wrong);
    assert_eq!(exit, 1, "{v}");
    assert_eq!(v["accepted"], false, "{v}");
    assert_eq!(v["reason"], "wrong_code", "{v}");
    assert_eq!(status(&env, "carol@example.com")["state"], "pending");
    // The right code still confirms afterwards.
    let (exit, v) = env.json_stdin(&["confirm", "carol@example.com", "-"], &env.code(&carol));
    assert_eq!(exit, 0, "{v}");
    assert_eq!(status(&env, "carol@example.com")["state"], "enabled");

    let out = env.run(&["confirm", "nobody@example.com", "-"], "123456\n");
    assert_failure(&out, 3, "nobody@example.com");
}

#[test]
fn re_enrolling_an_enabled_account() {
    let mut env = TestEnv::new();
    let (old, _) = env.enable(ALICE);

    // No TTY, no --yes: refused, nothing replaced.
    let out = env.run(&["enroll", ALICE, "--no-confirm"], "");
    assert_failure(&out, 4, "--yes");
    assert_eq!(status(&env, ALICE)["state"], "enabled");
    let (exit, v) = verify(&env, ALICE, &env.code(&old));
    assert_accepted(exit, &v);

    // With --yes: a new secret, which replaces the old one once confirmed.
    env.now += 30;
    let (exit, v) = env.json(&["enroll", ALICE, "--no-confirm", "--yes"]);
    assert_eq!(exit, 0, "{v}");
    assert_eq!(v["state"], "pending");
    let new = data_encoding::BASE32_NOPAD
        .decode(v["secret"].as_str().expect("secret").as_bytes())
        .expect("base32");
    assert_ne!(new, old);
    let (exit, v) = env.json_stdin(&["confirm", ALICE, "-"], &env.code(&new));
    assert_eq!(exit, 0, "{v}");

    env.now += 30;
    let (exit, v) = verify(&env, ALICE, &env.code(&old));
    assert_rejected(exit, &v, 1, "wrong_code");
    let (exit, v) = verify(&env, ALICE, &env.code(&new));
    assert_accepted(exit, &v);
}

#[test]
fn event_log_rows_and_no_secrets_in_them() {
    let mut env = TestEnv::new();
    let (exit, v) = env.json(&["enroll", ALICE, "--create", "--no-confirm"]);
    assert_eq!(exit, 0, "{v}");
    let secret_b32 = v["secret"].as_str().expect("secret").to_string();
    let secret = data_encoding::BASE32_NOPAD
        .decode(secret_b32.as_bytes())
        .expect("base32");
    let mut codes = Vec::new();

    let code = env.code(&secret);
    let (exit, v) = env.json_stdin(&["confirm", ALICE, "-"], &code);
    assert_eq!(exit, 0, "{v}");
    let recovery: Vec<String> = v["recovery_codes"]
        .as_array()
        .expect("recovery codes")
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    codes.push(code);

    env.now += 30;
    let code = env.code(&secret);
    assert_eq!(verify(&env, ALICE, &code).0, 0);
    assert_eq!(verify(&env, ALICE, &code).0, 1);
    codes.push(code);
    let wrong = wrong_code(&env, &secret);
    for _ in 0..5 {
        assert_eq!(verify(&env, ALICE, &wrong).0, 1);
    }
    codes.push(wrong);
    env.now += 30;
    let code = env.code(&secret);
    assert_eq!(verify(&env, ALICE, &code).0, 5);
    codes.push(code);

    let events = env.events();
    let mine: Vec<&Value> = events.iter().filter(|e| e["email"] == ALICE).collect();
    for action in [
        "enroll",
        "confirm",
        "verify.accepted",
        "verify.rejected",
        "verify.reused",
        "verify.locked",
        "account.locked",
    ] {
        let rows: Vec<&&Value> = mine.iter().filter(|e| e["action"] == action).collect();
        assert!(!rows.is_empty(), "no {action} row in {events:#?}");
        for row in rows {
            assert_eq!(row["actor"], "tester", "{row}");
            assert!(
                row["at"].as_str().is_some_and(|t| t.ends_with('Z')),
                "{row}"
            );
        }
    }
    assert_eq!(
        mine.iter()
            .filter(|e| e["action"] == "verify.rejected")
            .count(),
        5
    );
    assert_eq!(
        mine.iter()
            .filter(|e| e["action"] == "account.locked")
            .count(),
        1
    );
    // Newest first.
    assert_eq!(mine[0]["action"], "verify.locked");

    for (format, text) in [
        ("json", env.ok(&["log", "--format", "json"])),
        ("table", env.ok(&["log"])),
        ("csv", env.ok(&["log", "--format", "csv"])),
    ] {
        assert!(!text.contains(&secret_b32), "{format} log holds the secret");
        for code in &codes {
            assert!(
                !text.contains(code.as_str()),
                "{format} log holds code {code}"
            );
        }
        for code in &recovery {
            assert!(!text.contains(code.as_str()), "{format} log holds {code}");
        }
    }
}
