//! The four-eyes rule through the real binary, on the suite's backend (SQLite, or
//! PostgreSQL with TWOFA_TEST_BACKEND=postgres): requests filed instead of resets, access
//! codes, exemptions and relaxed policies; approvals by other operators (identities from
//! `SUDO_USER`, as sudo sets it: the tests run as root), denial, expiry, protected
//! accounts, bulk requests, concurrent approvals, and a hook that logs a reset user out.

mod common;

use std::process::Stdio;

use common::{Run, Status, TestEnv, assert_failure};
use serde_json::Value;

const DAY: i64 = 86_400;
const USER: &str = "user@example.com";

/// `twofa ARGS` run by operator `who` through sudo: `SUDO_USER` set, no `--actor`.
fn by<'e>(env: &'e TestEnv, who: &str, args: &[&str]) -> Run<'e> {
    env.twofa(args)
        .env("SUDO_USER", who)
        .env_remove("TWOFA_ACTOR")
}

/// An organisation `acme` that requires `n` approvals, with USER's 2FA enabled in it.
fn acme(n: &str) -> (TestEnv, Vec<u8>) {
    let mut env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    env.ok(&["user", "add", USER, "--org", "acme"]);
    let (secret, _) = env.enable(USER);
    env.ok(&["org", "policy", "acme", "--approvals", n]);
    (env, secret)
}

/// Files a request as `who` with `args`; asserts exit 4 and the request's JSON; its id.
#[track_caller]
fn file(env: &TestEnv, who: &str, args: &[&str], needed: u64) -> i64 {
    let (code, v): (i32, Value) = by(env, who, args).json();
    assert_eq!(code, 4, "{args:?}: {v}");
    assert_eq!(v["state"], "pending", "{v}");
    assert_eq!(v["approvals_needed"], needed, "{v}");
    v["request"].as_i64().expect("a request id")
}

/// `requests --all` as JSON rows.
fn requests(env: &TestEnv) -> Vec<Value> {
    env.twofa(&["requests", "--all"]).ok_json()
}

fn request(env: &TestEnv, id: i64) -> Value {
    requests(env)
        .into_iter()
        .find(|r| r["id"] == id)
        .expect("the request is listed")
}

#[test]
fn a_reset_waits_for_another_operator_whose_approval_runs_it() {
    let (env, _) = acme("1");
    let id = file(
        &env,
        "alice",
        &["reset", USER, "--reason", "lost phone", "--yes"],
        1,
    );
    // Nothing happened yet.
    assert_eq!(env.status(USER).state, "enabled");
    let rows: Vec<Value> = env.twofa(&["requests"]).ok_json();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r["action"], "reset");
    assert_eq!(r["email"], USER);
    assert_eq!(r["org"], "acme");
    assert_eq!(r["requested_by"], "alice");
    assert_eq!(r["reason"], "lost phone");
    assert_eq!(r["state"], "pending");
    assert_eq!(r["approvals"], serde_json::json!([]));
    assert_eq!(
        r["expires_at"],
        common::rfc3339(env.now + DAY),
        "24 hours to approve"
    );

    // No one approves their own request.
    let out = by(&env, "alice", &["approve", &id.to_string()]).output();
    assert_failure(&out, 4, "your own request");
    assert_eq!(env.status(USER).state, "enabled");

    // Bob's approval runs the reset and prints what reset prints (TWOFA_ACTOR, set for
    // every run here, is no one's identity).
    let (code, v): (i32, Value) = env
        .twofa(&["approve", &id.to_string()])
        .env("SUDO_USER", "bob")
        .json();
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["action"], "reset");
    assert_eq!(v["changed"], serde_json::json!([USER]));
    assert_eq!(env.status(USER).state, "disabled");
    let r = request(&env, id);
    assert_eq!(r["state"], "approved");
    assert_eq!(r["approvals"][0]["by"], "bob");

    // The log tells it all, the reset by the approver.
    let events = env.events();
    let of = |action: &str| events.iter().find(|e| e.action == action).cloned();
    let created = of("request.created").expect("request.created");
    assert_eq!(created.actor, "alice");
    assert_eq!(created.email.as_deref(), Some(USER));
    // The database role (PostgreSQL's current_user, MySQL's CURRENT_USER() as user@host)
    // is recorded beside the login.
    let detail = created.detail.unwrap_or_default();
    if env.is_postgres() {
        assert!(detail.contains("as database role postgres"), "{detail}");
    } else if env.is_mysql() {
        assert!(detail.contains("as database role twofa@"), "{detail}");
    } else {
        assert!(!detail.contains("database role"), "{detail}");
    }
    assert_eq!(of("request.approved").expect("approved").actor, "bob");
    let reset = of("reset").expect("the reset's own event");
    assert_eq!(reset.actor, "bob");
    assert_eq!(reset.detail.as_deref(), Some("lost phone"));

    // An approved request cannot run again.
    let out = by(&env, "carol", &["approve", &id.to_string()]).output();
    assert_failure(&out, 4, "approved");
    assert_eq!(
        env.events().iter().filter(|e| e.action == "reset").count(),
        1
    );
}

