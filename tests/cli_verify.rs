//! `enroll`, `confirm` and `verify` through the binary: the ±1 step window, replay
//! protection, lockout, code input forms, enrollment states, and the event log they write.

mod common;

use common::{Enroll, Event, TestEnv, Verify, assert_accepted, assert_failure, assert_rejected};
use twofa::clock::rfc3339;

const ALICE: &str = "alice@example.com";

/// `verify EMAIL -` with `code` and a newline on stdin: (exit code, answer).
fn verify(env: &TestEnv, email: &str, code: &str) -> (i32, Verify) {
    env.verify(email, &format!("{code}\n"))
}

#[test]
fn accepted_once_then_reused() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(ALICE);
    let code = env.code(&secret);
    let outcome = verify(&env, ALICE, &code);
    assert_accepted(&outcome, "totp");
    assert_eq!(outcome.1.email, ALICE);
    let status = env.status(ALICE);
    assert_eq!(status.state, "enabled");
    assert_eq!(status.recovery_codes_left, 10);
    assert_eq!(status.last_used_at, Some(rfc3339(env.now)));

    assert_rejected(&verify(&env, ALICE, &code), "reused");

    // Still reused a step later: the step, not the moment, was spent.
    env.now += 30;
    assert_rejected(&verify(&env, ALICE, &code), "reused");
}

#[test]
fn the_step_confirm_accepted_cannot_be_used_again() {
    let env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    let secret = env.enroll_with(ALICE, &["--org", "acme"]);
    let status = env.status(ALICE);
    assert_eq!(status.state, "pending");
    assert_eq!(status.org.as_deref(), Some("acme"));
    let code = env.code(&secret);
    env.confirm(ALICE, &code);
    assert_rejected(&verify(&env, ALICE, &code), "reused");
}

#[test]
fn window_is_one_step_each_way() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(ALICE);

    assert_rejected(
        &verify(&env, ALICE, &env.code_at(&secret, -60)),
        "wrong_code",
    );
    assert_rejected(
        &verify(&env, ALICE, &env.code_at(&secret, 60)),
        "wrong_code",
    );

    // Fresh steps, well after the one confirm accepted.
    env.now += 300;
    assert_accepted(&verify(&env, ALICE, &env.code_at(&secret, -30)), "totp");
    assert_accepted(&verify(&env, ALICE, &env.code_at(&secret, 30)), "totp");
    // The current step is now behind the last accepted one.
    assert_rejected(&verify(&env, ALICE, &env.code(&secret)), "reused");
}

#[test]
fn reused_code_is_logged_and_does_not_count_toward_lockout() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(ALICE);
    let code = env.code(&secret);
    assert_accepted(&verify(&env, ALICE, &code), "totp");

    for attempt in 1..=6 {
        let (exit, v) = verify(&env, ALICE, &code);
        assert_eq!(exit, 1, "replay {attempt}: {v:?}");
        assert_eq!(
            v.reason.as_deref(),
            Some("reused"),
            "replay {attempt}: {v:?}"
        );
    }
    // Had the replays counted, the account would be locked by now; four real failures
    // are still short of the limit.
    let wrong = env.wrong_code(&secret);
    for attempt in 1..=4 {
        assert_rejected(&verify(&env, ALICE, &wrong), "wrong_code");
        assert!(!env.status(ALICE).locked, "after failure {attempt}");
    }
    env.now += 30;
    assert_accepted(&verify(&env, ALICE, &env.code(&secret)), "totp");

    let actions = env.actions_of(ALICE);
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
    let wrong = env.wrong_code(&secret);
    for attempt in 1..=5 {
        assert!(!env.status(ALICE).locked, "before attempt {attempt}");
        // The attempt that reaches the limit is still a rejection, not a lock.
        assert_rejected(&verify(&env, ALICE, &wrong), "wrong_code");
    }
    assert!(env.status(ALICE).locked);

    // Locked: even the right code is refused, with its own exit code.
    assert_rejected(&verify(&env, ALICE, &env.code(&secret)), "locked");
    env.now += 899;
    assert_rejected(&verify(&env, ALICE, &env.code(&secret)), "locked");

    // Fifteen minutes after the fifth failure the lock has run out.
    env.now += 1;
    assert!(!env.status(ALICE).locked);
    assert_accepted(&verify(&env, ALICE, &env.code(&secret)), "totp");

    // And the count starts afresh: one failure does not lock again.
    assert_rejected(&verify(&env, ALICE, &env.wrong_code(&secret)), "wrong_code");
    assert!(!env.status(ALICE).locked);
}

#[test]
fn a_success_resets_the_failure_count() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(ALICE);
    let wrong = env.wrong_code(&secret);
    for _ in 0..4 {
        assert_rejected(&verify(&env, ALICE, &wrong), "wrong_code");
    }
    assert_accepted(&verify(&env, ALICE, &env.code(&secret)), "totp");
    for attempt in 1..=4 {
        assert_rejected(&verify(&env, ALICE, &wrong), "wrong_code");
        assert!(!env.status(ALICE).locked, "after failure {attempt}");
    }
    env.now += 30;
    assert_accepted(&verify(&env, ALICE, &env.code(&secret)), "totp");
}

