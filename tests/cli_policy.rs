//! Organisation policy, disable, support reset and unlock through the real binary, with
//! the grace-period arithmetic at its boundaries on the fixed clock.

mod common;

use common::TestEnv;
use common::{Enroll, Event, Policy, Status, assert_accepted, assert_rejected};
use twofa::clock::rfc3339;

const DAY: i64 = 86_400;
const ALICE: &str = "alice@example.com";

fn time(t: i64) -> Option<String> {
    Some(rfc3339(t))
}

fn add_org(env: &TestEnv, org: &str) {
    env.ok(&["org", "add", org]);
}

/// A fresh environment with the organisation `acme`.
fn acme() -> TestEnv {
    let env = TestEnv::new();
    add_org(&env, "acme");
    env
}

fn add_user(env: &TestEnv, email: &str, org: &str) {
    env.ok(&["user", "add", email, "--org", org]);
}

/// Enrolls and confirms an account in `org` (created by the enrollment).
fn enable_in(env: &mut TestEnv, email: &str, org: &str) -> (Vec<u8>, Vec<String>) {
    env.enable_with(email, &["--org", org])
}

#[track_caller]
fn policy(env: &TestEnv, org: &str) -> Policy {
    env.twofa(&["org", "policy", org]).ok_json()
}

#[track_caller]
fn require(env: &TestEnv, org: &str, grace_days: u32) -> Policy {
    let grace = grace_days.to_string();
    env.twofa(&["org", "policy", org, "--require", "--grace-days", &grace])
        .ok_json()
}

/// Five wrong TOTP codes: the fifth is rejected (exit 1) and locks the account.
fn lock(env: &TestEnv, email: &str, secret: &[u8]) {
    let wrong = env.wrong_code(secret);
    for _ in 0..5 {
        assert_rejected(&env.verify(email, &wrong), "wrong_code");
    }
    assert!(env.status(email).locked);
    assert_rejected(&env.verify(email, &env.code(secret)), "locked");
}

/// The reason the support resets below give.
const LOST_PHONE: &str = "lost phone, ticket 4711";

/// A support reset of `email` for a lost phone, confirmed with `--yes`.
fn reset_for_a_lost_phone(env: &TestEnv, email: &str) {
    env.ok(&["reset", email, "--reason", LOST_PHONE, "--yes"]);
}

fn actions(events: &[Event]) -> Vec<String> {
    events.iter().map(|e| e.action.clone()).collect()
}

#[test]
fn policy_shows_its_shape_and_require_sets_it() {
    let env = acme();
    let v = policy(&env, "acme");
    assert_eq!(v.org, "acme", "{v:?}");
    assert!(!v.required, "{v:?}");
    assert_eq!(v.grace_days, 0, "{v:?}");
    assert_eq!(v.since, None, "{v:?}");
    let (_, raw) = env.json(&["org", "policy", "acme"]);
    for field in ["org", "required", "grace_days", "since"] {
        assert!(raw.get(field).is_some(), "{field} missing: {raw}");
    }

    let v = require(&env, "acme", 7);
    assert!(v.required, "{v:?}");
    let v = policy(&env, "acme");
    assert_eq!(v.org, "acme");
    assert!(v.required, "{v:?}");
    assert_eq!(v.grace_days, 7, "{v:?}");
    assert_eq!(v.since, time(env.now), "{v:?}");

    env.ok(&["org", "policy", "acme", "--optional"]);
    let v = policy(&env, "acme");
    assert!(!v.required, "{v:?}");

    let (code, _) = env.json(&["org", "policy", "nope"]);
    assert_eq!(code, 3, "unknown organisation");
}