#[test]
fn two_approvals_need_two_other_operators_each_once() {
    let (env, _) = acme("2");
    let id = file(&env, "alice", &["reset", USER, "--reason", "r", "--yes"], 2);
    let id = id.to_string();
    let (code, v): (i32, Value) = by(&env, "bob", &["approve", &id]).json();
    assert_eq!(code, 0);
    assert_eq!(v["state"], "pending");
    assert_eq!(v["approvals_needed"], 1);
    assert_eq!(env.status(USER).state, "enabled");
    let out = by(&env, "bob", &["approve", &id]).output();
    assert_failure(&out, 4, "approved it already");
    assert_eq!(env.status(USER).state, "enabled");
    by(&env, "carol", &["approve", &id]).ok();
    assert_eq!(env.status(USER).state, "disabled");
    let approvers: Vec<Value> = request(&env, id.parse().unwrap())["approvals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["by"].clone())
        .collect();
    assert_eq!(approvers, ["bob", "carol"]);
}

#[test]
fn actor_cannot_change_who_requests_or_approves() {
    let (env, _) = acme("1");
    // Alice names bob as the actor: the request is still hers.
    let (code, v): (i32, Value) = env
        .twofa(&["--actor", "bob", "reset", USER, "--reason", "r", "--yes"])
        .env("SUDO_USER", "alice")
        .json();
    assert_eq!(code, 4, "{v}");
    let id = v["request"].as_i64().unwrap().to_string();
    assert_eq!(request(&env, id.parse().unwrap())["requested_by"], "alice");
    // Alice cannot approve as bob, with --actor or TWOFA_ACTOR.
    let out = by(&env, "alice", &["--actor", "bob", "approve", &id]).output();
    assert_failure(&out, 2, "login identity");
    // TWOFA_ACTOR is ignored: alice is still alice, whose own request it is.
    let out = env
        .twofa(&["approve", &id])
        .env("SUDO_USER", "alice")
        .env("TWOFA_ACTOR", "bob")
        .output();
    assert_failure(&out, 4, "your own request");
    let out = by(
        &env,
        "alice",
        &["deny", &id, "--actor", "bob", "--reason", "x"],
    )
    .output();
    assert_failure(&out, 2, "login identity");
    assert_eq!(env.status(USER).state, "enabled");
    // An --actor that names the login itself is accepted.
    by(&env, "bob", &["--actor", "bob", "approve", &id]).ok();
    assert_eq!(env.status(USER).state, "disabled");
}

#[test]
fn an_access_code_is_shown_once_to_the_approver() {
    let (env, _) = acme("1");
    let (code, v, _) =
        by(&env, "alice", &["access-code", USER, "--reason", "travel"]).json_full::<Value>();
    assert_eq!(code, 4, "{v}");
    assert!(v.get("access_code").is_none(), "the requester sees no code");
    let id = v["request"].as_i64().unwrap().to_string();
    let v: Value = by(&env, "bob", &["approve", &id]).ok_json();
    let access = v["access_code"]
        .as_str()
        .expect("the code, to the approver");
    assert_eq!(v["email"], USER);
    let (code, verified): (i32, Value) = env.twofa(&["verify", USER, "-"]).stdin(access).json();
    assert_eq!(code, 0, "{verified}");
    assert_eq!(
        env.events()
            .iter()
            .filter(|e| e.action == "access-code")
            .count(),
        1
    );
}

#[test]
fn an_exemption_waits_and_its_end_does_not() {
    let mut env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    env.ok(&["org", "policy", "acme", "--require", "--approvals", "1"]);
    env.ok(&["user", "add", USER, "--org", "acme"]);
    let id = file(
        &env,
        "alice",
        &["user", "exempt", USER, "--days", "30", "--reason", "leave"],
        1,
    );
    assert_eq!(env.status(USER).exempt_until, None);
    env.now += 3600;
    let status: Status = by(&env, "bob", &["approve", &id.to_string()]).ok_json();
    // The end was fixed when the request was filed.
    assert_eq!(
        status.exempt_until.as_deref(),
        Some(common::rfc3339(env.now - 3600 + 30 * DAY).as_str())
    );
    // Ending an exemption tightens the rule: no approval.
    env.twofa(&["user", "exempt", USER, "--clear"])
        .env("SUDO_USER", "alice")
        .ok();
    assert_eq!(env.status(USER).exempt_until, None);
}

#[test]
fn a_request_expires_after_24_hours() {
    let (mut env, _) = acme("1");
    let id = file(&env, "alice", &["reset", USER, "--reason", "r", "--yes"], 1).to_string();
    env.now += DAY - 1;
    assert_eq!(env.twofa(&["requests"]).ok_json::<Vec<Value>>().len(), 1);
    env.now += 1;
    let out = by(&env, "bob", &["approve", &id]).output();
    assert_failure(&out, 4, "expired");
    assert_eq!(env.status(USER).state, "enabled");
    assert!(env.twofa(&["requests"]).ok_json::<Vec<Value>>().is_empty());
    assert_eq!(request(&env, id.parse().unwrap())["state"], "expired");
    let expired: Vec<_> = env
        .events()
        .into_iter()
        .filter(|e| e.action == "request.expired")
        .collect();
    assert_eq!(expired.len(), 1, "logged once: {expired:?}");
    assert_eq!(expired[0].email.as_deref(), Some(USER));
}

#[test]
fn a_denied_request_never_runs_and_an_unknown_one_is_not_found() {
    let (env, _) = acme("1");
    let id = file(&env, "alice", &["reset", USER, "--reason", "r", "--yes"], 1).to_string();
    let out = by(&env, "bob", &["deny", &id]).output();
    assert_eq!(out.status.code(), Some(2), "deny needs --reason");
    let v: Value = by(&env, "bob", &["deny", &id, "--reason", "no callback"]).ok_json();
    assert_eq!(v["state"], "denied");
    let out = by(&env, "carol", &["approve", &id]).output();
    assert_failure(&out, 4, "denied");
    assert_eq!(env.status(USER).state, "enabled");
    let denied = env
        .events()
        .into_iter()
        .find(|e| e.action == "request.denied")
        .expect("request.denied");
    assert_eq!(denied.actor, "bob");
    assert!(denied.detail.unwrap().contains("no callback"));
    let out = by(&env, "bob", &["approve", "999"]).output();
    assert_failure(&out, 3, "no request 999");
}

#[test]
fn a_bulk_reset_files_one_request_per_account_that_needs_approval() {
    let (env, _) = acme("1");
    env.ok(&["user", "add", "two@example.com", "--org", "acme"]);
    env.ok(&["user", "add", "free@example.com"]);
    let list = env.path("list");
    std::fs::write(
        &list,
        format!("{USER}\ntwo@example.com\nfree@example.com\n"),
    )
    .unwrap();
    let (code, v): (i32, Value) = env
        .twofa(&[
            "reset",
            "--from",
            list.to_str().unwrap(),
            "--reason",
            "r",
            "--yes",
        ])
        .env("SUDO_USER", "alice")
        .json();
    assert_eq!(code, 4, "{v}");
    assert_eq!(v["unchanged"], serde_json::json!(["free@example.com"]));
    let requested: Vec<&str> = v["requested"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["email"].as_str().unwrap())
        .collect();
    assert_eq!(requested, [USER, "two@example.com"]);
    let pending: Vec<Value> = env.twofa(&["requests"]).ok_json();
    assert_eq!(pending.len(), 2);
    assert!(pending.iter().all(|r| r["action"] == "reset"));
    assert_eq!(env.status(USER).state, "enabled");
}

#[test]
fn a_protected_account_needs_approval_in_any_organisation() {
    let mut env = TestEnv::new();
    env.ok(&["user", "add", "ceo@example.com"]);
    env.enable("ceo@example.com");
    let v: Value = by(&env, "alice", &["user", "protect", "ceo@example.com"]).ok_json();
    assert_eq!(v["protected"], true);
    file(
        &env,
        "alice",
        &["reset", "ceo@example.com", "--reason", "r", "--yes"],
        1,
    );
    assert_eq!(env.status("ceo@example.com").state, "enabled");
    // Ending the protection needs approval too.
    let id = file(
        &env,
        "alice",
        &["user", "protect", "ceo@example.com", "--clear"],
        1,
    );
    let v: Value = by(&env, "bob", &["approve", &id.to_string()]).ok_json();
    assert_eq!(v["protected"], false);
    // Unprotected, the reset acts at once.
    by(
        &env,
        "alice",
        &["reset", "ceo@example.com", "--reason", "r", "--yes"],
    )
    .ok();
    assert_eq!(env.status("ceo@example.com").state, "disabled");
    let actions = env.actions_of("ceo@example.com");
    assert!(actions.contains(&"user.protect".to_string()), "{actions:?}");
    assert!(
        actions.contains(&"user.protect.clear".to_string()),
        "{actions:?}"
    );
}

#[test]
fn relaxing_the_policy_needs_the_approvals_in_force() {
    let env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    env.ok(&["org", "policy", "acme", "--require", "--approvals", "2"]);
    // Tightening acts at once.
    let v: Value = by(
        &env,
        "alice",
        &["org", "policy", "acme", "--approvals", "3"],
    )
    .ok_json();
    assert_eq!(v["approvals"], 3);
    let lower = file(
        &env,
        "alice",
        &["org", "policy", "acme", "--approvals", "1"],
        3,
    );
    let optional = file(&env, "alice", &["org", "policy", "acme", "--optional"], 3);
    let shown: Value = env.twofa(&["org", "policy", "acme"]).ok_json();
    assert_eq!(
        (shown["required"].clone(), shown["approvals"].clone()),
        (true.into(), 3.into())
    );
    by(
        &env,
        "alice",
        &["deny", &lower.to_string(), "--reason", "withdrawn"],
    )
    .ok();
    let id = optional.to_string();
    by(&env, "bob", &["approve", &id]).ok();
    by(&env, "carol", &["approve", &id]).ok();
    let v: Value = by(&env, "dave", &["approve", &id]).ok_json();
    assert_eq!(v["required"], false);
    assert_eq!(v["approvals"], 3);
    let shown: Value = env.twofa(&["org", "policy", "acme"]).ok_json();
    assert_eq!(shown["required"], false);
}

#[test]
fn of_concurrent_approvals_exactly_one_runs_the_action() {
    let (env, _) = acme("1");
    let id = file(&env, "alice", &["access-code", USER, "--reason", "r"], 1).to_string();
    let children: Vec<_> = ["bob", "carol", "dave", "erin"]
        .iter()
        .map(|who| {
            env.process()
                .args(["approve", &id, "--format", "json"])
                .env("SUDO_USER", who)
                .env_remove("TWOFA_ACTOR")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn twofa")
        })
        .collect();
    let outs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let ran: Vec<_> = outs.iter().filter(|o| o.status.success()).collect();
    assert_eq!(ran.len(), 1, "exactly one approval runs it");
    let v: Value = serde_json::from_slice(&ran[0].stdout).unwrap();
    assert!(v["access_code"].is_string(), "{v}");
    for o in outs.iter().filter(|o| !o.status.success()) {
        assert_failure(o, 4, "approved");
    }
    let events = env.events();
    let count = |a: &str| events.iter().filter(|e| e.action == a).count();
    assert_eq!(count("access-code"), 1);
    assert_eq!(count("request.approved"), 1);
}

#[test]
fn pending_requests_are_in_metrics_and_the_report() {
    let (env, _) = acme("1");
    file(&env, "alice", &["reset", USER, "--reason", "r", "--yes"], 1);
    let text = env.ok(&["metrics"]);
    assert!(
        text.contains("twofa_requests_pending{org=\"acme\"} 1\n"),
        "{text}"
    );
    // promtool takes the new family (as cli_observe checks the rest).
    env.bash(r#""$TWOFA" metrics | promtool check metrics"#)
        .assert()
        .success();
    let html = env.ok(&["report"]);
    assert!(html.contains("requests awaiting approval"), "{html}");
}

/// The README's recipe: a hook on `reset` bumps the user's `session_epoch` in the
/// application's own table, so that a reset logs out whoever held a session, also when the
/// reset runs at its approval.
#[test]
fn a_reset_hook_revokes_the_users_sessions() {
    let (env, _) = acme("1");
    env.execute(
        "CREATE TABLE app_users (email VARCHAR(254) PRIMARY KEY, session_epoch INTEGER NOT NULL);
         INSERT INTO app_users VALUES ('user@example.com', 7), ('other@example.com', 3);",
    );
    let client = if env.is_postgres() {
        format!("psql -q -X '{}'", env.url())
    } else if env.is_mysql() {
        let url = env.url().replacen("mariadb://", "mysql://", 1);
        let o = mysql::Opts::from_url(&url).expect("a MySQL test URL");
        format!(
            "MYSQL_PWD='{}' mariadb -h '{}' -P {} -u '{}' '{}'",
            o.get_pass().unwrap_or_default(),
            o.get_ip_or_hostname(),
            o.get_tcp_port(),
            o.get_user().unwrap_or_default(),
            o.get_db_name().unwrap_or_default()
        )
    } else {
        format!("sqlite3 '{}'", env.db.display())
    };
    let script = env.path("revoke-sessions");
    std::fs::write(
        &script,
        format!(
            "jq -r --arg q \"'\" 'select(.action == \"reset\") | \"UPDATE app_users SET session_epoch = session_epoch + 1 WHERE email = \\($q)\\(.email | gsub($q; $q + $q))\\($q);\"' | {client}\n"
        ),
    )
    .unwrap();
    let hook = format!("sh '{}'", script.display());
    let id = file(
        &env,
        "alice",
        &["--hook", &hook, "reset", USER, "--reason", "r", "--yes"],
        1,
    );
    let epochs = || env.query_strings("SELECT session_epoch FROM app_users ORDER BY email");
    assert_eq!(epochs(), ["3", "7"], "a request changes nothing");
    by(&env, "bob", &["--hook", &hook, "approve", &id.to_string()]).ok();
    assert_eq!(epochs(), ["3", "8"], "the approved reset bumped the epoch");
}
