//! Many processes at once on one database file: replay, recovery-code spending and the
//! lockout hold under concurrency, and no "database is locked" ever reaches the user.

mod common;

use std::process::Stdio;

use common::{
    Codes, Enroll, TestEnv, Verify, assert_accepted, assert_rejected, count_action, parse_json,
};

const RACE: &str = "race@example.com";

/// How many of `got` have exit `code` and `reason`.
fn count(got: &[(i32, Verify)], code: i32, reason: Option<&str>) -> usize {
    got.iter()
        .filter(|(c, v)| *c == code && v.reason.as_deref() == reason)
        .count()
}

#[test]
fn thirty_two_verifies_of_one_code_accept_exactly_one() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(RACE);
    let got = env.verify_concurrently(32, RACE, &env.code(&secret));
    let accepted: Vec<_> = got.iter().filter(|(c, _)| *c == 0).collect();
    assert_eq!(accepted.len(), 1, "{got:?}");
    assert_accepted(accepted[0], "totp");
    assert_eq!(count(&got, 1, Some("reused")), 31, "{got:?}");
    // Every outcome is logged once.
    let events = env.events();
    assert_eq!(count_action(&events, "verify.accepted"), 1, "{events:?}");
    assert_eq!(count_action(&events, "verify.reused"), 31, "{events:?}");
    // Replays do not count toward the lockout.
    assert!(!env.status(RACE).locked);
}

#[test]
fn thirty_two_redeems_of_one_recovery_code_accept_exactly_one() {
    let mut env = TestEnv::new();
    let (_, codes) = env.enable(RACE);
    let got = env.verify_concurrently(32, RACE, &format!("{}\n", codes[4]));
    let accepted: Vec<_> = got.iter().filter(|(c, _)| *c == 0).collect();
    assert_eq!(accepted.len(), 1, "exactly one accepted: {got:?}");
    assert_accepted(accepted[0], "recovery");
    for outcome in got.iter().filter(|(c, _)| *c != 0) {
        assert_rejected(outcome, "reused");
    }
    assert_eq!(env.recovery_left(RACE), 9);
    assert!(
        !env.status(RACE).locked,
        "the losers were replays, not failures"
    );
}

#[test]
fn ten_concurrent_wrong_codes_still_lock_at_five() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(RACE);
    // Each attempt reads the failure count and writes it back in one transaction: no
    // attempt may be lost, so the fifth locks and every later one finds the lock.
    let got = env.verify_concurrently(10, RACE, &env.wrong_code(&secret));
    let rejected = count(&got, 1, Some("wrong_code"));
    let locked = count(&got, 5, Some("locked"));
    assert_eq!((rejected, locked), (5, 5), "{got:?}");
    assert!(env.status(RACE).locked);
    assert_rejected(&env.verify(RACE, &env.code(&secret)), "locked");
}

/// `twofa ARGS --format json` started in the background, to race the others.
fn spawn(env: &TestEnv, args: &[&str]) -> std::process::Child {
    env.process()
        .args(args)
        .args(["--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn twofa")
}

#[test]
fn regenerate_racing_redeems_leaves_one_whole_set() {
    let mut env = TestEnv::new();
    let (_, old) = env.enable(RACE);
    let regen = spawn(&env, &["recovery", "regenerate", RACE, "--yes"]);
    let got = env.verify_concurrently(6, RACE, &old[1]);
    let (code, new, stderr) = parse_json::<Option<Codes>>(
        &["recovery", "regenerate"],
        &regen.wait_with_output().unwrap(),
    );
    assert_eq!(code, 0, "{stderr}");
    let new = new.expect("the new codes").recovery_codes;
    assert!(got.iter().filter(|(c, _)| *c == 0).count() <= 1, "{got:?}");
    assert!(got.iter().all(|(c, _)| *c == 0 || *c == 1), "{got:?}");
    // Afterwards: the whole old set is void, the whole new set is there.
    env.now += 30;
    assert_eq!(env.recovery_left(RACE), 10);
    assert_rejected(&env.verify(RACE, &old[2]), "wrong_code");
    assert_accepted(&env.verify(RACE, &new[0]), "recovery");
}

#[test]
fn reset_racing_verifies_ends_disabled_without_errors() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(RACE);
    let reset = spawn(&env, &["reset", RACE, "--reason", "race", "--yes"]);
    let got = env.verify_concurrently(8, RACE, &env.code(&secret));
    let reset = reset.wait_with_output().unwrap();
    assert_eq!(
        reset.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );
    assert!(got.iter().filter(|(c, _)| *c == 0).count() <= 1, "{got:?}");
    for (c, v) in &got {
        let reason = v.reason.as_deref().unwrap_or("");
        assert!(
            (*c == 0) || (*c == 1 && ["reused", "not_enrolled"].contains(&reason)),
            "{got:?}"
        );
    }
    assert_eq!(env.status(RACE).state, "disabled");
}

/// Eight `enroll --create` of one new email at once, on a database nobody has opened yet:
/// the database and the account are created once and every enroll succeeds in turn, each
/// replacing the pending secret before it.
#[test]
fn concurrent_enroll_create_of_one_new_email_take_turns() {
    let env = TestEnv::new();
    let args = ["enroll", "new@example.com", "--create"];
    let mut secrets = Vec::new();
    for out in &env.concurrently(8, &args, "") {
        let (code, v, stderr) = parse_json::<Option<Enroll>>(&args, out);
        assert_eq!(code, 0, "{stderr}");
        secrets.push(v.expect("an enrollment").secret);
    }
    secrets.sort();
    secrets.dedup();
    assert_eq!(secrets.len(), 8, "each enroll hands out a fresh secret");
    let actions = env.actions_of("new@example.com");
    let count = |action: &str| actions.iter().filter(|a| *a == action).count();
    assert_eq!((count("user.add"), count("enroll")), (1, 8), "{actions:?}");
    let (code, users) = env.json(&["user", "list"]);
    assert_eq!(
        (code, users.as_array().map(Vec::len)),
        (0, Some(1)),
        "{users}"
    );
    assert_eq!(env.status("new@example.com").state, "pending");
}