#[test]
fn disable_is_refused_under_a_mandatory_policy_and_works_when_optional() {
    let mut env = acme();
    let (secret, _) = enable_in(&mut env, ALICE, "acme");
    require(&env, "acme", 7);

    let (code, v, stderr) =
        env.json_full(&["disable", ALICE, "--yes", "--reason", "user request"], "");
    assert_eq!(code, 4, "disable under a mandatory policy: {v}\n{stderr}");
    assert!(stderr.contains("acme"), "names the organisation: {stderr}");
    assert!(
        stderr.contains("twofa reset"),
        "points to 'twofa reset': {stderr}"
    );

    // Nothing changed: still enabled, the secret still verifies, codes still there.
    let status = env.status(ALICE);
    assert_eq!(status.state, "enabled", "{status:?}");
    assert_eq!(status.recovery_codes_left, 10, "{status:?}");
    assert_accepted(&env.verify(ALICE, &env.code(&secret)), "totp");

    let events = env.events();
    let refused = events
        .iter()
        .find(|e| e.action == "disable.refused")
        .unwrap_or_else(|| panic!("no disable.refused event: {events:?}"));
    assert_eq!(refused.email.as_deref(), Some(ALICE));
    assert_eq!(refused.org.as_deref(), Some("acme"));
    assert_eq!(refused.actor, "tester");
    assert!(
        !actions(&events).contains(&"disable".to_string()),
        "{events:?}"
    );

    let (code, v) = env.json(&["org", "policy", "acme", "--optional"]);
    assert_eq!(code, 0, "{v:?}");
    env.now += 30;
    let (code, v, stderr) = env.json_full(&["disable", ALICE, "--yes"], "");
    assert_eq!(code, 0, "disable once optional: {v}\n{stderr}");
    let status = env.status(ALICE);
    assert_eq!(status.state, "disabled", "{status:?}");
    assert_eq!(status.recovery_codes_left, 0, "{status:?}");
    assert_rejected(&env.verify(ALICE, &env.code(&secret)), "not_enrolled");
}

#[test]
fn a_refused_disable_needs_no_yes_and_an_unknown_account_is_not_found() {
    let mut env = acme();
    enable_in(&mut env, ALICE, "acme");
    require(&env, "acme", 0);
    // No TTY and no --yes: the policy's refusal (exit 4) is the answer, not a request to
    // confirm something that would be refused anyway.
    let out = env.run(&["disable", ALICE], "");
    let stderr = common::assert_failure(&out, 4, "acme");
    assert!(stderr.contains("twofa reset"), "{stderr}");
    assert!(
        actions(&env.events()).contains(&"disable.refused".to_string()),
        "the refusal is logged"
    );
    assert_eq!(env.status(ALICE).state, "enabled");

    for args in [
        &["disable", "nobody@example.com"][..],
        &["reset", "nobody@example.com", "--reason", "lost phone"][..],
        &["unlock", "nobody@example.com"][..],
    ] {
        let out = env.run(args, "");
        common::assert_failure(&out, 3, "nobody@example.com");
    }
}

#[test]
fn reset_needs_a_reason_and_yes_without_a_tty() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(ALICE);

    let out = env.run(&["reset", ALICE, "--yes"], "");
    common::assert_failure(&out, 2, "reason");
    let out = env.run(&["reset", ALICE, "--reason", "lost phone"], "");
    common::assert_failure(&out, 2, "--yes");
    // Neither refusal changed anything.
    assert_eq!(env.status(ALICE).state, "enabled");
    let (code, v) = env.verify(ALICE, &env.code(&secret));
    assert_eq!(code, 0, "{v:?}");

    env.ok(&["reset", ALICE, "--reason", "lost phone", "--yes"]);
    let status = env.status(ALICE);
    assert_eq!(status.state, "disabled", "{status:?}");
    assert_eq!(status.recovery_codes_left, 0, "{status:?}");
    env.now += 30;
    assert_rejected(&env.verify(ALICE, &env.code(&secret)), "not_enrolled");
}

#[test]
fn reset_in_a_mandatory_org_leaves_the_account_non_compliant_until_it_enrolls() {
    let mut env = acme();
    let (old_secret, old_codes) = enable_in(&mut env, ALICE, "acme");
    require(&env, "acme", 0);
    let since = env.now;
    assert!(env.status(ALICE).compliant, "enabled complies");

    env.now += 60;
    reset_for_a_lost_phone(&env, ALICE);
    let status = env.status(ALICE);
    assert_eq!(status.state, "disabled", "{status:?}");
    assert!(status.required, "{status:?}");
    assert!(!status.compliant, "{status:?}");
    assert_eq!(status.deadline, time(since), "{status:?}");
    let (code, v) = env.verify(ALICE, &old_codes[0]);
    assert_eq!(code, 1, "old recovery codes are gone: {v:?}");

    // Enrolling again works (no --yes needed: 2FA is no longer enabled).
    env.now += 30;
    let v: Enroll = env.twofa(&["enroll", ALICE, "--no-confirm"]).ok_json();
    assert_eq!(v.state, "pending", "{v:?}");
    let secret = v.secret_bytes();
    assert_ne!(secret, old_secret, "a fresh secret");
    assert!(!env.status(ALICE).compliant, "pending is not enabled");
    let (code, v) = env.json_stdin(&["confirm", ALICE, "-"], &env.code(&secret));
    assert_eq!(code, 0, "{v:?}");
    let status = env.status(ALICE);
    assert_eq!(status.state, "enabled", "{status:?}");
    assert!(status.compliant, "{status:?}");
}