#[test]
fn code_input_forms() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(ALICE);
    let spaced = |c: &str| format!("{} {}", &c[..3], &c[3..]);
    let dashed = |c: &str| format!("{}-{}", &c[..3], &c[3..]);

    // As an argument, plain.
    assert_accepted(
        &env.twofa(&["verify", ALICE, &env.code(&secret)]).json(),
        "totp",
    );
    // As an argument, with a space and with a dash.
    env.now += 30;
    assert_accepted(
        &env.twofa(&["verify", ALICE, &spaced(&env.code(&secret))])
            .json(),
        "totp",
    );
    env.now += 30;
    assert_accepted(
        &env.twofa(&["verify", ALICE, &dashed(&env.code(&secret))])
            .json(),
        "totp",
    );
    // From stdin with `-`, grouped.
    env.now += 30;
    let grouped = format!("{}\n", spaced(&env.code(&secret)));
    assert_accepted(
        &env.twofa(&["verify", ALICE, "-"]).stdin(grouped).json(),
        "totp",
    );
    // From stdin with CODE omitted.
    env.now += 30;
    let plain = format!("{}\n", env.code(&secret));
    assert_accepted(&env.twofa(&["verify", ALICE]).stdin(plain).json(), "totp");
    env.now += 30;
    let dashed_code = dashed(&env.code(&secret));
    assert_accepted(
        &env.twofa(&["verify", ALICE]).stdin(dashed_code).json(),
        "totp",
    );
    // Five digits are neither a TOTP code nor a recovery code: a usage error.
    env.twofa(&["verify", ALICE, "12345"]).fails(2);
    // The input forms do not get around replay protection.
    assert_rejected(
        &env.twofa(&["verify", ALICE, &spaced(&env.code(&secret))])
            .json(),
        "reused",
    );
}

#[test]
fn verify_needs_an_active_enrollment() {
    let env = TestEnv::new();
    // Pending: a correct code from the pending secret is still not accepted.
    let secret = env.enroll("pending@example.com");
    assert_rejected(
        &verify(&env, "pending@example.com", &env.code(&secret)),
        "not_enrolled",
    );
    assert_eq!(env.status("pending@example.com").state, "pending");

    // No enrollment at all.
    env.ok(&["user", "add", "bob@example.com"]);
    assert_rejected(&verify(&env, "bob@example.com", "123456"), "not_enrolled");

    // not_enrolled is not a failed code: it never locks.
    for _ in 0..6 {
        assert_rejected(&verify(&env, "bob@example.com", "123456"), "not_enrolled");
    }
    assert!(!env.status("bob@example.com").locked);

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
    env.confirm("bob@example.com", &env.code(&bob));

    env.now += 1;
    let out = env.run(&["confirm", ALICE, "-"], &env.code(&secret));
    assert_failure(&out, 4, "expired");
    assert_eq!(env.status(ALICE).state, "disabled");
    assert_rejected(&verify(&env, ALICE, &env.code(&secret)), "not_enrolled");
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
    let wrong = env.wrong_code(&carol);
    let (exit, v) = env
        .twofa(&["confirm", "carol@example.com", "-"])
        .stdin(wrong)
        .json::<Verify>();
    assert_eq!(exit, 1, "{v:?}");
    assert!(!v.accepted, "{v:?}");
    assert_eq!(v.reason.as_deref(), Some("wrong_code"), "{v:?}");
    assert_eq!(env.status("carol@example.com").state, "pending");
    // The right code still confirms afterwards.
    env.confirm("carol@example.com", &env.code(&carol));
    assert_eq!(env.status("carol@example.com").state, "enabled");

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
    assert_eq!(env.status(ALICE).state, "enabled");
    assert_accepted(&verify(&env, ALICE, &env.code(&old)), "totp");

    // With --yes: a new secret, which replaces the old one once confirmed.
    env.now += 30;
    let enrolled: Enroll = env
        .twofa(&["enroll", ALICE, "--no-confirm", "--yes"])
        .ok_json();
    assert_eq!(enrolled.state, "pending");
    let new = enrolled.secret_bytes();
    assert_ne!(new, old);
    env.confirm(ALICE, &env.code(&new));

    env.now += 30;
    assert_rejected(&verify(&env, ALICE, &env.code(&old)), "wrong_code");
    assert_accepted(&verify(&env, ALICE, &env.code(&new)), "totp");
}

#[test]
fn event_log_rows_and_no_secrets_in_them() {
    let mut env = TestEnv::new();
    let enrolled: Enroll = env
        .twofa(&["enroll", ALICE, "--create", "--no-confirm"])
        .ok_json();
    let secret_b32 = enrolled.secret.clone();
    let secret = enrolled.secret_bytes();
    let mut codes = Vec::new();

    let code = env.code(&secret);
    let recovery = env.confirm(ALICE, &code);
    codes.push(code);

    env.now += 30;
    let code = env.code(&secret);
    assert_eq!(verify(&env, ALICE, &code).0, 0);
    assert_eq!(verify(&env, ALICE, &code).0, 1);
    codes.push(code);
    let wrong = env.wrong_code(&secret);
    for _ in 0..5 {
        assert_eq!(verify(&env, ALICE, &wrong).0, 1);
    }
    codes.push(wrong);
    env.now += 30;
    let code = env.code(&secret);
    assert_eq!(verify(&env, ALICE, &code).0, 5);
    codes.push(code);

    let events = env.events();
    let mine: Vec<&Event> = events
        .iter()
        .filter(|e| e.email.as_deref() == Some(ALICE))
        .collect();
    for action in [
        "enroll",
        "confirm",
        "verify.accepted",
        "verify.rejected",
        "verify.reused",
        "verify.locked",
        "account.locked",
    ] {
        let rows: Vec<&&Event> = mine.iter().filter(|e| e.action == action).collect();
        assert!(!rows.is_empty(), "no {action} row in {events:#?}");
        for row in rows {
            assert_eq!(row.actor, "tester", "{row:?}");
            assert!(row.at.ends_with('Z'), "{row:?}");
        }
    }
    let count = |action: &str| mine.iter().filter(|e| e.action == action).count();
    assert_eq!(count("verify.rejected"), 5);
    assert_eq!(count("account.locked"), 1);
    // Newest first.
    assert_eq!(mine[0].action, "verify.locked");

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