#[test]
fn reset_clears_a_lockout() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(ALICE);
    lock(&env, ALICE, &secret);
    env.ok(&["reset", ALICE, "--reason", "locked out", "--yes"]);
    let status = env.status(ALICE);
    assert!(!status.locked, "{status:?}");
    // No longer locked (exit 5), just not enrolled.
    assert_rejected(&env.verify(ALICE, &env.code(&secret)), "not_enrolled");
    // And a fresh enrollment confirms without tripping over old failures.
    let secret = env.enroll(ALICE);
    let (code, v) = env.json_stdin(&["confirm", ALICE, "-"], &env.code(&secret));
    assert_eq!(code, 0, "{v:?}");
}

#[test]
fn unlock_clears_a_lockout() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable(ALICE);
    lock(&env, ALICE, &secret);
    env.ok(&["unlock", ALICE]);
    assert!(!env.status(ALICE).locked);
    assert_accepted(&env.verify(ALICE, &env.code(&secret)), "totp");
    // The failure count was cleared too: four more wrong codes do not lock.
    env.now += 30;
    let wrong = env.wrong_code(&secret);
    for _ in 0..4 {
        assert_eq!(env.verify(ALICE, &wrong).0, 1);
    }
    assert!(!env.status(ALICE).locked);
}

#[test]
fn dry_run_lists_exactly_the_would_be_non_compliant_and_changes_nothing() {
    let mut env = acme();
    add_org(&env, "other");
    enable_in(&mut env, "enabled@example.com", "acme");
    let (code, v) = env.json(&[
        "enroll",
        "pending@example.com",
        "--create",
        "--org",
        "acme",
        "--no-confirm",
    ]);
    assert_eq!(code, 0, "{v:?}");
    add_user(&env, "disabled@example.com", "acme");
    add_user(&env, "elsewhere@example.com", "other");
    enable_in(&mut env, "elsewhere-enabled@example.com", "other");
    env.ok(&["user", "add", "noorg@example.com"]);
    let before = env.events().len();

    let v = env.policy_dry_run("acme", 7);
    assert_eq!(v.org, "acme", "{v:?}");
    assert!(v.required, "{v:?}");
    assert_eq!(v.grace_days, 7, "{v:?}");
    let rows = v
        .would_be_non_compliant
        .as_ref()
        .unwrap_or_else(|| panic!("would_be_non_compliant: {v:?}"));
    let mut emails = common::emails(rows);
    emails.sort();
    assert_eq!(
        emails,
        ["disabled@example.com", "pending@example.com"],
        "{v:?}"
    );
    for r in rows {
        assert_eq!(r.org.as_deref(), Some("acme"), "{r:?}");
        assert!(r.required, "{r:?}");
        assert_eq!(r.deadline, time(env.now + 7 * DAY), "{r:?}");
        assert_ne!(r.state, "enabled", "{r:?}");
    }
    let pending = rows
        .iter()
        .find(|r| r.email == "pending@example.com")
        .unwrap();
    assert_eq!(pending.state, "pending", "{pending:?}");

    // Nothing changed.
    let p = policy(&env, "acme");
    assert!(!p.required, "{p:?}");
    assert_eq!(p.since, None, "{p:?}");
    let status = env.status("disabled@example.com");
    assert!(!status.required, "{status:?}");
    assert_eq!(status.deadline, None, "{status:?}");
    let events = env.events();
    assert_eq!(events.len(), before, "the dry run logged: {:?}", events[0]);
    assert!(
        !actions(&events).iter().any(|a| a.starts_with("policy.")),
        "{events:?}"
    );

    // And the dry run's prediction holds once the policy is real.
    require(&env, "acme", 7);
    env.now += 7 * DAY;
    let (code, rows) = env
        .twofa(&["audit", "--non-compliant"])
        .json::<Vec<Status>>();
    assert_eq!(code, 1, "{rows:?}");
    let mut real = common::emails(&rows);
    real.sort();
    // The pending enrollment has expired by now; it is still non-compliant.
    assert_eq!(real, ["disabled@example.com", "pending@example.com"]);
}

#[test]
fn grace_period_boundaries_for_accounts_older_than_the_policy() {
    let mut env = acme();
    env.now -= 30 * DAY;
    add_user(&env, "old@example.com", "acme");
    env.now += 30 * DAY;
    let t = env.now;
    require(&env, "acme", 7);

    let status = env.status("old@example.com");
    assert!(status.required, "{status:?}");
    assert!(status.compliant, "{status:?}");
    assert_eq!(
        status.deadline,
        time(t + 7 * DAY),
        "from the policy: {status:?}"
    );

    env.now = t + 7 * DAY - 1;
    assert!(env.status("old@example.com").compliant, "one second before");
    env.now = t + 7 * DAY;
    let status = env.status("old@example.com");
    assert!(!status.compliant, "at the deadline: {status:?}");
    assert_eq!(status.state, "disabled");
}

#[test]
fn accounts_created_after_the_policy_get_their_own_grace() {
    let mut env = acme();
    let t = env.now;
    require(&env, "acme", 7);
    env.now = t + 10 * DAY;
    let created = env.now;
    add_user(&env, "new@example.com", "acme");
    let status = env.status("new@example.com");
    assert_eq!(status.deadline, time(created + 7 * DAY), "{status:?}");
    assert!(status.compliant, "{status:?}");

    env.now = created + 7 * DAY - 1;
    assert!(env.status("new@example.com").compliant);
    env.now = created + 7 * DAY;
    assert!(!env.status("new@example.com").compliant);
}

#[test]
fn zero_grace_is_non_compliant_at_once() {
    let mut env = acme();
    add_user(&env, "bob@example.com", "acme");
    env.now += 1;
    let t = env.now;
    require(&env, "acme", 0);
    let status = env.status("bob@example.com");
    assert!(status.required, "{status:?}");
    assert_eq!(status.deadline, time(t), "{status:?}");
    assert!(!status.compliant, "{status:?}");
}

#[test]
fn a_pending_enrollment_does_not_count_as_enabled() {
    let mut env = acme();
    add_user(&env, "bob@example.com", "acme");
    let t = env.now;
    require(&env, "acme", 7);
    env.now = t + 7 * DAY;
    env.enroll("bob@example.com");
    let status = env.status("bob@example.com");
    assert_eq!(status.state, "pending", "{status:?}");
    assert!(!status.compliant, "{status:?}");

    // Whereas an enabled account past the deadline complies.
    let (_, _) = enable_in(&mut env, "carol@example.com", "acme");
    env.now = t + 30 * DAY;
    let status = env.status("carol@example.com");
    assert_eq!(status.state, "enabled", "{status:?}");
    assert!(status.compliant, "{status:?}");
}

#[test]
fn status_shows_every_field() {
    let mut env = acme();
    let created = env.now;
    let (secret, codes) = enable_in(&mut env, ALICE, "acme");
    let enrolled = env.now - 30;
    require(&env, "acme", 3);
    let since = env.now;
    env.now += 30;
    let (code, v) = env.verify(ALICE, &env.code(&secret));
    assert_eq!(code, 0, "{v:?}");
    let used = env.now;
    let (code, v) = env.verify(ALICE, &codes[0]);
    assert_eq!(code, 0, "{v:?}");

    let (_, raw) = env.json(&["status", ALICE]);
    for field in common::STATUS_FIELDS {
        assert!(raw.get(field).is_some(), "status lacks {field}: {raw}");
    }
    let s = env.status(ALICE);
    assert_eq!(s.email, ALICE, "{s:?}");
    assert_eq!(s.org.as_deref(), Some("acme"), "{s:?}");
    assert_eq!(s.state, "enabled", "{s:?}");
    assert_eq!(s.enrolled_at, time(enrolled), "{s:?}");
    assert_eq!(s.last_used_at, time(used), "{s:?}");
    assert_eq!(s.recovery_codes_left, 9, "{s:?}");
    assert!(!s.locked, "{s:?}");
    assert!(s.required, "{s:?}");
    assert!(s.compliant, "{s:?}");
    assert_eq!(s.deadline, time(since.max(created) + 3 * DAY), "{s:?}");

    // An account without 2FA or organisation: nulls where nothing applies.
    env.ok(&["user", "add", "plain@example.com"]);
    let s = env.status("plain@example.com");
    assert_eq!(s.org.as_deref(), None, "{s:?}");
    assert_eq!(s.state, "disabled", "{s:?}");
    assert_eq!(s.enrolled_at, None, "{s:?}");
    assert_eq!(s.last_used_at, None, "{s:?}");
    assert_eq!(s.recovery_codes_left, 0, "{s:?}");
    assert!(!s.required, "{s:?}");
    assert!(s.compliant, "{s:?}");
    assert_eq!(s.deadline, None, "{s:?}");

    let (code, _) = env.json(&["status", "nobody@example.com"]);
    assert_eq!(code, 3);
}

#[test]
fn the_event_log_records_each_change_with_actor_and_reason_and_no_code() {
    let mut env = acme();
    let (secret, first) = enable_in(&mut env, ALICE, "acme");
    let second = env.regenerate(ALICE);
    assert_accepted(&env.verify(ALICE, &second[0]), "recovery");
    require(&env, "acme", 2);
    let (code, _) = env.json(&["disable", ALICE, "--yes", "--reason", "wants it off"]);
    assert_eq!(code, 4);
    lock(&env, ALICE, &secret);
    env.ok(&["unlock", ALICE]);
    reset_for_a_lost_phone(&env, ALICE);
    env.ok(&["org", "policy", "acme", "--optional"]);
    let (bob_secret, _) = enable_in(&mut env, "bob@example.com", "acme");
    env.ok(&[
        "disable",
        "bob@example.com",
        "--yes",
        "--reason",
        "left the team",
    ]);

    let events = env.events();
    let find = |action: &str, email: Option<&str>| -> Event {
        events
            .iter()
            .find(|e| e.action == action && email.is_none_or(|m| e.email.as_deref() == Some(m)))
            .cloned()
            .unwrap_or_else(|| panic!("no {action} event: {events:#?}"))
    };
    for (action, email) in [
        ("recovery.regenerate", Some(ALICE)),
        ("verify.recovery", Some(ALICE)),
        ("disable.refused", Some(ALICE)),
        ("unlock", Some(ALICE)),
        ("reset", Some(ALICE)),
        ("disable", Some("bob@example.com")),
        ("policy.require", None),
        ("policy.optional", None),
    ] {
        let e = find(action, email);
        assert_eq!(e.actor, "tester", "{e:?}");
        assert!(!e.at.is_empty(), "{e:?}");
        if let Some(email) = email {
            assert_eq!(e.email.as_deref(), Some(email), "{e:?}");
        }
        assert_eq!(e.org.as_deref(), Some("acme"), "{e:?}");
    }
    let detail = |action: &str, email: Option<&str>| find(action, email).detail.unwrap_or_default();
    assert!(
        detail("disable.refused", Some(ALICE)).contains("wants it off"),
        "{}",
        detail("disable.refused", Some(ALICE))
    );
    assert!(
        detail("reset", Some(ALICE)).contains(LOST_PHONE),
        "{}",
        detail("reset", Some(ALICE))
    );
    assert!(
        detail("disable", Some("bob@example.com")).contains("left the team"),
        "{}",
        detail("disable", Some("bob@example.com"))
    );
    // Exactly one row per change.
    let count = |action: &str| actions(&events).iter().filter(|a| *a == action).count();
    for action in [
        "recovery.regenerate",
        "verify.recovery",
        "disable.refused",
        "unlock",
        "reset",
        "disable",
        "policy.require",
        "policy.optional",
    ] {
        assert_eq!(count(action), 1, "{action}: {events:#?}");
    }

    // Never a code or a secret.
    let text = serde_json::to_string(&events).unwrap();
    for c in first.iter().chain(&second) {
        for form in [
            c.clone(),
            c.to_ascii_uppercase(),
            c.replace('-', ""),
            c.replace('-', "").to_ascii_uppercase(),
        ] {
            assert!(!text.contains(&form), "the log holds a recovery code");
        }
    }
    for s in [&secret, &bob_secret] {
        let b32 = data_encoding::BASE32_NOPAD.encode(s);
        assert!(!text.contains(&b32), "the log holds a secret");
    }
    let table = env.ok(&["log"]);
    for c in first.iter().chain(&second) {
        assert!(!table.contains(c.as_str()), "the log table holds a code");
    }
}
